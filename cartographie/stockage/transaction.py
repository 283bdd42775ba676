"""Transactions imbriquables (DuckDB ou PostgreSQL) : la plus extérieure décide, les autres s'y joignent.

DuckDB n'a ni transaction imbriquée ni moyen de demander « suis-je déjà dans une
transaction ? » (un BEGIN de trop annule celle en cours). On retient donc ici les connexions
(ou curseurs : chacun a sa propre transaction) dont la transaction a été ouverte par
`transaction()`. Un import qui enchaîne des centaines d'écritures écrit :

    with transaction(con):
        for acteur in acteurs:
            edition.creer(con, acteur, auteur)   # se joint à la transaction de l'import

et une erreur n'importe où annule tout. Ne jamais ouvrir soi-même un BEGIN sur une connexion
passée ensuite à `edition` : passer par `transaction()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

_ouvertes: set[int] = set()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Ouvre une transaction, ou se joint à celle déjà ouverte par `transaction()` sur `con`."""
    cle = id(con)
    if cle in _ouvertes:
        yield con
        return
    # begin/commit/rollback plutôt qu'un BEGIN en SQL : la façade PostgreSQL y épingle une
    # connexion de son pool le temps de la transaction (`stockage.postgresql`).
    con.begin()
    _ouvertes.add(cle)
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    else:
        con.commit()
    finally:
        _ouvertes.discard(cle)


def en_transaction(con: duckdb.DuckDBPyConnection) -> bool:
    """Vrai si `transaction()` a une transaction ouverte sur `con`."""
    return id(con) in _ouvertes
