"""Fixtures partagées : une vraie base dans tmp_path (DuckDB) ou sur un vrai serveur PostgreSQL,
remplie avec le vrai référentiel ; la même base tenue par un autre processus.

Les fichiers de tests du stockage et du métier portent `pytestmark = pytest.mark.deux_bases` :
chacun de leurs tests qui prend une base tourne alors deux fois, `[duckdb]` puis
`[postgresql]`. Le serveur PostgreSQL est une grappe jetable (scripts/grappe_postgresql.py),
démarrée au premier test qui en a besoin, sur un port libre, et effacée en fin de session ;
chaque test reçoit une base neuve (copie d'une base gabarit). `--bases=duckdb` (ou
`postgresql`) restreint le choix.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from cartographie import config
from cartographie.comptes.freins import FREINS
from cartographie.echanges.chargement import initialiser_base
from cartographie.stockage import sauvegardes
from cartographie.stockage.connexion import ouvrir
from scripts import grappe_postgresql
from tests.serveur import ARGUMENTS_CHROMIUM, site_statique

CSV_ACTEURS = config.DOSSIER_DONNEES / "acteurs.csv"
COMMUNES = config.DOSSIER_DONNEES / "isere_communes.geojson"
_TENIR = """
import sys, time
from pathlib import Path
from cartographie.stockage import sauvegardes
from cartographie.stockage.connexion import ouvrir
from scripts import grappe_postgresql
con = ouvrir(sys.argv[1])
Path(sys.argv[2]).write_text("tenue")
time.sleep(120)
"""


MOTEURS = ("duckdb", "postgresql")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--bases",
        default=",".join(MOTEURS),
        help="moteurs essayés par les tests marqués deux_bases : duckdb,postgresql (par défaut)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "deux_bases(*moteurs): le test tourne sur DuckDB puis sur un vrai serveur PostgreSQL",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marque = metafunc.definition.get_closest_marker("deux_bases")
    if "moteur" in metafunc.fixturenames and marque is not None:
        # `deux_bases("postgresql")` : un test propre à un moteur (processus concurrents…).
        admis = marque.args or MOTEURS
        choisis = [m for m in metafunc.config.getoption("bases").split(",") if m in admis]
        metafunc.parametrize("moteur", choisis)


@pytest.fixture
def moteur() -> str:
    """Le moteur de la base du test : DuckDB, sauf pour les tests marqués deux_bases."""
    return "duckdb"


class ServeurDeTests:
    """La grappe PostgreSQL de la session : une base neuve par test, copiée d'un gabarit."""

    def __init__(self, grappe: grappe_postgresql.Grappe) -> None:
        import psycopg

        self.grappe = grappe
        self._admin = psycopg.connect(grappe.url(), autocommit=True)
        # Gabarit vide (PostGIS seulement, que chaque base ne recrée pas) ; gabarit rempli comme
        # la fixture `base` (migrations et data/ chargés une fois pour toute la session).
        self._admin.execute("CREATE DATABASE gabarit_vide")
        with psycopg.connect(grappe.url("gabarit_vide"), autocommit=True) as con:
            con.execute("CREATE EXTENSION postgis")
        self._admin.execute("CREATE DATABASE gabarit_rempli TEMPLATE gabarit_vide")
        con = ouvrir(grappe.url("gabarit_rempli"))
        initialiser_base(con, CSV_ACTEURS, COMMUNES)
        con.close()
        self._numero = 0

    def nouvelle_base(self, gabarit: str = "gabarit_vide", nom: str | None = None) -> str:
        """L'URL d'une base neuve (avec son propre identifiant de base)."""
        if nom is None:
            self._numero += 1
            nom = f"essai_{os.getpid()}_{self._numero}"
        self._admin.execute(f"CREATE DATABASE {nom} TEMPLATE {gabarit} STRATEGY FILE_COPY")
        url = self.grappe.url(nom)
        if gabarit != "gabarit_vide":
            import psycopg

            with psycopg.connect(url, autocommit=True) as con:
                con.execute(
                    "UPDATE meta SET valeur = CAST(gen_random_uuid() AS VARCHAR)"
                    " WHERE cle = 'identifiant_base'"
                )
        return url

    def effacer(self, url: str) -> None:
        nom = url.rsplit("/", 1)[1]
        self._admin.execute(f"DROP DATABASE IF EXISTS {nom} WITH (FORCE)")

    def remplir(self, url: str) -> str:
        """Remplace la base `url` (neuve) par une copie du gabarit rempli, sous le même nom."""
        nom = url.rsplit("/", 1)[1]
        self.effacer(url)
        return self.nouvelle_base("gabarit_rempli", nom)

    def fermer(self) -> None:
        self._admin.close()


