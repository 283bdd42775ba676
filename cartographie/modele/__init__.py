"""Le modèle : la fiche d'un acteur déclarée une fois, ses référentiels, ses codecs."""

from cartographie.modele.acteur import (
    CHAMPS_SUIVIS,
    COLONNES_CSV,
    COLONNES_STOCKEES,
    LIBELLES_CHAMPS,
    Acteur,
)
from cartographie.modele.champs import SEPARATEUR_MULTI, Champ, champ, champs
from cartographie.modele.referentiels import (
    Accessibilite,
    Axe,
    Frais,
    Langue,
    ModeAccueil,
    ModeOrientation,
    Nature,
    Precision,
    Public,
    Referentiel,
    Statut,
    StatutSignalement,
    TypeActeur,
)

__all__ = [
    "CHAMPS_SUIVIS",
    "COLONNES_CSV",
    "COLONNES_STOCKEES",
    "LIBELLES_CHAMPS",
    "SEPARATEUR_MULTI",
    "Accessibilite",
    "Acteur",
    "Axe",
    "Champ",
    "Frais",
    "Langue",
    "ModeAccueil",
    "ModeOrientation",
    "Nature",
    "Precision",
    "Public",
    "Referentiel",
    "Statut",
    "StatutSignalement",
    "TypeActeur",
    "champ",
    "champs",
]
