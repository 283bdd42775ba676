"""Table `geocodage_cache` : les réponses du service national d'adresses, gardées."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from cartographie import horloge
from cartographie.horloge import depuis_la_base, pour_la_base, utc
from cartographie.modele import Precision

DUREE_ECHEC = timedelta(days=30)
"""Un « introuvable » n'est pas définitif : la BAN s'enrichit, on redemande après ce délai."""


@dataclass(frozen=True, slots=True)
class EntreeCache:
    """Une réponse du service conservée."""

    cle: str
    trouve: bool
    latitude: float | None
    longitude: float | None
    precision: Precision
    code_insee: str
    libelle: str
    score: float | None
    source: str
    date_geocodage: datetime


_COLONNES = (
    "cle, trouve, latitude, longitude, precision_localisation, code_insee, libelle, score,"
    " source, date_geocodage"
)

# INSERT … ON CONFLICT plutôt que INSERT OR REPLACE (propre à DuckDB) : une syntaxe, deux moteurs.
_REMPLACER = ", ".join(
    f"{c} = excluded.{c}" for c in (c.strip() for c in _COLONNES.split(",")) if c != "cle"
)


def lire(
    con: duckdb.DuckDBPyConnection, cle: str, maintenant: datetime | None = None
) -> EntreeCache | None:
    """L'entrée d'une clé, si elle existe et n'est pas un échec périmé."""
    ligne = con.execute(f"SELECT {_COLONNES} FROM geocodage_cache WHERE cle = ?", [cle]).fetchone()
    if ligne is None:
        return None
    entree = EntreeCache(*ligne[:4], Precision(ligne[4]), *ligne[5:9], depuis_la_base(ligne[9]))
    if (
        not entree.trouve
        and utc(maintenant or horloge.maintenant()) - entree.date_geocodage > DUREE_ECHEC
    ):
        return None
    return entree


def ecrire(con: duckdb.DuckDBPyConnection, entree: EntreeCache) -> None:
    """Ajoute ou remplace l'entrée de sa clé."""
    con.execute(
        f"INSERT INTO geocodage_cache ({_COLONNES}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        f" ON CONFLICT (cle) DO UPDATE SET {_REMPLACER}",
        [
            entree.cle,
            entree.trouve,
            entree.latitude,
            entree.longitude,
            str(entree.precision),
            entree.code_insee,
            entree.libelle,
            entree.score,
            entree.source,
            pour_la_base(entree.date_geocodage),
        ],
    )


def compter(con: duckdb.DuckDBPyConnection) -> int:
    """Nombre d'adresses en cache."""
    return int(con.execute("SELECT count(*) FROM geocodage_cache").fetchone()[0])
