"""Qui est connecté, et qui a le droit de voir quelle page de l'espace DDFE.

Deux barrières : la navigation ne sert une page d'administration qu'aux rôles admis (une URL
tapée à la main ne la trouve pas), et chaque page d'administration appelle aussi
`exiger_role` en première ligne (défense en profondeur : une page ajoutée à la mauvaise liste
reste fermée).

Une troisième barrière pour les gestes : un rappel de bouton (`on_click`) s'exécute AVANT la
page, donc avant `exiger_role`, et un téléchargement à données différées est produit au clic
sans relancer la page. Un onglet resté ouvert garde ces boutons après expiration,
désactivation ou changement de rôle : chaque rappel qui écrit commence par `autoriser`, chaque
téléchargement différé passe par `telechargement_reserve`, et aucun n'utilise un compte
capturé au passage précédent.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TypeVar

import streamlit as st

from cartographie import config
from cartographie.comptes import Compte, Role, compte_actif
from cartographie.comptes.identite_etat import compte_pour_identite
from cartographie.horloge import maintenant
from ui.base import curseur
from ui.texte import litteral

CLE_COMPTE = "compte"
CLE_ACTIVITE = "compte_activite"
CLE_EXPIREE = "session_expiree"
CLE_JETON = "connexion_jeton"
CLE_REFUS_ETAT = "refus_etat"
CLE_FIN_ETAT = "fin_identite_etat"
PAGE_CONNEXION = "ecrans/connexion.py"
REFUS_SESSION = (
    "Action refusée : votre session a expiré ou votre compte n'est plus actif. Rien n'a été"
    " enregistré."
)

T = TypeVar("T")


class AccesRefuse(PermissionError):
    """Téléchargement différé refusé : le compte n'y a plus droit (message en français)."""


def compte_connecte() -> Compte | None:
    """Le compte de la session, relu en base ; None si personne, ou si la session a expiré.

    Relu à chaque page : un compte désactivé ou changé de rôle l'est dès le clic suivant.
    """
    compte = st.session_state.get(CLE_COMPTE)
    if compte is None:
        compte = _compte_oidc()
        if compte is None:
            return None
    quand = maintenant()
    activite = st.session_state.get(CLE_ACTIVITE, quand)
    fin_etat = st.session_state.get(CLE_FIN_ETAT)
    if quand - activite > timedelta(minutes=config.lire_entier("SESSION_MINUTES")) or (
        fin_etat is not None and quand > fin_etat
    ):
        deconnecter()
        st.session_state[CLE_EXPIREE] = True
        return None
    frais = compte_actif(curseur(), compte.identifiant)
    if frais is None:
        deconnecter()
        return None
    st.session_state[CLE_COMPTE] = frais
    st.session_state[CLE_ACTIVITE] = quand
    return frais


def jeton_de_session() -> str:
    """Un jeton tiré au hasard pour cet onglet : les freins comptent ses échecs de connexion.

    Rien ne le relie à la personne ; il meurt avec la session (jamais écrit en base).
    """
    if CLE_JETON not in st.session_state:
        st.session_state[CLE_JETON] = secrets.token_hex(16)
    return st.session_state[CLE_JETON]


def connecter(compte: Compte) -> None:
    """Ouvre la session du compte (après `authentifier`)."""
    st.session_state[CLE_COMPTE] = compte
    st.session_state[CLE_ACTIVITE] = maintenant()
    st.session_state.pop(CLE_EXPIREE, None)


def deconnecter() -> None:
    """Ferme la session DDFE ; la page publique reste accessible."""
    for cle in (CLE_COMPTE, CLE_ACTIVITE, CLE_FIN_ETAT, CLE_REFUS_ETAT):
        st.session_state.pop(cle, None)
    if _oidc() and utilisateur_etat_connecte():
        st.logout()


def exiger_role(*roles: Role) -> Compte:
    """Arrête la page (refus en français, lien de connexion) si le compte n'a aucun des rôles."""
    compte = compte_connecte()
    if compte is None:
        if st.session_state.pop(CLE_EXPIREE, False):
            st.warning("Votre session a expiré faute d'activité : reconnectez-vous.")
        st.error("Accès réservé à l'équipe de la DDFE : connectez-vous pour continuer.")
        st.page_link(PAGE_CONNEXION, label="Se connecter", icon=":material/login:")
        st.stop()
    if not compte.peut(*roles):
        admis = ", ".join(r.libelle for r in roles)
        st.error(
            f"Votre compte ({compte.role.libelle}) n'a pas accès à cette page. Rôle nécessaire :"
            f" {admis}."
        )
        st.stop()
    return compte


def autoriser(*roles: Role) -> Compte | None:
    """Au début d'un rappel qui écrit : le compte relu en base s'il y a encore droit, sinon None.

    Sur None, le rappel n'écrit rien ; le refus est déjà notifié, et la page qui suit s'arrête
    à `exiger_role` avec son explication (session expirée, accès réservé…).
    """
    compte = compte_connecte()
    if compte is None:
        st.toast(REFUS_SESSION, icon=":material/block:")
        return None
    if not compte.peut(*roles):
        st.toast(
            f"Action refusée : votre compte ({compte.role.libelle}) n'y a plus droit. Rien n'a"
            " été enregistré.",
            icon=":material/block:",
        )
        return None
    return compte


