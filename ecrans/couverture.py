"""Espace DDFE — couverture du territoire : où les femmes sont loin de l'aide, et où ouvrir."""

from datetime import date

import streamlit as st

from cartographie import config, horloge
from cartographie.comptes import Role
from cartographie.consultations import statistiques as stats
from cartographie.couverture import export as export_couverture
from cartographie.couverture import normes
from cartographie.couverture.calcul import MESURE, MESURE_DETAIL, couverture_de_la_base
from cartographie.couverture.classes import valeurs_carte
from cartographie.couverture.rapport import bilan_pdf, bilan_xlsx, nom_fichier, preparer_bilan
from cartographie.couverture.simulation import simuler
from cartographie.couverture.synthese import (
    SEUIL_ZONE_BLANCHE_KM,
    aides_sans_ressource,
    km,
    synthese,
    tableau_synthese,
    tableau_zones_blanches,
    zones_blanches,
)
from cartographie.couverture.types_d_aide import Aide
from ui import garde, graphiques
from ui.base import curseur
from ui.texte import litteral

ROLES = (Role.EDITEUR, Role.STATISTIQUES)
compte = garde.exiger_role(*ROLES)
# Les bilans se téléchargent sans relancer la page : c'est elle qui se relance à l'expiration.
garde.relancer_a_l_expiration(*ROLES)
chemin_communes = config.lire_chemin("COMMUNES_GEOJSON")
con = curseur()
table = couverture_de_la_base(con, chemin_communes)
lignes_synthese = synthese(table)

st.title("Couverture du territoire")
st.caption(
    f"Pour chaque commune, la ressource active la plus proche de chaque aide : {MESURE_DETAIL}."
    " Une commune comprise dans la zone couverte déclarée par une ressource est à 0 km."
    " Positions publiques partout : un hébergement confidentiel est compté au centre de sa"
    " commune. Populations : recensement INSEE (référentiel des communes)."
)
for aide in aides_sans_ressource(table):
    st.warning(
        f"Aucune ressource active « {aide.libelle} » : tout le département est en zone blanche"
        " pour cette aide."
    )
if table.ecartees:
    with st.expander(f"{len(table.ecartees)} fiche(s) ou code(s) de zone non pris en compte"):
        st.dataframe(
            [{"Fiche": e.id, "Nom": e.nom, "Raison": e.raison} for e in table.ecartees],
            hide_index=True,
        )


def choisir_aide(cle: str) -> Aide:
    """La liste des aides, dans l'ordre du protocole."""
    return st.selectbox("Aide", list(Aide), format_func=lambda a: a.libelle, key=cle)


onglets = st.tabs(["Carte", "Territoires", "Zones blanches", "Et si…", "Normes", "Bilan annuel"])
carte, territoires, blanches, simulation, onglet_normes, bilan = onglets

with carte:
    aide = choisir_aide("aide_carte")
    st.altair_chart(
        graphiques.carte_couverture(
            stats.contours_des_zones(con, "commune"), valeurs_carte(table, aide)
        ),
        width="stretch",
    )
    st.caption("Couleur d'une commune : distance depuis son point représentatif.")
    st.dataframe(
        [ligne for ligne in tableau_synthese(lignes_synthese) if ligne["Aide"] == aide.libelle],
        hide_index=True,
        width="stretch",
    )

with territoires:
    st.subheader("Par territoire et pour le département")
    graphiques.tableau_et_export(
        "Couverture par territoire",
        tableau_synthese(lignes_synthese),
        [],
        f"couverture_territoires_{horloge.aujourd_hui().isoformat()}.csv",
        cle="export_couverture_territoires",
    )
    st.download_button(
        "Exporter la table par commune (CSV)",
        export_couverture.en_csv_tableur(table),
        file_name=f"couverture_communes_{horloge.aujourd_hui().isoformat()}.csv",
        mime="text/csv",
        key="export_couverture_communes",
        icon=":material/download:",
        on_click="ignore",
    )
    st.caption(
        f"Une ligne par commune et par aide : distance en km ({MESURE}), ressource la plus"
        " proche, zone couverte. Même table que `python -m cartographie couverture`."
    )

with blanches:
    zones = zones_blanches(table)
    st.subheader(f"Communes à plus de {SEUIL_ZONE_BLANCHE_KM} km ({MESURE})")
    st.caption(
        "Une ligne par commune et par aide, la population concernée la plus grande d'abord."
        " « aucune ressource » : aucune fiche active de cette aide dans tout le département."
    )
    graphiques.tableau_et_export(
        "Zones blanches",
        tableau_zones_blanches(zones),
        [],
        f"zones_blanches_{horloge.aujourd_hui().isoformat()}.csv",
        cle="export_zones_blanches",
    )

