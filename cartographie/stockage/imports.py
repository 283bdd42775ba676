"""SQL de l'import : copie de sauvegarde, écriture ensembliste des lots, journal des imports.

Les lignes passent par une table Arrow enregistrée auprès de DuckDB plutôt que par
`executemany` : 2 000 lignes coûtaient 5 s une par une, 50 000 passent en moins d'une seconde.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from cartographie.horloge import depuis_la_base, pour_la_base
from cartographie.modele import Acteur, Statut
from cartographie.modele.champs import schema_arrow
from cartographie.stockage import sauvegardes
from cartographie.stockage.acteurs import COLONNES_STOCKEES, vers_ligne
from cartographie.stockage.dialecte import est_postgresql
from cartographie.stockage.transaction import transaction

TAILLE_LOT = 2000
MOTIF_AVANT_IMPORT = "avant-import"
_SCHEMA_ARROW = schema_arrow(Acteur, COLONNES_STOCKEES)


class ConflitImport(RuntimeError):
    """Une fiche a changé depuis l'aperçu : l'import entier est annulé."""


@dataclass(frozen=True, slots=True)
class EntreeJournal:
    """Un import passé, pour la page d'import."""

    horodatage: datetime
    auteur: str
    fichier: str
    ajoutes: int
    modifies: int
    archives: int
    sauvegarde: str


def chemin_base(con: duckdb.DuckDBPyConnection) -> Path | None:
    """Le fichier de la base ouverte (None pour une base en mémoire ou PostgreSQL)."""
    return sauvegardes.chemin_fichier(con)


def sauvegarder(con: duckdb.DuckDBPyConnection, *, conserver: int = 20) -> Path:
    """Copie cohérente de toute la base avant un import ; renvoie son chemin.

    DuckDB : une base DuckDB ordinaire dans `sauvegardes/` à côté du fichier (restaurer, c'est
    remettre ce fichier à la place) ; PostgreSQL : un `pg_dump` dans `var/sauvegardes/`. Voir
    `stockage.sauvegardes`. Seules les `conserver` dernières copies d'avant import sont gardées.
    """
    if chemin_base(con) is None and not est_postgresql(con):
        raise ValueError("Une base en mémoire ne peut pas être sauvegardée avant import.")
    dossier = sauvegardes.dossier_par_defaut(con)
    cible = sauvegardes.copier(con, dossier, MOTIF_AVANT_IMPORT)
    sauvegardes.elaguer(con, dossier, MOTIF_AVANT_IMPORT, conserver)
    return cible


def journaliser(
    con: duckdb.DuckDBPyConnection,
    quand: datetime,
    auteur: str,
    nom_fichier: str,
    ajoutes: int,
    modifies: int,
    archives: int,
    sauvegarde: Path,
) -> None:
    """Note l'import dans le journal (dans la transaction de l'import)."""
    con.execute(
        "INSERT INTO import_journal (horodatage, auteur, fichier, ajoutes, modifies, archives,"
        " sauvegarde) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            pour_la_base(quand),
            auteur,
            nom_fichier[:200],
            ajoutes,
            modifies,
            archives,
            str(sauvegarde),
        ],
    )


def journal(con: duckdb.DuckDBPyConnection, limite: int = 20) -> list[EntreeJournal]:
    """Les derniers imports, du plus récent au plus ancien."""
    lignes = con.execute(
        "SELECT horodatage, auteur, fichier, ajoutes, modifies, archives, sauvegarde"
        " FROM import_journal ORDER BY horodatage DESC LIMIT ?",
        [limite],
    ).fetchall()
    return [EntreeJournal(depuis_la_base(ligne[0]), *ligne[1:]) for ligne in lignes]


def _table(acteurs: Sequence[Acteur], **colonnes_en_plus: list) -> pa.Table:
    lignes = [vers_ligne(a) for a in acteurs]
    colonnes = {
        nom: pa.array([ligne[i] for ligne in lignes], type=_SCHEMA_ARROW.field(nom).type)
        for i, nom in enumerate(COLONNES_STOCKEES)
    }
    for nom, valeurs in colonnes_en_plus.items():
        colonnes[nom] = pa.array(valeurs)
    return pa.table(colonnes)


