"""Fixtures partagées : une vraie base DuckDB dans tmp_path, remplie avec le vrai référentiel."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from cartographie import config
from cartographie.echanges.chargement import initialiser_base
from cartographie.stockage.connexion import ouvrir

CSV_ACTEURS = config.DOSSIER_DONNEES / "acteurs.csv"
COMMUNES = config.DOSSIER_DONNEES / "isere_communes.geojson"


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
