"""Les migrations : appliquées une fois, dans l'ordre, sans perte à la réouverture."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from cartographie.config import RACINE
from cartographie.stockage import schema
from cartographie.stockage.connexion import ouvrir
from cartographie.stockage.dialecte import DUCKDB, POSTGRESQL


@pytest.mark.deux_bases
def test_base_neuve_a_toutes_les_migrations(chemin_base: Path) -> None:
    con = ouvrir(chemin_base)
    attendues = [m.numero for m in schema.migrations()]
    assert schema.version(con) == attendues[-1]
    tables = {
        t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert {"acteur", "commune", "meta", "schema_migration"} <= tables


@pytest.mark.deux_bases
def test_reouverture_n_applique_rien_et_garde_les_donnees(chemin_base: Path) -> None:
    con = ouvrir(chemin_base)
    con.execute("INSERT INTO meta VALUES ('temoin', 'conservé')")
    con.close()
    con = ouvrir(chemin_base)
    assert schema.migrer(con) == []
    assert con.execute("SELECT valeur FROM meta WHERE cle = 'temoin'").fetchone() == ("conservé",)
    con.close()


def test_migration_fautive_annulee_entierement(tmp_path: Path, chemin_base: Path) -> None:
    dossier = tmp_path / "migrations"
    dossier.mkdir()
    (dossier / "0001_ok.sql").write_text("CREATE TABLE a (x INTEGER);")
    (dossier / "0002_ko.sql").write_text("CREATE TABLE b (x INTEGER); SELECT * FROM inexistante;")
    con = duckdb.connect(":memory:")
    with pytest.raises(duckdb.CatalogException, match="inexistante"):
        schema.migrer(con, dossier)
    assert schema.version(con) == 1
    tables = {
        t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert "a" in tables
    assert "b" not in tables


def test_migration_au_numero_plus_bas_arrivee_apres_est_appliquee(tmp_path: Path) -> None:
    dossier = tmp_path / "migrations"
    dossier.mkdir()
    (dossier / "0001_a.sql").write_text("CREATE TABLE a (x INTEGER);")
    (dossier / "0005_e.sql").write_text("CREATE TABLE e (x INTEGER);")
    con = duckdb.connect(":memory:")
    assert schema.migrer(con, dossier) == [1, 5]
    (dossier / "0002_b.sql").write_text("CREATE TABLE b (x INTEGER);")
    assert schema.migrer(con, dossier) == [2]
    assert schema.migrer(con, dossier) == []


@pytest.mark.parametrize(
    ("fichiers", "message"),
    [
        (["1_sans_zeros.sql"], "Nom de migration invalide"),
        (["0001_a.sql", "0001_b.sql"], "Deux migrations portent le numéro 0001"),
    ],
)
def test_fichiers_de_migration_mal_formes(
    tmp_path: Path, fichiers: list[str], message: str
) -> None:
    for nom in fichiers:
        (tmp_path / nom).write_text("SELECT 1;")
    with pytest.raises(ValueError, match=message):
        schema.migrations(tmp_path)


def test_extension_spatiale_chargee_hors_ligne(chemin_base: Path) -> None:
    con = ouvrir(chemin_base)
    # Grenoble – Lyon : ~94 km quand les points sont donnés en (lat, lon).
    (distance,) = con.execute(
        "SELECT ST_Distance_Sphere(ST_Point(45.1885, 5.7245), ST_Point(45.7640, 4.8357))"
    ).fetchone()
    assert 93_000 < distance < 96_000


def test_aucun_index_secondaire(chemin_base: Path) -> None:
    # DuckDB 1.5.5 perd les lignes d'un index secondaire après un arrêt brutal suivi d'un
    # redémarrage (migration 0007, tests/test_reprise_apres_arret.py) : n'en recréer aucun tant
    # que DuckDB n'est pas passé à une version corrigée. Les clés primaires ne sont pas touchées.
    con = ouvrir(chemin_base)
    assert con.execute("SELECT index_name FROM duckdb_indexes()").fetchall() == []


def test_variante_postgresql_remplace_la_migration_commune(tmp_path: Path) -> None:
    (tmp_path / "0001_a.sql").write_text("CREATE TABLE a (x DOUBLE);")
    (tmp_path / "0001_a.postgresql.sql").write_text("CREATE TABLE a (x DOUBLE PRECISION);")
    (tmp_path / "0002_b.sql").write_text("CREATE TABLE b (x INTEGER);")
    assert [m.sql for m in schema.migrations(tmp_path, DUCKDB)] == [
        "CREATE TABLE a (x DOUBLE);",
        "CREATE TABLE b (x INTEGER);",
    ]
    assert [m.sql for m in schema.migrations(tmp_path, POSTGRESQL)] == [
        "CREATE TABLE a (x DOUBLE PRECISION);",
        "CREATE TABLE b (x INTEGER);",
    ]


@pytest.mark.parametrize(
    "fichiers", [["0002_b.postgresql.sql"], ["0002_b.sql", "0002_c.postgresql.sql"]]
)
def test_variante_sans_migration_commune_refusee(tmp_path: Path, fichiers: list[str]) -> None:
    # Une seule suite de numéros : une variante PostgreSQL double toujours un fichier commun.
    for nom in fichiers:
        (tmp_path / nom).write_text("SELECT 1;")
    with pytest.raises(ValueError, match="sans la migration commune"):
        schema.migrations(tmp_path)


def test_chaque_variante_postgresql_a_sa_migration_commune() -> None:
    communes = {(m.numero, m.nom) for m in schema.migrations(moteur=DUCKDB)}
    assert {(m.numero, m.nom) for m in schema.migrations(moteur=POSTGRESQL)} == communes


_OUVRIR = """
import sys
from cartographie.stockage.connexion import ouvrir
ouvrir(sys.argv[1]).close()
"""


@pytest.mark.deux_bases("postgresql")
def test_plusieurs_processus_qui_demarrent_ensemble_migrent_une_fois(chemin_base: str) -> None:
    # Trois processus ouvrent la même base neuve au même instant (make run-multi) : le verrou
    # consultatif les fait passer l'un après l'autre, chaque migration n'est appliquée qu'une fois.
    processus = [
        subprocess.Popen(
            [sys.executable, "-c", _OUVRIR, chemin_base],
            cwd=RACINE,
            env={**os.environ, "PYTHONPATH": str(RACINE)},
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for p in processus:
        _, erreurs = p.communicate(timeout=120)
        assert p.returncode == 0, erreurs
    con = ouvrir(chemin_base)
    numeros = [n for (n,) in con.execute("SELECT numero FROM schema_migration").fetchall()]
    con.close()
    assert sorted(numeros) == [m.numero for m in schema.migrations(moteur=POSTGRESQL)]
