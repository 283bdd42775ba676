"""Construit static/carte/communes.json : les contours des communes tels que la carte les dessine.

La carte ne met pas ces 600 Ko de polygones dans chaque page (ils repartiraient à chaque
interaction) : le navigateur charge une fois ce fichier servi par l'application et le garde en
cache. Contours simplifiés (~50 m, invisible à l'échelle du département), coordonnées à 4
décimales, seules les propriétés utiles à la carte. Rejoué par `make referentiel`.

Usage : python scripts/construire_couche_communes.py [--verifier]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from shapely.geometry import mapping, shape

RACINE = Path(__file__).resolve().parents[1]
SOURCE = RACINE / "data" / "isere_communes.geojson"
CIBLE = RACINE / "static" / "carte" / "communes.json"
TOLERANCE_DEGRES = 0.0005


def _arrondir(coordonnees: object) -> object:
    if isinstance(coordonnees, (list, tuple)) and coordonnees and isinstance(coordonnees[0], float):
        return [round(coordonnees[0], 4), round(coordonnees[1], 4)]
    return [_arrondir(c) for c in coordonnees]  # type: ignore[union-attr]


def construire(source: Path = SOURCE) -> str:
    """Le contenu du fichier de la couche, déterministe pour une même source."""
    entites = json.loads(source.read_text("utf-8"))["features"]
    sortie = []
    for entite in sorted(entites, key=lambda e: e["properties"]["code_insee"]):
        p = entite["properties"]
        geometrie = shape(entite["geometry"]).simplify(TOLERANCE_DEGRES, preserve_topology=True)
        sortie.append(
            {
                "type": "Feature",
                "properties": {
                    "code": p["code_insee"],
                    "nom": p["nom"],
                    "territoire": p["territoire"],
                },
                "geometry": {
                    "type": geometrie.geom_type,
                    "coordinates": _arrondir(mapping(geometrie)["coordinates"]),
                },
            }
        )
    collection = {"type": "FeatureCollection", "features": sortie}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"


def main(argv: list[str]) -> int:
    """Écrit la couche, ou (--verifier) dit si elle est à jour."""
    contenu = construire()
    if "--verifier" in argv:
        a_jour = CIBLE.exists() and CIBLE.read_text("utf-8") == contenu
        print("à jour" if a_jour else "périmée : relancer scripts/construire_couche_communes.py")
        return 0 if a_jour else 1
    CIBLE.parent.mkdir(parents=True, exist_ok=True)
    CIBLE.write_text(contenu, "utf-8")
    print(f"{CIBLE.relative_to(RACINE)} : {len(contenu) // 1024} Ko")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
