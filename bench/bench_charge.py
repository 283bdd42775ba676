"""Banc de charge : des sessions WebSocket qui ouvrent un lien partagé puis cherchent.

    .venv/bin/python bench/bench_charge.py                     # 50 sessions, puis 200
    .venv/bin/python bench/bench_charge.py --sessions 20 --vague 0

Chaque session fait ce que fait un onglet : elle se connecte au flux de Streamlit, ouvre la
page d'accueil avec un lien partagé (`?commune=…&rayon=20`, une commune par session) et attend
la fin du script (la liste à jour) ; puis elle tape des mots dans « Mots dans le nom… » et
attend de nouveau la liste. On imprime, pour chaque configuration, p50/p95 du temps de connexion
(page demandée → flux ouvert) et du temps jusqu'à la liste, les erreurs, la première et la
dernière réponse, le plus long silence (aucune page ne finit, sessions lancées comprises), et la
mémoire des processus serveur (avant, au plus fort, 15 s après la fermeture, et une fois les
sessions fermées oubliées par Streamlit, `--no-expiration` pour ne pas l'attendre).

Configurations, dans le même passage :
- DuckDB, 1 processus (`make run`) ;
- PostgreSQL, 2 processus derrière nginx (`make run-multi`).
Tout tourne sur 127.0.0.1 (grappe PostgreSQL jetable, ports libres), borné en nombre et en
temps, et s'arrête de lui-même.
"""

from __future__ import annotations

import argparse
import json
import os
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE))

from scripts import flux_streamlit, grappe_postgresql, lancer_plusieurs  # noqa: E402

# Un contexte TLS pour toutes les sessions (le banc ne parle qu'en http) : en créer un par
# client relit les certificats, ~40 ms de CPU du banc par session, sur les mêmes cœurs que le
# serveur mesuré.
_TLS = ssl.create_default_context()
DELAI_S = 120.0
EXPIRATION_S = 130  # server.disconnectedSessionTTL (120 s) et une marge
LIBELLE_MOTS = "Mots dans le nom, la structure ou la description"
MOTS = ("écoute", "juridique", "enfants", "accueil", "hébergement")


@dataclass
class Mesure:
    ouverture: float | None = None  # lien partagé → liste à jour (s)
    connexion: float | None = None  # arrivée (page demandée) → flux WebSocket ouvert (s)
    recherche: float | None = None  # mots tapés → liste à jour (s)
    erreur: str = ""
    fin_ouverture: float = 0.0  # instant (monotonic) de la réponse


@dataclass
class Bilan:
    nom: str
    mesures: list[Mesure] = field(default_factory=list)
    memoire_mo: dict[str, float] = field(default_factory=dict)
    debut: float = 0.0

    def imprimer(self) -> dict:
        ok = [m for m in self.mesures if not m.erreur]
        ouvertures = sorted(m.ouverture for m in ok if m.ouverture is not None)
        recherches = sorted(m.recherche for m in ok if m.recherche is not None)
        premieres = sorted(m.fin_ouverture - self.debut for m in ok if m.fin_ouverture)
        connexions = sorted(m.connexion for m in ok if m.connexion is not None)
        resume = {
            "configuration": self.nom,
            "sessions": len(self.mesures),
            "erreurs": len(self.mesures) - len(ok),
            "connexion_p50_s": _q(connexions, 0.5),
            "connexion_p95_s": _q(connexions, 0.95),
            "ouverture_p50_s": _q(ouvertures, 0.5),
            "ouverture_p95_s": _q(ouvertures, 0.95),
            "recherche_p50_s": _q(recherches, 0.5),
            "recherche_p95_s": _q(recherches, 0.95),
            "premiere_reponse_s": round(premieres[0], 2) if premieres else None,
            "derniere_reponse_s": round(premieres[-1], 2) if premieres else None,
            "silence_max_s": round(
                max(b - a for a, b in zip([0.0, *premieres], premieres, strict=False)), 2
            )
            if premieres
            else None,
            "memoire_mo": self.memoire_mo,
        }
        erreurs = sorted({m.erreur for m in self.mesures if m.erreur})
        if erreurs:
            resume["exemples_erreurs"] = erreurs[:3]
        print(json.dumps(resume, ensure_ascii=False), flush=True)
        return resume


