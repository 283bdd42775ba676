"""La zone qu'un service couvre (`zone_eligibilite`) : une seule règle pour la recherche et pour
l'analyse de la couverture du territoire.

Une zone est une liste de codes officiels : `38` (tout le département), le code INSEE d'une
commune, le SIREN d'une intercommunalité (EPCI). Un service qui couvre une zone sans avoir de lieu
à lui (pas d'adresse publique : le 115, les places d'hébergement d'urgence du département) n'est
pas un point sur la carte : la distance jusqu'à lui ne voudrait rien dire.
"""

from __future__ import annotations

from collections.abc import Sequence

from cartographie.communes import Commune
from cartographie.modele import Acteur
from cartographie.validation import DEPARTEMENT


def couvre(zone: tuple[str, ...], commune: Commune) -> bool:
    """Vrai si la zone contient la commune (département, commune, ou son intercommunalité)."""
    return any(code in (DEPARTEMENT, commune.code_insee, commune.epci_code) for code in zone)


def sans_lieu(acteur: Acteur) -> bool:
    """Un service de zone sans adresse publique : listé pour les communes qu'il couvre, sans
    point ni distance. (L'adresse d'un lieu confidentiel n'est jamais publique.)"""
    return bool(acteur.zone_eligibilite) and (
        acteur.adresse_confidentielle or not acteur.adresse.strip()
    )


def zone_lisible(zone: tuple[str, ...], communes: Sequence[Commune]) -> str:
    """La zone en noms : « Tout le département », « CA du Pays Voironnais », « Voiron »…"""
    if DEPARTEMENT in zone:
        return "Tout le département de l'Isère"
    par_code = {c.code_insee: c.nom for c in communes}
    epci = {c.epci_code: c.epci_nom for c in communes}
    noms = [par_code.get(code) or epci.get(code) or code for code in zone]
    return ", ".join(noms)
