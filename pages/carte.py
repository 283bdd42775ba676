"""Carte des acteurs (premier écran, étendu par la recherche)."""

import streamlit as st
from streamlit_folium import st_folium

from cartographie import config
from cartographie.annuaire import acteurs_publics
from cartographie.carte import construire_carte
from ui.base import curseur

st.title("Carte des acteurs en Isère")
acteurs = acteurs_publics(curseur())
st.caption(f"{len(acteurs)} acteurs")
carte = construire_carte(acteurs, config.lire_chemin("COMMUNES_GEOJSON"))
st_folium(carte, use_container_width=True, height=600, returned_objects=[])
st.dataframe(
    [
        {
            "Nom": a.nom,
            "Type": a.type.libelle,
            "Commune": a.commune,
            "Téléphone": a.telephone,
            "Position": a.precision_localisation.libelle,
        }
        for a in acteurs
    ],
    hide_index=True,
)
