"""Ce que la table dit par territoire et pour le département, et les zones blanches.

Toutes les distances sont à vol d'oiseau (voir `calcul.MESURE`). Les médianes et 90e centiles
sont pondérés par la population : « 90 % des habitants du territoire ont un lieu d'écoute à
moins de X km ». Une commune sans aucune ressource de l'aide compte comme infiniment loin :
elle est au-delà de tous les seuils, et un centile qui tombe sur elle n'a pas de valeur.
Les populations sont celles du recensement (référentiel des communes), pas des personnes
suivies : rien ici n'est masqué sous 5.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from cartographie.communes import Commune
from cartographie.consultations.statistiques import Lignes
from cartographie.couverture.calcul import MESURE, Ressource, TableCouverture
from cartographie.couverture.types_d_aide import Aide

DEPARTEMENT = "Isère (département)"
SEUILS_KM = (20, 30)
SEUIL_ZONE_BLANCHE_KM = 30
AUCUNE_RESSOURCE = "aucune ressource"


def centile_pondere(distances: np.ndarray, poids: np.ndarray, q: float) -> float | None:
    """La plus petite distance d telle que la part `q` des habitants est à d ou moins.

    Distance NaN (aucune ressource) = infinie ; None si le centile tombe sur l'infini, ou
    sans habitant.
    """
    total = float(np.sum(poids))
    if total <= 0:
        return None
    valeurs = np.where(np.isnan(distances), np.inf, distances)
    ordre = np.argsort(valeurs, kind="stable")
    cumul = np.cumsum(poids[ordre], dtype=float)
    rang = int(np.searchsorted(cumul, q * total - 1e-9 * total, side="left"))
    valeur = float(valeurs[ordre][min(rang, len(ordre) - 1)])
    return None if math.isinf(valeur) else valeur


def population_au_dela(distances: np.ndarray, poids: np.ndarray, seuil_km: float) -> int:
    """Habitants à strictement plus de `seuil_km` (ou sans aucune ressource)."""
    loin = np.isnan(distances) | (distances > seuil_km)
    return int(np.sum(poids[loin]))


@dataclass(frozen=True, slots=True)
class LigneSynthese:
    """Une aide dans un territoire (ou le département)."""

    territoire: str
    aide: Aide
    population: int
    mediane_km: float | None
    p90_km: float | None
    au_dela: dict[int, int]  # seuil (km) → habitants au-delà
    ressources: int  # ressources de l'aide situées dans le territoire
    places: int | None  # somme des capacités connues ; None si aucune n'est connue
    capacites_inconnues: int  # ressources de l'aide dans le territoire sans capacité connue

    @property
    def places_pour_10000(self) -> float | None:
        """Places (capacités connues) pour 10 000 habitants ; None sans capacité connue."""
        if self.places is None or self.population <= 0:
            return None
        return 10_000 * self.places / self.population


def _ligne(
    territoire: str,
    aide: Aide,
    distances: np.ndarray,
    poids: np.ndarray,
    ressources: list[Ressource],
) -> LigneSynthese:
    capacites = [r.capacite for r in ressources if r.capacite is not None]
    return LigneSynthese(
        territoire=territoire,
        aide=aide,
        population=int(np.sum(poids)),
        mediane_km=centile_pondere(distances, poids, 0.5),
        p90_km=centile_pondere(distances, poids, 0.9),
        au_dela={s: population_au_dela(distances, poids, s) for s in SEUILS_KM},
        ressources=len(ressources),
        places=sum(capacites) if capacites else None,
        capacites_inconnues=len(ressources) - len(capacites),
    )


def synthese(table: TableCouverture) -> list[LigneSynthese]:
    """Par territoire (ordre alphabétique) puis pour le département, chaque aide."""
    territoires = sorted({c.territoire for c in table.communes})
    lignes: list[LigneSynthese] = []
    for territoire in [*territoires, DEPARTEMENT]:
        if territoire == DEPARTEMENT:
            dedans = np.ones(len(table.communes), dtype=bool)
        else:
            dedans = np.array([c.territoire == territoire for c in table.communes])
        for j, aide in enumerate(table.aides):
            ressources = [
                r
                for r in table.ressources
                if r.aide is aide and (territoire == DEPARTEMENT or r.territoire == territoire)
            ]
            lignes.append(
                _ligne(
                    territoire,
                    aide,
                    table.distances[dedans, j],
                    table.populations[dedans],
                    ressources,
                )
            )
    return lignes


def km(valeur: float | None) -> str:
    """Une distance à la française, au dixième : « 12,3 » ; sans valeur : « aucune ressource »."""
    return AUCUNE_RESSOURCE if valeur is None else f"{valeur:.1f}".replace(".", ",")


def _places(ligne: LigneSynthese) -> str:
    if ligne.ressources == 0:
        return "—"
    if ligne.places_pour_10000 is None:
        return "capacité inconnue"
    texte = f"{ligne.places_pour_10000:.2f}".replace(".", ",")
    if ligne.capacites_inconnues:
        return f"au moins {texte} ({ligne.capacites_inconnues} sans capacité connue)"
    return texte


COLONNE_MEDIANE = f"Distance médiane (km, {MESURE})"
COLONNE_P90 = f"90 % des habitants à moins de (km, {MESURE})"


def tableau_synthese(lignes: list[LigneSynthese]) -> Lignes:
    """Le tableau montré et exporté, en-têtes français, distances au dixième de km."""
    return [
        {
            "Territoire": ligne.territoire,
            "Aide": ligne.aide.libelle,
            "Population": ligne.population,
            COLONNE_MEDIANE: km(ligne.mediane_km),
            COLONNE_P90: km(ligne.p90_km),
            **{f"Habitants à plus de {s} km": n for s, n in sorted(ligne.au_dela.items())},
            **{
                f"Part à plus de {s} km (%)": round(100 * n / ligne.population, 1)
                if ligne.population
                else 0.0
                for s, n in sorted(ligne.au_dela.items())
            },
            "Ressources": ligne.ressources,
            "Places pour 10 000 habitants": _places(ligne),
        }
        for ligne in lignes
    ]


@dataclass(frozen=True, slots=True)
class ZoneBlanche:
    """Une commune au-delà du seuil pour une aide (ou sans aucune ressource de cette aide)."""

    commune: Commune
    aide: Aide
    distance_km: float | None
    ressource: Ressource | None


def zones_blanches(
    table: TableCouverture, seuil_km: float = SEUIL_ZONE_BLANCHE_KM
) -> list[ZoneBlanche]:
    """Communes à plus de `seuil_km` d'une aide, la population concernée la plus grande d'abord."""
    zones = []
    for i, commune in enumerate(table.communes):
        for j, aide in enumerate(table.aides):
            distance = float(table.distances[i, j])
            if math.isnan(distance) or distance > seuil_km:
                zones.append(
                    ZoneBlanche(
                        commune,
                        aide,
                        None if math.isnan(distance) else distance,
                        table.ressource(i, j),
                    )
                )
    return sorted(
        zones,
        key=lambda z: (
            -z.commune.population,
            -(math.inf if z.distance_km is None else z.distance_km),
            z.commune.code_insee,
            table.aides.index(z.aide),
        ),
    )


def tableau_zones_blanches(zones: list[ZoneBlanche]) -> Lignes:
    """Le tableau des zones blanches, tel que montré et exporté."""
    return [
        {
            "Commune": z.commune.nom,
            "Code INSEE": z.commune.code_insee,
            "Territoire": z.commune.territoire,
            "Population": z.commune.population,
            "Aide": z.aide.libelle,
            f"Distance (km, {MESURE})": km(z.distance_km),
            "Ressource la plus proche": z.ressource.nom if z.ressource else AUCUNE_RESSOURCE,
        }
        for z in zones
    ]


def aides_sans_ressource(table: TableCouverture) -> list[Aide]:
    """Les aides qu'aucune ressource active ne rend : tout le département est en zone blanche."""
    return [a for a in table.aides if table.nombre_de_ressources(a) == 0]
