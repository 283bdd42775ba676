"""Tables `consultation` (événements bruts) et `consultation_agregat` (comptes par jour).

Toutes les statistiques se lisent dans une même « forme longue » : (jour, événement, page,
dimension, valeur, nombre, sessions), calculée à la volée sur les événements bruts et stockée
telle quelle pour les jours purgés. Une période qui chevauche la purge se lit donc d'un seul
tenant, et la purge ne change aucun chiffre (hors sessions à cheval sur minuit).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb

from cartographie.consultations.evenements import Evenement
from cartographie.horloge import JOUR_A_PARIS_SQL, pour_la_base
from cartographie.stockage.transaction import transaction

COLONNES: tuple[str, ...] = (
    "horodatage",
    "evenement",
    "page",
    "session",
    "types",
    "axes",
    "publics",
    "territoire",
    "rayon_km",
    "code_insee",
    "acteur_id",
    "format",
    "langue",
    "forme",
)

# Les jours sont ceux de Paris : ce que la DDFE appelle « le 1er janvier ».
_JOUR = JOUR_A_PARIS_SQL.format(colonne="horodatage")

DIMENSIONS: tuple[str, ...] = (
    "",
    "type",
    "axe",
    "public",
    "territoire",
    "rayon_km",
    "code_insee",
    "acteur_id",
    "format",
    "langue",
    "forme",
)
TOUS_EVENEMENTS = "*"

# Chaque événement brut devient une ligne par dimension renseignée (et une ligne de total) ;
# `{filtre}` restreint les événements bruts lus (période ou purge).
_FAITS = f"""
brut AS (SELECT {_JOUR} AS jour, * FROM consultation WHERE {{filtre}}),
faits AS (
    SELECT jour, evenement, page, session, '' AS dimension, '' AS valeur FROM brut
    UNION ALL SELECT jour, '{TOUS_EVENEMENTS}', '{TOUS_EVENEMENTS}', session, '', '' FROM brut
    UNION ALL SELECT jour, evenement, page, session, 'type', unnest(types) FROM brut
    UNION ALL SELECT jour, evenement, page, session, 'axe', unnest(axes) FROM brut
    UNION ALL SELECT jour, evenement, page, session, 'public', unnest(publics) FROM brut
    UNION ALL SELECT jour, evenement, page, session, 'territoire', territoire FROM brut
        WHERE territoire IS NOT NULL
    UNION ALL SELECT jour, evenement, page, session, 'rayon_km', CAST(rayon_km AS VARCHAR)
        FROM brut WHERE rayon_km IS NOT NULL
    UNION ALL SELECT jour, evenement, page, session, 'code_insee', code_insee FROM brut
        WHERE code_insee IS NOT NULL
    UNION ALL SELECT jour, evenement, page, session, 'acteur_id', acteur_id FROM brut
        WHERE acteur_id IS NOT NULL
    UNION ALL SELECT jour, evenement, page, session, 'format', format FROM brut
        WHERE format IS NOT NULL
    UNION ALL SELECT jour, evenement, page, session, 'langue', langue FROM brut
        WHERE langue IS NOT NULL
    UNION ALL SELECT jour, evenement, page, session, 'forme', forme FROM brut
        WHERE forme IS NOT NULL
),
longue_brute AS (
    SELECT jour, evenement, page, dimension, valeur,
           count(*) AS nombre, count(DISTINCT session) AS sessions
    FROM faits GROUP BY jour, evenement, page, dimension, valeur
)
"""

PAS: dict[str, str] = {"jour": "day", "semaine": "week", "mois": "month", "annee": "year"}


@dataclass(frozen=True, slots=True)
class Compte:
    """Un compte de la forme longue, regroupé par période et par valeur."""

    periode: date | None
    valeur: str
    nombre: int
    sessions: int


@dataclass(frozen=True, slots=True)
class References:
    """Les codes admis dans un événement : ce qui n'y est pas ne sera pas stocké."""

    territoires: frozenset[str]
    communes: frozenset[str]
    acteurs: frozenset[str]


def references(con: duckdb.DuckDBPyConnection) -> References:
    """Territoires, communes et acteurs connus de la base."""

    def ensemble(sql: str) -> frozenset[str]:
        return frozenset(v for (v,) in con.execute(sql).fetchall())

    return References(
        territoires=ensemble("SELECT DISTINCT territoire FROM commune"),
        communes=ensemble("SELECT code_insee FROM commune"),
        acteurs=ensemble("SELECT id FROM acteur"),
    )


def _valeurs(e: Evenement) -> list:
    return [
        pour_la_base(e.horodatage),
        e.type.value,
        e.page,
        e.session,
        [t.value for t in e.types],
        [a.value for a in e.axes],
        [p.value for p in e.publics],
        e.territoire,
        e.rayon_km,
        e.code_insee,
        e.acteur_id,
        None if e.format is None else e.format.value,
        None if e.langue is None else e.langue.value,
        None if e.forme is None else e.forme.value,
    ]


_LIGNES_PAR_INSERT = 250