def telechargement_reserve(
    compte: Compte, produire: Callable[[], T], *roles: Role
) -> Callable[[], T]:
    """`produire` pour un `st.download_button` différé, refusé au clic si le compte n'y a plus droit.

    Streamlit l'appelle hors du script, sans `st.session_state` : l'expiration est donc fixée
    ici (chaque passage de la page redonne un délai complet, comme `compte_connecte`), et le
    compte est relu en base au clic (actif, rôle encore admis). Refus : `AccesRefuse`, aucun
    fichier produit.
    """
    identifiant = compte.identifiant
    limite = maintenant() + timedelta(minutes=config.lire_entier("SESSION_MINUTES"))

    def produire_si_autorise() -> T:
        frais = compte_actif(curseur(), identifiant)
        if maintenant() > limite or frais is None or not frais.peut(*roles):
            raise AccesRefuse(REFUS_SESSION)
        return produire()

    return produire_si_autorise


def session_encore_valide(*roles: Role) -> bool:
    """Le compte de la session a-t-il encore droit à la page ? Sans prolonger la session (à
    l'inverse de `compte_connecte`) : une vérification périodique n'est pas une activité."""
    compte = st.session_state.get(CLE_COMPTE)
    if compte is None:
        return False
    quand = maintenant()
    activite = st.session_state.get(CLE_ACTIVITE, quand)  # comme `compte_connecte`
    if quand - activite > timedelta(minutes=config.lire_entier("SESSION_MINUTES")):
        return False
    frais = compte_actif(curseur(), compte.identifiant)
    return frais is not None and frais.peut(*roles)


def relancer_a_l_expiration(*roles: Role, toutes_les_s: int = 30) -> None:
    """Sur une page dont les boutons agissent sans la relancer (téléchargements différés) :
    toutes les `toutes_les_s` secondes, un fragment vérifie la session ; expirée, ou compte
    désactivé ou changé de rôle, il relance la page, qui s'arrête à `exiger_role` en disant
    pourquoi — au lieu d'un bouton qui échouerait sans un mot."""

    @st.fragment(run_every=toutes_les_s)
    def guetter() -> None:
        if not session_encore_valide(*roles):
            st.rerun(scope="app")

    guetter()


def navigation(
    publiques: Sequence[st.Page], reservees: Sequence[tuple[st.Page, Sequence[Role]]]
) -> dict[str, list[st.Page]]:
    """Les sections de navigation : pages publiques, puis les pages DDFE permises au compte."""
    compte = compte_connecte()
    permises = [page for page, roles in reservees if compte is not None and compte.peut(*roles)]
    sections = {"Annuaire": list(publiques)}
    if permises:
        sections["Espace DDFE"] = permises
    return sections


def barre_compte() -> None:
    """Dans la barre latérale : qui est connecté, et le bouton pour se déconnecter."""
    compte = st.session_state.get(CLE_COMPTE)
    if compte is None:
        return
    with st.sidebar:
        st.caption(f"Connecté·e : {litteral(compte.libelle)} — {compte.role.libelle}")
        # En rappel, pas `deconnecter(); st.rerun()` : la relance efface les messages pas encore
        # partis vers le navigateur, dont la redirection de `st.logout` ; le témoin de l'État
        # survivait alors à la déconnexion (tests/test_authentification_etat.py).
        st.button(
            "Se déconnecter",
            key="deconnexion_barre",
            icon=":material/logout:",
            on_click=deconnecter,
        )


def _oidc() -> bool:
    return config.lire("AUTHENTIFICATION") == "oidc"


def utilisateur_etat_connecte() -> bool:
    """Vrai si `st.login` a ouvert une identité de l'État dans cette session."""
    return bool(getattr(st.user, "is_logged_in", False))


def _compte_oidc() -> Compte | None:
    """Authentification de l'État (si configurée) : le rôle vient du compte local.

    Sans compte, ou compte désactivé : aucun rôle, l'explication attend sur la page de
    connexion (`CLE_REFUS_ETAT`). Identité trop ancienne : la session du fournisseur est
    fermée, l'agent se reconnecte.
    """
    if not (_oidc() and utilisateur_etat_connecte()):
        return None
    duree = timedelta(hours=config.lire_entier("OIDC_DUREE_HEURES"))
    issue = compte_pour_identite(curseur(), st.user.to_dict(), duree)
    if issue.compte is None:
        st.session_state[CLE_REFUS_ETAT] = issue.message
        if issue.reconnecter:
            st.session_state[CLE_EXPIREE] = True
            st.logout()
        return None
    connecter(issue.compte)
    st.session_state.pop(CLE_REFUS_ETAT, None)
    st.session_state[CLE_FIN_ETAT] = issue.fin
    return issue.compte
