"""Le rapport de qualité des fiches à l'écran : tableaux en français, parts en pour cent."""

from __future__ import annotations

import streamlit as st

from cartographie.edition.qualite import RapportQualite, pour_cent


def afficher(rapport: RapportQualite) -> None:
    """Les indicateurs par nature, type et territoire, puis les formes d'aide qui manquent."""
    st.dataframe(
        [
            {
                "Groupe": ligne.groupe,
                "": ligne.valeur,
                "Fiches": ligne.fiches,
                "Contact direct": pour_cent(ligne.contact_direct, ligne.fiches),
                "Horaires structurés": pour_cent(ligne.horaires_structures, ligne.fiches),
                "Placées à l'adresse": pour_cent(ligne.a_l_adresse, ligne.fiches),
                "Source de moins de 24 mois": pour_cent(ligne.source_recente, ligne.fiches),
                "Vérifiées (12 mois)": pour_cent(ligne.verifiees, ligne.fiches),
            }
            for ligne in rapport.lignes
        ],
        hide_index=True,
    )
    st.caption(
        "Contact direct : téléphone ou courriel du service lui-même. Horaires structurés : au"
        " format OpenStreetMap (sinon en précisions). Source de moins de 24 mois : la page la"
        " plus récente qui donne les coordonnées. Vérifiées : « Marquer comme vérifiée »."
    )
    st.subheader("Formes d'aide sans ressource dans le territoire", anchor=False)
    st.dataframe(
        [
            {
                "Territoire": territoire,
                "Aucune ressource (ni service qui le couvre) pour": ", ".join(
                    a.libelle for a in aides
                )
                or "—",
            }
            for territoire, aides in rapport.manques.items()
        ],
        hide_index=True,
    )
