"""Migrations numérotées du schéma, appliquées au démarrage.

Chaque fichier `migrations/NNNN_nom.sql` est appliqué une fois, dans l'ordre, dans sa propre
transaction : une base ouverte par une version plus ancienne de l'application monte de version
sans perdre de données.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from cartographie.stockage.transaction import transaction

DOSSIER_MIGRATIONS = Path(__file__).with_name("migrations")
_NOM_FICHIER = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    """Un fichier de migration."""

    numero: int
    nom: str
    sql: str


def migrations(dossier: Path = DOSSIER_MIGRATIONS) -> list[Migration]:
    """Les migrations connues, triées ; un nom de fichier mal formé ou un numéro en double échoue."""
    trouvees: dict[int, Migration] = {}
    for fichier in sorted(dossier.glob("*.sql")):
        correspondance = _NOM_FICHIER.match(fichier.name)
        if not correspondance:
            raise ValueError(f"Nom de migration invalide : {fichier.name} (attendu NNNN_nom.sql)")
        numero = int(correspondance.group(1))
        if numero in trouvees:
            raise ValueError(f"Deux migrations portent le numéro {numero:04d}")
        trouvees[numero] = Migration(numero, correspondance.group(2), fichier.read_text("utf-8"))
    return [trouvees[n] for n in sorted(trouvees)]


def version(con: duckdb.DuckDBPyConnection) -> int:
    """Numéro de la dernière migration appliquée (0 pour une base neuve)."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migration ("
        " numero INTEGER PRIMARY KEY, nom VARCHAR NOT NULL,"
        " appliquee_le TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    (numero,) = con.execute("SELECT coalesce(max(numero), 0) FROM schema_migration").fetchone()
    return int(numero)


def migrer(con: duckdb.DuckDBPyConnection, dossier: Path = DOSSIER_MIGRATIONS) -> list[int]:
    """Applique les migrations manquantes ; renvoie les numéros appliqués.

    « Manquante » veut dire absente de `schema_migration`, pas « au-dessus du maximum » : les
    numéros sont attribués à plusieurs fonctionnalités développées en parallèle, une 0002 peut
    arriver après qu'une base a déjà reçu la 0005.
    """
    version(con)  # crée la table de suivi si besoin
    deja = {n for (n,) in con.execute("SELECT numero FROM schema_migration").fetchall()}
    appliquees = []
    for migration in migrations(dossier):
        if migration.numero in deja:
            continue
        with transaction(con):
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_migration (numero, nom) VALUES (?, ?)",
                [migration.numero, migration.nom],
            )
        appliquees.append(migration.numero)
    return appliquees
