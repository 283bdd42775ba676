"""Écrire, être tué net, redémarrer comme le dit le README, écrire encore : rien ne casse.

La séquence qui faisait tomber tout le site (issue 16) : une écriture, `kill -9` avant que la
base soit fermée, `python -m cartographie initialiser` (qui rejoue le journal de DuckDB et se
ferme sans rien écrire), puis une nouvelle écriture des mêmes lignes. Avec DuckDB 1.5.5, un
index secondaire perdait alors les lignes rejouées et l'écriture suivante finissait en
`FatalException` (connexion invalidée). On rejoue ici la séquence pour chaque table qui porte un
index (clé primaire comprise), avec les fonctions du projet.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from cartographie import comptes, edition
from cartographie.comptes import Role
from cartographie.config import RACINE
from cartographie.consultations.conservation import purger
from cartographie.echanges.chargement import initialiser_base
from cartographie.edition import signalements
from cartographie.modele import Precision
from cartographie.stockage import geocodage as cache_geocodage
from cartographie.stockage.connexion import ouvrir
from tests.conftest import COMMUNES, CSV_ACTEURS

MOT_DE_PASSE = "un mot de passe assez long"
QUAND = datetime(2026, 3, 2, 10)

# Première écriture sur chaque table indexée, puis SIGKILL avant toute fermeture de la base.
ENFANT = f"""
import os, signal, sys, uuid
from dataclasses import replace
from datetime import datetime
from cartographie import comptes, edition
from cartographie.edition import signalements
from cartographie.comptes import Role
from cartographie.consultations.conservation import purger
from cartographie.consultations.evenements import evenement
from cartographie.modele import Precision
from cartographie.stockage import consultations as depot_consultations
from cartographie.stockage import geocodage as cache
from cartographie.stockage.connexion import ouvrir

con = ouvrir(sys.argv[1])
quand = datetime(2026, 1, 5, 9)
crous = edition.fiche(con, "crous-grenoble-alpes")
edition.modifier(con, replace(crous, description="avant l'arrêt"), crous.version, "test")
comptes.creer_compte(con, "temoin", {MOT_DE_PASSE!r}, Role.EDITEUR, quand=quand)
signalements.deposer(con, "crous-grenoble-alpes", "Le téléphone a changé.", quand=quand)
cache.ecrire(con, cache.EntreeCache("1 rue x|38185", True, 45.19, 5.72, Precision.ADRESSE,
                                    "38185", "1 Rue X Grenoble", 0.9, "ban", quand))
