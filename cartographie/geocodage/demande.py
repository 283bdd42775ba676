"""Ce qu'on demande au géocodage (un lieu décrit) et ce qu'il rend (une position qualifiée)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cartographie.modele import Precision

Progression = Callable[[int, int], None]
"""Rappel `(faits, total)` d'un traitement par lot : barre de progression, ligne de commande."""


@dataclass(frozen=True, slots=True)
class Demande:
    """Ce qu'on sait d'un lieu : adresse, commune, code postal, éventuellement coordonnées."""

    adresse: str = ""
    code_postal: str = ""
    commune: str = ""
    code_insee: str = ""
    latitude: float | None = None
    longitude: float | None = None
    confidentielle: bool = False
    """Adresse d'un lieu confidentiel : jamais envoyée à un service extérieur."""


@dataclass(frozen=True, slots=True)
class Position:
    """Le résultat : un point (ou aucun), sa précision, d'où il vient et pourquoi."""

    latitude: float | None
    longitude: float | None
    precision: Precision
    source: str
    code_insee: str = ""
    commune: str = ""
    libelle: str = ""
    message: str = ""

    @property
    def localisee(self) -> bool:
        """Vrai si la position a des coordonnées."""
        return self.latitude is not None and self.longitude is not None
