"""Les classes de distance des cartes de couverture : une déclaration pour la page et le bilan.

Couleurs : palette séquentielle jaune → rouge (ColorBrewer YlOrRd, lisible par les personnes
daltoniennes et en niveaux de gris), gris foncé pour « aucune ressource ».
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cartographie.couverture.calcul import MESURE, TableCouverture
from cartographie.couverture.synthese import AUCUNE_RESSOURCE, km
from cartographie.couverture.types_d_aide import Aide


@dataclass(frozen=True, slots=True)
class Classe:
    """Une classe de distance : jusqu'à `borne_km` incluse (None : aucune ressource)."""

    libelle: str
    couleur: str
    borne_km: float | None


CLASSES = (
    Classe("0 à 10 km (ou zone couverte)", "#ffffb2", 10),
    Classe("10 à 20 km", "#fecc5c", 20),
    Classe("20 à 30 km", "#fd8d3c", 30),
    Classe("plus de 30 km", "#e31a1c", math.inf),
    Classe(AUCUNE_RESSOURCE, "#636363", None),
)


def classe(distance_km: float | None) -> Classe:
    """La classe d'une distance (km, à vol d'oiseau) ; None ou NaN : aucune ressource."""
    if distance_km is None or math.isnan(distance_km):
        return CLASSES[-1]
    return next(c for c in CLASSES[:-1] if distance_km <= c.borne_km)


def valeurs_carte(table: TableCouverture, aide: Aide) -> dict[str, dict[str, str]]:
    """Par code INSEE : classe, distance lisible et population, pour colorer et survoler la carte.

    Pas de nom de fiche : la carte ne montre que le référentiel (noms de communes), le nom de la
    ressource la plus proche est dans les tableaux.
    """
    j = table.colonne(aide)
    valeurs = {}
    for i, commune in enumerate(table.communes):
        distance = float(table.distances[i, j])
        texte = km(None if math.isnan(distance) else distance)
        if table.par_zone[i, j]:
            texte += " (zone couverte)"
        elif not math.isnan(distance):
            texte += f" km ({MESURE})"
        valeurs[commune.code_insee] = {
            "classe": classe(distance).libelle,
            "distance": texte,
            "population": f"{commune.population:,}".replace(",", "\u202f"),
        }
    return valeurs
