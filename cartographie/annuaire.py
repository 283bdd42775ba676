"""L'annuaire tel que le public le voit : seuls les acteurs actifs, adresses confidentielles masquées."""

from __future__ import annotations

import duckdb

from cartographie.confidentialite import version_publique
from cartographie.modele import Acteur
from cartographie.recherche import (
    LIMITE_RESULTATS,
    Filtres,
    PointRecherche,
    Resultat,
    Resultats,
)
from cartographie.stockage import acteurs as depot_acteurs
from cartographie.stockage import communes as depot_communes
from cartographie.stockage import recherche as depot_recherche


def acteurs_publics(con: duckdb.DuckDBPyConnection) -> list[Acteur]:
    """Les acteurs actifs, chacun dans sa version publique."""
    points = depot_communes.points_representatifs(con)
    return [version_publique(a, *points[a.code_insee]) for a in depot_acteurs.lister(con)]


def rechercher_acteurs(
    con: duckdb.DuckDBPyConnection,
    filtres: Filtres,
    point: PointRecherche | None = None,
    limite: int = LIMITE_RESULTATS,
) -> Resultats:
    """La recherche de la page d'accueil : acteurs publics filtrés, les plus proches d'abord."""
    trouves, total = depot_recherche.rechercher(con, filtres, point, limite)
    points = depot_communes.points_representatifs(con)
    resultats = tuple(
        Resultat(
            version_publique(acteur, *points[acteur.code_insee]),
            None if distance is None else round(distance, 1),
        )
        for acteur, distance in trouves
    )
    return Resultats(resultats, total, point, filtres)
