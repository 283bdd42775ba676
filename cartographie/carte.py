"""Construction de la carte folium : couche des communes et marqueurs des acteurs."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path

import folium

from cartographie.modele import Acteur

CENTRE_ISERE = (45.26, 5.58)


def construire_carte(acteurs: Sequence[Acteur], chemin_communes: Path) -> folium.Map:
    """Carte de l'Isère avec le contour des communes et un marqueur par acteur localisé."""
    carte = folium.Map(location=CENTRE_ISERE, zoom_start=9, tiles=None)
    folium.GeoJson(
        json.loads(chemin_communes.read_text("utf-8")),
        name="Communes",
        style_function=lambda _: {"color": "#000091", "weight": 0.6, "fillOpacity": 0.03},
        tooltip=folium.GeoJsonTooltip(fields=["nom"], aliases=["Commune"]),
    ).add_to(carte)
    for acteur in acteurs:
        if acteur.latitude is None or acteur.longitude is None:
            continue
        folium.CircleMarker(
            location=(acteur.latitude, acteur.longitude),
            radius=6,
            color="#000091",
            fill=True,
            tooltip=folium.Tooltip(html.escape(acteur.nom)),
        ).add_to(carte)
    return carte
