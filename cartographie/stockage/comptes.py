"""Requêtes sur les comptes et leur journal ; les lignes deviennent des `Compte` ici seulement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

from cartographie.comptes.roles import Compte, Role
from cartographie.horloge import depuis_la_base, pour_la_base

_COLONNES = "identifiant, nom, role, actif, cree_le, derniere_connexion"
# Un identifiant saisi n'est jamais stocké en entier : le journal ne doit pas devenir un
# réceptacle de mots de passe collés dans le mauvais champ.
LONGUEUR_MAX_JOURNAL = 100


@dataclass(frozen=True, slots=True)
class EtatConnexion:
    """Ce qu'il faut savoir d'un compte pour décider d'une tentative de connexion."""

    compte: Compte
    empreinte: str
    echecs_consecutifs: int
    bloque_jusqu_a: datetime | None


@dataclass(frozen=True, slots=True)
class EntreeJournal:
    """Une ligne du journal des comptes."""

    horodatage: datetime
    identifiant: str
    evenement: str
    detail: str
    auteur: str


def _compte(ligne: Sequence) -> Compte:
    identifiant, nom, role, actif, cree_le, derniere = ligne
    return Compte(
        identifiant, nom, Role(role), bool(actif), depuis_la_base(cree_le), depuis_la_base(derniere)
    )


def inserer(con: duckdb.DuckDBPyConnection, compte: Compte, empreinte: str) -> None:
    """Ajoute un compte ; l'identifiant doit être libre."""
    con.execute(
        "INSERT INTO compte (identifiant, nom, role, empreinte, actif, cree_le)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            compte.identifiant,
            compte.nom,
            str(compte.role),
            empreinte,
            compte.actif,
            pour_la_base(compte.cree_le),
        ],
    )


def par_identifiant(con: duckdb.DuckDBPyConnection, identifiant: str) -> Compte | None:
    """Un compte par son identifiant, actif ou non."""
    ligne = con.execute(
        f"SELECT {_COLONNES} FROM compte WHERE identifiant = ?", [identifiant]
    ).fetchone()
    return _compte(ligne) if ligne else None


def etat_connexion(con: duckdb.DuckDBPyConnection, identifiant: str) -> EtatConnexion | None:
    """Le compte, son empreinte et ses échecs récents ; None si l'identifiant est inconnu."""
    ligne = con.execute(
        f"SELECT {_COLONNES}, empreinte, echecs_consecutifs, bloque_jusqu_a"
        " FROM compte WHERE identifiant = ?",
        [identifiant],
    ).fetchone()
    if ligne is None:
        return None
    return EtatConnexion(_compte(ligne[:6]), ligne[6], int(ligne[7]), depuis_la_base(ligne[8]))


def lister(con: duckdb.DuckDBPyConnection) -> list[Compte]:
    """Tous les comptes, par identifiant."""
    return [
        _compte(ligne)
        for ligne in con.execute(f"SELECT {_COLONNES} FROM compte ORDER BY identifiant").fetchall()
    ]


def compter_administrateurs_actifs(con: duckdb.DuckDBPyConnection) -> int:
    """Combien d'administrateurs peuvent encore se connecter."""
    return int(
        con.execute(
            "SELECT count(*) FROM compte WHERE role = 'administrateur' AND actif"
        ).fetchone()[0]
    )


def noter_succes(con: duckdb.DuckDBPyConnection, identifiant: str, quand: datetime) -> None:
    """Remet les échecs à zéro et date la connexion."""
    con.execute(
        "UPDATE compte SET echecs_consecutifs = 0, bloque_jusqu_a = NULL, derniere_connexion = ?"
        " WHERE identifiant = ?",
        [pour_la_base(quand), identifiant],
    )


def changer_empreinte(con: duckdb.DuckDBPyConnection, identifiant: str, empreinte: str) -> None:
    """Nouveau mot de passe (ou ré-empreinte) ; lève aussi un blocage en cours."""
    con.execute(
        "UPDATE compte SET empreinte = ?, echecs_consecutifs = 0, bloque_jusqu_a = NULL"
        " WHERE identifiant = ?",
        [empreinte, identifiant],
    )


def changer_role(con: duckdb.DuckDBPyConnection, identifiant: str, role: Role) -> None:
    """Change le rôle d'un compte."""
    con.execute("UPDATE compte SET role = ? WHERE identifiant = ?", [str(role), identifiant])


def changer_activation(con: duckdb.DuckDBPyConnection, identifiant: str, actif: bool) -> None:
    """Active ou désactive un compte (jamais supprimé : l'historique garde son nom)."""
    con.execute("UPDATE compte SET actif = ? WHERE identifiant = ?", [actif, identifiant])


def journaliser(
    con: duckdb.DuckDBPyConnection,
    quand: datetime,
    identifiant: str,
    evenement: str,
    detail: str = "",
    auteur: str = "",
) -> None:
    """Ajoute une ligne au journal (jamais de mot de passe ici)."""
    con.execute(
        "INSERT INTO journal_compte (horodatage, identifiant, evenement, detail, auteur)"
        " VALUES (?, ?, ?, ?, ?)",
        [pour_la_base(quand), identifiant[:LONGUEUR_MAX_JOURNAL], evenement, detail, auteur],
    )


def demandes_sans_compte(
    con: duckdb.DuckDBPyConnection, evenement: str
) -> list[tuple[str, str, datetime]]:
    """(identifiant, dernier détail, dernière date) des lignes `evenement` restées sans compte."""
    lignes = con.execute(
        "SELECT identifiant, (array_agg(detail ORDER BY numero DESC))[1], max(horodatage)"
        " FROM journal_compte"
        " WHERE evenement = ? AND identifiant NOT IN (SELECT identifiant FROM compte)"
        " GROUP BY identifiant ORDER BY max(horodatage) DESC",
        [evenement],
    ).fetchall()
    return [(identifiant, detail, depuis_la_base(quand)) for identifiant, detail, quand in lignes]


def journal(con: duckdb.DuckDBPyConnection, limite: int = 200) -> list[EntreeJournal]:
    """Les dernières lignes du journal, la plus récente d'abord."""
    return [
        EntreeJournal(depuis_la_base(ligne[0]), *ligne[1:])
        for ligne in con.execute(
            "SELECT horodatage, identifiant, evenement, detail, auteur FROM journal_compte"
            " ORDER BY numero DESC LIMIT ?",
            [limite],
        ).fetchall()
    ]
