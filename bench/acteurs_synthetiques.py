"""Générateur d'acteurs synthétiques pour les bancs : 1k / 10k / 100k, graine fixe (42).

Les acteurs sont répartis sur les communes de l'Isère au prorata de leur population (Grenoble
en reçoit beaucoup, un village de montagne peu), placés au hasard à l'intérieur du contour de
leur commune ; ~5 % ont une adresse confidentielle. Types, axes et publics tirés au hasard.

    .venv/bin/python bench/acteurs_synthetiques.py 10000   # affiche un résumé
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import duckdb
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shapely.geometry import Point

from cartographie import config
from cartographie.communes import charger_communes, geometrie_commune
from cartographie.modele import Acteur, Axe, Precision, Public, TypeActeur
from cartographie.stockage.acteurs import COLONNES_STOCKEES, vers_ligne

COMMUNES = config.DOSSIER_DONNEES / "isere_communes.geojson"
TAILLES = (1_000, 10_000, 100_000)
MOTS = ("écoute", "accueil", "juridique", "hébergement", "enfants", "santé", "insertion", "aide")


def generer(n: int, graine: int = 42) -> list[Acteur]:
    """`n` acteurs actifs reproductibles, répartis selon la population des communes."""
    hasard = random.Random(graine)
    communes = charger_communes(COMMUNES)
    poids = [max(c.population, 1) for c in communes]
    types, axes, publics = list(TypeActeur), list(Axe), list(Public)
    acteurs = []
    for i, commune in enumerate(hasard.choices(communes, weights=poids, k=n)):
        forme = geometrie_commune(commune.code_insee, COMMUNES)
        xmin, ymin, xmax, ymax = forme.bounds
        for _ in range(50):
            lon, lat = hasard.uniform(xmin, xmax), hasard.uniform(ymin, ymax)
            if forme.contains(Point(lon, lat)):
                break
        else:
            lat, lon = commune.latitude, commune.longitude
        type_ = hasard.choice(types)
        acteurs.append(
            Acteur(
                id=f"synthetique-{i:06d}",
                nom=f"{type_.libelle} {commune.nom} n° {i}",
                type=type_,
                code_insee=commune.code_insee,
                commune=commune.nom,
                structure=f"Association {hasard.choice(MOTS)} {i % 977}",
                description=" ".join(hasard.sample(MOTS, 3)),
                adresse=f"{hasard.randint(1, 120)} rue de l'Exemple",
                code_postal=commune.codes_postaux[0],
                latitude=round(lat, 6),
                longitude=round(lon, 6),
                telephone=f"04 76 {hasard.randint(10, 99)} {hasard.randint(10, 99)} {hasard.randint(10, 99)}",
                horaires_accueil="Lundi au vendredi, 9 h – 17 h",
                axes=tuple(hasard.sample(axes, hasard.randint(1, 2))),
                publics=tuple(hasard.sample(publics, hasard.randint(1, 3))),
                precision_localisation=Precision.ADRESSE,
                adresse_confidentielle=hasard.random() < 0.05,
            )
        )
    return acteurs


def inserer_en_masse(con: duckdb.DuckDBPyConnection, acteurs: list[Acteur]) -> None:
    """Insertion rapide par une table Arrow (executemany ligne à ligne serait trop lent à 100k)."""
    lignes = [vers_ligne(a) for a in acteurs]
    colonnes = {nom: [ligne[i] for ligne in lignes] for i, nom in enumerate(COLONNES_STOCKEES)}
    con.register("lot_synthetique", pa.table(colonnes))
    liste = ", ".join(COLONNES_STOCKEES)
    try:
        con.execute(f"INSERT INTO acteur ({liste}) SELECT {liste} FROM lot_synthetique")
    finally:
        con.unregister("lot_synthetique")


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
    echantillon = generer(n)
    par_commune: dict[str, int] = {}
    for a in echantillon:
        par_commune[a.commune] = par_commune.get(a.commune, 0) + 1
    print(
        f"{n} acteurs ; communes les plus servies :",
        sorted(par_commune.items(), key=lambda x: -x[1])[:5],
    )
