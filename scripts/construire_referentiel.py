"""Construit `data/isere_communes.geojson`, le référentiel des communes actuelles de l'Isère.

Les contours de 2018 (IGN Admin Express) sont fusionnés selon le découpage COG 2026 d'Etalab :
chaque commune actuelle est l'union de ses parties de 2018 (son code et ses `anciensCodes`).
La sortie est déterministe (triée, JSON stable) pour qu'une reconstruction soit identique à
l'octet près et que le fichier se relise en diff, une commune par ligne.

Usage : `.venv/bin/python scripts/construire_referentiel.py [--sortie F] [--territoires F]`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

RACINE = Path(__file__).resolve().parents[1]
SORTIE = RACINE / "data" / "isere_communes.geojson"
TERRITOIRES = RACINE / "data" / "territoires.csv"
DEPARTEMENT = "38"
DECIMALES = 5
TAILLE_MAX = 2_000_000
"""Au-delà, la carte se charge mal dans le navigateur : il faudrait simplifier."""

COLONNES_TERRITOIRES = ("code_insee", "nom", "territoire")
_FORMES_JURIDIQUES = ("CC ", "CA ", "CU ")
_ARTICLES = ("de la ", "de l'", "du ", "des ", "de ")


class ErreurReferentiel(Exception):
    """Une source ou `territoires.csv` est incohérente ; le message s'adresse à qui l'édite."""


@dataclass(frozen=True, slots=True)
class Sources:
    """Chemins des fichiers de `shared/data/sources` utilisés."""

    contours_2018: Path
    communes: Path
    epci: Path

    @classmethod
    def depuis(cls, shared: Path) -> Sources:
        """Les sources sous un dossier `shared/`."""
        sources = shared / "data" / "sources"
        decoupage = sources / "decoupage-administratif-6.0.0"
        return cls(
            sources / "communes-38-isere-2018.geojson",
            decoupage / "communes.json",
            decoupage / "epci.json",
        )


def dossier_shared() -> Path:
    """`../shared` à côté du dépôt, sauf si `CARTOGRAPHIE_SHARED` désigne un autre dossier."""
    return Path(os.environ.get("CARTOGRAPHIE_SHARED") or RACINE.parent / "shared")


def nom_territoire(nom_epci: str) -> str:
    """Le nom d'usage d'un EPCI (« CC du Trièves » → « Trièves »), celui du terrain."""
    nom = nom_epci
    for forme in _FORMES_JURIDIQUES:
        nom = nom.removeprefix(forme)
    for article in _ARTICLES:
        if nom.startswith(article):
            return nom.removeprefix(article)
    return nom


def _cle_nom(nom: str) -> str:
    """Clé de comparaison sans article initial : « Ferrière » (IGN) et « La Ferrière » (COG)."""
    cle = nom.casefold()
    for article in ("les ", "le ", "la ", "l'"):
        cle = cle.removeprefix(article)
    return cle


def _lire_json(chemin: Path) -> Any:
    try:
        return json.loads(chemin.read_text(encoding="utf-8"))
    except FileNotFoundError as erreur:
        raise ErreurReferentiel(f"Source introuvable : {chemin}") from erreur


def _rattachements_epci(epcis: Iterable[dict], codes: set[str]) -> dict[str, tuple[str, str]]:
    """Commune → (code, nom) de son EPCI ; chaque commune doit en avoir exactement un."""
    rattachements: dict[str, tuple[str, str]] = {}
    for epci in epcis:
        for membre in epci["membres"]:
            code = membre["code"]
            if code not in codes:
                continue  # les EPCI à cheval sur deux départements ont des membres hors Isère
            if code in rattachements:
                raise ErreurReferentiel(f"La commune {code} appartient à deux EPCI.")
            rattachements[code] = (epci["code"], epci["nom"])
    orphelines = sorted(codes - rattachements.keys())
    if orphelines:
        raise ErreurReferentiel(f"Communes sans EPCI : {', '.join(orphelines)}")
    return rattachements


def ecrire_territoires(chemin: Path, lignes: Iterable[tuple[str, str, str]]) -> None:
    """Écrit `territoires.csv` (code_insee, nom, territoire), trié par code."""
    chemin.parent.mkdir(parents=True, exist_ok=True)
    with chemin.open("w", encoding="utf-8", newline="") as fichier:
        ecrivain = csv.writer(fichier, lineterminator="\n")
        ecrivain.writerow(COLONNES_TERRITOIRES)
        ecrivain.writerows(sorted(lignes))


def lire_territoires(chemin: Path, noms: dict[str, str]) -> dict[str, str]:
    """Code INSEE → territoire ; toute incohérence arrête la construction avec un message clair."""
    texte = chemin.read_text(encoding="utf-8-sig")  # Excel ajoute parfois un BOM
    entete = texte.partition("\n")[0]
    # Un tableur réglé en français réenregistre le CSV avec des points-virgules.
    separateur = ";" if ";" in entete and "," not in entete else ","
    lecteur = csv.DictReader(texte.splitlines(), delimiter=separateur)
    manquantes = {"code_insee", "territoire"} - set(lecteur.fieldnames or ())
    if manquantes:
        raise ErreurReferentiel(
            f"{chemin.name} : colonne(s) absente(s) : {', '.join(sorted(manquantes))}."
        )
    territoires: dict[str, str] = {}
    erreurs: list[str] = []
    for numero, ligne in enumerate(lecteur, start=2):
        code = (ligne["code_insee"] or "").strip()
        territoire = (ligne["territoire"] or "").strip()
        if code not in noms:
            erreurs.append(
                f"ligne {numero} : « {code} » n'est pas le code INSEE "
                "d'une commune actuelle de l'Isère"
            )
        elif code in territoires:
            erreurs.append(f"ligne {numero} : la commune {code} ({noms[code]}) est en double")
        elif not territoire:
            erreurs.append(f"ligne {numero} : territoire vide pour {code} ({noms[code]})")
        else:
            territoires[code] = territoire
    absentes = sorted(noms.keys() - territoires.keys())
    if absentes:
        liste = ", ".join(f"{code} ({noms[code]})" for code in absentes)
        erreurs.append(f"commune(s) absente(s) du fichier : {liste}")
    if erreurs:
        raise ErreurReferentiel(
            f"{chemin} est incohérent, chaque commune doit y figurer une fois :\n- "
            + "\n- ".join(erreurs)
            + "\nCorrigez le fichier, ou relancez avec --regenerer-territoires "
            "pour revenir à un territoire par EPCI."
        )
    return territoires


def _arrondir(coordonnees: Any) -> Any:
    """Arrondit récursivement les coordonnées GeoJSON (5 décimales ≈ 1 m)."""
    if isinstance(coordonnees, float | int):
        return round(float(coordonnees), DECIMALES)
    return [_arrondir(c) for c in coordonnees]


def fusionner(parties: Sequence[BaseGeometry], code: str) -> dict:
    """Union des parties de 2018, arrondie, orientée (RFC 7946) et vérifiée valide."""
    # Les contours de 2018 forment une couverture (bords partagés identiques) : l'union de
    # couverture est exacte et ne crée ni interstice ni trou.
    union = shapely.orient_polygons(shapely.coverage_union_all(list(parties)))
    geometrie = _arrondir(mapping(union)["coordinates"])
    geojson = {"type": union.geom_type, "coordinates": geometrie}
    if not shape(geojson).is_valid:
        reparee = shapely.orient_polygons(shapely.make_valid(shape(geojson)))
        geojson = {
            "type": reparee.geom_type,
            "coordinates": _arrondir(mapping(reparee)["coordinates"]),
        }
        if reparee.geom_type not in ("Polygon", "MultiPolygon") or not shape(geojson).is_valid:
            raise ErreurReferentiel(f"Géométrie invalide pour la commune {code}.")
    return geojson


def point_representatif(geojson: dict, code: str) -> list[float]:
    """Un point garanti dans la commune (pas le centroïde, qui peut tomber dehors)."""
    geometrie = shape(geojson)
    point = geometrie.representative_point()
    arrondi = [round(point.x, DECIMALES), round(point.y, DECIMALES)]
    if not geometrie.contains(shapely.Point(arrondi)):
        raise ErreurReferentiel(f"Le point représentatif de {code} sort de la commune.")
    return arrondi


def _anciens_noms(nom: str, noms_2018: Iterable[str], noms_delegues: Iterable[str]) -> list[str]:
    """Noms antérieurs distincts du nom actuel ; la graphie COG (avec article) l'emporte."""
    vus = {_cle_nom(nom): nom}
    for ancien in [*noms_delegues, *noms_2018]:
        vus.setdefault(_cle_nom(ancien), ancien)
    del vus[_cle_nom(nom)]
    return sorted(vus.values())


