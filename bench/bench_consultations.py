"""Banc du suivi des consultations : 10 000 événements de 20 fils, rien de perdu, coût par page.

Mesure ce que paie la page (construire l'événement + le déposer dans la file) et le compare, dans
la même exécution, à une écriture directe en base à chaque événement (ce qu'on éviterait).

    .venv/bin/python bench/bench_consultations.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cartographie.consultations.enregistreur import Enregistreur
from cartographie.consultations.evenements import evenement
from cartographie.stockage import consultations as depot
from cartographie.stockage.connexion import ouvrir

FILS = 20
PAR_FIL = 500
PAR_FIL_DIRECT = 50  # l'écriture directe est lente : un échantillon suffit


def recherche(session: uuid.UUID, i: int):
    return evenement(
        "recherche",
        "carte",
        session,
        types=["leao", "hebergement"][: 1 + i % 2],
        axes=["1"],
        publics=["femmes_victimes"],
        rayon_km=10,
    )


def lancer(fils: int, travail) -> list[float]:
    """Lance `fils` fils sur `travail(durees)` ; renvoie toutes les durées (secondes)."""
    durees: list[list[float]] = [[] for _ in range(fils)]
    depart = threading.Barrier(fils)

    def corps(k: int) -> None:
        depart.wait()
        travail(durees[k])

    tous = [threading.Thread(target=corps, args=(k,)) for k in range(fils)]
    for t in tous:
        t.start()
    for t in tous:
        t.join()
    return [d for liste in durees for d in liste]


def centile(valeurs: list[float], q: float) -> float:
    return statistics.quantiles(valeurs, n=100)[q - 1] if len(valeurs) > 1 else valeurs[0]


def main() -> int:
    with tempfile.TemporaryDirectory() as dossier:
        con = ouvrir(Path(dossier) / "banc.duckdb")
        enregistreur = Enregistreur(con.cursor)  # réglages par défaut : lots de 200, 2 s

        def par_file(durees: list[float]) -> None:
            session = uuid.uuid4()
            for i in range(PAR_FIL):
                t0 = time.perf_counter()
                enregistreur.noter(recherche(session, i))
                durees.append(time.perf_counter() - t0)

        debut = time.perf_counter()
        durees_file = lancer(FILS, par_file)
        depose = time.perf_counter() - debut
        enregistreur.arreter()
        total = time.perf_counter() - debut
        en_base = depot.compter_bruts(con)
        attendus = FILS * PAR_FIL

        def direct(durees: list[float]) -> None:
            cur = con.cursor()
            session = uuid.uuid4()
            for i in range(PAR_FIL_DIRECT):
                t0 = time.perf_counter()
                depot.inserer(cur, [recherche(session, i)])
                durees.append(time.perf_counter() - t0)
            cur.close()

        debut = time.perf_counter()
        durees_direct = lancer(FILS, direct)
        total_direct = time.perf_counter() - debut
        con.close()

    med_file = statistics.median(durees_file) * 1e3
    med_direct = statistics.median(durees_direct) * 1e3
    print(f"Événements notés : {attendus} ({FILS} fils × {PAR_FIL})")
    print(
        f"En base après arrêt : {en_base} ; perdus : {enregistreur.perdus} ;"
        f" écarts : {attendus - en_base}"
    )
    print(
        f"Dépôt de tous les événements : {depose:.2f} s ; écriture terminée : {total:.2f} s"
        f" ({attendus / total:.0f} événements/s de bout en bout)"
    )
    print(
        f"Coût sur le chemin de la page (file) : médiane {med_file:.4f} ms,"
        f" p95 {centile(durees_file, 95) * 1e3:.4f} ms, p99 {centile(durees_file, 99) * 1e3:.4f} ms,"
        f" max {max(durees_file) * 1e3:.2f} ms"
    )
    print(
        f"Référence, écriture directe à chaque événement ({FILS} fils × {PAR_FIL_DIRECT}) :"
        f" médiane {med_direct:.3f} ms, p95 {centile(durees_direct, 95) * 1e3:.3f} ms"
        f" ({FILS * PAR_FIL_DIRECT / total_direct:.0f} événements/s)"
    )
    print(f"Rapport médianes écriture directe / file : {med_direct / med_file:.0f}×")
    print(f"Objectif < 2 ms de médiane sur la page : {'tenu' if med_file < 2 else 'MANQUÉ'}")
    return 0 if en_base == attendus and enregistreur.perdus == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
