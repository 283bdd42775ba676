"""La base du processus : rouverte après une erreur fatale, message en français quand elle est tenue.

Pour provoquer une vraie `FatalException` de DuckDB, on pose dans la base une table-piège munie
d'un index secondaire et on lui fait subir l'arrêt brutal suivi d'un redémarrage qui abîme
l'index (le bogue de DuckDB 1.5.5 décrit dans la migration 0007) : la mise à jour suivante de
la ligne invalide la connexion, exactement comme en production avant la correction.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from cartographie.config import RACINE
from cartographie.echanges.chargement import initialiser_base
from cartographie.stockage.connexion import BaseIndisponible, BasePartagee, ouvrir
from tests.conftest import COMMUNES, CSV_ACTEURS

PIEGE_ABIME = "UPDATE piege SET c = 'z' WHERE id = 1"
_ECRIRE_PUIS_MOURIR = """
import os, signal, sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("UPDATE piege SET c = 'b' WHERE id = 1")
os.kill(os.getpid(), signal.SIGKILL)
"""


def _python(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=RACINE,
        env={**os.environ, "PYTHONPATH": str(RACINE)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def poser_le_piege(chemin: Path) -> None:
    """Une table dont l'index a perdu une ligne : la mettre à jour invalide la connexion."""
    con = duckdb.connect(str(chemin))
    con.execute("CREATE TABLE piege (id INTEGER PRIMARY KEY, c VARCHAR)")
    con.execute("CREATE INDEX piege_c ON piege (c)")
    con.execute("INSERT INTO piege VALUES (1, 'a')")
    con.close()
    assert _python("-c", _ECRIRE_PUIS_MOURIR, str(chemin)).returncode == -signal.SIGKILL
    assert _python("-c", f"import duckdb; duckdb.connect({str(chemin)!r}).close()").returncode == 0


@pytest.fixture
def base_piegee(chemin_base: Path) -> Path:
    """Une base de l'application, remplie, avec la table-piège."""
    con = ouvrir(chemin_base)
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
    con.close()
    poser_le_piege(chemin_base)
    return chemin_base


def test_connexion_invalidee_remplacee(base_piegee: Path) -> None:
    base = BasePartagee(base_piegee)
    avant = base.curseur().execute("SELECT count(*) FROM acteur").fetchone()
    with pytest.raises(duckdb.FatalException):
        base.curseur().execute(PIEGE_ABIME)
    with pytest.raises(duckdb.FatalException, match="invalidated"):
        base.curseur().execute("SELECT 1")

    assert base.reparer() is True
    assert base.curseur().execute("SELECT count(*) FROM acteur").fetchone() == avant
    assert base.reparer() is False  # déjà saine : rien à rouvrir
    assert base.reouvertures == 1
    base.fermer()


def test_base_tenue_par_un_autre_programme(chemin_base: Path, base_tenue) -> None:
    base = BasePartagee(chemin_base)
    with pytest.raises(BaseIndisponible) as erreur:
        base.curseur()
    message = str(erreur.value)
    assert f"(processus {base_tenue.pid})" in message
    assert "n'admet qu'un programme à la fois" in message
    assert "lock" not in message  # rien d'anglais de DuckDB

    base_tenue.kill()
    base_tenue.wait(timeout=30)
    assert base.curseur().execute("SELECT count(*) FROM acteur").fetchone()[0] > 0
    base.fermer()


def _application(chemin: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("CARTOGRAPHIE_BASE", str(chemin))
    monkeypatch.setenv("CARTOGRAPHIE_TUILES_URL", "")
    return AppTest.from_file(str(RACINE / "app.py"), default_timeout=60)


def _textes(at: AppTest) -> str:
    elements = [*at.markdown, *at.warning, *at.error, *at.info, *at.get("html")]
    return " ".join(str(getattr(e, "value", e.proto)) for e in elements)


def test_page_publique_apres_erreur_fatale(
    base_piegee: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _application(base_piegee, monkeypatch).run()
    assert not at.exception
    from ui.base import base_partagee

    # La même connexion que les pages ; la voici invalidée par une écriture ailleurs.
    with pytest.raises(duckdb.FatalException):
        base_partagee().curseur().execute(PIEGE_ABIME)

    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert base_partagee().reouvertures == 1
    assert at.text_input(key="saisie_lieu")  # la page de recherche s'affiche normalement
    assert "incident" not in _textes(at)  # rejouée d'elle-même, sans message
    at.run()
    assert not at.exception


def test_maintenance_quand_la_base_est_tenue(
    chemin_base: Path, base_tenue, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _application(chemin_base, monkeypatch).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Maintenance en cours" in _textes(at)
    assert "3919" in _textes(at)  # le bandeau d'urgence reste là

    base_tenue.kill()
    base_tenue.wait(timeout=30)
    at.run()
    assert not at.exception
    assert "Maintenance en cours" not in _textes(at)
