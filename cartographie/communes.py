"""Le référentiel des communes actuelles de l'Isère, en mémoire une fois par processus.

Lit `data/isere_communes.geojson` (construit par `scripts/construire_referentiel.py`) et en
tire tous les index : par code (y compris ceux de 2018), par code postal, par nom (tolérant),
et l'index spatial qui dit dans quelle commune tombe un point — une seule règle, avec une seule
tolérance, pour un clic sur la carte, une adresse géocodée et une position saisie à la main.
Un acteur n'est rattaché qu'à une commune de 2026 ; les codes et noms de 2018 ne servent qu'à
retrouver cette commune.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import shapely
from shapely import STRtree
from shapely.geometry import Point, shape

from cartographie.texte import normaliser

if TYPE_CHECKING:
    import geopandas as gpd
    from shapely.geometry.base import BaseGeometry

CHEMIN_COMMUNES = Path(__file__).resolve().parents[1] / "data" / "isere_communes.geojson"
TOLERANCE_DEGRES = 0.002
"""~200 m autour des contours : ils sont simplifiés, un point en limite de commune (adresse,
clic, position saisie) peut tomber juste à côté de son polygone ; au-delà, c'est une autre
commune. La seule tolérance du projet pour « ce point est-il dans cette commune ? »."""
_ARTICLES = ("le ", "la ", "les ", "l ")


@dataclass(frozen=True, slots=True)
class Commune:
    """Une commune actuelle (COG 2026) de l'Isère, placée par son point représentatif."""

    code_insee: str
    nom: str
    codes_postaux: tuple[str, ...]
    population: int
    epci_code: str
    epci_nom: str
    territoire: str
    anciens_codes: tuple[str, ...]
    anciens_noms: tuple[str, ...]
    latitude: float
    longitude: float

    @property
    def libelle(self) -> str:
        """« Voiron (38500) » : le nom et ses codes postaux, comme on la choisit dans une liste."""
        return f"{self.nom} ({', '.join(self.codes_postaux)})"


@dataclass(frozen=True, slots=True)
class _Referentiel:
    """Les communes et tous leurs index, construits une fois par fichier."""

    communes: tuple[Commune, ...]
    geometries: dict[str, BaseGeometry]  # préparées, par code actuel
    arbre: STRtree  # mêmes géométries, dans l'ordre de `communes`
    par_code: dict[str, Commune]
    par_code_postal: dict[str, tuple[Commune, ...]]
    noms_normalises: tuple[tuple[Commune, str, tuple[str, ...]], ...]
    par_nom: dict[str, tuple[Commune, ...]]  # nom normalisé, actuel ou ancien, avec ou sans article
    noms_tries: tuple[tuple[str, Commune], ...]


def _commune(proprietes: dict) -> Commune:
    longitude, latitude = proprietes["point_representatif"]
    return Commune(
        code_insee=proprietes["code_insee"],
        nom=proprietes["nom"],
        codes_postaux=tuple(proprietes["codes_postaux"]),
        population=int(proprietes["population"]),
        epci_code=proprietes["epci_code"],
        epci_nom=proprietes["epci_nom"],
        territoire=proprietes["territoire"],
        anciens_codes=tuple(proprietes["anciens_codes"]),
        anciens_noms=tuple(proprietes["anciens_noms"]),
        latitude=float(latitude),
        longitude=float(longitude),
    )


def _par_population(communes: list[Commune]) -> tuple[Commune, ...]:
    """La plus peuplée d'abord : c'est la plus souvent cherchée."""
    return tuple(sorted(communes, key=lambda c: (-c.population, c.nom)))