def inserer(con: duckdb.DuckDBPyConnection, evenements: Sequence[Evenement]) -> int:
    """Insère des événements (INSERT à plusieurs lignes : un aller-retour par paquet)."""
    marques = "(" + ", ".join("?" for _ in COLONNES) + ")"
    for debut in range(0, len(evenements), _LIGNES_PAR_INSERT):
        paquet = evenements[debut : debut + _LIGNES_PAR_INSERT]
        params = [v for e in paquet for v in _valeurs(e)]
        con.execute(
            f"INSERT INTO consultation ({', '.join(COLONNES)}) VALUES "
            + ", ".join(marques for _ in paquet),
            params,
        )
    return len(evenements)


def supprimer_sessions(con: duckdb.DuckDBPyConnection, sessions: Sequence[uuid.UUID]) -> int:
    """Efface tous les événements de ces sessions (une visite de la DDFE ne compte pas)."""
    if not sessions:
        return 0
    marques = ", ".join("?" for _ in sessions)
    (n,) = con.execute(
        f"DELETE FROM consultation WHERE session IN ({marques})", list(sessions)
    ).fetchone()
    return int(n)


def compter_bruts(con: duckdb.DuckDBPyConnection) -> int:
    """Nombre d'événements bruts conservés."""
    return int(con.execute("SELECT count(*) FROM consultation").fetchone()[0])


def agreger_et_supprimer(con: duckdb.DuckDBPyConnection, avant: date) -> tuple[int, int]:
    """Agrège les jours antérieurs à `avant` puis efface leurs événements bruts, atomiquement.

    Renvoie (lignes d'agrégat écrites, événements effacés). Un jour déjà agrégé (événement
    arrivé en retard) s'ajoute à son agrégat au lieu de l'écraser.
    """
    filtre = f"{_JOUR} < ?"
    with transaction(con):
        (agregats,) = con.execute(
            "INSERT INTO consultation_agregat"
            f" WITH {_FAITS.format(filtre=filtre)}"
            " SELECT jour, evenement, page, dimension, valeur, nombre, sessions FROM longue_brute"
            " ON CONFLICT (jour, evenement, page, dimension, valeur) DO UPDATE"
            " SET nombre = consultation_agregat.nombre + excluded.nombre,"
            " sessions = consultation_agregat.sessions + excluded.sessions",
            [avant],
        ).fetchone()
        (effaces,) = con.execute(f"DELETE FROM consultation WHERE {filtre}", [avant]).fetchone()
    return int(agregats), int(effaces)


def compter(
    con: duckdb.DuckDBPyConnection,
    debut: date,
    fin: date,
    *,
    evenements: Sequence[str],
    dimension: str = "",
    pas: str | None = None,
    page: str | None = None,
) -> list[Compte]:
    """Comptes de la forme longue entre deux jours inclus, par période (`pas`) et par valeur.

    `evenements` : codes d'événements (ou `TOUS_EVENEMENTS` pour les sessions toutes
    confondues) ; `dimension` : '' pour les totaux ; `pas` : une clé de `PAS` ou None.
    Les sessions d'une période sont la somme des sessions de ses jours.
    """
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension inconnue : {dimension!r}")
    if pas is not None and pas not in PAS:
        raise ValueError(f"pas inconnu : {pas!r}")
    if not evenements:
        return []
    periode = (
        "CAST(NULL AS DATE)"
        if pas is None
        else f"CAST(date_trunc('{PAS[pas]}', CAST(jour AS TIMESTAMP)) AS DATE)"
    )
    marques = ", ".join("?" for _ in evenements)
    filtre_page = "" if page is None else " AND page = ?"
    params_longue = [*evenements, dimension] + ([] if page is None else [page])
    # Les événements bruts sont filtrés large (± 1 jour en UTC) puis au jour de Paris près.
    filtre_brut = (
        "horodatage >= CAST(? AS DATE) - INTERVAL '1 day'"
        " AND horodatage < CAST(? AS DATE) + INTERVAL '2 days'"
    )
    sql = (
        f"WITH {_FAITS.format(filtre=filtre_brut)},"
        " longue AS ("
        "   SELECT jour, evenement, page, dimension, valeur, nombre, sessions FROM longue_brute"
        "   UNION ALL"
        "   SELECT jour, evenement, page, dimension, valeur, nombre, sessions"
        "   FROM consultation_agregat"
        " )"
        f" SELECT {periode} AS periode, valeur, sum(nombre), sum(sessions) FROM longue"
        f" WHERE jour BETWEEN ? AND ? AND evenement IN ({marques}) AND dimension = ?{filtre_page}"
        " GROUP BY 1, 2 ORDER BY periode NULLS FIRST, 3 DESC, valeur"
    )
    lignes = con.execute(sql, [debut, fin, debut, fin, *params_longue]).fetchall()
    return [Compte(p, v, int(n), int(s)) for p, v, n, s in lignes]


def premier_jour(con: duckdb.DuckDBPyConnection) -> date | None:
    """Le plus ancien jour connu (événements bruts ou agrégats), None si aucun."""
    (jour,) = con.execute(
        f"SELECT min(j) FROM (SELECT min({_JOUR}) AS j FROM consultation"
        " UNION ALL SELECT min(jour) FROM consultation_agregat) AS jours"
    ).fetchone()
    return jour