def _q(valeurs: list[float], q: float) -> float | None:
    if not valeurs:
        return None
    return round(valeurs[min(len(valeurs) - 1, int(q * len(valeurs)))], 2)


def session(base: str, commune: str, mot: str, mesure: Mesure, fermer: threading.Event) -> None:
    """Un onglet : lien partagé, puis une recherche par mots ; reste ouvert jusqu'à `fermer`."""
    arrivee = time.monotonic()
    try:
        temoins = flux_streamlit.premiers_temoins(base, DELAI_S, verify=_TLS)
        with flux_streamlit.ouvrir_flux(base, temoins, DELAI_S) as ws:
            mesure.connexion = time.monotonic() - arrivee
            message = BackMsg()
            message.rerun_script.query_string = f"commune={commune}&rayon=20"
            message.rerun_script.page_name = ""
            debut = time.monotonic()
            ws.send(message.SerializeToString())
            champs, page = flux_streamlit.attendre_fin(ws, DELAI_S)
            mesure.fin_ouverture = time.monotonic()
            mesure.ouverture = mesure.fin_ouverture - debut
            message = BackMsg()
            message.rerun_script.query_string = f"commune={commune}&rayon=20"
            message.rerun_script.page_script_hash = page
            widget = message.rerun_script.widget_states.widgets.add()
            widget.id = champs[LIBELLE_MOTS]
            widget.string_value = mot
            debut = time.monotonic()
            ws.send(message.SerializeToString())
            flux_streamlit.attendre_fin(ws, DELAI_S)
            mesure.recherche = time.monotonic() - debut
            fermer.wait(DELAI_S)
    except Exception as erreur:  # une session en échec est comptée, pas fatale
        mesure.erreur = f"{type(erreur).__name__}: {str(erreur)[:120]}"


def memoire_mo(pids: list[int]) -> float:
    """Mémoire résidente cumulée des processus serveur (Mo)."""
    total = 0
    for pid in pids:
        try:
            for ligne in Path(f"/proc/{pid}/status").read_text().splitlines():
                if ligne.startswith("VmRSS:"):
                    total += int(ligne.split()[1])
        except FileNotFoundError:
            continue
    return round(total / 1024, 1)


def charger(base: str, pids: list[int], nom: str, n: int, communes: list[str]) -> dict:
    """`n` sessions lancées ensemble ; le bilan imprimé."""
    bilan = Bilan(f"{nom}, {n} sessions")
    # Des sessions d'échauffement (chaque processus en reçoit) : index construit, caches remplis.
    echauffement = [
        threading.Thread(target=session, args=(base, communes[i], MOTS[0], Mesure(), _fermee()))
        for i in range(6)
    ]
    for fil in echauffement:
        fil.start()
    for fil in echauffement:
        fil.join()
    time.sleep(2)
    bilan.memoire_mo["avant"] = memoire_mo(pids)
    fermer = threading.Event()
    bilan.mesures = [Mesure() for _ in range(n)]
    fils = [
        threading.Thread(
            target=session,
            args=(base, communes[i % len(communes)], MOTS[i % len(MOTS)], bilan.mesures[i], fermer),
            daemon=True,
        )
        for i in range(n)
    ]
    bilan.debut = time.monotonic()
    for fil in fils:
        fil.start()
    limite = time.monotonic() + 2 * DELAI_S + 30
    while any(m.recherche is None and not m.erreur for m in bilan.mesures):
        if time.monotonic() > limite:
            break
        time.sleep(0.2)
    bilan.memoire_mo["au_plus_fort"] = memoire_mo(pids)
    fermer.set()
    for fil in fils:
        fil.join(timeout=30)
    time.sleep(15)
    bilan.memoire_mo["fermees_15s"] = memoire_mo(pids)
    return bilan.imprimer()


