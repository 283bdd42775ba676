"""Requêtes des indicateurs de l'objectif 22 qui ne viennent pas des consultations."""

from __future__ import annotations

import json
from datetime import date

import duckdb

# Contours simplifiés (~100 m) : la carte de la page de statistiques reste légère.
_TOLERANCE_DEGRES = 0.001
_NIVEAUX = {"commune": "code_insee, nom", "territoire": "territoire"}


def fiches_verifiees(con: duckdb.DuckDBPyConnection, reference: date) -> tuple[int, int]:
    """(fiches actives vérifiées dans les 12 mois avant `reference`, fiches actives)."""
    verifiees, actives = con.execute(
        "SELECT count(*) FILTER (WHERE date_verification > ? - INTERVAL 12 MONTH"
        "                        AND date_verification <= ?), count(*)"
        " FROM acteur WHERE statut = 'actif'",
        [reference, reference],
    ).fetchone()
    return int(verifiees), int(actives)


def contours(con: duckdb.DuckDBPyConnection, niveau: str) -> dict:
    """GeoJSON des communes ou des territoires (communes fusionnées), depuis la table `commune`."""
    if niveau not in _NIVEAUX:
        raise ValueError(f"niveau inconnu : {niveau!r}")
    colonnes = _NIVEAUX[niveau]
    lignes = con.execute(
        f"SELECT {colonnes}, ST_AsGeoJSON(ST_SimplifyPreserveTopology(ST_Union_Agg(geom), ?))"
        f" FROM commune GROUP BY {colonnes} ORDER BY {colonnes}",
        [_TOLERANCE_DEGRES],
    ).fetchall()
    noms = [c.strip() for c in colonnes.split(",")]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": dict(zip(noms, ligne[:-1], strict=True)),
                "geometry": json.loads(ligne[-1]),
            }
            for ligne in lignes
        ],
    }
