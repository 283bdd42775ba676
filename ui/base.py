"""La base et le géocodeur du processus, ouverts une fois et partagés par les pages ; les pannes
de la base dites en français plutôt que par une page d'erreur.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import streamlit as st

from cartographie import config
from cartographie.echanges.chargement import initialiser_base
from cartographie.geocodage.chaine import Geocodeur
from cartographie.stockage.connexion import BaseIndisponible, BasePartagee

journal = logging.getLogger(__name__)
CLE_DERNIERE_REPARATION = "base_derniere_reparation"
# Après une réparation, la page est rejouée d'elle-même une fois ; une seconde panne dans ce
# délai est montrée telle quelle plutôt que rejouée en boucle.
_DELAI_ENTRE_REPRISES_S = 30
ATTENTE_MAINTENANCE_S = 5


def _preparer(con: duckdb.DuckDBPyConnection) -> None:
    # Premier remplissage depuis data/acteurs.csv si la base est vide (sans effet sinon).
    initialiser_base(
        con,
        config.lire_chemin("ACTEURS_CSV"),
        config.lire_chemin("COMMUNES_GEOJSON"),
        Geocodeur.depuis_reglages(con),
    )


@st.cache_resource
def _base(chemin: str) -> BasePartagee:
    # Ne s'ouvre qu'au premier curseur : une base indisponible n'est jamais mise en cache.
    return BasePartagee(chemin, _preparer)


@st.cache_resource
def _geocodeur(chemin: str) -> Geocodeur:
    # Un seul par processus : son disjoncteur et sa mémoire valent pour toutes les sessions.
    return Geocodeur.depuis_reglages(_base(chemin))


def base_partagee() -> BasePartagee:
    """La base du processus (celle de `CARTOGRAPHIE_BASE`)."""
    return _base(config.lire_base())


def curseur() -> duckdb.DuckDBPyConnection:
    """Un curseur neuf sur la base partagée : un par appel, jamais partagé entre threads."""
    return base_partagee().curseur()


def geocodeur() -> Geocodeur:
    """Le géocodeur configuré (hors ligne par défaut), partagé par toutes les sessions."""
    return _geocodeur(config.lire_base())


@contextmanager
def incidents_de_la_base() -> Iterator[None]:
    """Autour de la page : une base indisponible ou invalidée ne montre jamais de trace d'erreur.

    - base tenue par un autre programme : message « maintenance », nouvel essai automatique ;
    - erreur fatale de DuckDB (connexion invalidée) : la base est rouverte et la page rejouée
      une fois ; ce qui était en cours d'écriture n'a pas été enregistré (transaction annulée).
    """
    try:
        yield
    except BaseIndisponible as erreur:
        _maintenance(str(erreur))
    except duckdb.FatalException:
        journal.exception("Erreur fatale de DuckDB : la base est rouverte")
        try:
            base_partagee().reparer()
        except BaseIndisponible as erreur:
            _maintenance(str(erreur))
            return
        derniere = st.session_state.get(CLE_DERNIERE_REPARATION, 0.0)
        st.session_state[CLE_DERNIERE_REPARATION] = time.monotonic()
        if time.monotonic() - derniere > _DELAI_ENTRE_REPRISES_S:
            st.rerun()
        st.error(
            "Un incident technique a interrompu l'affichage ; la base a été rouverte. Si vous"
            " veniez d'enregistrer, vérifiez que la modification apparaît, sinon refaites-la."
        )


def _maintenance(detail: str) -> None:
    journal.warning("Base indisponible : %s", detail)
    st.warning(
        "**Maintenance en cours** : la base des acteurs est momentanément indisponible. La page"
        f" se recharge d'elle-même dès qu'elle revient (essai toutes les {ATTENTE_MAINTENANCE_S}"
        " secondes). En cas d'urgence, les numéros ci-dessus restent joignables."
    )
    _attendre_la_base()


@st.fragment(run_every=ATTENTE_MAINTENANCE_S)
def _attendre_la_base() -> None:
    try:
        base_partagee().curseur().close()
    except BaseIndisponible:
        return
    st.rerun(scope="app")
