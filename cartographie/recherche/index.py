"""L'index de recherche : les acteurs actifs, déjà dans leur version publique, gardés en mémoire.

Pourquoi : à 100 000 fiches, relire dans la base les 500 fiches montrées (toutes colonnes) puis
les convertir coûtait à lui seul ~50 ms par recherche. L'index est un instantané immuable, tiré
de la base en une transaction et reconstruit dès que son empreinte change (toute écriture d'une
fiche, tout rechargement des communes) ; seules les fiches dont la version a changé sont alors
relues. Une recherche ne lit plus la base que pour cette empreinte. Le processus garde un index
par base ouverte.

Distance : chaque position publique est un vecteur unitaire (x, y, z). La corde entre deux
points croît avec leur distance sur le grand cercle ; trier et borner sur le carré de la corde
donne donc exactement l'ordre et le rayon de la formule de haversine, et la distance en km ne se
calcule que pour les acteurs montrés. Pour une adresse confidentielle (ou une fiche sans
coordonnées), la position est le point représentatif de la commune : ni l'affichage ni l'ordre
des résultats ne trahissent le lieu exact, et le lieu exact n'entre jamais dans l'index.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

import duckdb
import numpy as np

from cartographie.communes import Commune
from cartographie.confidentialite import version_publique
from cartographie.horaires import Etat, ouverture
from cartographie.horloge import maintenant
from cartographie.modele import Acteur
from cartographie.recherche.filtres import Filtres, PointRecherche, texte_cherche
from cartographie.stockage import acteurs as depot_acteurs
from cartographie.stockage import communes as depot_communes
from cartographie.stockage import filtres_index as depot_recherche
from cartographie.stockage.filtres_index import Empreinte
from cartographie.stockage.transaction import en_transaction, transaction
from cartographie.zones import couvre, sans_lieu

RAYON_TERRE_KM = 6371.0088
_INCONNUE = (math.nan, math.nan)
BASES_RETENUES = 4
"""Index gardés au plus (un par base ; l'application n'en ouvre qu'une, les tests plusieurs)."""


@dataclass(frozen=True, eq=False, slots=True)
class IndexRecherche:
    """Les acteurs actifs d'un état de la base, dans l'ordre alphabétique (nom, identifiant).

    Le rang d'un acteur dans `acteurs` est sa colonne `pos` dans `base` et sa colonne dans
    `positions` : départager deux distances égales par le rang, c'est les départager par le nom.
    """

    empreinte: Empreinte
    acteurs: tuple[Acteur, ...]  # versions publiques
    textes: tuple[str, ...]  # texte cherché de chaque acteur (`texte_cherche`)
    degres: tuple[tuple[float, float], ...]  # position publique (latitude, longitude)
    positions: np.ndarray  # (3, n) : x, y et z des vecteurs unitaires de ces positions
    rangs: dict[tuple[str, int], int]  # (identifiant, version) → rang
    base: duckdb.DuckDBPyConnection
    sans_lieu: np.ndarray  # (n,) booléens : service de zone sans lieu (`zones.sans_lieu`)
    territoires: tuple[str, ...]  # ceux des communes, triés (proposés au filtre)


_index: OrderedDict[str, IndexRecherche] = OrderedDict()
_verrou = threading.Lock()


def index_de(con: duckdb.DuckDBPyConnection) -> IndexRecherche:
    """L'index de l'état actuel de la base, reconstruit seulement si elle a changé."""
    empreinte = depot_recherche.empreinte(con)
    existant = _index.get(empreinte.identifiant)
    if en_transaction(con):
        # Des écritures non validées peuvent encore être annulées : un index qui les contient ne
        # doit pas survivre à la transaction. Partir de l'index gardé reste sûr : une fiche
        # validée ne change jamais de contenu sans changer de version.
        return _construire(con, empreinte, existant)
    if existant is not None and existant.empreinte == empreinte:
        return existant
    with _verrou, transaction(con):  # une reconstruction à la fois ; un seul instantané lu
        empreinte = depot_recherche.empreinte(con)
        existant = _index.get(empreinte.identifiant)
        if existant is not None and existant.empreinte == empreinte:
            return existant  # reconstruit par une autre session pendant l'attente
        index = _construire(con, empreinte, existant)
        if empreinte.identifiant:  # une base sans identifiant (hors migrations) n'est pas retenue
            _index[empreinte.identifiant] = index
            _index.move_to_end(empreinte.identifiant)
            while len(_index) > BASES_RETENUES:
                _index.popitem(last=False)
        return index


def _construire(
    con: duckdb.DuckDBPyConnection, empreinte: Empreinte, precedent: IndexRecherche | None
) -> IndexRecherche:
    """L'index de la base ; ne relit que les fiches changées depuis `precedent`, s'il y en a un.

    À 100 000 fiches, tout relire et convertir prend quelques secondes ; après une écriture, on
    ne relit que la liste (identifiant, version) et les fiches dont la version a changé. Les
    communes (point représentatif, territoire) entrent dans chaque fiche publique : si leur
    référentiel a changé, tout est relu.
    """
    points = depot_communes.points_representatifs(con)
    if (
        precedent is None
        or precedent.empreinte.identifiant != empreinte.identifiant
        or precedent.empreinte.communes != empreinte.communes
    ):
        fiches = [_fiche(acteur, points) for acteur in depot_acteurs.lister(con)]
    else:
        cles = depot_acteurs.versions_actives(con)
        connus = precedent.rangs
        lus = {
            a.id: a
            for a in depot_acteurs.par_ids(con, [i for i, v in cles if (i, v) not in connus])
        }
        fiches = [
            _fiche(lus[i], points)
            if (rang := connus.get((i, v))) is None
            else (precedent.acteurs[rang], precedent.textes[rang], precedent.degres[rang])
            for i, v in cles
        ]
    acteurs = tuple(a for a, _, _ in fiches)
    textes = tuple(t for _, t, _ in fiches)
    degres = tuple(d for _, _, d in fiches)
    return IndexRecherche(
        empreinte,
        acteurs,
        textes,
        degres,
        np.array([_vecteur(lat, lon) for lat, lon in degres], dtype=float).reshape(-1, 3).T.copy(),
        {(a.id, a.version): rang for rang, a in enumerate(acteurs)},
        depot_recherche.creer_index(acteurs, textes),
        np.array([sans_lieu(a) for a in acteurs], dtype=bool),
        tuple(depot_communes.territoires(con)),
    )


def _fiche(
    acteur: Acteur, points: dict[str, tuple[float, float]]
) -> tuple[Acteur, str, tuple[float, float]]:
    """Version publique, texte cherché et position publique (NaN si inconnue) d'un acteur.

    Une commune sortie du référentiel (fusion) ne fait pas échouer la recherche : l'acteur
    reste trouvable, sans distance, en fin de liste ; s'il est confidentiel, sans aucune position.
    """
    commune = points.get(acteur.code_insee)
    if acteur.adresse_confidentielle or acteur.latitude is None or acteur.longitude is None:
        position = commune or _INCONNUE
    else:
        position = (acteur.latitude, acteur.longitude)
    publique = version_publique(acteur, *(commune or (None, None)))
    return publique, texte_cherche(acteur), position


def filtrer(index: IndexRecherche, filtres: Filtres, quand: datetime | None = None) -> np.ndarray:
    """Les rangs qui passent les filtres (sans le rayon), croissants.

    `quand` sert au filtre « ouvert maintenant ». Calculés une fois, ils servent à la recherche
    et aux services qui couvrent la commune.
    """
    rangs = depot_recherche.positions(index.base, filtres)
    if rangs is None:
        rangs = np.arange(len(index.acteurs))
    if filtres.ouvert_maintenant:
        # Dépend de l'heure : calculé à chaque recherche, sur les seules fiches déjà retenues.
        instant = quand or maintenant()
        ouverts = [
            ouverture(index.acteurs[r].horaires_accueil, instant).etat is Etat.OUVERT for r in rangs
        ]
        rangs = rangs[np.array(ouverts, dtype=bool)] if len(rangs) else rangs
    return rangs


def rechercher(
    index: IndexRecherche,
    retenus: np.ndarray,
    filtres: Filtres,
    point: PointRecherche | None,
    limite: int,
) -> tuple[list[tuple[Acteur, float | None]], int]:
    """Les acteurs `retenus` (par `filtrer`) dans le rayon, les plus proches d'abord, et leur
    nombre total.

    Sans point de recherche, l'ordre est alphabétique et le rayon ne s'applique pas. Autour d'un
    point, les services de zone sans lieu n'y sont pas (voir `couvrants`).
    """
    if limite < 0:
        raise ValueError(f"limite négative : {limite}")
    rangs, cordes = _dans_le_rayon(index, retenus, filtres, point)
    total = len(rangs)
    if cordes is None:
        return [(index.acteurs[r], None) for r in rangs[:limite]], total
    if 0 < limite < total:
        # Garder tout ce qui est à la distance du `limite`-ième ou plus près (ex aequo compris),
        # puis trier ce petit reste par (distance, rang) : le même ordre que si l'on triait tout.
        # Un seuil NaN (moins de `limite` positions connues) garde tout.
        seuil = np.partition(cordes, limite - 1)[limite - 1]
        gardes = ~(cordes > seuil)
        rangs, cordes = rangs[gardes], cordes[gardes]
    ordre = np.lexsort((rangs, cordes))[:limite]  # NaN (position inconnue) en dernier
    return [
        (index.acteurs[r], None if math.isnan(d) else float(d))
        for r, d in zip(rangs[ordre], _km(cordes[ordre]), strict=True)
    ], total


def compter(
    index: IndexRecherche,
    filtres: Filtres,
    point: PointRecherche | None,
    quand: datetime | None = None,
) -> int:
    """Le nombre d'acteurs qui passent les filtres (et le rayon autour du point)."""
    rangs, _ = _dans_le_rayon(index, filtrer(index, filtres, quand), filtres, point)
    return len(rangs)


def couvrants(index: IndexRecherche, retenus: np.ndarray, commune: Commune) -> list[Acteur]:
    """Les services de zone sans lieu parmi les `retenus` qui couvrent la commune (par nom).

    Le rayon ne s'y applique pas : ils n'ont pas de point.
    """
    return [
        index.acteurs[r]
        for r in retenus[index.sans_lieu[retenus]]
        if couvre(index.acteurs[r].zone_eligibilite, commune)
    ]


def _dans_le_rayon(
    index: IndexRecherche, rangs: np.ndarray, filtres: Filtres, point: PointRecherche | None
) -> tuple[np.ndarray, np.ndarray | None]:
    """Parmi ces rangs, ceux qui ont un lieu dans le rayon, et leur corde au carré jusqu'au point."""
    if point is None:
        return rangs, None
    rangs = rangs[~index.sans_lieu[rangs]]
    # Calculer pour toutes les fiches puis choisir coûte moins que choisir les coordonnées d'abord.
    x, y, z = _vecteur(point.latitude, point.longitude)
    cordes = (index.positions[0] - x) ** 2 + (index.positions[1] - y) ** 2
    cordes += (index.positions[2] - z) ** 2
    cordes = cordes[rangs]
    if filtres.rayon_km is not None:
        dans = cordes <= (2 * math.sin(filtres.rayon_km / (2 * RAYON_TERRE_KM))) ** 2
        rangs, cordes = rangs[dans], cordes[dans]
    return rangs, cordes


def _vecteur(latitude: float, longitude: float) -> tuple[float, float, float]:
    """Degrés → vecteur unitaire (x, y, z).

    Calcul scalaire (`math`) plutôt que vectorisé : deux positions égales donnent exactement le
    même vecteur, donc une distance exactement égale, départagée par le nom.
    """
    lat, lon = math.radians(latitude), math.radians(longitude)
    return math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)


def _km(cordes_au_carre: np.ndarray) -> np.ndarray:
    """Corde au carré entre vecteurs unitaires → distance sur le grand cercle, en km."""
    return 2 * RAYON_TERRE_KM * np.arcsin(np.minimum(np.sqrt(cordes_au_carre) / 2, 1.0))