@lru_cache(maxsize=4)
def _charger(chemin: Path) -> _Referentiel:
    entites = json.loads(chemin.read_text(encoding="utf-8"))["features"]
    communes = tuple(_commune(e["properties"]) for e in entites)
    par_code = {c.code_insee: c for c in communes}
    for commune in communes:
        for ancien in commune.anciens_codes:
            par_code.setdefault(ancien, commune)
    par_code_postal: dict[str, list[Commune]] = {}
    for commune in communes:
        for code_postal in commune.codes_postaux:
            par_code_postal.setdefault(code_postal, []).append(commune)
    geometries = {e["properties"]["code_insee"]: shape(e["geometry"]) for e in entites}
    for geometrie in geometries.values():
        shapely.prepare(geometrie)
    par_nom: dict[str, list[Commune]] = {}
    for commune in communes:
        noms = {normaliser(commune.nom), *(normaliser(n) for n in commune.anciens_noms)}
        for nom in noms | {_sans_article(n) for n in noms}:
            if commune not in par_nom.setdefault(nom, []):
                par_nom[nom].append(commune)
    return _Referentiel(
        communes=communes,
        geometries=geometries,
        arbre=STRtree([geometries[c.code_insee] for c in communes]),
        par_code=par_code,
        par_code_postal={cp: _par_population(cs) for cp, cs in par_code_postal.items()},
        noms_normalises=tuple(
            (c, normaliser(c.nom), tuple(normaliser(n) for n in c.anciens_noms)) for c in communes
        ),
        par_nom={nom: tuple(cs) for nom, cs in par_nom.items()},
        noms_tries=tuple(sorted((nom, cs[0]) for nom, cs in par_nom.items())),
    )


def _sans_article(nom: str) -> str:
    for article in _ARTICLES:
        if nom.startswith(article):
            return nom[len(article) :]
    return nom


@lru_cache(maxsize=16)
def _referentiel(chemin: Path | str) -> _Referentiel:
    # Mémoïsé sur le chemin tel que donné : `resolve()` fait des appels système (~40 µs), et
    # le géocodage par lot interroge le référentiel plusieurs fois par adresse.
    return _charger(Path(chemin).resolve())


def charger_communes(chemin: Path | str = CHEMIN_COMMUNES) -> list[Commune]:
    """Les 512 communes triées par code INSEE (fichier lu une fois par chemin)."""
    return list(_referentiel(chemin).communes)


def commune_par_code(code: str, chemin: Path | str = CHEMIN_COMMUNES) -> Commune | None:
    """La commune actuelle d'un code INSEE, y compris d'un code de 2018 fusionné depuis."""
    return _referentiel(chemin).par_code.get(code.strip())


def communes_par_code_postal(
    code_postal: str, chemin: Path | str = CHEMIN_COMMUNES
) -> list[Commune]:
    """Les communes desservies par un code postal, la plus peuplée d'abord."""
    return list(_referentiel(chemin).par_code_postal.get(code_postal.strip(), ()))


def _rang(requete: str, nom: str) -> int | None:
    """0 : nom exact, 1 : début du nom, 2 : ailleurs dans le nom, None : absent."""
    if nom == requete:
        return 0
    if nom.startswith(requete):
        return 1
    return 2 if requete in nom else None


def chercher_communes(
    texte: str, limite: int = 10, chemin: Path | str = CHEMIN_COMMUNES
) -> list[Commune]:
    """Suggestions pour une saisie libre : nom (actuel ou ancien) ou code postal.

    Un code postal complet rend toutes ses communes, sans limite : l'utilisateur a désigné
    un ensemble précis. Un début de code postal filtre par préfixe.
    """
    return list(_chercher(texte.strip(), limite, chemin))


@lru_cache(maxsize=1024)
def _chercher(saisie: str, limite: int, chemin: Path | str) -> tuple[Commune, ...]:
    # Mémoïsé : la page redemande les suggestions de la même saisie à chaque clic (filtre,
    # fiche à remettre…), et le référentiel ne change pas tant que le processus vit.
    referentiel = _referentiel(chemin)
    if saisie.isdigit():
        if len(saisie) == 5:
            return tuple(communes_par_code_postal(saisie, chemin))
        prefixees = [
            (min(cp for cp in c.codes_postaux if cp.startswith(saisie)), -c.population, c.nom, c)
            for c in referentiel.communes
            if any(cp.startswith(saisie) for cp in c.codes_postaux)
        ]
        return tuple(c for *_, c in sorted(prefixees))[:limite]
    requete = normaliser(saisie)
    if not requete:
        return ()
    trouvees = []
    for commune, nom, anciens in referentiel.noms_normalises:
        # (rang, 0) pour le nom actuel, (rang, 1) pour un ancien nom : à rang égal, l'actuel
        # passe devant ; à nom égal, la commune la plus peuplée.
        candidats = [(_rang(requete, nom), 0), *((_rang(requete, a), 1) for a in anciens)]
        rangs = [(rang, ancien) for rang, ancien in candidats if rang is not None]
        if rangs:
            trouvees.append((min(rangs), -commune.population, commune.nom, commune))
    return tuple(c for *_, c in sorted(trouvees))[:limite]


