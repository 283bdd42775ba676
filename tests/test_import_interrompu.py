"""Un import tué net (SIGKILL) au milieu de l'écriture laisse la base exactement comme avant."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cartographie.config import RACINE
from cartographie.echanges.chargement import initialiser_base
from cartographie.stockage.connexion import ouvrir
from tests.conftest import COMMUNES, CSV_ACTEURS

pytestmark = pytest.mark.deux_bases  # stockage et métier : DuckDB puis PostgreSQL

# Le processus enfant prépare un import de 5 000 acteurs (3 lots), puis s'endort dans la
# transaction juste après le premier lot écrit, en le faisant savoir par un fichier témoin.
ENFANT = """
import sys, time
from pathlib import Path
from cartographie.echanges.importation import appliquer_import, preparer_apercu
from cartographie.echanges.lecture_tableur import lire_tableur
from cartographie.stockage.connexion import ouvrir

base, communes, temoin = sys.argv[1:4]
lignes = ["id;nom;type;commune;code_insee;description"]
lignes += [f"interrompu-{i};Acteur {i};leao;Grenoble;38185;{'x' * 300}" for i in range(5000)]
tableau = lire_tableur("\\n".join(lignes).encode(), "gros.csv", taille_max=10**8, lignes_max=10**5)
con = ouvrir(base)
apercu = preparer_apercu(con, tableau, Path(communes))

def dormir_apres_le_premier_lot(fait, total):
    # Écrit puis renomme : le test ne lit jamais un témoin créé mais encore vide.
    Path(temoin + ".tmp").write_text(f"{fait}/{total}")
    Path(temoin + ".tmp").rename(temoin)
    time.sleep(120)

appliquer_import(con, apercu, auteur="test", nom_fichier="gros.csv", archiver_absents=True,
                 progression=dormir_apres_le_premier_lot)
"""


def vidage(chemin: Path) -> tuple[list[tuple], int]:
    con = ouvrir(chemin)
    try:
        return (
            con.execute("SELECT * FROM acteur ORDER BY id").fetchall(),
            con.execute("SELECT count(*) FROM import_journal").fetchone()[0],
        )
    finally:
        con.close()


def test_import_tue_pendant_l_ecriture(chemin_base: Path, tmp_path: Path, moteur: str) -> None:
    con = ouvrir(chemin_base)
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
    actifs = con.execute("SELECT count(*) FROM acteur WHERE statut = 'actif'").fetchone()[0]
    con.close()  # DuckDB verrouille le fichier : l'enfant doit pouvoir l'ouvrir
    avant = vidage(chemin_base)

    temoin = tmp_path / "premier-lot-ecrit"
    enfant = subprocess.Popen(
        [sys.executable, "-c", ENFANT, str(chemin_base), str(COMMUNES), str(temoin)],
        cwd=RACINE,
        env={**os.environ, "PYTHONPATH": str(RACINE)},
        stderr=subprocess.PIPE,
    )
    try:
        limite = time.monotonic() + 60
        while not temoin.exists():
            assert enfant.poll() is None, enfant.stderr.read().decode()
            assert time.monotonic() < limite, "l'enfant n'a jamais atteint l'écriture"
            time.sleep(0.05)
        # 5 000 nouveaux + les fiches actives, absentes du fichier, archivées.
        assert temoin.read_text() == f"2000/{5000 + actifs}"
    finally:
        enfant.send_signal(signal.SIGKILL)
        enfant.wait(timeout=30)
    assert enfant.returncode == -signal.SIGKILL

    assert vidage(chemin_base) == avant
    # La copie a été prise avant d'écrire (DuckDB à côté du fichier, pg_dump dans tmp_path).
    dossier = chemin_base.parent if moteur == "duckdb" else tmp_path
    assert list((dossier / "sauvegardes").glob("*-avant-import-*"))