def construire(
    sources: Sources,
    sortie: Path = SORTIE,
    territoires: Path = TERRITOIRES,
    *,
    regenerer_territoires: bool = False,
) -> int:
    """Écrit le GeoJSON des communes (et `territoires.csv` s'il manque) ; rend sa taille."""
    isere = [c for c in _lire_json(sources.communes) if c.get("departement") == DEPARTEMENT]
    communes = sorted(
        (c for c in isere if c["type"] == "commune-actuelle"), key=lambda c: c["code"]
    )
    noms = {c["code"]: c["nom"] for c in communes}
    epci = _rattachements_epci(_lire_json(sources.epci), set(noms))
    delegues: dict[str, list[str]] = {}
    for c in isere:
        if c["type"] == "commune-deleguee":
            delegues.setdefault(c["chefLieu"], []).append(c["nom"])

    if regenerer_territoires or not territoires.exists():
        ecrire_territoires(
            territoires, ((code, noms[code], nom_territoire(epci[code][1])) for code in noms)
        )
    # Les territoires sont vérifiés avant le calcul des géométries : une erreur de saisie
    # doit arrêter vite, avec un message lisible.
    territoire_de = lire_territoires(territoires, noms)

    contours = _lire_json(sources.contours_2018)["features"]
    parties_2018 = {f["properties"]["code"]: f for f in contours}
    entites: list[str] = []
    utilises: set[str] = set()
    for commune in communes:
        code = commune["code"]
        codes_2018 = sorted({code, *commune.get("anciensCodes", ())} & parties_2018.keys())
        if not codes_2018:
            raise ErreurReferentiel(f"Aucun contour de 2018 pour la commune {code}.")
        utilises.update(codes_2018)
        geometrie = fusionner([shape(parties_2018[c]["geometry"]) for c in codes_2018], code)
        proprietes = {
            "code_insee": code,
            "nom": commune["nom"],
            "codes_postaux": sorted(commune["codesPostaux"]),
            "population": int(commune["population"]),
            "epci_code": epci[code][0],
            "epci_nom": epci[code][1],
            "territoire": territoire_de[code],
            "anciens_codes": [c for c in codes_2018 if c != code],
            "anciens_noms": _anciens_noms(
                commune["nom"],
                (parties_2018[c]["properties"]["nom"] for c in codes_2018),
                delegues.get(code, ()),
            ),
            "point_representatif": point_representatif(geometrie, code),
        }
        entite = {"type": "Feature", "properties": proprietes, "geometry": geometrie}
        entites.append(json.dumps(entite, ensure_ascii=False, separators=(",", ":")))
    orphelins = sorted(parties_2018.keys() - utilises)
    if orphelins:
        raise ErreurReferentiel(f"Contours de 2018 rattachés à aucune commune : {orphelins}")

    texte = '{"type":"FeatureCollection","features":[\n' + ",\n".join(entites) + "\n]}\n"
    contenu = texte.encode("utf-8")
    if len(contenu) > TAILLE_MAX:
        raise ErreurReferentiel(f"{len(contenu)} octets : au-delà de {TAILLE_MAX}, simplifier.")
    sortie.parent.mkdir(parents=True, exist_ok=True)
    sortie.write_bytes(contenu)
    return len(contenu)


def main(arguments: Sequence[str] | None = None) -> int:
    """Point d'entrée en ligne de commande ; code de sortie 1 et message en français si erreur."""
    analyseur = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analyseur.add_argument("--sortie", type=Path, default=SORTIE, help="GeoJSON à écrire")
    analyseur.add_argument(
        "--territoires", type=Path, default=TERRITOIRES, help="CSV commune → territoire"
    )
    analyseur.add_argument(
        "--regenerer-territoires",
        action="store_true",
        help="réécrit le CSV des territoires (un par EPCI), en écrasant les modifications",
    )
    options = analyseur.parse_args(arguments)
    try:
        taille = construire(
            Sources.depuis(dossier_shared()),
            options.sortie,
            options.territoires,
            regenerer_territoires=options.regenerer_territoires,
        )
    except ErreurReferentiel as erreur:
        print(f"Erreur : {erreur}", file=sys.stderr)
        return 1
    print(f"{options.sortie} : {taille / 1e6:.2f} Mo")
    return 0


if __name__ == "__main__":
    sys.exit(main())
