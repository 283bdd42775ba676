"""« Signaler une erreur » sous une fiche publique : un petit formulaire, sans compte."""

from __future__ import annotations

import streamlit as st

from cartographie import config
from cartographie.edition.signalements import (
    SignalementRefuse,
    deposer,
    envois_recents,
    est_groupe,
    maintenant,
)
from cartographie.validation import LONGUEURS_MAX
from ui.base import curseur
from ui.texte import litteral

MENTION_CONTACT = (
    "Votre contact sert seulement à vous répondre ; il est effacé une fois le signalement traité."
)

# Heures d'envoi de cette session (navigateur) : la seule trace, jamais stockée en base.
CLE_ENVOIS = "signalements_envois"


def formulaire_signalement(acteur_id: str, *, ouvert: bool = False) -> None:
    """Un dépliant « Signaler une erreur » pour la fiche `acteur_id`, sous la page de la fiche.

    La liste des résultats n'en porte pas : un lien y mène (`ouvert`), vingt formulaires à
    chaque recherche coûtaient un quart du temps de la page.
    """
    with st.expander(
        "Signaler une erreur sur cette fiche", icon=":material/flag:", expanded=ouvert
    ):
        with st.form(f"signalement_{acteur_id}", clear_on_submit=True, border=False):
            probleme = st.text_area(
                "Qu'est-ce qui est faux ?",
                max_chars=LONGUEURS_MAX["probleme"],
                placeholder="Ex. : le numéro de téléphone ne répond plus.",
            )
            correction = st.text_area(
                "Information correcte (facultatif)", max_chars=LONGUEURS_MAX["correction"]
            )
            contact = st.text_input(
                "Vos coordonnées pour qu'on vous recontacte (facultatif)",
                max_chars=LONGUEURS_MAX["contact"],
                help="Seule l'équipe de la DDFE les voit. Aucun compte n'est nécessaire.",
            )
            st.caption(MENTION_CONTACT)
            envoye = st.form_submit_button("Envoyer le signalement")
        if envoye:
            quand = maintenant()
            envois = envois_recents(st.session_state.get(CLE_ENVOIS, []), quand)
            try:
                numero = deposer(
                    curseur(),
                    acteur_id,
                    probleme,
                    correction,
                    contact,
                    envois_session=envois,
                    limite_session=config.lire_entier("SIGNALEMENTS_PAR_SESSION"),
                    limite_acteur=config.lire_entier("SIGNALEMENTS_PAR_ACTEUR"),
                    limite_groupes=config.lire_entier("SIGNALEMENTS_GROUPES_PAR_HEURE"),
                    quand=quand,
                )
            except SignalementRefuse as refus:
                st.error(litteral(str(refus)))
                return
            st.session_state[CLE_ENVOIS] = [*envois, quand]
            st.success(
                f"Merci : signalement n° {numero} transmis à la DDFE, qui vérifiera la fiche."
            )
            if est_groupe(curseur(), numero):
                st.info(
                    "Cette fiche a reçu beaucoup de signalements dans l'heure : le vôtre est"
                    " enregistré avec eux, et la DDFE les examinera ensemble."
                )
