"""La recherche d'acteurs en SQL : filtres compilés en clauses `?`, tri par distance.

Chaque critère de `Filtres` devient un fragment SQL et ses paramètres (à la manière des filtres
de datasette) ; aucune valeur saisie n'entre dans le texte SQL. La distance se calcule sur le
point *public* : pour une adresse confidentielle, le point représentatif de la commune, si bien
que ni l'affichage ni l'ordre des résultats ne trahissent la position exacte.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from cartographie.modele import Acteur, Statut
from cartographie.recherche import Filtres, PointRecherche, mots_recherches
from cartographie.stockage.acteurs import COLONNES_STOCKEES, depuis_ligne

RAYON_TERRE_KM = 6371.0088

# Position publique : jamais la position exacte d'une adresse confidentielle.
_LAT_PUBLIQUE = (
    "CASE WHEN a.adresse_confidentielle THEN c.latitude ELSE coalesce(a.latitude, c.latitude) END"
)
_LON_PUBLIQUE = "CASE WHEN a.adresse_confidentielle THEN c.longitude ELSE coalesce(a.longitude, c.longitude) END"
# Haversine : exact à mieux que 0,5 % sur l'Isère, et vectorisé par DuckDB.
_DISTANCE = (
    f"2 * {RAYON_TERRE_KM} * asin(sqrt("
    f"pow(sin(radians(({_LAT_PUBLIQUE}) - ?) / 2), 2)"
    f" + cos(radians(?)) * cos(radians({_LAT_PUBLIQUE}))"
    f" * pow(sin(radians(({_LON_PUBLIQUE}) - ?) / 2), 2)))"
)
_TEXTE = "strip_accents(lower(a.nom || ' ' || a.structure || ' ' || a.description))"


@dataclass(frozen=True, slots=True)
class Clauses:
    """Des fragments SQL à joindre par AND, et leurs paramètres dans l'ordre."""

    sql: tuple[str, ...]
    parametres: tuple[object, ...]


def clauses(filtres: Filtres) -> Clauses:
    """Compile les filtres (hors rayon, qui dépend du point) en clauses WHERE paramétrées."""
    sql: list[str] = ["a.statut = ?"]
    parametres: list[object] = [Statut.ACTIF.value]
    if filtres.types:
        sql.append(f"a.type IN ({', '.join('?' for _ in filtres.types)})")
        parametres.extend(t.value for t in filtres.types)
    if filtres.axes:
        sql.append("list_has_any(a.axes, ?::VARCHAR[])")
        parametres.append([a.value for a in filtres.axes])
    if filtres.publics:
        sql.append("list_has_any(a.publics, ?::VARCHAR[])")
        parametres.append([p.value for p in filtres.publics])
    if filtres.territoire:
        sql.append("c.territoire = ?")
        parametres.append(filtres.territoire)
    for mot in mots_recherches(filtres.texte):
        sql.append(f"{_TEXTE} LIKE ? ESCAPE '\\'")
        parametres.append("%" + _echapper_like(mot) + "%")
    return Clauses(tuple(sql), tuple(parametres))


def rechercher(
    con: duckdb.DuckDBPyConnection,
    filtres: Filtres,
    point: PointRecherche | None,
    limite: int,
) -> tuple[list[tuple[Acteur, float | None]], int]:
    """Les acteurs actifs qui passent les filtres, les plus proches d'abord, et leur nombre total.

    Sans point de recherche, l'ordre est alphabétique et le rayon ne s'applique pas.
    """
    where = clauses(filtres)
    colonnes = ", ".join(f"a.{c}" for c in COLONNES_STOCKEES)
    if point is None:
        distance, params_distance = "CAST(NULL AS DOUBLE)", []
    else:
        distance = _DISTANCE
        params_distance = [point.latitude, point.latitude, point.longitude]
    sql = (
        f"SELECT {colonnes}, coalesce(c.territoire, '') AS territoire, {distance} AS distance_km"
        " FROM acteur a LEFT JOIN commune c ON c.code_insee = a.code_insee"
        f" WHERE {' AND '.join(where.sql)}"
    )
    params = [*params_distance, *where.parametres]
    exterieur, params_exterieur = "", []
    if point is not None and filtres.rayon_km is not None:
        exterieur, params_exterieur = " WHERE distance_km <= ?", [float(filtres.rayon_km)]
    requete = (
        f"SELECT *, count(*) OVER () AS total FROM ({sql}){exterieur}"
        " ORDER BY distance_km NULLS LAST, nom, id LIMIT ?"
    )
    cur = con.execute(requete, [*params, *params_exterieur, limite])
    noms = [d[0] for d in cur.description]
    lignes = cur.fetchall()
    i_distance, i_total = noms.index("distance_km"), noms.index("total")
    total = int(lignes[0][i_total]) if lignes else 0
    return [(depuis_ligne(noms, ligne), ligne[i_distance]) for ligne in lignes], total


def _echapper_like(mot: str) -> str:
    return mot.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