def inserer_lot(con: duckdb.DuckDBPyConnection, lot: Sequence[Acteur]) -> None:
    """Insère des fiches nouvelles ; `ConflitImport` si l'une existe déjà."""
    with lot_temporaire(con, _table(lot)) as nom:
        deja = con.execute(f"SELECT l.id FROM {nom} l JOIN acteur a USING (id) LIMIT 1").fetchone()
        if deja:
            raise ConflitImport(f"la fiche « {deja[0]} » a été créée par quelqu'un d'autre")
        liste = ", ".join(COLONNES_STOCKEES)
        con.execute(f"INSERT INTO acteur ({liste}) SELECT {liste} FROM {nom}")


def mettre_a_jour_lot(con: duckdb.DuckDBPyConnection, lot: Sequence[tuple[Acteur, Acteur]]) -> None:
    """Remplace chaque fiche `avant` par `apres` (version + 1) si elle n'a pas bougé depuis."""
    table = _table([apres for _, apres in lot], attendue=[a.version for a, _ in lot])
    with lot_temporaire(con, table) as nom:
        _verifier_versions(con, nom)
        affectations = ", ".join(
            f"{c} = l.{c}" for c in COLONNES_STOCKEES if c not in ("id", "version")
        )
        con.execute(
            f"UPDATE acteur SET {affectations}, version = acteur.version + 1"
            f" FROM {nom} l WHERE acteur.id = l.id"
        )


def archiver_lot(con: duckdb.DuckDBPyConnection, acteurs: Sequence[Acteur]) -> None:
    """Archive des fiches (version + 1) si elles n'ont pas bougé depuis l'aperçu."""
    table = pa.table(
        {
            "id": pa.array([a.id for a in acteurs], type=pa.string()),
            "attendue": pa.array([a.version for a in acteurs], type=pa.int32()),
        }
    )
    with lot_temporaire(con, table) as nom:
        _verifier_versions(con, nom)
        con.execute(
            f"UPDATE acteur SET statut = ?, version = acteur.version + 1"
            f" FROM {nom} l WHERE acteur.id = l.id",
            [str(Statut.ARCHIVE)],
        )


@contextmanager
def lot_temporaire(con: duckdb.DuckDBPyConnection, table: pa.Table) -> Iterator[str]:
    """Le nom d'une table qui contient `table`, le temps du bloc (dans la transaction en cours).

    DuckDB lit la table Arrow sur place (`register`) ; PostgreSQL la reçoit par COPY dans une
    table temporaire de la transaction, aux types des colonnes de `acteur` (`attendue` : entier).
    Les requêtes qui suivent sont les mêmes pour les deux.
    """
    nom = f"lot_{uuid.uuid4().hex}"
    if not est_postgresql(con):
        con.register(nom, table)
        try:
            yield nom
        finally:
            con.unregister(nom)
        return
    with transaction(con):  # une table temporaire vit sur une connexion : celle épinglée
        stockees = [c for c in table.column_names if c in COLONNES_STOCKEES]
        con.execute(
            f"CREATE TEMPORARY TABLE {nom} ON COMMIT DROP AS"
            f" SELECT {', '.join(stockees)} FROM acteur WITH NO DATA"
        )
        for autre in table.column_names:
            if autre not in stockees:
                con.execute(f"ALTER TABLE {nom} ADD COLUMN {autre} INTEGER")
        con.copier(  # type: ignore[attr-defined]
            f"COPY {nom} ({', '.join(table.column_names)}) FROM STDIN",
            (tuple(ligne.values()) for ligne in table.to_pylist()),
        )
        yield nom


def _verifier_versions(con: duckdb.DuckDBPyConnection, nom: str) -> None:
    change = con.execute(
        f"SELECT l.id FROM {nom} l LEFT JOIN acteur a USING (id)"
        " WHERE a.version IS DISTINCT FROM l.attendue LIMIT 1"
    ).fetchone()
    if change:
        raise ConflitImport(f"la fiche « {change[0]} » a été modifiée depuis l'aperçu")
