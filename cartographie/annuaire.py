"""L'annuaire tel que le public le voit : seuls les acteurs actifs, adresses confidentielles masquées."""

from __future__ import annotations

import duckdb

from cartographie.confidentialite import version_publique
from cartographie.modele import Acteur
from cartographie.stockage import acteurs as depot_acteurs
from cartographie.stockage import communes as depot_communes


def acteurs_publics(con: duckdb.DuckDBPyConnection) -> list[Acteur]:
    """Les acteurs actifs, chacun dans sa version publique."""
    points = depot_communes.points_representatifs(con)
    return [version_publique(a, *points[a.code_insee]) for a in depot_acteurs.lister(con)]
