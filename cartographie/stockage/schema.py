"""Migrations numérotées du schéma, appliquées au démarrage.

Chaque fichier `migrations/NNNN_nom.sql` est appliqué une fois, dans l'ordre, dans sa propre
transaction : une base ouverte par une version plus ancienne de l'application monte de version
sans perdre de données.

Une seule suite de numéros pour les deux moteurs : `NNNN_nom.sql` vaut pour les deux, sauf
quand un fichier `NNNN_nom.postgresql.sql` (même numéro, même nom) existe à côté — PostgreSQL
applique alors celui-là (types, fonctions qui diffèrent). Avec PostgreSQL, plusieurs processus
peuvent démarrer ensemble : les migrations s'appliquent sous un verrou consultatif, le second
attend le premier puis ne trouve plus rien à faire.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from cartographie.stockage.dialecte import DUCKDB, POSTGRESQL, dialecte, est_postgresql
from cartographie.stockage.transaction import transaction

DOSSIER_MIGRATIONS = Path(__file__).with_name("migrations")
_NOM_FICHIER = re.compile(r"^(\d{4})_([a-z0-9_]+)(?:\.(postgresql))?\.sql$")
# Clé du verrou consultatif des migrations (pg_advisory_lock) : un nombre fixe, propre à l'appli.
CLE_VERROU_MIGRATIONS = 0x0CA27061E


@dataclass(frozen=True, slots=True)
class Migration:
    """Un fichier de migration."""

    numero: int
    nom: str
    sql: str


def migrations(dossier: Path = DOSSIER_MIGRATIONS, moteur: str = DUCKDB) -> list[Migration]:
    """Les migrations connues pour ce moteur, triées.

    Un nom de fichier mal formé, un numéro en double, ou une variante PostgreSQL sans le fichier
    commun de même numéro et de même nom échoue.
    """
    communes: dict[int, Migration] = {}
    variantes: dict[int, Migration] = {}
    for fichier in sorted(dossier.glob("*.sql")):
        correspondance = _NOM_FICHIER.match(fichier.name)
        if not correspondance:
            raise ValueError(f"Nom de migration invalide : {fichier.name} (attendu NNNN_nom.sql)")
        numero = int(correspondance.group(1))
        rangees = variantes if correspondance.group(3) else communes
        if numero in rangees:
            raise ValueError(f"Deux migrations portent le numéro {numero:04d}")
        rangees[numero] = Migration(numero, correspondance.group(2), fichier.read_text("utf-8"))
    for numero, variante in variantes.items():
        commune = communes.get(numero)
        if commune is None or commune.nom != variante.nom:
            raise ValueError(
                f"Variante PostgreSQL {numero:04d}_{variante.nom} sans la migration commune"
                f" {numero:04d}_{variante.nom}.sql"
            )
    if moteur == POSTGRESQL:
        communes |= variantes
    return [communes[n] for n in sorted(communes)]


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
    if not est_postgresql(con):
        return _migrer(con, dossier)
    # Un verrou de session : toutes les requêtes sur la même connexion, jusqu'au déverrouillage.
    with con.epinglee() as seule:  # type: ignore[attr-defined]
        seule.execute("SELECT pg_advisory_lock(?)", [CLE_VERROU_MIGRATIONS])
        try:
            return _migrer(seule, dossier)
        finally:
            seule.execute("SELECT pg_advisory_unlock(?)", [CLE_VERROU_MIGRATIONS])


def _migrer(con: duckdb.DuckDBPyConnection, dossier: Path) -> list[int]:
    version(con)  # crée la table de suivi si besoin
    deja = {n for (n,) in con.execute("SELECT numero FROM schema_migration").fetchall()}
    appliquees = []
    for migration in migrations(dossier, dialecte(con)):
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
