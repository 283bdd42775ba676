"""La table de couverture : pour chaque commune et chaque aide, la ressource active la plus proche.

Distance **à vol d'oiseau** (grand cercle, même rayon terrestre que la recherche) entre le point
représentatif de la commune (toujours dans son contour) et la position publique de la ressource :
aucun calcul d'itinéraire n'est possible hors ligne, et la table ne prétend pas en donner un.
Position publique : celle que montre la carte, sauf pour une adresse confidentielle (ou une
fiche sans coordonnées), placée au point représentatif de sa commune — comme pour le tri de la
recherche ; le lieu exact d'un hébergement n'entre jamais dans ce calcul.

Une ressource dont la zone couverte (`zone_eligibilite`) comprend la commune met sa distance à 0.
Ne comptent que les fiches actives de nature « ressource » dont le type rend une aide mesurée
(`types_d_aide`).

Calcul : les positions sont des vecteurs unitaires ; pour une aide, un produit matriciel
communes × ressources donne le cosinus de chaque angle, la plus proche est celle du plus grand
cosinus (ex aequo : la première par nom), et la distance retenue est recalculée par la corde
exacte du couple choisi.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from cartographie.communes import Commune, charger_communes
from cartographie.couverture.types_d_aide import AIDE_DU_TYPE, Aide
from cartographie.modele import Acteur, Statut
from cartographie.modele.referentiels import Nature
from cartographie.recherche.annuaire import acteurs_publics
from cartographie.recherche.index import RAYON_TERRE_KM
from cartographie.zones import LecteurDeZones

MESURE = "à vol d'oiseau"
"""Comment la distance est mesurée : à écrire à côté de chaque distance montrée ou exportée."""
MESURE_DETAIL = (
    "distance à vol d'oiseau (grand cercle) entre le point représentatif de la commune et la"
    " ressource ; aucun itinéraire routier n'est calculé (hors ligne), la route est plus longue"
)


@dataclass(frozen=True, slots=True)
class Ressource:
    """Une fiche active qui rend une aide mesurée, à sa position publique."""

    id: str
    nom: str
    aide: Aide
    code_insee: str  # commune actuelle
    territoire: str
    latitude: float
    longitude: float
    capacite: int | None
    zone: frozenset[str]  # codes INSEE actuels de la zone couverte ; vide : pas de zone


@dataclass(frozen=True, slots=True)
class Ecartee:
    """Une fiche qui aurait compté mais n'a pas pu être placée, ou un code de zone ignoré."""

    id: str
    nom: str
    raison: str


@dataclass(frozen=True, eq=False, slots=True)
class TableCouverture:
    """Communes × aides : distance (km, à vol d'oiseau), ressource la plus proche, zone.

    Les tableaux numpy sont en lecture seule : une simulation part de la table sans la changer.
    """

    communes: tuple[Commune, ...]
    aides: tuple[Aide, ...]
    ressources: tuple[Ressource, ...]
    distances: np.ndarray  # (communes, aides), km ; NaN : aucune ressource de cette aide
    plus_proche: np.ndarray  # (communes, aides), rang dans `ressources` ; -1 : aucune
    par_zone: np.ndarray  # (communes, aides), vrai : commune dans la zone couverte (distance 0)
    populations: np.ndarray  # (communes,)
    vecteurs: np.ndarray  # (communes, 3) : points représentatifs en vecteurs unitaires
    ecartees: tuple[Ecartee, ...] = ()

    def colonne(self, aide: Aide) -> int:
        """La colonne d'une aide dans les tableaux."""
        return self.aides.index(aide)

    def rang(self, code_insee: str) -> int:
        """La ligne d'une commune ; KeyError si elle n'est pas dans la table."""
        for i, commune in enumerate(self.communes):
            if commune.code_insee == code_insee:
                return i
        raise KeyError(code_insee)

    def ressource(self, i: int, j: int) -> Ressource | None:
        """La ressource la plus proche de la commune `i` pour l'aide `j`, s'il y en a une."""
        rang = int(self.plus_proche[i, j])
        return None if rang < 0 else self.ressources[rang]

    def nombre_de_ressources(self, aide: Aide) -> int:
        """Combien de ressources rendent cette aide (dans tout le département)."""
        return sum(r.aide is aide for r in self.ressources)

    def lignes(self) -> list[dict[str, object]]:
        """Une ligne par commune et par aide (ordre : code INSEE, puis aide), pour les exports."""
        lignes: list[dict[str, object]] = []
        for i, commune in enumerate(self.communes):
            for j, aide in enumerate(self.aides):
                ressource = self.ressource(i, j)
                distance = float(self.distances[i, j])
                lignes.append(
                    {
                        "code_insee": commune.code_insee,
                        "commune": commune.nom,
                        "territoire": commune.territoire,
                        "population": commune.population,
                        "type": aide.value,
                        "type_libelle": aide.libelle,
                        "distance_km": None if math.isnan(distance) else round(distance, 2),
                        "mesure": "vol_d_oiseau",
                        "acteur_id": ressource.id if ressource else None,
                        "acteur_nom": ressource.nom if ressource else None,
                        "zone_couverte": bool(self.par_zone[i, j]),
                    }
                )
        return lignes


