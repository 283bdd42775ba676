"""Ce qu'une vue publique a le droit de savoir d'un acteur.

L'adresse d'un hébergement confidentiel peut mettre une femme en danger : toute vue publique
(carte, liste, export, fiche PDF) passe par `version_publique`, qui remplace l'adresse et la
position exacte par la commune. La position exacte ne quitte donc jamais le serveur.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import replace

from cartographie.modele import Acteur, Precision

MENTION_CONFIDENTIELLE = "Adresse confidentielle — joindre le 115 / la structure par téléphone"

# Décalage autour du point de la commune pour que plusieurs lieux confidentiels d'une même
# commune ne se recouvrent pas ; ~300 m, trop peu pour désigner une rue.
_RAYON_DECALAGE_DEGRES = 0.003


def version_publique(
    acteur: Acteur, lat_commune: float | None, lon_commune: float | None
) -> Acteur:
    """L'acteur tel qu'on peut le montrer au public ; inchangé s'il n'est pas confidentiel.

    Sans point de commune (commune sortie du référentiel), un lieu confidentiel n'a plus de
    position du tout : jamais sa position exacte.
    """
    if not acteur.adresse_confidentielle:
        return acteur
    latitude = longitude = None
    if lat_commune is not None and lon_commune is not None:
        angle = int(hashlib.sha256(acteur.id.encode()).hexdigest()[:8], 16) % 360
        latitude = round(lat_commune + _RAYON_DECALAGE_DEGRES * math.sin(math.radians(angle)), 5)
        longitude = round(lon_commune + _RAYON_DECALAGE_DEGRES * math.cos(math.radians(angle)), 5)
    return replace(
        acteur,
        adresse="",
        complement_adresse="",
        latitude=latitude,
        longitude=longitude,
        precision_localisation=Precision.COMMUNE,
    )


def adresse_lisible(acteur: Acteur) -> str:
    """L'adresse d'une fiche sur une ligne, ou la mention confidentielle avec sa commune."""
    if acteur.adresse_confidentielle:
        return f"{acteur.commune} — {MENTION_CONFIDENTIELLE}"
    parties = (acteur.adresse, acteur.complement_adresse, f"{acteur.code_postal} {acteur.commune}")
    return ", ".join(p.strip() for p in parties if p.strip())
