"""Graphiques et tableaux de la page de statistiques : écrits une fois, petits nombres masqués.

Tout ce qui est montré sous forme de tableau ou exporté passe par `masquer_tableau`. Les
graphiques par commune, territoire, filtre ou acteur ne dessinent pas les valeurs sous le seuil ;
seules les courbes de fréquentation (pages vues, sans aucun attribut) les tracent telles quelles.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from cartographie.consultations.statistiques import (
    SEUIL_MASQUAGE,
    Lignes,
    en_csv,
    masquer,
    masquer_tableau,
)
from cartographie.couverture.calcul import MESURE
from cartographie.couverture.classes import CLASSES

_BLEU = "#000091"


def tableau_et_export(
    titre: str, tableau: Lignes, comptes: list[str], fichier: str, *, cle: str
) -> None:
    """Le tableau (comptes masqués sous 5) et son bouton d'export CSV, identique à l'écran."""
    publiable = masquer_tableau(tableau, comptes)
    if not publiable:
        st.info(f"{titre} : aucune donnée sur la période.")
        return
    st.dataframe(publiable, hide_index=True, width="stretch")
    st.download_button(
        f"Exporter « {titre} » (CSV)",
        en_csv(publiable).encode("utf-8-sig"),
        file_name=fichier,
        mime="text/csv",
        key=cle,
        icon=":material/download:",
    )


def courbes_frequentation(tableau: Lignes, pas_libelle: str) -> alt.Chart:
    """Consultations, sessions et recherches au fil du temps."""
    donnees = pd.DataFrame(tableau).melt("Période", var_name="Mesure", value_name="Nombre")
    return (
        alt.Chart(donnees)
        .mark_line(point=True)
        .encode(
            x=alt.X("Période:T", title=pas_libelle),
            y=alt.Y("Nombre:Q", title="Nombre"),
            color=alt.Color("Mesure:N", title=None),
            tooltip=["Période:T", "Mesure:N", "Nombre:Q"],
        )
    )


def barres(
    tableau: Lignes, categorie: str, valeur: str, groupe: str | None = None
) -> alt.Chart | None:
    """Barres horizontales des valeurs au-dessus du seuil ; None s'il n'en reste aucune."""
    lignes = [ligne for ligne in tableau if int(ligne[valeur]) >= SEUIL_MASQUAGE]
    if not lignes:
        return None
    couleur = alt.value(_BLEU) if groupe is None else alt.Color(f"{groupe}:N", title=None)
    return (
        alt.Chart(pd.DataFrame(lignes))
        .mark_bar()
        .encode(
            x=alt.X(f"{valeur}:Q", title=valeur),
            y=alt.Y(f"{categorie}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
            color=couleur,
            tooltip=[*([f"{groupe}:N"] if groupe else []), f"{categorie}:N", f"{valeur}:Q"],
        )
    )


def choroplethe(contours: dict, comptes: dict[str, int], cle: str, nom: str) -> alt.LayerChart:
    """Carte des recherches : zones en gris sous le seuil, en bleu d'autant plus foncé au-dessus.

    Les contours sont dans la page (aucune tuile à télécharger) : la carte marche hors ligne.
    """
    entites = []
    for f in contours["features"]:
        n = comptes.get(f["properties"][cle], 0)
        proprietes = {
            **f["properties"],
            "recherches": n if n >= SEUIL_MASQUAGE else None,
            "affiche": masquer(n),
        }
        entites.append({**f, "properties": proprietes})
    donnees = alt.Data(values=entites)
    info = [
        alt.Tooltip(f"properties.{nom}:N", title="Zone"),
        alt.Tooltip("properties.affiche:N", title="Recherches"),
    ]
    fond = (
        alt.Chart(donnees)
        .mark_geoshape(fill="#eeeeee", stroke="white", strokeWidth=0.5)
        .encode(tooltip=info)
    )
    remplie = (
        alt.Chart(donnees)
        .mark_geoshape(stroke="white", strokeWidth=0.5)
        .encode(
            color=alt.Color(
                "properties.recherches:Q",
                title="Recherches",
                scale=alt.Scale(scheme="blues"),
            ),
            tooltip=info,
        )
        .transform_filter("datum.properties.recherches != null")
    )
    return (fond + remplie).project("mercator").properties(height=520)


def carte_couverture(contours: dict, valeurs: dict[str, dict[str, str]]) -> alt.LayerChart:
    """Communes colorées par classe de distance à l'aide la plus proche (hors ligne, sans tuiles).

    `valeurs` : par code INSEE, la classe, la distance lisible et la population
    (`cartographie.couverture.classes.valeurs_carte`).
    """
    entites = [
        {**f, "properties": {**f["properties"], **valeurs.get(f["properties"]["code_insee"], {})}}
        for f in contours["features"]
    ]
    # Données en dict simple : `alt.Data(values=…)` valide chaque entité (~1,5 s pour 512).
    return (
        alt.Chart({"values": entites})
        .mark_geoshape(stroke="white", strokeWidth=0.4)
        .encode(
            color=alt.Color(
                "properties.classe:N",
                title=f"Distance ({MESURE})",
                scale=alt.Scale(
                    domain=[c.libelle for c in CLASSES], range=[c.couleur for c in CLASSES]
                ),
                legend=alt.Legend(orient="bottom", columns=3, labelLimit=260),
            ),
            tooltip=[
                alt.Tooltip("properties.nom:N", title="Commune"),
                alt.Tooltip("properties.distance:N", title="Distance"),
                alt.Tooltip("properties.population:N", title="Habitants"),
            ],
        )
        .project("mercator")
        .properties(height=560)
    )
