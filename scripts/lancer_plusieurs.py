"""Plusieurs processus de l'application sur une base PostgreSQL, derrière un nginx local.

    make run-multi                      # 2 processus, http://localhost:8501
    make run-multi PROCESSUS=4 PORT=8080

Un processus Streamlit n'occupe qu'un cœur (verrou global de Python) : pour servir plus de
sessions, on en lance plusieurs sur la même base PostgreSQL. nginx répartit les onglets et garde
chacun sur son processus (session « collante ») : la session Streamlit, ses fichiers à
télécharger (/media/…) et ses envois de fichiers vivent dans le processus qui l'a ouverte. Le
routage suit un témoin `cartographie_instance` tiré au hasard par nginx à la première requête
(témoin de session, sans donnée personnelle, jamais stocké) : deux onglets d'un même poste, ou
tout un service derrière la même adresse IP, se répartissent quand même.

Base : `CARTOGRAPHIE_BASE=postgresql://…` si elle est posée ; sinon une grappe PostgreSQL locale
dans var/postgresql (créée au premier lancement, arrêtée avec le reste par Ctrl+C).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE))

from scripts import grappe_postgresql  # noqa: E402

NGINX = "/usr/sbin/nginx"
PORT_GRAPPE_LOCALE = 5499

CONFIG_NGINX = """
worker_processes 1;
pid {dossier}/nginx.pid;
error_log {dossier}/erreurs.log warn;
{utilisateur}
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {dossier}/tmp/corps;
    proxy_temp_path {dossier}/tmp/mandataire;
    fastcgi_temp_path {dossier}/tmp/fastcgi;
    uwsgi_temp_path {dossier}/tmp/uwsgi;
    scgi_temp_path {dossier}/tmp/scgi;
    # Un import de tableur (20 Mo au plus, CARTOGRAPHIE_IMPORT_TAILLE_MAX_MO) passe.
    client_max_body_size 25m;

    map $http_upgrade $connexion {{ default upgrade; "" close; }}
    # Le témoin de routage : celui du navigateur, ou un tirage neuf à sa première requête.
    map $cookie_cartographie_instance $instance {{ "" $request_id; default $cookie_cartographie_instance; }}

    upstream application {{
        hash $instance consistent;
{serveurs}
    }}
    server {{
        listen {adresse}:{port};
        location / {{
            proxy_pass http://application;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connexion;
            proxy_set_header Host $host;
            proxy_read_timeout 1d;
            proxy_buffering off;
            add_header Set-Cookie "cartographie_instance=$instance; Path=/; HttpOnly; SameSite=Lax" always;
        }}
    }}
}}
"""


def config_nginx(dossier: Path, port: int, ports_application: list[int], adresse: str) -> str:
    """Le fichier de configuration de nginx pour ces processus."""
    serveurs = "\n".join(f"        server 127.0.0.1:{p};" for p in ports_application)
    # En root, les processus de nginx prennent le compte www-data (ses dossiers temporaires
    # lui sont ouverts) ; sinon, ils restent au compte courant.
    utilisateur = "user www-data;" if os.geteuid() == 0 else ""
    return CONFIG_NGINX.format(
        dossier=dossier,
        utilisateur=utilisateur,
        serveurs=serveurs,
        port=port,
        adresse=adresse,
    )


@contextmanager
def nginx(dossier: Path, port: int, ports_application: list[int], adresse: str) -> Iterator[None]:
    """nginx au premier plan (arrêté à la sortie du bloc)."""
    for sous in ("corps", "mandataire", "fastcgi", "uwsgi", "scgi"):
        (dossier / "tmp" / sous).mkdir(parents=True, exist_ok=True)
        (dossier / "tmp" / sous).chmod(0o777)
    fichier = dossier / "nginx.conf"
    fichier.write_text(config_nginx(dossier, port, ports_application, adresse))
    processus = subprocess.Popen(  # noqa: S603
        [NGINX, "-c", str(fichier), "-p", str(dossier), "-g", "daemon off;"]
    )
    try:
        attendre_http(f"http://127.0.0.1:{port}/_stcore/health", processus)
        yield
    finally:
        processus.terminate()
        processus.wait(timeout=30)


def attendre_http(url: str, processus: subprocess.Popen, delai_s: float = 120) -> None:
    """Attend une réponse 200 de `url` (le processus ne doit pas mourir entre-temps)."""
    limite = time.monotonic() + delai_s
    while True:
        if processus.poll() is not None:
            raise RuntimeError(f"{processus.args[0]} s'est arrêté (code {processus.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as reponse:  # noqa: S310
                if reponse.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > limite:
            raise TimeoutError(f"{url} ne répond pas")
        time.sleep(0.3)


def lancer_application(
    port: int, base: str, *, journal: Path | None = None, racine: Path = RACINE
) -> subprocess.Popen:
    """Un processus Streamlit de l'application (code de `racine`) sur 127.0.0.1:`port`."""
    sortie = open(journal, "ab") if journal else None  # noqa: SIM115
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless=true",
            f"--server.port={port}",
            "--server.address=127.0.0.1",
        ],
        cwd=racine,
        env={**os.environ, "CARTOGRAPHIE_BASE": base, "PYTHONPATH": str(racine)},
        stdout=sortie,
        stderr=subprocess.STDOUT if sortie else None,
    )


