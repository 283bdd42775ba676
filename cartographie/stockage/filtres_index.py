"""La recherche d'acteurs en SQL : l'empreinte de la base, et les filtres compilés en clauses `?`.

Les filtres ne s'appliquent pas à la base de l'application mais à la table `fiche` d'une petite
base DuckDB en mémoire, tirée d'elle par `cartographie.recherche.index` : une ligne par acteur
actif, les seules colonnes filtrées, le texte déjà sans accents ni majuscules. À 100 000 fiches,
la même requête sur la base elle-même coûte plusieurs fois plus (colonnes compressées à
décompresser, texte à normaliser à chaque ligne).

Chaque critère de `Filtres` devient un fragment SQL et ses paramètres (à la manière des filtres
de datasette) ; aucune valeur saisie n'entre dans le texte SQL. Le rayon et le tri par distance
ne sont pas du SQL : ils se calculent sur les positions publiques gardées par l'index.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import duckdb
import numpy as np
import pyarrow as pa

from cartographie.modele import Acteur, Axe, Nature, Public
from cartographie.recherche.filtres import Filtres, mots_recherches


class Empreinte(NamedTuple):
    """Ce qui identifie un état de la base pour l'index de recherche."""

    identifiant: str  # tiré au hasard à la création de la base (migration 0006)
    fiches: int
    versions: int  # somme des versions de toutes les fiches
    communes: str  # empreinte du référentiel des communes chargé


_EMPREINTE = (
    "SELECT"
    " (SELECT valeur FROM meta WHERE cle = 'identifiant_base'),"
    " count(*), coalesce(sum(version), 0),"
    " (SELECT valeur FROM meta WHERE cle = 'empreinte_referentiel_communes')"
    " FROM acteur"
)


def empreinte(con: duckdb.DuckDBPyConnection) -> Empreinte:
    """Ce qui change dès qu'une fiche ou le référentiel des communes change, lu en une requête.

    Toute écriture d'une fiche ajoute une ligne ou incrémente sa `version` (le verrou optimiste
    l'exige), et rien ne se supprime : le nombre de fiches et la somme des versions ne font que
    croître, si bien que deux états validés d'une même base n'ont jamais la même empreinte (un
    état vu dans une transaction encore ouverte peut, lui, être annulé puis « rejoué » autrement).
    """
    identifiant, fiches, versions, communes = con.execute(_EMPREINTE).fetchone()
    return Empreinte(identifiant or "", int(fiches), int(versions), communes or "")


@dataclass(frozen=True, slots=True)
class Clauses:
    """Des fragments SQL à joindre par AND, et leurs paramètres dans l'ordre."""

    sql: tuple[str, ...]
    parametres: tuple[object, ...]


def clauses(filtres: Filtres) -> Clauses:
    """Compile les filtres (hors rayon, qui dépend du point) en clauses WHERE paramétrées."""
    sql: list[str] = []
    parametres: list[object] = []
    if filtres.types:
        sql.append(f"f.type IN ({', '.join('?' for _ in filtres.types)})")
        parametres.extend(t.value for t in filtres.types)
    # Axes et publics sont des masques de bits : « au moins un des choisis » est un seul ET
    # binaire, ~10× plus rapide qu'un `list_contains` par valeur.
    if filtres.axes:
        sql.append("(f.axes & ?) <> 0")
        parametres.append(masque(filtres.axes))
    if filtres.publics:
        sql.append("(f.publics & ?) <> 0")
        parametres.append(masque(filtres.publics))
    if filtres.territoire:
        sql.append("f.territoire = ?")
        parametres.append(filtres.territoire)
    if not filtres.partenaires:
        sql.append("f.nature = ?")
        parametres.append(Nature.RESSOURCE.value)
    if filtres.langues:
        sql.append("list_has_any(f.langues, ?)")
        parametres.append([x.value for x in filtres.langues])
    # Recherche de sous-chaîne, pas de motif : un « % » ou un « _ » tapé est cherché tel quel.
    for mot in mots_recherches(filtres.texte):
        sql.append("contains(f.texte, ?)")
        parametres.append(mot)
    return Clauses(tuple(sql), tuple(parametres))


_TABLE_FICHE = """
CREATE TABLE fiche (
    pos         INTEGER NOT NULL,  -- rang de l'acteur dans l'index (ordre nom, identifiant)
    type        VARCHAR NOT NULL,
    axes        INTEGER NOT NULL,  -- masque de bits (`masque`)
    publics     INTEGER NOT NULL,
    territoire  VARCHAR NOT NULL,
    nature      VARCHAR NOT NULL,
    langues     VARCHAR[] NOT NULL,
    texte       VARCHAR NOT NULL   -- nom, structure et description, normalisés (`texte_cherche`)
)
"""


def creer_index(acteurs: Sequence[Acteur], textes: Sequence[str]) -> duckdb.DuckDBPyConnection:
    """Une base en mémoire dont la table `fiche` a une ligne par acteur, `pos` = son rang."""
    fiches = pa.table(
        {
            "pos": range(len(acteurs)),
            "type": [a.type.value for a in acteurs],
            "axes": [masque(a.axes) for a in acteurs],
            "publics": [masque(a.publics) for a in acteurs],
            "territoire": [a.territoire for a in acteurs],
            "nature": [a.nature.value for a in acteurs],
            "langues": [[x.value for x in a.langues] for a in acteurs],
            "texte": textes,
        }
    )
    base = duckdb.connect(":memory:")
    base.execute(_TABLE_FICHE)
    base.register("fiches_a_indexer", fiches)
    base.execute("INSERT INTO fiche SELECT * FROM fiches_a_indexer")
    base.unregister("fiches_a_indexer")
    return base


def positions(base: duckdb.DuckDBPyConnection, filtres: Filtres) -> np.ndarray | None:
    """Les rangs (`pos`, croissants) des fiches de l'index qui passent les filtres.

    None quand aucun filtre ne s'applique : toutes les fiches passent, inutile de les lire.
    """
    where = clauses(filtres)
    if not where.sql:
        return None
    curseur = base.cursor()  # un par appel : la base de l'index sert plusieurs sessions à la fois
    try:
        rangs = curseur.execute(
            "SELECT f.pos FROM fiche f WHERE " + " AND ".join(where.sql), list(where.parametres)
        ).fetchnumpy()["pos"]
    finally:
        curseur.close()
    return np.sort(np.asarray(rangs, dtype=np.int64))


_BITS: dict[type, dict[Axe | Public, int]] = {
    enumeration: {membre: 1 << rang for rang, membre in enumerate(enumeration)}
    for enumeration in (Axe, Public)
}


def masque(valeurs: Iterable[Axe | Public]) -> int:
    """Un bit par valeur, selon son rang dans son énumération."""
    resultat = 0
    for valeur in valeurs:
        resultat |= _BITS[type(valeur)][valeur]
    return resultat
