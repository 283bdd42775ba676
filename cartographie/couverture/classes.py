"""Les classes de distance des cartes de couverture : une déclaration pour la page et le bilan.

Couleurs : palette séquentielle jaune → rouge (ColorBrewer YlOrRd, lisible par les personnes
daltoniennes et en niveaux de gris), gris foncé pour « aucune ressource ».
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cartographie.couverture.synthese import AUCUNE_RESSOURCE


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
