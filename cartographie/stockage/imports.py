"""SQL de l'import : copie de sauvegarde, écriture ensembliste des lots, journal des imports.

Les lignes passent par une table Arrow enregistrée auprès de DuckDB plutôt que par
`executemany` : 2 000 lignes coûtaient 5 s une par une, 50 000 passent en moins d'une seconde.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from cartographie.horloge import depuis_la_base, maintenant, pour_la_base
from cartographie.modele import Acteur, Statut
from cartographie.modele.champs import schema_arrow
from cartographie.stockage.acteurs import COLONNES_STOCKEES, vers_ligne

TAILLE_LOT = 2000
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
    """Le fichier de la base ouverte (None pour une base en mémoire)."""
    ligne = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return Path(ligne[0]) if ligne and ligne[0] else None


def sauvegarder(con: duckdb.DuckDBPyConnection, *, conserver: int = 20) -> Path:
    """Copie cohérente de toute la base dans `sauvegardes/` à côté d'elle ; renvoie son chemin.

    `COPY FROM DATABASE` lit un instantané transactionnel : une écriture concurrente d'une autre
    session ne peut pas donner une copie à moitié à jour, contrairement à une copie du fichier.
    La copie est une base DuckDB ordinaire : restaurer, c'est remettre ce fichier à la place.
    """
    base = chemin_base(con)
    if base is None:
        raise ValueError("Une base en mémoire ne peut pas être sauvegardée avant import.")
    dossier = base.parent / "sauvegardes"
    dossier.mkdir(parents=True, exist_ok=True)
    horodatage = maintenant().strftime("%Y%m%d-%H%M%S-%f")
    cible = dossier / f"{base.stem}-avant-import-{horodatage}.duckdb"
    alias = f"sauvegarde_{uuid.uuid4().hex}"
    source = con.execute("SELECT current_database()").fetchone()[0]
    # ATTACH n'accepte pas de paramètre `?` : le chemin, construit ici, est échappé à la main.
    chemin_sql = str(cible).replace("'", "''")
    con.execute(f"ATTACH '{chemin_sql}' AS {alias}")
    try:
        con.execute(f'COPY FROM DATABASE "{source}" TO {alias}')
        # Une autre base, un autre identifiant : ouverte dans le même processus que l'originale,
        # elle ne doit pas hériter de son index de recherche.
        con.execute(
            f"UPDATE {alias}.meta SET valeur = CAST(uuid() AS VARCHAR)"
            " WHERE cle = 'identifiant_base'"
        )
    finally:
        con.execute(f"DETACH {alias}")
    anciennes = sorted(dossier.glob(f"{base.stem}-avant-import-*.duckdb"))
    for ancienne in anciennes[: max(0, len(anciennes) - conserver)]:
        ancienne.unlink(missing_ok=True)
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
    nom = f"lot_{uuid.uuid4().hex}"
    con.register(nom, _table(lot))
    try:
        deja = con.execute(f"SELECT l.id FROM {nom} l JOIN acteur a USING (id) LIMIT 1").fetchone()
        if deja:
            raise ConflitImport(f"la fiche « {deja[0]} » a été créée par quelqu'un d'autre")
        liste = ", ".join(COLONNES_STOCKEES)
        con.execute(f"INSERT INTO acteur ({liste}) SELECT {liste} FROM {nom}")
    finally:
        con.unregister(nom)


def mettre_a_jour_lot(con: duckdb.DuckDBPyConnection, lot: Sequence[tuple[Acteur, Acteur]]) -> None:
    """Remplace chaque fiche `avant` par `apres` (version + 1) si elle n'a pas bougé depuis."""
    nom = f"lot_{uuid.uuid4().hex}"
    con.register(nom, _table([apres for _, apres in lot], attendue=[a.version for a, _ in lot]))
    try:
        _verifier_versions(con, nom)
        affectations = ", ".join(
            f"{c} = l.{c}" for c in COLONNES_STOCKEES if c not in ("id", "version")
        )
        con.execute(
            f"UPDATE acteur SET {affectations}, version = acteur.version + 1"
            f" FROM {nom} l WHERE acteur.id = l.id"
        )
    finally:
        con.unregister(nom)


def archiver_lot(con: duckdb.DuckDBPyConnection, acteurs: Sequence[Acteur]) -> None:
    """Archive des fiches (version + 1) si elles n'ont pas bougé depuis l'aperçu."""
    nom = f"lot_{uuid.uuid4().hex}"
    con.register(
        nom,
        pa.table(
            {
                "id": pa.array([a.id for a in acteurs], type=pa.string()),
                "attendue": pa.array([a.version for a in acteurs], type=pa.int32()),
            }
        ),
    )
    try:
        _verifier_versions(con, nom)
        con.execute(
            f"UPDATE acteur SET statut = ?, version = acteur.version + 1"
            f" FROM {nom} l WHERE acteur.id = l.id",
            [str(Statut.ARCHIVE)],
        )
    finally:
        con.unregister(nom)


def _verifier_versions(con: duckdb.DuckDBPyConnection, nom: str) -> None:
    change = con.execute(
        f"SELECT l.id FROM {nom} l LEFT JOIN acteur a USING (id)"
        " WHERE a.version IS DISTINCT FROM l.attendue LIMIT 1"
    ).fetchone()
    if change:
        raise ConflitImport(f"la fiche « {change[0]} » a été modifiée depuis l'aperçu")
