"""Une version d'une fiche : son état en JSON, les différences entre deux versions.

Les champs suivis et leur forme JSON viennent de la déclaration de la fiche (`suivi=True`, codec
du champ) : un champ ajouté à la déclaration entre dans l'historique sans autre changement.
"""

from __future__ import annotations

from collections.abc import Mapping

from cartographie.modele import Acteur
from cartographie.modele.champs import Valeur, colonnes, depuis_json, vers_json


def etat(fiche: object) -> dict[str, Valeur]:
    """Les champs suivis d'une fiche en valeurs JSON (codes des référentiels, dates ISO)."""
    return vers_json(fiche, colonnes(type(fiche), "suivi"))


def acteur_depuis_etat(
    valeurs: Mapping[str, Valeur], version: int, classe: type = Acteur
) -> Acteur:
    """L'inverse de `etat` ; le territoire reste vide (il se relit par jointure).

    Un champ absent d'un état ancien (ajouté depuis à la déclaration) prend sa valeur par défaut.
    """
    return classe(**depuis_json(classe, valeurs), version=version)


def differences(
    avant: Mapping[str, Valeur] | None, apres: Mapping[str, Valeur]
) -> dict[str, tuple[Valeur, Valeur]]:
    """Champ → (avant, après) pour chaque champ qui change ; tout est nouveau si `avant` est None."""
    return {
        champ: (None if avant is None else avant.get(champ), valeur)
        for champ, valeur in apres.items()
        if avant is None or avant.get(champ) != valeur
    }


def texte_valeur(valeur: Valeur) -> str:
    """Une valeur de l'historique en texte lisible (oui/non, listes séparées par des virgules)."""
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, list):
        return ", ".join(valeur)
    return str(valeur)
