"""Un serveur PostgreSQL jetable : une grappe neuve dans un dossier, sur un port libre.

Sert aux tests (fixture de session dans tests/conftest.py) et à `make run-multi`. Jamais le
service PostgreSQL du système : `initdb` crée la grappe dans le dossier donné, `pg_ctl` la
démarre sur 127.0.0.1 seulement, et `arreter` l'éteint. Lancé en root, tout passe par le compte
`postgres` (le serveur refuse de tourner en root) ; sinon, par le compte courant.

    python scripts/grappe_postgresql.py demarrer var/postgresql [--port 5499]  # imprime l'URL
    python scripts/grappe_postgresql.py arreter var/postgresql

Prérequis : `bash scripts/installer_postgresql.sh` (paquets Debian postgresql-15 et
postgresql-15-postgis-3), que `make test` et `make run-multi` appellent d'eux-mêmes.
"""

from __future__ import annotations

import argparse
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")
# Réglages d'une grappe de tests : rien n'a besoin de survivre à une panne de la machine.
RAPIDE = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


@dataclass(frozen=True, slots=True)
class Grappe:
    """Une grappe démarrée : son dossier, son port, l'URL du compte `postgres`."""

    dossier: Path
    port: int

    @property
    def donnees(self) -> Path:
        return self.dossier / "donnees"

    def url(self, base: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{base}"


def disponible() -> bool:
    """Vrai si les paquets du serveur et de PostGIS sont installés."""
    return (BIN / "postgres").exists() and Path(
        "/usr/share/postgresql/15/extension/postgis.control"
    ).exists()


def port_libre() -> int:
    """Un port TCP libre sur 127.0.0.1 (le système le choisit)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _en_postgres(commande: list[str], **options: object) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        commande = ["runuser", "-u", "postgres", "--", *commande]
    return subprocess.run(commande, check=True, capture_output=True, text=True, **options)  # noqa: S603


def demarrer(dossier: Path, port: int | None = None, *, rapide: bool = True) -> Grappe:
    """Crée la grappe si le dossier est vide, puis la démarre ; rend la grappe démarrée."""
    dossier = dossier.resolve()
    dossier.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        compte = pwd.getpwnam("postgres")
        os.chown(dossier, compte.pw_uid, compte.pw_gid)
    grappe = Grappe(dossier, port or port_libre())
    if not (grappe.donnees / "PG_VERSION").exists():
        _en_postgres(
            [
                str(BIN / "initdb"),
                "-D",
                str(grappe.donnees),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ]
        )
    options = [
        f"-p {grappe.port}",
        "-c listen_addresses=127.0.0.1",
        f"-k {dossier}",
        "-c max_connections=200",
        *(f"-c {r}" for r in (RAPIDE if rapide else ())),
    ]
    _en_postgres(
        [
            str(BIN / "pg_ctl"),
            "-D",
            str(grappe.donnees),
            "-l",
            str(dossier / "journal.log"),
            "-o",
            " ".join(options),
            "-w",
            "-t",
            "60",
            "start",
        ]
    )
    return grappe


def arreter(dossier: Path) -> None:
    """Arrête la grappe du dossier (sans erreur si elle ne tourne pas)."""
    donnees = dossier.resolve() / "donnees"
    if (donnees / "postmaster.pid").exists():
        _en_postgres([str(BIN / "pg_ctl"), "-D", str(donnees), "-m", "fast", "-w", "stop"])


def detruire(dossier: Path) -> None:
    """Arrête la grappe et efface son dossier."""
    try:
        arreter(dossier)
    finally:
        shutil.rmtree(dossier, ignore_errors=True)


def attendre(url: str, delai_s: float = 30) -> None:
    """Attend que le serveur accepte les connexions."""
    import psycopg

    limite = time.monotonic() + delai_s
    while True:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > limite:
                raise
            time.sleep(0.2)


def main(argv: list[str] | None = None) -> int:
    analyseur = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analyseur.add_argument("action", choices=["demarrer", "arreter", "detruire"])
    analyseur.add_argument("dossier", type=Path)
    analyseur.add_argument("--port", type=int, default=None)
    args = analyseur.parse_args(argv)
    if args.action == "demarrer":
        print(demarrer(args.dossier, args.port, rapide=False).url())
    elif args.action == "arreter":
        arreter(args.dossier)
    else:
        detruire(args.dossier)
    return 0


if __name__ == "__main__":
    sys.exit(main())
