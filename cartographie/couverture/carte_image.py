"""La carte d'une aide en image PNG, pour le bilan annuel (PDF et classeur).

Dessinée avec Pillow depuis le référentiel des communes projeté en Lambert-93 (EPSG:2154, la
projection officielle de la métropole : formes et proportions justes), sans fond de carte ni
réseau. Communes colorées par classe de distance (`classes`), contours des territoires en gris.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import shapely
from PIL import Image, ImageDraw, ImageFont
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from cartographie.communes import communes_geodataframe
from cartographie.couverture.calcul import MESURE, TableCouverture
from cartographie.couverture.classes import CLASSES, classe
from cartographie.couverture.types_d_aide import Aide

_POLICES = Path(__file__).resolve().parents[1] / "polices"
_SIMPLIFICATION_M = 80  # contours allégés : invisible à cette échelle, dessin plus rapide
_MARGE = 16
_LEGENDE = 150  # hauteur réservée au titre et à la légende (px, à la largeur de 900)


@lru_cache(maxsize=4)
def _fond(chemin_communes: str) -> tuple[gpd.GeoDataFrame, gpd.GeoSeries]:
    """Communes (les plus grandes d'abord : une commune enclavée se dessine par-dessus) et
    contours des territoires, en Lambert-93."""
    communes = communes_geodataframe(chemin_communes).to_crs(2154)
    # Limites des territoires fusionnées avant d'alléger : sinon les petits écarts entre
    # communes simplifiées dessinent des traits parasites à l'intérieur d'un territoire.
    territoires = communes.dissolve(by="territoire").geometry.boundary.simplify(_SIMPLIFICATION_M)
    communes["geometry"] = communes.geometry.simplify(_SIMPLIFICATION_M)
    communes = communes.assign(aire=communes.geometry.area).sort_values("aire", ascending=False)
    return communes, territoires


def _police(taille: int, gras: bool = False) -> ImageFont.FreeTypeFont:
    nom = "DejaVuSans-Bold.ttf" if gras else "DejaVuSans.ttf"
    return ImageFont.truetype(str(_POLICES / nom), taille)


def _polygones(geometrie: BaseGeometry) -> list[Polygon]:
    if isinstance(geometrie, Polygon):
        return [geometrie]
    if isinstance(geometrie, MultiPolygon):
        return list(geometrie.geoms)
    return []


def carte_png(
    table: TableCouverture, aide: Aide, chemin_communes: Path | str, largeur: int = 900
) -> bytes:
    """La carte des communes pour une aide : PNG de `largeur` pixels, titre et légende compris."""
    communes, territoires = _fond(str(chemin_communes))
    xmin, ymin, xmax, ymax = communes.total_bounds
    echelle = (largeur - 2 * _MARGE) / (xmax - xmin)
    hauteur_carte = math.ceil((ymax - ymin) * echelle)
    haut = 56
    image = Image.new("RGB", (largeur, haut + hauteur_carte + _LEGENDE), "white")
    dessin = ImageDraw.Draw(image)

    def pixels(geometrie: BaseGeometry) -> list[tuple[float, float]]:
        xy = shapely.get_coordinates(geometrie)
        return list(
            zip(
                (_MARGE + (xy[:, 0] - xmin) * echelle).tolist(),
                (haut + (ymax - xy[:, 1]) * echelle).tolist(),
                strict=True,
            )
        )

    j = table.colonne(aide)
    couleurs = {
        c.code_insee: classe(float(table.distances[i, j])).couleur
        for i, c in enumerate(table.communes)
    }
    for code, geometrie in zip(communes["code_insee"], communes.geometry, strict=True):
        for polygone in _polygones(geometrie):
            dessin.polygon(
                pixels(polygone.exterior),
                fill=couleurs.get(code, "#ffffff"),
                outline="#ffffff",
            )
    for limite in territoires:
        lignes = getattr(limite, "geoms", [limite])
        for ligne in lignes:
            dessin.line(pixels(ligne), fill="#555555", width=2)

    dessin.text((_MARGE, 8), aide.libelle, fill="black", font=_police(22, gras=True))
    dessin.text(
        (_MARGE, 34),
        f"Distance {MESURE} à la ressource la plus proche, depuis le centre de chaque commune",
        fill="#333333",
        font=_police(14),
    )
    y = haut + hauteur_carte + 12
    police = _police(15)
    for rang, c in enumerate(CLASSES):
        x = _MARGE + (rang % 3) * (largeur - 2 * _MARGE) // 3
        ligne_y = y + (rang // 3) * 30
        dessin.rectangle((x, ligne_y, x + 22, ligne_y + 18), fill=c.couleur, outline="#999999")
        dessin.text((x + 30, ligne_y), c.libelle, fill="black", font=police)
    dessin.text(
        (_MARGE, y + 72),
        "Traits gris : limites des territoires. Contours : IGN Admin Express ; population : INSEE.",
        fill="#333333",
        font=_police(13),
    )
    sortie = io.BytesIO()
    # En palette : quelques couleurs, un fichier trois fois plus léger, encodé bien plus vite.
    image.quantize(colors=64, method=Image.Quantize.FASTOCTREE).save(sortie, format="PNG")
    return sortie.getvalue()