@pytest.fixture(scope="session")
def serveur_postgresql() -> Iterator[ServeurDeTests]:
    """Un vrai serveur PostgreSQL + PostGIS, démarré pour la session et effacé à la fin."""
    if not grappe_postgresql.disponible():
        if os.environ.get("CI"):
            pytest.fail(
                "PostgreSQL absent : make test l'installe (scripts/installer_postgresql.sh)"
            )
        pytest.skip(
            "PostgreSQL absent : lancer bash scripts/installer_postgresql.sh (make test le fait)"
        )
    dossier = Path(tempfile.mkdtemp(prefix="cartographie-pg-tests-"))
    try:
        serveur = ServeurDeTests(grappe_postgresql.demarrer(dossier))
        yield serveur
        serveur.fermer()
    finally:
        grappe_postgresql.detruire(dossier)


@pytest.fixture(scope="module")
def navigateur() -> Iterator:
    """Un vrai Chromium headless (paquet Debian, installé par scripts/installer_chromium.sh)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGUMENTS_CHROMIUM)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site_neutre() -> Iterator[str]:
    """Un « site neutre » local, sur un autre port : la sortie rapide ne sort pas de la machine."""
    with site_statique("<html><title>Météo</title><body>Météo du jour</body></html>") as url:
        yield url


@pytest.fixture(autouse=True)
def freins_neufs() -> None:
    """Les freins aux essais de connexion vivent dans le processus : chaque test part de zéro."""
    FREINS.effacer()


@pytest.fixture
def chemin_base(
    tmp_path: Path, moteur: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Une base neuve, vide : chemin d'un fichier DuckDB, ou URL d'une base PostgreSQL (str)."""
    if moteur == "duckdb":
        yield tmp_path / "cartographie.duckdb"
        return
    # Les copies pg_dump vont dans tmp_path, comme celles de DuckDB (à côté de son fichier).
    monkeypatch.setenv("CARTOGRAPHIE_SAUVEGARDES", str(tmp_path / "sauvegardes"))
    serveur: ServeurDeTests = request.getfixturevalue("serveur_postgresql")
    url = serveur.nouvelle_base()
    yield url  # type: ignore[misc]  # une URL tient lieu de chemin pour CARTOGRAPHIE_BASE
    serveur.effacer(url)


@pytest.fixture(scope="session")
def gabarit_duckdb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Un fichier DuckDB initialisé une fois pour la session (2,4 s), copié par chaque test."""
    chemin = tmp_path_factory.mktemp("gabarit") / "gabarit.duckdb"
    con = ouvrir(chemin)
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
    con.close()
    return chemin


@pytest.fixture
def base(
    chemin_base: Path, moteur: str, request: pytest.FixtureRequest
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Une base initialisée depuis data/acteurs.csv et le référentiel des communes."""
    if moteur == "duckdb":
        # Même état qu'après initialiser_base : une copie du gabarit, avec son propre identifiant
        # (l'index de recherche du processus distingue les bases par lui).
        shutil.copyfile(request.getfixturevalue("gabarit_duckdb"), chemin_base)
        con = ouvrir(chemin_base)
        con.execute(
            "UPDATE meta SET valeur = CAST(uuid() AS VARCHAR) WHERE cle = 'identifiant_base'"
        )
    else:
        # Même état qu'après initialiser_base, copié du gabarit rempli une fois par session.
        request.getfixturevalue("serveur_postgresql").remplir(str(chemin_base))
        con = ouvrir(chemin_base)
    yield con
    con.close()


@pytest.fixture
def ouvrir_copie(moteur: str, request: pytest.FixtureRequest) -> Iterator[Callable[[Path], object]]:
    """Ouvre une copie de sauvegarde : le fichier DuckDB lui-même, ou le pg_dump restauré par
    pg_restore dans une base neuve du serveur (la restauration est ainsi testée à chaque fois)."""
    ouvertes = []

    def ouvrir_(fichier: Path) -> duckdb.DuckDBPyConnection:
        if moteur == "duckdb":
            con = ouvrir(fichier)
        else:
            serveur: ServeurDeTests = request.getfixturevalue("serveur_postgresql")
            url = serveur.nouvelle_base()
            sauvegardes.restaurer(url, fichier)
            con = ouvrir(url)
        ouvertes.append(con)
        return con

    yield ouvrir_
    for con in ouvertes:
        con.close()


@pytest.fixture
def env_appli(chemin_base: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Fait pointer l'application (AppTest) sur une base neuve dans tmp_path."""
    monkeypatch.setenv("CARTOGRAPHIE_BASE", str(chemin_base))
    return chemin_base


@pytest.fixture
def base_tenue(chemin_base: Path, tmp_path: Path) -> Iterator[subprocess.Popen]:
    """Un autre processus tient la base ouverte (comme une commande pendant que l'appli tourne)."""
    con = ouvrir(chemin_base)
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
    con.close()
    temoin = tmp_path / "tenue"
    autre = subprocess.Popen(
        [sys.executable, "-c", _TENIR, str(chemin_base), str(temoin)],
        cwd=config.RACINE,
        env={**os.environ, "PYTHONPATH": str(config.RACINE)},
    )
    try:
        limite = time.monotonic() + 60
        while not temoin.exists():
            assert autre.poll() is None
            assert time.monotonic() < limite
            time.sleep(0.05)
        yield autre
    finally:
        autre.kill()
        autre.wait(timeout=30)
