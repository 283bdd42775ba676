"""Qui est connecté, et qui a le droit de voir quelle page de l'espace DDFE.

Deux barrières : la navigation ne sert une page d'administration qu'aux rôles admis (une URL
tapée à la main ne la trouve pas), et chaque page d'administration appelle aussi
`exiger_role` en première ligne (défense en profondeur : une page ajoutée à la mauvaise liste
reste fermée).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import streamlit as st

from cartographie import config
from cartographie.comptes import Compte, Role, compte_actif, maintenant
from ui.base import curseur

CLE_COMPTE = "compte"
CLE_ACTIVITE = "compte_activite"
CLE_EXPIREE = "session_expiree"
PAGE_CONNEXION = "pages/connexion.py"


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
    if quand - activite > timedelta(minutes=config.lire_entier("SESSION_MINUTES")):
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


def connecter(compte: Compte) -> None:
    """Ouvre la session du compte (après `authentifier`)."""
    st.session_state[CLE_COMPTE] = compte
    st.session_state[CLE_ACTIVITE] = maintenant()
    st.session_state.pop(CLE_EXPIREE, None)


def deconnecter() -> None:
    """Ferme la session DDFE ; la page publique reste accessible."""
    for cle in (CLE_COMPTE, CLE_ACTIVITE):
        st.session_state.pop(cle, None)
    if _oidc() and _utilisateur_oidc_connecte():
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
        st.caption(f"Connecté·e : {compte.libelle} — {compte.role.libelle}")
        if st.button("Se déconnecter", key="deconnexion_barre", icon=":material/logout:"):
            deconnecter()
            st.rerun()


def _oidc() -> bool:
    return config.lire("AUTHENTIFICATION") == "oidc"


def _utilisateur_oidc_connecte() -> bool:
    return bool(getattr(st.user, "is_logged_in", False))


def _compte_oidc() -> Compte | None:
    """Authentification unique de l'État (si configurée) : le rôle vient du compte local."""
    if not (_oidc() and _utilisateur_oidc_connecte()):
        return None
    compte = compte_actif(curseur(), str(st.user.get("email", "")).lower())
    if compte is not None:
        connecter(compte)
    return compte
