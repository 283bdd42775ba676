"""Avec PostgreSQL, chaque commande d'administration marche pendant que l'application tourne ;
sauvegarde et restauration (pg_dump / pg_restore, copie DuckDB) remettent la base en l'état."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from cartographie import edition
from cartographie.__main__ import main
from cartographie.config import RACINE
from cartographie.recherche.annuaire import rechercher_acteurs
from cartographie.recherche.filtres import Filtres
from cartographie.stockage.connexion import ouvrir
from cartographie.stockage.filtres_index import empreinte

MOT_DE_PASSE = "une phrase assez longue"
# L'application qui tourne : un processus qui a ouvert la base (son pool de connexions) et
# cherche sans arrêt, comme des pages qui se relancent ; une recherche en échec le fait tomber.
_APPLICATION = """
import sys, time
from pathlib import Path
from cartographie.stockage.connexion import ouvrir
from cartographie.recherche.annuaire import rechercher_acteurs
from cartographie.recherche.filtres import Filtres
con = ouvrir(sys.argv[1])
fin = time.monotonic() + 300
while time.monotonic() < fin:
    rechercher_acteurs(con.cursor(), Filtres(texte="accueil"), None)
    Path(sys.argv[2]).write_text("ouverte")
    time.sleep(0.05)
"""


def _commande(base: str, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cartographie", *arguments],
        input=MOT_DE_PASSE + "\n",
        capture_output=True,
        text=True,
        cwd=RACINE,
        env={**os.environ, "CARTOGRAPHIE_BASE": base},
        timeout=180,
        check=False,
    )


@pytest.mark.deux_bases("postgresql")
def test_toutes_les_commandes_pendant_que_l_application_tourne(
    base, chemin_base: str, tmp_path: Path
) -> None:
    temoin = tmp_path / "ouverte"
    application = subprocess.Popen(
        [sys.executable, "-c", _APPLICATION, chemin_base, str(temoin)],
        cwd=RACINE,
        env={**os.environ, "PYTHONPATH": str(RACINE)},
    )
    try:
        limite = time.monotonic() + 60
        while not temoin.exists():
            assert application.poll() is None
            assert time.monotonic() < limite
            time.sleep(0.05)
        commandes = [
            ["initialiser"],
            ["geocoder"],
            ["consultations", "purger"],
            ["comptes", "creer", "ddfe.admin", "--nom", "Admin"],
            ["comptes", "lister"],
            ["comptes", "mot-de-passe", "ddfe.admin"],
            ["sauvegarder", "--dossier", str(tmp_path)],
        ]
        for commande in commandes:
            resultat = _commande(chemin_base, *commande)
            assert resultat.returncode == 0, (commande, resultat.stderr)
            assert "Traceback" not in resultat.stderr
        (copie,) = tmp_path.glob("*.dump")
        resultat = _commande(chemin_base, "restaurer", str(copie))
        assert resultat.returncode == 0, resultat.stderr
        assert application.poll() is None  # l'application n'a rien remarqué
    finally:
        application.kill()
        application.wait(timeout=30)
    assert "ddfe.admin" in _commande(chemin_base, "comptes", "lister").stdout


@pytest.mark.deux_bases
def test_sauvegarder_puis_restaurer_remet_la_base_et_son_index(
    base, chemin_base, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moteur: str
) -> None:
    monkeypatch.setenv("CARTOGRAPHIE_BASE", str(chemin_base))
    fiche = edition.fiche(base, rechercher_acteurs(base, Filtres(), None).resultats[0].acteur.id)
    assert main(["sauvegarder", "--dossier", str(tmp_path / "copies")]) == 0
    (copie,) = (tmp_path / "copies").iterdir()
    assert copie.suffix == (".duckdb" if moteur == "duckdb" else ".dump")
    edition.modifier(base, replace(fiche, nom="Nom changé après la copie"), fiche.version, "ddfe")
    avant_restauration = empreinte(base)
    if moteur == "duckdb":
        base.close()  # DuckDB : la restauration se fait base fermée (application arrêtée)
        assert main(["restaurer", str(copie)]) == 0
        con = ouvrir(chemin_base)
    else:
        assert main(["restaurer", str(copie)]) == 0  # PostgreSQL : base ouverte ailleurs
        con = base
    try:
        assert edition.fiche(con, fiche.id).nom == fiche.nom
        # Nouvel identifiant : aucun processus ne garde l'index de l'état effacé.
        assert empreinte(con).identifiant != avant_restauration.identifiant
        trouves = rechercher_acteurs(con, Filtres(texte="Nom changé"), None)
        assert trouves.total == 0
    finally:
        if moteur == "duckdb":
            con.close()


def test_restaurer_une_copie_absente_dit_pourquoi(
    chemin_base: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARTOGRAPHIE_BASE", str(chemin_base))
    assert main(["restaurer", str(chemin_base.parent / "absente.duckdb")]) == 1
    assert "Copie introuvable" in capsys.readouterr().err