def vecteurs(latitudes: Sequence[float], longitudes: Sequence[float]) -> np.ndarray:
    """Degrés → vecteurs unitaires (n, 3)."""
    lat = np.radians(np.asarray(latitudes, dtype=float))
    lon = np.radians(np.asarray(longitudes, dtype=float))
    return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def km_entre(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance sur le grand cercle (km) entre vecteurs unitaires, par la corde (précise de près)."""
    corde = np.linalg.norm(a - b, axis=-1)
    return 2 * RAYON_TERRE_KM * np.arcsin(np.minimum(corde / 2, 1.0))


def ressources_des_acteurs(
    acteurs: Iterable[Acteur], communes: Sequence[Commune]
) -> tuple[list[Ressource], list[Ecartee]]:
    """Les ressources mesurées parmi des fiches (par nom), et celles qu'on a dû écarter.

    Une adresse confidentielle, ou une fiche sans coordonnées, est placée au point
    représentatif de sa commune : ce que la carte publique en montre, jamais son lieu exact.
    """
    par_code: dict[str, Commune] = {}
    for commune in communes:
        par_code[commune.code_insee] = commune
        for ancien in commune.anciens_codes:
            par_code.setdefault(ancien, commune)
    zones = LecteurDeZones(communes)
    ressources: list[Ressource] = []
    ecartees: list[Ecartee] = []
    for acteur in sorted(acteurs, key=lambda a: (a.nom.casefold(), a.id)):
        aide = AIDE_DU_TYPE.get(acteur.type)
        if (
            aide is None
            or acteur.statut is not Statut.ACTIF
            or acteur.nature is not Nature.RESSOURCE
        ):
            continue
        commune = par_code.get(acteur.code_insee)
        if acteur.adresse_confidentielle or acteur.latitude is None or acteur.longitude is None:
            if commune is None:
                ecartees.append(Ecartee(acteur.id, acteur.nom, "commune inconnue, sans position"))
                continue
            latitude, longitude = commune.latitude, commune.longitude
        else:
            latitude, longitude = acteur.latitude, acteur.longitude
        zone, inconnus = zones.lire(acteur.zone_eligibilite)
        for code in inconnus:
            ecartees.append(Ecartee(acteur.id, acteur.nom, f"code de zone inconnu ignoré : {code}"))
        ressources.append(
            Ressource(
                id=acteur.id,
                nom=acteur.nom,
                aide=aide,
                code_insee=commune.code_insee if commune else acteur.code_insee,
                territoire=commune.territoire if commune else acteur.territoire,
                latitude=float(latitude),
                longitude=float(longitude),
                capacite=acteur.capacite,
                zone=zone,
            )
        )
    return ressources, ecartees


def calculer(
    communes: Sequence[Commune], ressources: Sequence[Ressource], ecartees: Sequence[Ecartee] = ()
) -> TableCouverture:
    """La table complète, en mémoire (aucune lecture ni écriture de la base)."""
    aides = tuple(Aide)
    n = len(communes)
    points = vecteurs([c.latitude for c in communes], [c.longitude for c in communes])
    lignes_commune = {c.code_insee: i for i, c in enumerate(communes)}
    distances = np.full((n, len(aides)), np.nan)
    plus_proche = np.full((n, len(aides)), -1, dtype=np.int64)
    par_zone = np.zeros((n, len(aides)), dtype=bool)
    positions = vecteurs([r.latitude for r in ressources], [r.longitude for r in ressources])
    for j, aide in enumerate(aides):
        rangs = np.array([k for k, r in enumerate(ressources) if r.aide is aide], dtype=np.int64)
        if len(rangs) == 0 or n == 0:
            continue
        cosinus = points @ positions[rangs].T  # (communes, ressources de l'aide)
        choix = rangs[np.argmax(cosinus, axis=1)]
        zonees = [k for k, rang in enumerate(rangs) if ressources[rang].zone]
        if zonees:
            couvre = np.zeros((n, len(zonees)), dtype=bool)
            for colonne, k in enumerate(zonees):
                lignes = [
                    lignes_commune[c] for c in ressources[rangs[k]].zone if c in lignes_commune
                ]
                couvre[lignes, colonne] = True
            couvertes = couvre.any(axis=1)
            # Plusieurs zones couvrent la commune : la ressource la plus proche d'entre elles.
            proches = np.where(couvre, cosinus[:, zonees], -np.inf).argmax(axis=1)
            choix = np.where(couvertes, rangs[zonees][proches], choix)
            par_zone[:, j] = couvertes
        plus_proche[:, j] = choix
        distances[:, j] = np.where(par_zone[:, j], 0.0, km_entre(points, positions[choix]))
    for tableau in (distances, plus_proche, par_zone, points):
        tableau.flags.writeable = False
    populations = np.array([c.population for c in communes], dtype=np.int64)
    populations.flags.writeable = False
    return TableCouverture(
        communes=tuple(communes),
        aides=aides,
        ressources=tuple(ressources),
        distances=distances,
        plus_proche=plus_proche,
        par_zone=par_zone,
        populations=populations,
        vecteurs=points,
        ecartees=tuple(ecartees),
    )


def couverture_des_acteurs(
    acteurs: Iterable[Acteur], communes: Sequence[Commune]
) -> TableCouverture:
    """La table pour ces fiches (version publique ou non : le lieu confidentiel est ignoré)."""
    ressources, ecartees = ressources_des_acteurs(acteurs, communes)
    return calculer(communes, ressources, ecartees)


def couverture_de_la_base(
    con: duckdb.DuckDBPyConnection, chemin_communes: Path | str
) -> TableCouverture:
    """La table des fiches actives de la base, dans leur version publique (rien n'est écrit)."""
    return couverture_des_acteurs(acteurs_publics(con), charger_communes(chemin_communes))
