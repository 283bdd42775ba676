"""Tenir les fiches à jour : écritures et historique, formulaire, fraîcheur, positions, signalements.

`from cartographie import edition` donne le seul chemin d'écriture d'une fiche (`ecritures`) et
celui du formulaire de la DDFE (`formulaire`).
"""

from cartographie.edition.ecritures import (
    LIBELLES_CHAMPS,
    Action,
    ConflitEdition,
    ErreurEdition,
    Version,
    archiver,
    creer,
    fiche,
    fiches,
    historique,
    identifiant_libre,
    marquer_verifie,
    modifier,
    repositionner,
    restaurer,
    restaurer_version,
    texte_valeur,
)
from cartographie.edition.formulaire import enregistrer_formulaire

__all__ = [
    "LIBELLES_CHAMPS",
    "Action",
    "ConflitEdition",
    "ErreurEdition",
    "Version",
    "archiver",
    "creer",
    "enregistrer_formulaire",
    "fiche",
    "fiches",
    "historique",
    "identifiant_libre",
    "marquer_verifie",
    "modifier",
    "repositionner",
    "restaurer",
    "restaurer_version",
    "texte_valeur",
]
