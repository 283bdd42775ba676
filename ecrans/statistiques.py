"""Statistiques de consultation et indicateurs de l'objectif 22 (rôle statistiques ou admin)."""

from datetime import date

import streamlit as st

from cartographie import config, horloge
from cartographie.comptes import Role
from cartographie.consultations import statistiques as stats
from cartographie.consultations.conservation import purger
from ui import garde, graphiques
from ui.base import curseur
from ui.texte import litteral

compte = garde.exiger_role(Role.STATISTIQUES)
CLE_PURGE = "statistiques_purge"


def purger_maintenant() -> None:
    """Rappel du bouton : la purge de la durée de conservation, au nom d'un administrateur relu."""
    if garde.autoriser(Role.ADMINISTRATEUR) is None:
        return
    mois = config.lire_entier("CONSULTATIONS_CONSERVATION_MOIS")
    st.session_state[CLE_PURGE] = (
        f"Consultations conservées {mois} mois : {purger(curseur(), horloge.aujourd_hui(), mois)}."
    )


st.title("Statistiques de consultation")
st.caption(
    "Aucune donnée personnelle : ni adresse tapée, ni IP, ni compte. Les visites de l'équipe"
    " DDFE connectée ne sont pas comptées. Dans les tableaux et les exports, les nombres"
    " inférieurs à 5 sont remplacés par « < 5 »."
)
con = curseur()
aujourd_hui = horloge.aujourd_hui()

indicateurs, frequentation, recherches, fiches = st.tabs(
    ["Objectif 22", "Fréquentation", "Recherches", "Fiches"]
)

with indicateurs:
    annee = st.selectbox("Année", stats.annees_disponibles(con, aujourd_hui))
    st.header(f"Indicateurs de l'objectif 22 — {annee}")
    graphiques.tableau_et_export(
        f"Indicateurs {annee}",
        stats.tableau_indicateurs(stats.indicateurs_objectif_22(con, annee, aujourd_hui)),
        [],
        f"objectif22_indicateurs_{annee}.csv",
        cle="export_indicateurs",
    )
    st.caption(f"« {stats.MENTION_NON_MESURE} » : {stats.RAISON_NON_MESURE}.")

with st.sidebar:
    st.header("Période")
    bornes = st.date_input(
        "Du … au …", (date(aujourd_hui.year, 1, 1), aujourd_hui), format="DD/MM/YYYY"
    )
periode = stats.Periode(*bornes) if len(bornes) == 2 else stats.Periode(bornes[0], bornes[0])
suffixe = f"{periode.debut:%Y%m%d}_{periode.fin:%Y%m%d}"

with frequentation:
    pas = st.radio(
        "Regrouper par", ["jour", "semaine", "mois"], index=2, horizontal=True, key="pas"
    )
    tableau = stats.frequentation(con, periode, pas)
    st.altair_chart(graphiques.courbes_frequentation(tableau, pas), width="stretch")
    graphiques.tableau_et_export(
        "Fréquentation",
        tableau,
        ["Consultations", "Sessions", "Recherches"],
        f"frequentation_{pas}_{suffixe}.csv",
        cle="export_frequentation",
    )
    graphiques.tableau_et_export(
        "Événements par type",
        stats.evenements_par_type(con, periode),
        ["Nombre", "Sessions"],
        f"evenements_{suffixe}.csv",
        cle="export_evenements",
    )

with recherches:
    niveau = st.radio("Carte par", ["territoire", "commune"], horizontal=True, key="niveau")
    if niveau == "territoire":
        tableau = stats.recherches_par_territoire(con, periode)
        cle, nom = "territoire", "territoire"
    else:
        tableau = stats.recherches_par_commune(con, periode)
        cle, nom = "code_insee", "nom"
    comptes = stats.recherches_par_zone(con, periode, niveau)
    st.altair_chart(
        graphiques.choroplethe(stats.contours_des_zones(con, niveau), comptes, cle, nom),
        width="stretch",
    )
    graphiques.tableau_et_export(
        f"Recherches par {niveau}",
        tableau,
        ["Recherches"],
        f"recherches_{niveau}_{suffixe}.csv",
        cle="export_recherches",
    )
    st.header("Filtres les plus utilisés")
    filtres = stats.filtres_utilises(con, periode)
    graphique = graphiques.barres(filtres, "Valeur", "Recherches", groupe="Filtre")
    if graphique is not None:
        st.altair_chart(graphique, width="stretch")
    graphiques.tableau_et_export(
        "Filtres utilisés", filtres, ["Recherches"], f"filtres_{suffixe}.csv", cle="export_filtres"
    )

with fiches:
    st.header("Fiches consultées")
    consultees = stats.acteurs_consultes(con, periode)
    graphique = graphiques.barres(consultees, "Acteur", "Consultations")
    if graphique is not None:
        st.altair_chart(graphique, width="stretch")
    graphiques.tableau_et_export(
        "Fiches les plus consultées",
        consultees,
        ["Consultations"],
        f"fiches_consultees_{suffixe}.csv",
        cle="export_consultees",
    )
    graphiques.tableau_et_export(
        "Fiches consultées par type",
        stats.types_consultes(con, periode),
        ["Consultations"],
        f"types_consultes_{suffixe}.csv",
        cle="export_types_consultes",
    )
    st.header("Fiches imprimées ou téléchargées")
    graphiques.tableau_et_export(
        "Fiches imprimées",
        stats.fiches_imprimees(con, periode),
        ["Fiches"],
        f"fiches_imprimees_{suffixe}.csv",
        cle="export_impressions",
    )

if compte.peut(Role.ADMINISTRATEUR):
    # Le geste de `python -m cartographie consultations purger`, sans arrêter l'application.
    st.header("Conservation des consultations")
    mois = config.lire_entier("CONSULTATIONS_CONSERVATION_MOIS")
    st.caption(
        f"Les événements bruts sont gardés {mois} mois (réglage"
        " CARTOGRAPHIE_CONSULTATIONS_CONSERVATION_MOIS), puis ne subsistent qu'en comptes par"
        " jour. L'application purge à chaque démarrage ; ce bouton le fait maintenant."
    )
    st.button(
        "Purger les consultations anciennes",
        icon=":material/auto_delete:",
        key="purger_consultations",
        on_click=purger_maintenant,
    )
    resultat = st.session_state.pop(CLE_PURGE, None)
    if resultat:
        st.success(litteral(resultat))
