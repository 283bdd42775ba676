"""Requêtes sur la table `acteur` ; les lignes deviennent des `Acteur` ici et nulle part ailleurs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import duckdb

from cartographie.modele import COLONNES_STOCKEES, Acteur, Statut
from cartographie.modele.champs import lecteur, vers_stockage

SELECT_ACTEUR = (
    "SELECT "
    + ", ".join(f"a.{c}" for c in COLONNES_STOCKEES)
    + ", coalesce(c.territoire, '') AS territoire"
    " FROM acteur a LEFT JOIN commune c ON c.code_insee = a.code_insee"
)
_LIRE = lecteur(Acteur, (*COLONNES_STOCKEES, "territoire"))


def vers_ligne(acteur: Acteur) -> list:
    """Un acteur en valeurs pour `COLONNES_STOCKEES`."""
    return vers_stockage(acteur, COLONNES_STOCKEES)


def depuis_ligne(colonnes: Sequence[str], ligne: Sequence) -> Acteur:
    """Une ligne de `SELECT_ACTEUR` (ou d'une requête qui l'étend) en `Acteur`."""
    if tuple(colonnes[: len(COLONNES_STOCKEES) + 1]) == (*COLONNES_STOCKEES, "territoire"):
        return _LIRE(ligne)
    return lecteur(Acteur, tuple(colonnes))(ligne)


def inserer(con: duckdb.DuckDBPyConnection, acteurs: Iterable[Acteur]) -> int:
    """Insère des acteurs (dans la transaction de l'appelant) ; renvoie leur nombre."""
    lignes = [vers_ligne(a) for a in acteurs]
    if lignes:
        marques = ", ".join("?" for _ in COLONNES_STOCKEES)
        con.executemany(
            f"INSERT INTO acteur ({', '.join(COLONNES_STOCKEES)}) VALUES ({marques})", lignes
        )
    return len(lignes)


def lister(con: duckdb.DuckDBPyConnection, *, statut: Statut | None = Statut.ACTIF) -> list[Acteur]:
    """Les acteurs, par nom ; tous statuts confondus si `statut` est None."""
    sql, params = SELECT_ACTEUR, []
    if statut is not None:
        sql += " WHERE a.statut = ?"
        params.append(str(statut))
    cur = con.execute(sql + " ORDER BY a.nom, a.id", params)
    colonnes = [d[0] for d in cur.description]
    return [depuis_ligne(colonnes, ligne) for ligne in cur.fetchall()]


def par_ids(con: duckdb.DuckDBPyConnection, identifiants: Sequence[str]) -> list[Acteur]:
    """Les acteurs de ces identifiants (ceux qui existent), dans aucun ordre particulier."""
    if not identifiants:
        return []
    cur = con.execute(
        SELECT_ACTEUR + " WHERE a.id IN (SELECT unnest(?::VARCHAR[]))", [list(identifiants)]
    )
    colonnes = [d[0] for d in cur.description]
    return [depuis_ligne(colonnes, ligne) for ligne in cur.fetchall()]


def versions_actives(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """(identifiant, version) des acteurs actifs, dans l'ordre de `lister`."""
    return con.execute(
        "SELECT id, version FROM acteur WHERE statut = ? ORDER BY nom, id", [str(Statut.ACTIF)]
    ).fetchall()


def par_id(con: duckdb.DuckDBPyConnection, identifiant: str) -> Acteur | None:
    """Un acteur par son identifiant, quel que soit son statut."""
    cur = con.execute(SELECT_ACTEUR + " WHERE a.id = ?", [identifiant])
    colonnes = [d[0] for d in cur.description]
    ligne = cur.fetchone()
    return depuis_ligne(colonnes, ligne) if ligne else None


def compter(con: duckdb.DuckDBPyConnection) -> int:
    """Nombre total de fiches, archivées comprises."""
    return int(con.execute("SELECT count(*) FROM acteur").fetchone()[0])


def remplacer(con: duckdb.DuckDBPyConnection, acteur: Acteur, version_attendue: int) -> bool:
    """Écrit la fiche si elle est encore à `version_attendue` ; dit si elle l'a fait.

    La condition sur la version fait partie de l'UPDATE : entre la lecture et l'écriture,
    personne ne peut glisser une modification qui serait écrasée sans le savoir.
    """
    colonnes = [c for c in COLONNES_STOCKEES if c != "id"]
    valeurs = dict(zip(COLONNES_STOCKEES, vers_ligne(acteur), strict=True))
    ligne = con.execute(
        f"UPDATE acteur SET {', '.join(f'{c} = ?' for c in colonnes)}"
        " WHERE id = ? AND version = ? RETURNING id",
        [*(valeurs[c] for c in colonnes), acteur.id, version_attendue],
    ).fetchone()
    return ligne is not None
