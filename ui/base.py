"""La connexion DuckDB et le géocodeur du processus, ouverts une fois et partagés par les pages."""

from __future__ import annotations

import duckdb
import streamlit as st

from cartographie import config
from cartographie.chargement import initialiser_base
from cartographie.geocodage import Geocodeur
from cartographie.stockage.connexion import ouvrir


@st.cache_resource(show_spinner="Ouverture de la base…")
def _connexion(chemin: str) -> duckdb.DuckDBPyConnection:
    con = ouvrir(chemin)
    initialiser_base(
        con,
        config.lire_chemin("ACTEURS_CSV"),
        config.lire_chemin("COMMUNES_GEOJSON"),
        Geocodeur.depuis_reglages(con),
    )
    return con


@st.cache_resource
def _geocodeur(chemin: str) -> Geocodeur:
    # Un seul par processus : son disjoncteur et sa mémoire valent pour toutes les sessions.
    return Geocodeur.depuis_reglages(_connexion(chemin))


def curseur() -> duckdb.DuckDBPyConnection:
    """Un curseur neuf sur la connexion partagée : un par appel, jamais partagé entre threads."""
    return _connexion(str(config.lire_chemin("BASE"))).cursor()


def geocodeur() -> Geocodeur:
    """Le géocodeur configuré (hors ligne par défaut), partagé par toutes les sessions."""
    return _geocodeur(str(config.lire_chemin("BASE")))
