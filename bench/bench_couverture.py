"""Banc de la table de couverture, comparée dans la même exécution à une boucle naïve par couple.

1. Données réelles (data/acteurs.csv dans une base neuve) : la table complète depuis la base
   (`couverture_de_la_base` : fiches publiques lues par l'index de recherche, puis calcul), à
   froid (index construit) et à chaud ; le calcul seul (`calculer`). Cible : < 1 s.
2. 10 000 ressources synthétiques (graine 42, réparties selon la population, chacune d'une aide
   mesurée, 5 % avec une zone couverte : commune, intercommunalité ou département) : le calcul
   seul et la table depuis une base. Cible : < 5 s.
Référence dans les deux cas : pour chaque commune, chaque aide et chaque ressource de l'aide,
une distance de haversine en Python pur (et la zone vérifiée commune par commune) ; les deux
tables doivent être identiques. Temps mur (médiane) et temps CPU : la machine est partagée.

    .venv/bin/python bench/bench_couverture.py
"""

from __future__ import annotations

import math
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.acteurs_synthetiques import COMMUNES, generer, inserer_en_masse
from cartographie import config
from cartographie.communes import charger_communes
from cartographie.couverture.calcul import (
    TableCouverture,
    calculer,
    couverture_de_la_base,
    ressources_des_acteurs,
)
from cartographie.couverture.types_d_aide import TYPES_PAR_AIDE, Aide
from cartographie.echanges.chargement import initialiser_base
from cartographie.recherche.index import RAYON_TERRE_KM
from cartographie.stockage import acteurs as depot_acteurs
from cartographie.stockage import communes as depot_communes
from cartographie.stockage.connexion import ouvrir

N_SYNTHETIQUES = 10_000
REPETITIONS = 5


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * RAYON_TERRE_KM * math.asin(math.sqrt(a))


def naif(communes, ressources) -> dict[tuple[str, Aide], tuple[float | None, str | None]]:
    """La référence : une boucle par couple (commune, ressource), sans numpy ni index."""
    table = {}
    for commune in communes:
        for aide in Aide:
            meilleure: tuple[float, str] | None = None
            dans_zone: tuple[float, str] | None = None
            for r in ressources:
                if r.aide is not aide:
                    continue
                d = _haversine(commune.latitude, commune.longitude, r.latitude, r.longitude)
                if commune.code_insee in r.zone and (dans_zone is None or d < dans_zone[0]):
                    dans_zone = (d, r.id)
                if meilleure is None or d < meilleure[0]:
                    meilleure = (d, r.id)
            if dans_zone is not None:
                table[commune.code_insee, aide] = (0.0, dans_zone[1])
            elif meilleure is not None:
                table[commune.code_insee, aide] = meilleure
            else:
                table[commune.code_insee, aide] = (None, None)
    return table


def ecart(table: TableCouverture, reference: dict) -> tuple[float, int]:
    """(plus grand écart de distance en km, couples dont la ressource diffère à distance égale
    près de 1 m : ex aequo départagés autrement)."""
    pire, autres = 0.0, 0
    for i, commune in enumerate(table.communes):
        for j, aide in enumerate(table.aides):
            d_ref, id_ref = reference[commune.code_insee, aide]
            d = float(table.distances[i, j])
            r = table.ressource(i, j)
            if d_ref is None:
                assert math.isnan(d)
                assert r is None
                continue
            pire = max(pire, abs(d - d_ref))
            if r.id != id_ref:
                autres += 1
    return pire, autres


def chronometrer(fonction, repetitions: int = REPETITIONS) -> tuple[float, float, object]:
    """(médiane du temps mur, médiane du temps CPU, dernier résultat)."""
    murs, cpus, resultat = [], [], None
    for _ in range(repetitions):
        debut, debut_cpu = time.perf_counter(), time.process_time()
        resultat = fonction()
        murs.append(time.perf_counter() - debut)
        cpus.append(time.process_time() - debut_cpu)
    return statistics.median(murs), statistics.median(cpus), resultat


