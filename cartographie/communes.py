"""Le référentiel des communes actuelles de l'Isère : chargement, correspondances, recherche.

Lit `data/isere_communes.geojson` (construit par `scripts/construire_referentiel.py`). Un
acteur n'est rattaché qu'à une commune de 2026 ; les codes et noms de 2018 ne servent qu'à
retrouver cette commune. Pur Python : jamais d'import de streamlit ici.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict, dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from shapely.geometry import shape

if TYPE_CHECKING:
    import geopandas as gpd
    from shapely.geometry.base import BaseGeometry

CHEMIN_COMMUNES = Path(__file__).resolve().parents[1] / "data" / "isere_communes.geojson"

_ABREVIATIONS = {"st": "saint", "ste": "sainte"}
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})
_SEPARATEURS = re.compile(r"[^0-9a-z]+")


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


@dataclass(frozen=True, slots=True)
class _Referentiel:
    """Les communes et leurs index, construits une fois par fichier."""

    communes: tuple[Commune, ...]
    geometries: dict[str, BaseGeometry]
    par_code: dict[str, Commune]
    par_code_postal: dict[str, tuple[Commune, ...]]
    noms_normalises: tuple[tuple[Commune, str, tuple[str, ...]], ...]


def sans_accents(texte: str) -> str:
    """Minuscules sans accents, ligatures dépliées (« Œuvre » → « oeuvre ») ; le reste intact."""
    decompose = unicodedata.normalize("NFKD", texte.casefold().translate(_LIGATURES))
    if decompose.isascii():
        return decompose
    sans = _diacritiques().sub("", decompose)
    if sans.isascii() or max(sans) <= "\uffff":
        return sans
    # Hors du plan multilingue de base (rare) : caractère par caractère.
    return "".join(c for c in sans if not unicodedata.combining(c))


@cache
def _diacritiques() -> re.Pattern[str]:
    """Les signes combinants du plan multilingue de base, en une classe de caractères.

    Quatre fois plus rapide qu'un test par caractère : l'index de recherche normalise le texte
    de chaque fiche quand il se reconstruit.
    """
    signes = "".join(chr(c) for c in range(0x10000) if unicodedata.combining(chr(c)))
    return re.compile(f"[{re.escape(signes)}]")


def normaliser(texte: str) -> str:
    """Forme de comparaison : minuscules sans accents, « st » → « saint », ponctuation → espace."""
    mots = _SEPARATEURS.split(sans_accents(texte))
    return " ".join(_ABREVIATIONS.get(mot, mot) for mot in mots if mot)


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
    return _Referentiel(
        communes=communes,
        geometries={e["properties"]["code_insee"]: shape(e["geometry"]) for e in entites},
        par_code=par_code,
        par_code_postal={cp: _par_population(cs) for cp, cs in par_code_postal.items()},
        noms_normalises=tuple(
            (c, normaliser(c.nom), tuple(normaliser(n) for n in c.anciens_noms)) for c in communes
        ),
    )


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
    referentiel = _referentiel(chemin)
    saisie = texte.strip()
    if saisie.isdigit():
        if len(saisie) == 5:
            return communes_par_code_postal(saisie, chemin)
        prefixees = [
            (min(cp for cp in c.codes_postaux if cp.startswith(saisie)), -c.population, c.nom, c)
            for c in referentiel.communes
            if any(cp.startswith(saisie) for cp in c.codes_postaux)
        ]
        return [c for *_, c in sorted(prefixees)][:limite]
    requete = normaliser(saisie)
    if not requete:
        return []
    trouvees = []
    for commune, nom, anciens in referentiel.noms_normalises:
        # (rang, 0) pour le nom actuel, (rang, 1) pour un ancien nom : à rang égal, l'actuel
        # passe devant ; à nom égal, la commune la plus peuplée.
        candidats = [(_rang(requete, nom), 0), *((_rang(requete, a), 1) for a in anciens)]
        rangs = [(rang, ancien) for rang, ancien in candidats if rang is not None]
        if rangs:
            trouvees.append((min(rangs), -commune.population, commune.nom, commune))
    return [c for *_, c in sorted(trouvees)][:limite]


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
