"""La connexion DuckDB du processus, ouverte une fois et partagée par toutes les pages."""

from __future__ import annotations

import duckdb
import streamlit as st

from cartographie import config
from cartographie.chargement import initialiser_base
from cartographie.stockage.connexion import ouvrir


@st.cache_resource(show_spinner="Ouverture de la base…")
def _connexion(chemin: str) -> duckdb.DuckDBPyConnection:
    con = ouvrir(chemin)
    initialiser_base(con, config.lire_chemin("ACTEURS_CSV"), config.lire_chemin("COMMUNES_GEOJSON"))
    return con


def curseur() -> duckdb.DuckDBPyConnection:
    """Un curseur neuf sur la connexion partagée : un par appel, jamais partagé entre threads."""
    return _connexion(str(config.lire_chemin("BASE"))).cursor()
