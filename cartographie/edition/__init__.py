"""Tenir les fiches à jour : écritures et historique, fraîcheur, positions, signalements.

`from cartographie import edition` donne le seul chemin d'écriture des fiches (`ecritures`).
"""

from cartographie.edition.ecritures import (
    LIBELLES_CHAMPS,
    Action,
    ConflitEdition,
    ErreurEdition,
    Version,
    acteur_depuis_formulaire,
    archiver,
    creer,
    enregistrer_formulaire,
    fiche,
    fiches,
    historique,
    identifiant_libre,
    importer,
    localiser,
    marquer_verifie,
    modifier,
    repositionner,
    restaurer,
    restaurer_version,
    texte_valeur,
)

__all__ = [
    "LIBELLES_CHAMPS",
    "Action",
    "ConflitEdition",
    "ErreurEdition",
    "Version",
    "acteur_depuis_formulaire",
    "archiver",
    "creer",
    "enregistrer_formulaire",
    "fiche",
    "fiches",
    "historique",
    "identifiant_libre",
    "importer",
    "localiser",
    "marquer_verifie",
    "modifier",
    "repositionner",
    "restaurer",
    "restaurer_version",
    "texte_valeur",
]