session = uuid.uuid4()
depot_consultations.inserer(con, [evenement("consultation", "carte", session)])
purger(con, datetime(2029, 1, 1).date(), 13)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _executer(chemin: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=RACINE,
        env={**os.environ, "PYTHONPATH": str(RACINE), "CARTOGRAPHIE_BASE": str(chemin)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def base_redemarree(tmp_path_factory: pytest.TempPathFactory, gabarit_duckdb: Path) -> Path:
    """Une base écrite, tuée net, puis rouverte et refermée par `initialiser`."""
    chemin = tmp_path_factory.mktemp("arret") / "cartographie.duckdb"
    shutil.copyfile(gabarit_duckdb, chemin)  # l'état qu'initialiser_base laisse

    enfant = _executer(chemin, "-c", ENFANT, str(chemin))
    assert enfant.returncode == -signal.SIGKILL, enfant.stderr
    assert chemin.with_name(chemin.name + ".wal").exists()  # rien n'a été fermé proprement

    redemarrage = _executer(chemin, "-m", "cartographie", "initialiser")  # comme `make run`
    assert redemarrage.returncode == 0, redemarrage.stderr
    assert "déjà initialisée" in redemarrage.stdout
    return chemin


@pytest.fixture
def base(base_redemarree: Path, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Une copie de la base redémarrée, ouverte comme l'application l'ouvre."""
    chemin = tmp_path / "cartographie.duckdb"
    shutil.copy(base_redemarree, chemin)
    con = ouvrir(chemin)
    yield con
    con.close()


def _modifier_fiche(con: duckdb.DuckDBPyConnection) -> None:
    crous = edition.fiche(con, "crous-grenoble-alpes")
    assert crous.description == "avant l'arrêt"  # la première écriture a survécu
    edition.modifier(con, replace(crous, description="après le redémarrage"), crous.version, "t")
    edition.archiver(con, "crous-grenoble-alpes", "t")


def _changer_de_commune(con: duckdb.DuckDBPyConnection) -> None:
    crous = edition.fiche(con, "crous-grenoble-alpes")
    edition.modifier(
        con, replace(crous, commune="Échirolles", code_insee="38151"), crous.version, "t"
    )


def _compte(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(comptes.ErreurConnexion):
        comptes.authentifier(con, "temoin", "mauvais mot de passe", QUAND)
    comptes.changer_mot_de_passe(con, "temoin", MOT_DE_PASSE + " neuf", "admin", QUAND)
    comptes.changer_role(con, "temoin", Role.STATISTIQUES, "admin", QUAND)


def _signalement(con: duckdb.DuckDBPyConnection) -> None:
    (ouvert,) = signalements.file_ddfe(con)
    signalements.marquer_traite(con, ouvert.numero, "admin", "corrigé")
    signalements.deposer(con, "crous-grenoble-alpes", "Encore faux.", quand=QUAND)


def _cache_geocodage(con: duckdb.DuckDBPyConnection) -> None:
    cache_geocodage.ecrire(
        con,
        cache_geocodage.EntreeCache(
            "1 rue x|38185", False, None, None, Precision.COMMUNE, "", "", None, "ban", QUAND
        ),
    )


def _consultations(con: duckdb.DuckDBPyConnection) -> None:
    purger(con, date(2029, 6, 1), 1)


def _referentiel(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DELETE FROM meta WHERE cle = 'empreinte_referentiel_communes'")
    initialiser_base(con, CSV_ACTEURS, COMMUNES)  # réécrit toutes les communes


ECRITURES: dict[str, Callable[[duckdb.DuckDBPyConnection], None]] = {
    "acteur et historique": _modifier_fiche,
    "acteur, colonne code_insee": _changer_de_commune,
    "compte et journal": _compte,
    "signalement": _signalement,
    "cache du géocodage": _cache_geocodage,
    "consultations agrégées": _consultations,
    "communes et meta": _referentiel,
}


@pytest.mark.parametrize("ecriture", ECRITURES.values(), ids=ECRITURES.keys())
def test_ecrire_apres_arret_brutal_et_redemarrage(
    base: duckdb.DuckDBPyConnection, ecriture: Callable[[duckdb.DuckDBPyConnection], None]
) -> None:
    ecriture(base)
    base.execute("CHECKPOINT")  # le point de contrôle réécrit les index : il doit passer aussi
    _chaque_ligne_retrouvee_par_sa_cle(base)


def _chaque_ligne_retrouvee_par_sa_cle(con: duckdb.DuckDBPyConnection) -> None:
    """Chaque ligne de chaque table à clé primaire se retrouve par sa clé (donc par l'index)."""
    cles = con.execute(
        "SELECT table_name, constraint_column_names FROM duckdb_constraints()"
        " WHERE constraint_type = 'PRIMARY KEY'"
    ).fetchall()
    assert len(cles) >= 8
    for table, colonnes in cles:
        liste = ", ".join(colonnes)
        lignes = con.execute(f"SELECT {liste} FROM {table}").fetchall()
        condition = " AND ".join(f"{c} = ?" for c in colonnes)
        for ligne in lignes:
            (n,) = con.execute(f"SELECT count(*) FROM {table} WHERE {condition}", ligne).fetchone()
            assert n == 1, (table, ligne)


# Une base abîmée par l'ancienne version (index encore présent au redémarrage) : la migration
# qui retire l'index la répare, sans rien perdre.
ANCIENNE_VERSION = """
import os, signal, sys
from pathlib import Path
from dataclasses import replace
import duckdb
from cartographie import edition
from cartographie.echanges.chargement import initialiser_base
from cartographie.stockage import schema
from cartographie.stockage.connexion import _CONFIG, EXTENSION_SPATIALE
from tests.conftest import COMMUNES, CSV_ACTEURS

chemin, dossier, geste = sys.argv[1:4]
con = duckdb.connect(chemin, config=_CONFIG)
con.load_extension(str(EXTENSION_SPATIALE))
schema.migrer(con, Path(dossier))
if geste == "initialiser":
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
elif geste == "ecrire":
    crous = edition.fiche(con, "crous-grenoble-alpes")
    edition.modifier(con, replace(crous, description="avant l'arrêt"), crous.version, "test")
    os.kill(os.getpid(), signal.SIGKILL)
elif geste == "ecrire-encore":
    crous = edition.fiche(con, "crous-grenoble-alpes")
    edition.modifier(con, replace(crous, description="encore"), crous.version, "test")
con.close()
"""


def test_base_deja_abimee_reparee_par_la_migration(tmp_path: Path) -> None:
    anciennes = tmp_path / "migrations"
    anciennes.mkdir()
    # Toutes les migrations sauf la 0007 : le schéma d'aujourd'hui, index secondaires compris.
    for fichier in sorted((RACINE / "cartographie/stockage/migrations").glob("*.sql")):
        if not fichier.name.startswith("0007_"):
            shutil.copy(fichier, anciennes)
    chemin = tmp_path / "cartographie.duckdb"

    def ancienne(geste: str, base: Path = chemin) -> subprocess.CompletedProcess:
        return _executer(base, "-c", ANCIENNE_VERSION, str(base), str(anciennes), geste)

    assert ancienne("initialiser").returncode == 0
    assert ancienne("ecrire").returncode == -signal.SIGKILL
    assert ancienne("rouvrir").returncode == 0  # le redémarrage de l'ancienne version abîme
    temoin = tmp_path / "temoin.duckdb"
    shutil.copy(chemin, temoin)
    echec = ancienne("ecrire-encore", temoin)
    assert "Failed to delete all rows from index" in echec.stderr  # la base est bien abîmée

    con = ouvrir(chemin)  # la version actuelle applique la migration 0007
    try:
        crous = edition.fiche(con, "crous-grenoble-alpes")
        assert crous.description == "avant l'arrêt"
        edition.modifier(con, replace(crous, description="réparée"), crous.version, "t")
        assert edition.fiche(con, "crous-grenoble-alpes").description == "réparée"
        assert con.execute("SELECT count(*) FROM duckdb_indexes()").fetchone() == (0,)
    finally:
        con.close()
