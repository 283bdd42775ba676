"""Espace DDFE — connexion et déconnexion."""

import streamlit as st

from cartographie import config
from cartographie.comptes import ErreurConnexion, authentifier
from ui import garde
from ui.base import curseur
from ui.texte import litteral


def formulaire() -> None:
    """Le formulaire de connexion (comptes locaux, et l'authentification de l'État si configurée)."""
    if st.session_state.pop(garde.CLE_EXPIREE, False):
        st.warning("Votre session a expiré faute d'activité : reconnectez-vous.")
    st.write(
        "Réservé à l'équipe de la délégation départementale aux droits des femmes et aux"
        " personnes qu'elle a habilitées. L'annuaire reste consultable sans compte."
    )
    if config.lire("AUTHENTIFICATION") == "oidc":
        refus = st.session_state.get(garde.CLE_REFUS_ETAT)
        if refus and garde.utilisateur_etat_connecte():
            # Identifié·e par l'État, sans rôle ici : rien à faire que demander, ou changer de compte.
            st.warning(litteral(refus))
            st.button("Se déconnecter du compte de l'État", on_click=st.logout)
        else:
            st.button("Se connecter avec le compte de l'État", on_click=st.login)
    with st.form("connexion"):
        identifiant = st.text_input("Identifiant", autocomplete="username")
        mot_de_passe = st.text_input(
            "Mot de passe", type="password", autocomplete="current-password"
        )
        envoye = st.form_submit_button("Se connecter", type="primary")
    if envoye:
        try:
            compte = authentifier(
                curseur(), identifiant, mot_de_passe, session=garde.jeton_de_session()
            )
        except ErreurConnexion as erreur:
            st.error(str(erreur))
        else:
            garde.connecter(compte)
            st.rerun()


st.title("Espace DDFE — connexion")
compte = garde.compte_connecte()
if compte is None:
    formulaire()
else:
    st.success(f"Vous êtes connecté·e : {litteral(compte.libelle)} ({compte.role.libelle}).")
    st.write("Les pages de l'espace DDFE sont dans le menu, rubrique « Espace DDFE ».")
    # En rappel : voir garde.barre_compte (la redirection de st.logout ne doit pas se perdre).
    st.button(
        "Se déconnecter",
        key="deconnexion_page",
        icon=":material/logout:",
        on_click=garde.deconnecter,
    )
