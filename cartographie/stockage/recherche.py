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
from cartographie.stockage.acteurs import SELECT_ACTEUR, depuis_ligne

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
_TEXTE = "regexp_matches(a.nom || ' ' || a.structure || ' ' || a.description, ?)"
# Chaque lettre de base accepte ses variantes accentuées : « ecoute » trouve « Écoute ». Une
# expression RE2 insensible à la casse est ~7× plus rapide que strip_accents() ligne à ligne.
_VARIANTES = {
    "a": "aàâäáã",
    "c": "cç",
    "e": "eéèêë",
    "i": "iîïìí",
    "n": "nñ",
    "o": "oôöòóõ",
    "u": "uùûüú",
    "y": "yÿ",
}
_LIGATURES = {"oe": "(?:[oôöòóõ][eéèêë]|œ)", "ae": "(?:[aàâäáã][eéèêë]|æ)"}


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
        sql.append(_TEXTE)
        parametres.append(motif(mot))
    return Clauses(tuple(sql), tuple(parametres))


def rechercher(
    con: duckdb.DuckDBPyConnection,
    filtres: Filtres,
    point: PointRecherche | None,
    limite: int,
) -> tuple[list[tuple[Acteur, float | None]], int]:
    """Les acteurs actifs qui passent les filtres, les plus proches d'abord, et leur nombre total.

    Sans point de recherche, l'ordre est alphabétique et le rayon ne s'applique pas. Deux temps :
    un classement qui ne lit que les colonnes utiles au tri (stockage en colonnes : c'est ce qui
    coûte à 100 000 fiches), puis la lecture des seules fiches retenues.
    """
    where = clauses(filtres)
    if point is None:
        distance, params_distance = "CAST(NULL AS DOUBLE)", []
    else:
        distance = _DISTANCE
        params_distance = [point.latitude, point.latitude, point.longitude]
    exterieur, params_exterieur = "", []
    if point is not None and filtres.rayon_km is not None:
        exterieur, params_exterieur = " WHERE distance_km <= ?", [float(filtres.rayon_km)]
    classement = (
        "SELECT id, distance_km, count(*) OVER () AS total FROM ("
        f"SELECT a.id, a.nom, {distance} AS distance_km"
        " FROM acteur a LEFT JOIN commune c ON c.code_insee = a.code_insee"
        f" WHERE {' AND '.join(where.sql)}){exterieur}"
        " ORDER BY distance_km NULLS LAST, nom, id LIMIT ?"
    )
    rangs = con.execute(
        classement, [*params_distance, *where.parametres, *params_exterieur, limite]
    ).fetchall()
    if not rangs:
        return [], 0
    cur = con.execute(
        SELECT_ACTEUR + " WHERE a.id IN (SELECT unnest(?::VARCHAR[]))", [[r[0] for r in rangs]]
    )
    noms = [d[0] for d in cur.description]
    par_id = {ligne[0]: depuis_ligne(noms, ligne) for ligne in cur.fetchall()}
    return [(par_id[i], d) for i, d, _ in rangs], int(rangs[0][2])


def motif(mot: str) -> str:
    """Expression RE2 d'un mot normalisé : insensible à la casse et aux accents, rien d'actif.

    Tout caractère autre qu'une lettre ou un chiffre ASCII est écrit `\\x{…}` : un « . » ou un
    « * » saisi est cherché tel quel.
    """
    morceaux = []
    i = 0
    while i < len(mot):
        caractere = mot[i]
        i += 1
        if mot[i - 1 : i + 1] in _LIGATURES:
            # « coeur » trouve aussi « cœur » (la saisie est normalisée en « oe »).
            morceaux.append(_LIGATURES[mot[i - 1 : i + 1]])
            i += 1
        elif caractere in _VARIANTES:
            morceaux.append(f"[{_VARIANTES[caractere]}]")
        elif caractere.isascii() and caractere.isalnum():
            morceaux.append(caractere)
        else:
            morceaux.append(f"\\x{{{ord(caractere):x}}}")
    return "(?i)" + "".join(morceaux)
