"""Démarre la vraie application Streamlit sur un port libre, pour les tests navigateur."""

from __future__ import annotations

import http.client
import http.server
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]

ARGUMENTS_CHROMIUM = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def port_libre() -> int:
    """Un port TCP libre sur la boucle locale (d'autres tests tournent en même temps)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pret(port: int) -> bool:
    try:
        connexion = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        connexion.request("GET", "/_stcore/health")
        return connexion.getresponse().status == 200
    except OSError:
        return False


@contextmanager
def application(
    env: Mapping[str, str],
    delai: float = 60,
    port: int | None = None,
    options: Sequence[str] = (),
) -> Iterator[str]:
    """`streamlit run app.py` en tâche de fond ; rend l'URL de base, arrête le serveur après.

    `options` : options de Streamlit en plus (ex. `--secrets.files`, chemin d'un secrets.toml).
    """
    port = port or port_libre()
    environnement = {k: v for k, v in os.environ.items() if not k.startswith("CARTOGRAPHIE_")}
    environnement.update(env)
    processus = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            *options,
        ],
        cwd=RACINE,
        env=environnement,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        fin = time.monotonic() + delai
        while not _pret(port):
            if processus.poll() is not None:
                raise RuntimeError(processus.stderr.read().decode(errors="replace"))
            if time.monotonic() > fin:
                raise TimeoutError(f"Streamlit n'a pas démarré en {delai} s")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        processus.terminate()
        try:
            processus.wait(timeout=10)
        except subprocess.TimeoutExpired:
            processus.kill()
            processus.wait()


@contextmanager
def site_statique(page_html: str) -> Iterator[str]:
    """Un petit serveur HTTP local qui rend toujours la même page (site « neutre » de test)."""
    contenu = page_html.encode()

    class Gestionnaire(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(contenu)))
            self.end_headers()
            self.wfile.write(contenu)

        def log_message(self, *_: object) -> None:
            pass

    serveur = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Gestionnaire)
    fil = threading.Thread(target=serveur.serve_forever, daemon=True)
    fil.start()
    try:
        yield f"http://127.0.0.1:{serveur.server_address[1]}/"
    finally:
        serveur.shutdown()
        serveur.server_close()