with simulation:
    st.subheader("Et si une ressource ouvrait ici ?")
    st.caption(
        "La nouvelle ressource est placée au centre de la commune choisie. Calcul en mémoire :"
        " rien n'est enregistré, aucune fiche n'est créée."
    )
    colonne_commune, colonne_aide = st.columns(2)
    with colonne_commune:
        commune = st.selectbox(
            "Commune",
            table.communes,
            index=None,
            format_func=lambda c: f"{c.libelle} — {c.territoire}",
            placeholder="Choisir une commune",
            key="simulation_commune",
        )
    with colonne_aide:
        aide_simulee = choisir_aide("simulation_aide")
    if commune is not None:
        resultat = simuler(table, commune.code_insee, aide_simulee)
        c1, c2, c3 = st.columns(3)
        for colonne, seuil in ((c1, 20), (c2, 30)):
            colonne.metric(
                f"Habitants qui passeraient à moins de {seuil} km",
                f"{resultat.gagnants[seuil]:,}".replace(",", "\u202f"),
            )
        c3.metric("Communes dont ce serait la plus proche", resultat.rapprochees)
        avant, apres = resultat.p90_territoire
        st.metric(
            litteral(f"90 % des habitants de « {commune.territoire} » à moins de (km, {MESURE})"),
            km(apres),
            delta=None if avant is None or apres is None else round(apres - avant, 1),
            delta_color="inverse",
            help=f"Aujourd'hui : {km(avant)} km.",
        )
        st.dataframe(
            [
                {
                    "Mesure (km, à vol d'oiseau)": libelle,
                    "Aujourd'hui": km(avant),
                    "Avec la nouvelle ressource": km(apres),
                }
                for libelle, (avant, apres) in (
                    (f"Médiane — {commune.territoire}", resultat.mediane_territoire),
                    (f"90e centile — {commune.territoire}", resultat.p90_territoire),
                    ("90e centile — département", resultat.p90_departement),
                )
            ],
            hide_index=True,
        )

with onglet_normes:
    st.subheader("Normes minimales du Conseil de l'Europe")
    st.dataframe(normes.tableau_normes(normes.comparer(table)), hide_index=True, width="stretch")
    st.markdown("**Sources**")
    for source in normes.SOURCES:
        st.markdown(
            f"- « {source.titre} », {source.auteur}, {source.annee}. Lu : {source.lu}."
            f" [{source.url}]({source.url})"
        )
    st.caption(
        "Ce qui ne peut pas être calculé est dit comme tel : aucun chiffre n'est estimé à la"
        " place d'une donnée manquante."
    )

with bilan:
    st.subheader("Bilan annuel de l'objectif 22")
    st.caption(
        "Un PDF et un classeur XLSX : indicateurs de consultation (nombres inférieurs à 5"
        " écrits « < 5 »), qualité des fiches, couverture par territoire avec ses cartes, zones"
        " blanches et normes. Produits au clic, datés, pour la période choisie."
    )
    aujourd_hui = horloge.aujourd_hui()
    bornes = st.date_input(
        "Période du … au …",
        (date(aujourd_hui.year, 1, 1), date(aujourd_hui.year, 12, 31)),
        format="DD/MM/YYYY",
        key="bilan_periode",
    )
    if len(bornes) != 2:
        st.info("Choisissez la date de fin de la période.")
    else:
        periode = stats.Periode(*bornes)

        def produire(fabrique, periode=periode):
            return fabrique(
                preparer_bilan(curseur(), periode, horloge.maintenant(), chemin_communes)
            )

        for fabrique, extension, mime, titre in (
            (bilan_pdf, "pdf", "application/pdf", "Télécharger le bilan (PDF)"),
            (
                bilan_xlsx,
                "xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "Télécharger le bilan (classeur XLSX)",
            ),
        ):
            st.download_button(
                titre,
                garde.telechargement_reserve(
                    compte, lambda fabrique=fabrique: produire(fabrique), *ROLES
                ),
                file_name=nom_fichier(periode, extension),
                mime=mime,
                key=f"bilan_{extension}",
                icon=":material/download:",
                on_click="ignore",
            )
        st.caption(litteral(f"Période : du {periode.debut:%d/%m/%Y} au {periode.fin:%d/%m/%Y}."))