def memoire_apres_expiration(base: str, pids: list[int], communes: list[str]) -> dict:
    """La mémoire une fois les sessions fermées oubliées par Streamlit.

    Une session fermée est gardée `server.disconnectedSessionTTL` secondes (120 par défaut, pour
    qu'un onglet qui perd le réseau la retrouve) ; elle n'est oubliée qu'à l'accès suivant au
    magasin des sessions, d'où une session ouverte après le délai.
    """
    time.sleep(EXPIRATION_S)
    session(base, communes[0], MOTS[0], Mesure(), _fermee())
    time.sleep(5)
    resume = {"memoire_apres_expiration_mo": memoire_mo(pids)}
    print(json.dumps(resume, ensure_ascii=False), flush=True)
    return resume


def _fermee() -> threading.Event:
    evenement = threading.Event()
    evenement.set()
    return evenement


@contextmanager
def application(base: str, processus: int, dossier: Path) -> Iterator[tuple[str, list[int]]]:
    """`processus` processus de l'application ; derrière nginx s'il y en a plusieurs."""
    with ExitStack() as pile:
        subprocess.run(
            [sys.executable, "-m", "cartographie", "initialiser"],
            cwd=RACINE,
            env={**os.environ, "CARTOGRAPHIE_BASE": base},
            check=True,
            capture_output=True,
        )
        ports = [grappe_postgresql.port_libre() for _ in range(processus)]
        lances = [
            lancer_plusieurs.lancer_application(p, base, journal=dossier / f"app-{p}.log")
            for p in ports
        ]
        pile.callback(lambda: [p.terminate() for p in lances])
        for port, lance in zip(ports, lances, strict=True):
            lancer_plusieurs.attendre_http(f"http://127.0.0.1:{port}/_stcore/health", lance)
        if processus == 1:
            yield f"http://127.0.0.1:{ports[0]}", [p.pid for p in lances]
            return
        public = grappe_postgresql.port_libre()
        pile.enter_context(lancer_plusieurs.nginx(dossier / "nginx", public, ports, "127.0.0.1"))
        yield f"http://127.0.0.1:{public}", [p.pid for p in lances]


def communes_du_referentiel() -> list[str]:
    donnees = json.loads((RACINE / "data" / "isere_communes.geojson").read_text())
    return [f["properties"]["code_insee"] for f in donnees["features"]][:200]


def main(argv: list[str] | None = None) -> int:
    analyseur = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analyseur.add_argument("--sessions", type=int, default=50)
    analyseur.add_argument("--vague", type=int, default=200, help="0 : pas de vague")
    analyseur.add_argument(
        "--expiration",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=f"mémoire une fois les sessions oubliées (attend {EXPIRATION_S} s par configuration)",
    )
    analyseur.add_argument(
        "--configurations", default="duckdb-1,postgresql-2", help="duckdb-1,postgresql-1,…"
    )
    args = analyseur.parse_args(argv)
    communes = communes_du_referentiel()
    resultats = []
    with tempfile.TemporaryDirectory(prefix="bench-charge-") as temporaire:
        dossier = Path(temporaire)
        grappe = None
        try:
            for configuration in args.configurations.split(","):
                moteur, nombre = configuration.split("-")
                if moteur == "duckdb":
                    base = str(dossier / f"{configuration}.duckdb")
                else:
                    if grappe is None:
                        dossier_pg = Path(tempfile.mkdtemp(prefix="bench-charge-pg-"))
                        grappe = (grappe_postgresql.demarrer(dossier_pg), dossier_pg)
                        import psycopg

                        with psycopg.connect(grappe[0].url(), autocommit=True) as con:
                            con.execute(f"CREATE DATABASE bench_{os.getpid()}")
                    base = grappe[0].url(f"bench_{os.getpid()}")
                nom = f"{'DuckDB' if moteur == 'duckdb' else 'PostgreSQL'}, {nombre} processus"
                (dossier / configuration).mkdir()
                with application(base, int(nombre), dossier / configuration) as (url, pids):
                    resultats.append(charger(url, pids, nom, args.sessions, communes))
                    if args.vague:
                        resultats.append(charger(url, pids, nom, args.vague, communes))
                    if args.expiration:
                        memoire_apres_expiration(url, pids, communes)
        finally:
            if grappe is not None:
                grappe_postgresql.detruire(grappe[1])
    ok = all(r["erreurs"] == 0 for r in resultats)
    print(f"Erreurs au total : {sum(r['erreurs'] for r in resultats)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