def communes_nommees(nom: str, chemin: Path | str = CHEMIN_COMMUNES) -> tuple[Commune, ...]:
    """Communes actuelles désignées par un nom saisi (actuel ou d'avant fusion, tolérant)."""
    referentiel = _referentiel(chemin)
    cle = normaliser(nom)
    if not cle:
        return ()
    trouvees = referentiel.par_nom.get(cle) or referentiel.par_nom.get(_sans_article(cle))
    if trouvees:
        return trouvees
    # Début de nom sans ambiguïté (« Bourgoin » → Bourgoin-Jallieu) : une seule commune.
    prefixees = {c.code_insee: c for n, c in referentiel.noms_tries if n.startswith(cle + " ")}
    return tuple(prefixees.values()) if len(prefixees) == 1 else ()


def est_nom_de_commune(nom: str, chemin: Path | str = CHEMIN_COMMUNES) -> bool:
    """Vrai si le texte est exactement (à la normalisation près) le nom d'une commune."""
    return normaliser(nom) in _referentiel(chemin).par_nom


def commune_contenant(
    latitude: float, longitude: float, chemin: Path | str = CHEMIN_COMMUNES
) -> Commune | None:
    """La commune de l'Isère où tombe un point (à `TOLERANCE_DEGRES` près), None hors Isère.

    Dedans d'abord ; sinon la plus proche dans la tolérance (un point en limite va à la commune
    dont il est le plus près).
    """
    referentiel = _referentiel(chemin)
    point = Point(longitude, latitude)
    dedans = referentiel.arbre.query(point, predicate="within")
    if len(dedans) == 0:
        dedans = referentiel.arbre.query(point, predicate="dwithin", distance=TOLERANCE_DEGRES)
        if len(dedans) == 0:
            return None
        dedans = sorted(dedans, key=lambda i: referentiel.arbre.geometries[i].distance(point))
    return referentiel.communes[int(dedans[0])]


def dans_commune(
    code_insee: str, latitude: float, longitude: float, chemin: Path | str = CHEMIN_COMMUNES
) -> bool:
    """Vrai si le point tombe dans la commune, à `TOLERANCE_DEGRES` près."""
    commune = commune_par_code(code_insee, chemin)
    if commune is None:
        return False
    geometrie = _referentiel(chemin).geometries[commune.code_insee]
    return bool(shapely.dwithin(geometrie, Point(longitude, latitude), TOLERANCE_DEGRES))


def geometrie_commune(code: str, chemin: Path | str = CHEMIN_COMMUNES) -> BaseGeometry | None:
    """Le contour (WGS84) d'une commune actuelle ou d'un code de 2018 fusionné."""
    commune = commune_par_code(code, chemin)
    return None if commune is None else _referentiel(chemin).geometries[commune.code_insee]


def communes_geodataframe(chemin: Path | str = CHEMIN_COMMUNES) -> gpd.GeoDataFrame:
    """Les communes et leurs contours en GeoDataFrame (EPSG:4326), pour les cartes et jointures."""
    import geopandas as gpd  # import tardif : coûteux, inutile pour la recherche

    referentiel = _referentiel(chemin)
    return gpd.GeoDataFrame(
        [asdict(c) for c in referentiel.communes],
        geometry=[referentiel.geometries[c.code_insee] for c in referentiel.communes],
        crs="EPSG:4326",
    )