@contextmanager
def base_postgresql(dossier: Path) -> Iterator[str]:
    """L'URL de `CARTOGRAPHIE_BASE` si c'en est une ; sinon celle d'une grappe locale."""
    reglee = os.environ.get("CARTOGRAPHIE_BASE", "")
    if reglee.startswith(("postgresql://", "postgres://")):
        yield reglee
        return
    grappe_postgresql.arreter(dossier)  # une grappe restée lancée par un arrêt brutal
    grappe = grappe_postgresql.demarrer(dossier, PORT_GRAPPE_LOCALE, rapide=False)
    try:
        import psycopg

        with psycopg.connect(grappe.url(), autocommit=True) as con:
            if not con.execute(
                "SELECT 1 FROM pg_database WHERE datname = 'cartographie'"
            ).fetchone():
                con.execute("CREATE DATABASE cartographie")
        yield grappe.url("cartographie")
    finally:
        grappe_postgresql.arreter(dossier)


def main(argv: list[str] | None = None) -> int:
    analyseur = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analyseur.add_argument("--processus", type=int, default=2)
    analyseur.add_argument("--port", type=int, default=8501, help="port public (nginx)")
    analyseur.add_argument("--adresse", default="127.0.0.1", help="adresse d'écoute de nginx")
    args = analyseur.parse_args(argv)
    var = RACINE / "var"
    with base_postgresql(var / "postgresql") as url:
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "cartographie", "initialiser"],
            cwd=RACINE,
            env={**os.environ, "CARTOGRAPHIE_BASE": url},
            check=True,
        )
        ports = [args.port + 100 + i for i in range(args.processus)]
        applications = [lancer_application(p, url) for p in ports]
        try:
            for port, processus in zip(ports, applications, strict=True):
                attendre_http(f"http://127.0.0.1:{port}/_stcore/health", processus)
            with nginx(var / "nginx", args.port, ports, args.adresse):
                print(
                    f"{args.processus} processus sur {url.rsplit('@', 1)[-1]}, derrière nginx :"
                    f" http://localhost:{args.port} (Ctrl+C pour tout arrêter)",
                    flush=True,
                )
                try:
                    while all(p.poll() is None for p in applications):
                        time.sleep(1)
                except KeyboardInterrupt:
                    pass
        finally:
            for processus in applications:
                processus.terminate()
            for processus in applications:
                processus.wait(timeout=30)
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # arrêt demandé = Ctrl+C
    sys.exit(main())
