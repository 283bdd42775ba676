"""Fixtures partagées : une vraie base DuckDB dans tmp_path, remplie avec le vrai référentiel ;
la même base tenue par un autre processus."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from cartographie import config
from cartographie.comptes.freins import FREINS
from cartographie.echanges.chargement import initialiser_base
from cartographie.stockage.connexion import ouvrir

CSV_ACTEURS = config.DOSSIER_DONNEES / "acteurs.csv"
COMMUNES = config.DOSSIER_DONNEES / "isere_communes.geojson"
_TENIR = """
import sys, time
from pathlib import Path
from cartographie.stockage.connexion import ouvrir
con = ouvrir(sys.argv[1])
Path(sys.argv[2]).write_text("tenue")
time.sleep(120)
"""


@pytest.fixture(autouse=True)
def freins_neufs() -> None:
    """Les freins aux essais de connexion vivent dans le processus : chaque test part de zéro."""
    FREINS.effacer()


@pytest.fixture
def chemin_base(tmp_path: Path) -> Path:
    """Chemin d'un fichier DuckDB neuf."""
    return tmp_path / "cartographie.duckdb"


@pytest.fixture
def base(chemin_base: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Une base initialisée depuis data/acteurs.csv et le référentiel des communes."""
    con = ouvrir(chemin_base)
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
    yield con
    con.close()


@pytest.fixture
def env_appli(chemin_base: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Fait pointer l'application (AppTest) sur une base neuve dans tmp_path."""
    monkeypatch.setenv("CARTOGRAPHIE_BASE", str(chemin_base))
    return chemin_base


@pytest.fixture
def base_tenue(chemin_base: Path, tmp_path: Path) -> Iterator[subprocess.Popen]:
    """Un autre processus tient la base ouverte (comme une commande pendant que l'appli tourne)."""
    con = ouvrir(chemin_base)
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
    con.close()
    temoin = tmp_path / "tenue"
    autre = subprocess.Popen(
        [sys.executable, "-c", _TENIR, str(chemin_base), str(temoin)],
        cwd=config.RACINE,
        env={**os.environ, "PYTHONPATH": str(config.RACINE)},
    )
    try:
        limite = time.monotonic() + 60
        while not temoin.exists():
            assert autre.poll() is None
            assert time.monotonic() < limite
            time.sleep(0.05)
        yield autre
    finally:
        autre.kill()
        autre.wait(timeout=30)