def ressources_synthetiques(n: int, communes) -> list:
    """`n` fiches synthétiques, chacune d'un type mesuré ; 5 % ont une zone couverte."""
    hasard = random.Random(42)
    types = sorted({t for ts in TYPES_PAR_AIDE.values() for t in ts}, key=str)
    epci = sorted({c.epci_code for c in communes})
    fiches = []
    for acteur in generer(n):
        zone: tuple[str, ...] = ()
        if hasard.random() < 0.05:
            zone = hasard.choice(
                [(acteur.code_insee,), (hasard.choice(epci),), ("38",), (acteur.code_insee, "38")]
            )
        fiches.append(replace(acteur, type=hasard.choice(types), zone_eligibilite=zone))
    return fiches


def verdict(secondes: float, cible: float) -> str:
    return f"cible < {cible:g} s : {'OK' if secondes < cible else 'MANQUÉE'}"


def banc(nom: str, communes, fiches, con, cible: float) -> None:
    ressources, ecartees = ressources_des_acteurs(fiches, communes)
    print(f"\n{nom} : {len(ressources)} ressources mesurées ({len(ecartees)} écartées)")
    debut = time.perf_counter()
    couverture_de_la_base(con, COMMUNES)
    froid = time.perf_counter() - debut
    mur, cpu, _ = chronometrer(lambda: couverture_de_la_base(con, COMMUNES))
    print(
        f"  table depuis la base : {froid:.3f} s à froid (index de recherche construit),"
        f" {mur:.3f} s à chaud (CPU {cpu:.3f} s) — {verdict(max(froid, mur), cible)}"
    )
    mur_calcul, cpu_calcul, table = chronometrer(lambda: calculer(communes, ressources))
    tracemalloc.start()  # à part : le suivi des allocations ralentit ce qu'il mesure
    calculer(communes, ressources)
    _, pic = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"  calcul seul ({len(communes)} communes × {len(Aide)} aides) : {mur_calcul * 1000:.1f} ms"
        f" (CPU {cpu_calcul * 1000:.1f} ms), pic mémoire {pic / 1e6:.1f} Mo"
    )
    debut, debut_cpu = time.perf_counter(), time.process_time()
    reference = naif(communes, ressources)
    mur_naif, cpu_naif = time.perf_counter() - debut, time.process_time() - debut_cpu
    couples = sum(len(communes) * sum(r.aide is a for r in ressources) for a in Aide)
    print(
        f"  référence naïve ({couples:_} couples commune × ressource) : {mur_naif:.2f} s"
        f" (CPU {cpu_naif:.2f} s) ; ratio {mur_naif / mur_calcul:.0f}× (mur),"
        f" {cpu_naif / max(cpu_calcul, 1e-9):.0f}× (CPU)".replace("_", "\u202f")
    )
    pire, autres = ecart(table, reference)
    print(
        f"  mêmes résultats : écart de distance maximal {pire * 1000:.4f} m,"
        f" {autres} couple(s) départagé(s) autrement à égalité"
    )
    assert pire < 1e-3, "la table diffère de la référence"


def main() -> None:
    print(f"Charge de la machine (1 min) : {os.getloadavg()[0]:.1f} pour {os.cpu_count()} cœurs")
    communes = charger_communes(COMMUNES)
    with tempfile.TemporaryDirectory() as dossier:
        con = ouvrir(Path(dossier) / "reelle.duckdb")
        initialiser_base(con, config.DOSSIER_DONNEES / "acteurs.csv", COMMUNES)
        banc("Données réelles", communes, depot_acteurs.lister(con), con, 1.0)
        con.close()

        con = ouvrir(Path(dossier) / "synthetique.duckdb")
        depot_communes.synchroniser(con, COMMUNES)
        fiches = ressources_synthetiques(N_SYNTHETIQUES, communes)
        inserer_en_masse(con, fiches)
        banc(f"{N_SYNTHETIQUES} ressources synthétiques", communes, fiches, con, 5.0)
        con.close()


if __name__ == "__main__":
    main()
