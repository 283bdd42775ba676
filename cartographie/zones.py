"""La zone qu'un service couvre (`zone_eligibilite`) : une seule règle pour la validation, la
recherche et l'analyse de la couverture du territoire.

Une zone est une liste de codes officiels : `38` (tout le département), le code INSEE d'une
commune (un code de 2018 fusionné depuis désigne la commune actuelle), le SIREN d'une
intercommunalité (EPCI). Un service qui couvre une zone sans avoir de lieu à lui (pas d'adresse
publique : le 115, les places d'hébergement d'urgence du département) n'est pas un point sur la
carte : la distance jusqu'à lui ne voudrait rien dire.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from cartographie.communes import CHEMIN_COMMUNES, Commune, charger_communes
from cartographie.modele import Acteur

DEPARTEMENT = "38"
"""Le code de l'Isère : une zone qui le contient couvre tout le département."""


class LecteurDeZones:
    """Lit les codes d'une zone couverte ; index des communes construit une fois pour toutes
    les fiches (le reconstruire à chaque fiche coûtait 9 s à 10 000 fiches)."""

    def __init__(self, communes: Sequence[Commune]) -> None:
        self.par_code: dict[str, str] = {}
        par_epci: dict[str, set[str]] = {}
        for commune in communes:
            self.par_code[commune.code_insee] = commune.code_insee
            par_epci.setdefault(commune.epci_code, set()).add(commune.code_insee)
        for commune in communes:
            for ancien in commune.anciens_codes:
                self.par_code.setdefault(ancien, commune.code_insee)
        self.par_epci = {code: frozenset(membres) for code, membres in par_epci.items()}
        self.departement = frozenset(c.code_insee for c in communes)

    def lire(self, codes: Iterable[str]) -> tuple[frozenset[str], tuple[str, ...]]:
        """Les communes actuelles d'une zone couverte, et les codes qu'on n'a pas su lire.

        « 38 » : tout le département ; 5 caractères : une commune (un code de 2018 fusionné
        depuis désigne la commune actuelle) ; 9 chiffres : une intercommunalité (SIREN).
        """
        parties: list[frozenset[str]] = []
        inconnus: list[str] = []
        for code in (c.strip() for c in codes):
            if code == DEPARTEMENT:
                parties.append(self.departement)
            elif code in self.par_code:
                parties.append(frozenset((self.par_code[code],)))
            elif len(code) == 9 and code in self.par_epci:
                parties.append(self.par_epci[code])
            elif code:
                inconnus.append(code)
        return frozenset().union(*parties), tuple(inconnus)


@lru_cache(maxsize=4)
def _lecteur(chemin: Path | str) -> LecteurDeZones:
    return LecteurDeZones(charger_communes(chemin))


def zone_en_communes(
    codes: Iterable[str], chemin: Path | str = CHEMIN_COMMUNES
) -> tuple[frozenset[str], tuple[str, ...]]:
    """Les communes actuelles (codes INSEE) d'une zone, et les codes qu'on n'a pas su lire."""
    return _lecteur(chemin).lire(codes)


def couvre(zone: tuple[str, ...], commune: Commune, chemin: Path | str = CHEMIN_COMMUNES) -> bool:
    """Vrai si la zone contient la commune."""
    return bool(zone) and commune.code_insee in _communes_de(zone, str(chemin))


@lru_cache(maxsize=4096)
def _communes_de(zone: tuple[str, ...], chemin: str) -> frozenset[str]:
    return zone_en_communes(zone, chemin)[0]


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
