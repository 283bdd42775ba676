"""File des signalements d'erreur envoyés par le public, traitée par la DDFE."""

import streamlit as st

from cartographie import edition
from cartographie.affichage import horodatage
from cartographie.comptes import Role
from cartographie.edition.signalements import (
    SignalementRefuse,
    file_ddfe,
    marquer_traite,
    rouvrir,
    traiter_groupes,
)
from cartographie.modele import StatutSignalement
from cartographie.validation import LONGUEURS_MAX
from ui.base import curseur
from ui.garde import exiger_role
from ui.texte import litteral

compte = exiger_role(Role.EDITEUR, Role.ADMINISTRATEUR)

st.title("Signalements d'erreur")
st.caption(
    "Envoyés depuis l'annuaire public, sans compte. Vérifiez la fiche, corrigez-la si besoin, "
    "puis marquez le signalement comme traité."
)
OUVERT, GROUPE, TRAITE = (
    StatutSignalement.OUVERT,
    StatutSignalement.GROUPE,
    StatutSignalement.TRAITE,
)
choix = {OUVERT: "À traiter", GROUPE: "Groupés", TRAITE: "Traités", "tous": "Tous"}
statut = st.segmented_control(
    "Afficher", list(choix), format_func=lambda s: choix[s], default=OUVERT
)
signalements = file_ddfe(curseur(), statut=None if statut in (None, "tous") else statut)
st.write(f"{len(signalements)} signalement(s).")
groupes = signalements if statut == GROUPE else file_ddfe(curseur(), statut=GROUPE)
if groupes and statut != GROUPE:
    st.info(
        f"{len(groupes)} signalement(s) groupé(s) : au-delà de quelques signalements par heure"
        " sur une même fiche (souvent un envoi automatique), ils sont gardés à part pour ne pas"
        " noyer la file. Voir « Groupés »."
    )

if statut == GROUPE:
    # Un déluge s'examine fiche par fiche, en bloc ; chaque texte reste lisible.
    par_fiche: dict[str, list] = {}
    for s in groupes:
        par_fiche.setdefault(s.acteur_id, []).append(s)
    for acteur_id, liste in par_fiche.items():
        with st.container(border=True):
            st.text(
                f"Fiche : {liste[0].acteur_nom or '(fiche supprimée)'} [{acteur_id}] —"
                f" {len(liste)} signalement(s) groupé(s), du {horodatage(liste[0].depose_le)}"
                f" au {horodatage(liste[-1].depose_le)}"
            )
            with st.expander("Lire les signalements groupés"):
                for s in liste:
                    st.text(f"n° {s.numero} — {horodatage(s.depose_le)} : {s.probleme}")
                    if s.correction:
                        st.text(f"Correction proposée : {s.correction}")
                    if s.contact:
                        st.text(f"Contact : {s.contact}")
            if st.button(
                f"Marquer ces {len(liste)} signalements comme traités",
                key=f"traiter_groupes_{acteur_id}",
                icon=":material/done_all:",
            ):
                traiter_groupes(curseur(), acteur_id, compte.identifiant)
                st.rerun()
    signalements = []

for s in signalements:
    with st.container(border=True):
        entete = f"n° {s.numero} — {horodatage(s.depose_le)} — {s.statut.libelle}"
        st.text(entete)
        st.text(f"Fiche : {s.acteur_nom or '(fiche supprimée)'} [{s.acteur_id}]")
        st.text("Ce qui est faux :")
        st.text(s.probleme)
        if s.correction:
            st.text("Correction proposée :")
            st.text(s.correction)
        if s.contact:
            st.text(f"Contact : {s.contact}")
        acteur = edition.fiche(curseur(), s.acteur_id)
        if acteur is not None and st.button(
            "Ouvrir la fiche pour la corriger", key=f"ouvrir_{s.numero}", icon=":material/edit:"
        ):
            # Clés des filtres et du choix de la page « Fiches des acteurs » : la fiche s'y ouvre,
            # visible quel que soit son statut.
            st.session_state.update(
                {"fiche_recherche": "", "fiche_statut": "Toutes", "fiche_choisie": s.acteur_id}
            )
            st.switch_page("ecrans/acteurs_edition.py")
        if acteur is not None:
            with st.expander("Fiche actuelle"):
                st.dataframe(
                    [
                        {"Champ": "Nom", "Valeur": acteur.nom},
                        {"Champ": "Type", "Valeur": acteur.type.libelle},
                        {"Champ": "Adresse", "Valeur": acteur.adresse},
                        {"Champ": "Commune", "Valeur": acteur.commune},
                        {"Champ": "Téléphone", "Valeur": acteur.telephone},
                        {"Champ": "Courriel", "Valeur": acteur.courriel},
                        {"Champ": "Site web", "Valeur": acteur.site_web},
                        {"Champ": "Horaires", "Valeur": acteur.horaires_accueil},
                        {"Champ": "Version", "Valeur": str(acteur.version)},
                    ],
                    hide_index=True,
                )
        if s.statut is not TRAITE:
            with st.form(f"traiter_{s.numero}", border=False):
                note = st.text_input(
                    "Note interne (facultatif)",
                    key=f"note_{s.numero}",
                    max_chars=LONGUEURS_MAX["note"],
                )
                if st.form_submit_button("Marquer comme traité", icon=":material/done:"):
                    try:
                        marquer_traite(curseur(), s.numero, compte.identifiant, note)
                    except SignalementRefuse as refus:
                        st.error(litteral(str(refus)))
                    else:
                        st.rerun()
        else:
            st.text(f"Traité le {horodatage(s.traite_le)} par {s.traite_par}. {s.note}")
            if st.button("Remettre à traiter", key=f"rouvrir_{s.numero}"):
                rouvrir(curseur(), s.numero)
                st.rerun()
