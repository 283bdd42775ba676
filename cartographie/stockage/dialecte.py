"""Les deux moteurs de la base : DuckDB embarqué (un fichier) ou un serveur PostgreSQL (une URL).

Le reste du code ne voit qu'une connexion « à la DuckDB » (`execute(sql, [params])` avec des `?`,
`cursor()`, `begin()`/`commit()`/`rollback()`) : pour PostgreSQL, c'est
`cartographie.stockage.postgresql.ConnexionPostgres`. Les rares requêtes qui diffèrent d'un
moteur à l'autre demandent `est_postgresql(con)` ici, et nulle part ailleurs qu'en stockage.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import psycopg
import psycopg.errors

DUCKDB = "duckdb"
POSTGRESQL = "postgresql"
_PREFIXES_URL = ("postgresql://", "postgres://")

# Deux écritures concurrentes sur la même ligne : DuckDB refuse la seconde à la validation,
# PostgreSQL (REPEATABLE READ) dès l'UPDATE ; un interblocage se traite de même (tout est annulé).
CONFLITS_D_ECRITURE: tuple[type[Exception], ...] = (
    duckdb.TransactionException,
    psycopg.errors.SerializationFailure,
    psycopg.errors.DeadlockDetected,
)
ERREURS_DE_LA_BASE: tuple[type[Exception], ...] = (duckdb.Error, psycopg.Error)

# Le vocabulaire des codecs de la fiche (`cartographie.modele.champs`, attribut `sql` : les types
# de DuckDB) et son
# équivalent PostgreSQL, tel que `information_schema.columns.data_type` le nomme (un tableau y
# est « ARRAY » : on lit `udt_name`, « _varchar »). Une seule table de correspondance.
TYPES_POSTGRESQL: dict[str, tuple[str, str]] = {
    # type du codec : (type à écrire dans une migration PostgreSQL, type lu dans le catalogue)
    "VARCHAR": ("VARCHAR", "varchar"),
    "DOUBLE": ("DOUBLE PRECISION", "float8"),
    "INTEGER": ("INTEGER", "int4"),
    "BOOLEAN": ("BOOLEAN", "bool"),
    "DATE": ("DATE", "date"),
    "VARCHAR[]": ("VARCHAR[]", "_varchar"),
    # Au-delà des codecs de la fiche, les autres types du schéma (consultations, comptes…).
    "BIGINT": ("BIGINT", "int8"),
    "TIMESTAMP": ("TIMESTAMP", "timestamp"),
    "UUID": ("UUID", "uuid"),
}


class BaseIndisponible(RuntimeError):
    """La base ne peut pas être ouverte maintenant ; le message dit pourquoi et quoi faire."""


def est_url_postgresql(cible: Path | str) -> bool:
    """Vrai si `CARTOGRAPHIE_BASE` désigne un serveur PostgreSQL plutôt qu'un fichier DuckDB."""
    return str(cible).startswith(_PREFIXES_URL)


def dialecte(con: object) -> str:
    """`DUCKDB` ou `POSTGRESQL` selon la connexion."""
    return getattr(con, "dialecte", DUCKDB)


def est_postgresql(con: object) -> bool:
    """Vrai pour une connexion au serveur PostgreSQL."""
    return dialecte(con) == POSTGRESQL


def colonnes(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """(colonne, type dans le vocabulaire des codecs) d'une table, dans l'ordre de la table."""
    if not est_postgresql(con):
        return con.execute(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()
    vers_codec = {catalogue: codec for codec, (_, catalogue) in TYPES_POSTGRESQL.items()}
    return [
        (nom, vers_codec.get(udt, udt))
        for nom, udt in con.execute(
            "SELECT column_name, udt_name FROM information_schema.columns"
            " WHERE table_name = ? AND table_schema = current_schema() ORDER BY ordinal_position",
            [table],
        ).fetchall()
    ]
