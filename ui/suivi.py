"""Noter une consultation en une ligne depuis une page, sans jamais la ralentir ni la casser.

    from ui import suivi
    suivi.noter("recherche", "carte", types=[...], code_insee="38185", rayon_km=10)

La session est un uuid4 tiré au hasard et gardé dans `st.session_state` (elle meurt avec
l'onglet) ; rien ne vient de l'IP, du navigateur ni d'un cookie. Dès qu'un compte de la DDFE est
connecté, la session est exclue : ses événements passés sont effacés, les suivants ignorés.
"""

from __future__ import annotations

import atexit
import logging
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

import streamlit as st

from cartographie import config, horloge
from cartographie.consultations.conservation import purger
from cartographie.consultations.enregistreur import Enregistreur
from cartographie.consultations.evenements import (
    TypeEvenement,
    criteres_de_recherche,
    evenement,
    maintenant_tronque,
    nouvelle_session,
)
from cartographie.recherche.filtres import PARAMETRE_FICHE, Filtres, PointRecherche
from ui.base import base_partagee

journal = logging.getLogger(__name__)
T = TypeVar("T")
_ID_ACTEUR_PLAUSIBLE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")

CLE_SESSION = "suivi_session"
CLE_EXCLUE = "suivi_exclue"
CLE_DERNIERS = "suivi_derniers"

_enregistreurs: dict[str, Enregistreur] = {}
_verrou = threading.Lock()


def enregistreur() -> Enregistreur:
    """L'enregistreur du processus pour la base configurée (créé, et la purge lancée, une fois)."""
    chemin = config.lire_base()
    with _verrou:
        if chemin not in _enregistreurs:
            # La base partagée sert de fabrique de curseurs au fil d'écriture : rouverte après
            # une erreur fatale, elle lui donne des curseurs neufs sur la nouvelle connexion.
            fabrique = base_partagee().curseur
            nouveau = Enregistreur(
                fabrique,
                taille_lot=config.lire_entier("CONSULTATIONS_LOT"),
                delai_s=config.lire_entier("CONSULTATIONS_DELAI_S"),
            )
            mois = config.lire_entier("CONSULTATIONS_CONSERVATION_MOIS")
            nouveau.planifier(
                lambda cur: purger(cur, horloge.aujourd_hui(), mois), "purge au démarrage"
            )
            atexit.register(nouveau.arreter)
            _enregistreurs[chemin] = nouveau
        return _enregistreurs[chemin]


def session() -> uuid.UUID:
    """L'identifiant aléatoire de cette session de navigateur."""
    if CLE_SESSION not in st.session_state:
        st.session_state[CLE_SESSION] = nouvelle_session()
    return st.session_state[CLE_SESSION]


def _session_exclue() -> bool:
    """Vrai pour une session de la DDFE : elle ne compte pas, même après déconnexion."""
    if st.session_state.get(CLE_EXCLUE):
        return True
    if st.session_state.get("compte"):
        st.session_state[CLE_EXCLUE] = True
        enregistreur().exclure_session(session())
        return True
    return False


def noter(
    type_evenement: TypeEvenement | str, page: str, *, repeter: bool = False, **filtres: object
) -> None:
    """Note un événement ; une relance de la page qui répète le précédent n'est pas recomptée.

    `repeter=True` pour un geste qui compte à chaque fois (clic sur « Imprimer »).
    Une erreur ici est journalisée, jamais montrée : la page continue.
    """
    try:
        if _session_exclue():
            return
        e = evenement(type_evenement, page, session(), **filtres)  # type: ignore[arg-type]
        derniers: dict = st.session_state.setdefault(CLE_DERNIERS, {})
        if not repeter and derniers.get(e.type) == e.signature():
            return
        derniers[e.type] = e.signature()
        enregistreur().noter(e)
    except Exception:
        journal.exception("Consultation non notée (%s, page %s)", type_evenement, page)


def noter_recherche(page: str, filtres: Filtres, point: PointRecherche | None) -> None:
    """Une recherche (point ou filtre posé), notée une fois tant qu'elle ne change pas."""
    if point is None and not filtres.actifs():
        return  # la liste complète à l'arrivée n'est pas une recherche
    noter(TypeEvenement.RECHERCHE, page, **criteres_de_recherche(filtres, point))


def au_telechargement(
    produire: Callable[[], T], type_evenement: TypeEvenement | str, page: str, **filtres: object
) -> Callable[[], T]:
    """`produire` qui note aussi l'événement, pour un `st.download_button` à données différées.

    Streamlit appelle ces données hors du script (sans `st.session_state`) à chaque clic :
    l'événement est donc préparé ici, et seul le dépôt dans la file se fait au clic.
    """
    try:
        exclue = _session_exclue()
        e = None if exclue else evenement(type_evenement, page, session(), **filtres)  # type: ignore[arg-type]
        cible = enregistreur()
    except Exception:
        journal.exception("Téléchargement non suivi (%s, page %s)", type_evenement, page)
        e = None

    def produire_et_noter() -> T:
        if e is not None:
            try:
                cible.noter(replace(e, horodatage=maintenant_tronque()))
            except Exception:
                journal.exception("Téléchargement non noté")
        return produire()

    return produire_et_noter


CLE_ARRIVEE = "suivi_arrivee_notee"


def noter_page(page: str) -> None:
    """Une page vue : comptée quand on y arrive, pas à chaque interaction.

    À la première page d'une session, une adresse qui porte des paramètres (filtres, fiche)
    est un lien partagé ou enregistré : on le note, avec la fiche visée si elle existe (seul
    un identifiant connu est gardé, jamais la valeur brute du paramètre).
    """
    noter(TypeEvenement.CONSULTATION, page)
    if st.session_state.get(CLE_ARRIVEE):
        return
    st.session_state[CLE_ARRIVEE] = True
    try:
        parametres = st.query_params.to_dict()
    except Exception:  # pragma: no cover - hors d'une vraie session
        return
    if parametres:
        acteur = parametres.get(PARAMETRE_FICHE, "")
        noter(
            TypeEvenement.LIEN_PARTAGE,
            page,
            acteur_id=acteur if _ID_ACTEUR_PLAUSIBLE.match(acteur) else None,
        )
