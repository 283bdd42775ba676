"""Banc de la réexécution : le temps CPU du serveur pour une recherche, comparé à une référence.

    .venv/bin/python bench/bench_reexecution.py                      # référence : 9e40bb4
    .venv/bin/python bench/bench_reexecution.py --reference HEAD~3 --recherches 40

Pour chaque arbre de code (la référence, extraite dans un `git worktree` temporaire, puis
l'arbre courant), dans le même passage et sur les mêmes données (`data/acteurs.csv` de
chaque arbre, base DuckDB neuve) : un vrai processus `streamlit run app.py`, et une session
WebSocket qui fait ce que fait l'onglet. Elle ouvre un lien partagé, puis enchaîne des
recherches : une commune tapée dans « Adresse, commune ou code postal » (une sur deux avec des
mots dans « Mots dans le nom… »). Chaque recherche attend la fin du script (la liste à jour).

On mesure le temps CPU consommé par le processus serveur pendant chaque réexécution
(`/proc/<pid>/stat`, utime + stime, au centième de seconde : la médiane est donc arrondie à
10 ms, la moyenne est plus fine) et le temps jusqu'à la liste à jour. Cible : médiane ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE))

from scripts import flux_streamlit, grappe_postgresql, lancer_plusieurs  # noqa: E402

TICS_PAR_S = os.sysconf("SC_CLK_TCK")
LIBELLE_LIEU = "Adresse, commune ou code postal"
LIBELLE_MOTS = "Mots dans le nom, la structure ou la description"
MOTS = ("écoute", "juridique", "enfants", "accueil", "hébergement")
REFERENCE = "9e40bb4"  # le code avant l'allègement de la réexécution


@dataclass
class Mesure:
    cpu_ms: float
    duree_ms: float


def cpu_s(pid: int) -> float:
    """Temps CPU cumulé (utilisateur + système) du processus, fils d'exécution morts compris."""
    champs = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(champs[11]) + int(champs[12])) / TICS_PAR_S


class Session:
    """Un onglet : la page d'accueil, ses champs texte repérés par leur libellé."""

    def __init__(self, base: str) -> None:
        self._ws = flux_streamlit.ouvrir_flux(base, flux_streamlit.premiers_temoins(base, 60), 60)
        self.champs: dict[str, str] = {}
        self.page = ""
        self.requete = ""

    def executer(self, requete: str, valeurs: dict[str, str]) -> None:
        """Une réexécution avec ces champs texte (libellé → valeur) ; attend la fin du script."""
        message = BackMsg()
        message.rerun_script.query_string = requete
        message.rerun_script.page_script_hash = self.page
        for libelle, valeur in valeurs.items():
            widget = message.rerun_script.widget_states.widgets.add()
            widget.id = self.champs[libelle]
            widget.string_value = valeur
        self._ws.send(message.SerializeToString())
        champs, page = flux_streamlit.attendre_fin(self._ws, 120)
        self.champs.update(champs)
        self.page = page or self.page

    def fermer(self) -> None:
        self._ws.close()


@contextmanager
def application(racine: Path, dossier: Path) -> Iterator[tuple[str, int]]:
    """Le processus Streamlit de l'arbre `racine`, sur une base DuckDB neuve."""
    base = str(dossier / "base.duckdb")
    env = {**os.environ, "CARTOGRAPHIE_BASE": base, "PYTHONPATH": str(racine)}
    subprocess.run(
        [sys.executable, "-m", "cartographie", "initialiser"],
        cwd=racine,
        env=env,
        check=True,
        capture_output=True,
    )
    port = grappe_postgresql.port_libre()
    lance = lancer_plusieurs.lancer_application(
        port, base, journal=dossier / "app.log", racine=racine
    )
    try:
        lancer_plusieurs.attendre_http(f"http://127.0.0.1:{port}/_stcore/health", lance)
        yield f"http://127.0.0.1:{port}", lance.pid
    finally:
        lance.terminate()
        lance.wait(timeout=30)


def mesurer(racine: Path, communes: list[tuple[str, str]], echauffement: int) -> list[Mesure]:
    """Les recherches d'une session sur l'application de `racine` ; l'échauffement non compté."""
    with (
        tempfile.TemporaryDirectory(prefix="bench-reexecution-") as temporaire,
        application(racine, Path(temporaire)) as (base, pid),
    ):
        session = Session(base)
        try:
            code, _ = communes[0]
            requete = f"commune={code}&rayon=20"
            session.executer(requete, {})  # le lien partagé : index, caches, carte
            mesures = []
            for rang, (_, nom) in enumerate(communes[1:]):
                valeurs = {LIBELLE_LIEU: nom}
                if LIBELLE_MOTS in session.champs:
                    valeurs[LIBELLE_MOTS] = MOTS[rang % len(MOTS)] if rang % 2 else ""
                avant, debut = cpu_s(pid), time.perf_counter()
                session.executer(requete, valeurs)
                duree, cpu = time.perf_counter() - debut, cpu_s(pid) - avant
                if rang >= echauffement:
                    mesures.append(Mesure(cpu * 1000, duree * 1000))
            return mesures
        finally:
            session.fermer()


@contextmanager
def arbre_de_reference(reference: str) -> Iterator[Path]:
    """Le code de `reference`, extrait à côté le temps du banc."""
    with tempfile.TemporaryDirectory(prefix="bench-reference-") as temporaire:
        chemin = Path(temporaire) / "arbre"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--quiet", str(chemin), reference],
            cwd=RACINE,
            check=True,
        )
        try:
            yield chemin
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(chemin)],
                cwd=RACINE,
                check=False,
            )


def resumer(nom: str, mesures: list[Mesure]) -> dict[str, float]:
    cpu = sorted(m.cpu_ms for m in mesures)
    duree = sorted(m.duree_ms for m in mesures)
    bilan = {
        "cpu_mediane_ms": round(statistics.median(cpu), 1),
        "cpu_moyenne_ms": round(statistics.fmean(cpu), 1),
        "cpu_p90_ms": round(cpu[int(0.9 * (len(cpu) - 1))], 1),
        "duree_mediane_ms": round(statistics.median(duree), 1),
        "duree_p90_ms": round(duree[int(0.9 * (len(duree) - 1))], 1),
    }
    print(f"{nom} ({len(mesures)} recherches) : " + ", ".join(f"{k} {v}" for k, v in bilan.items()))
    return bilan


def main(argv: list[str] | None = None) -> int:
    analyseur = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analyseur.add_argument("--reference", default=REFERENCE, help="commit de référence")
    analyseur.add_argument("--recherches", type=int, default=40)
    analyseur.add_argument("--echauffement", type=int, default=5)
    args = analyseur.parse_args(argv)
    donnees = json.loads((RACINE / "data" / "isere_communes.geojson").read_text())
    proprietes = [f["properties"] for f in donnees["features"]]
    tirees = random.Random(42).sample(proprietes, args.recherches + args.echauffement + 1)
    communes = [(p["code_insee"], p["nom"]) for p in tirees]
    with arbre_de_reference(args.reference) as ancien:
        avant = resumer(f"référence {args.reference}", mesurer(ancien, communes, args.echauffement))
    apres = resumer("code courant", mesurer(RACINE, communes, args.echauffement))
    for cle in ("cpu_mediane_ms", "cpu_moyenne_ms", "duree_mediane_ms"):
        if apres[cle]:
            print(f"rapport {cle} référence / courant : {avant[cle] / apres[cle]:.1f}×")
    cible = apres["cpu_mediane_ms"] <= 50
    print(f"cible médiane CPU ≤ 50 ms : {'atteinte' if cible else 'non atteinte'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
