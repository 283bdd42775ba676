"""Requêtes des indicateurs de l'objectif 22 qui ne viennent pas des consultations."""

from __future__ import annotations

import json
from datetime import date

import duckdb

from cartographie.horloge import JOUR_A_PARIS_SQL
from cartographie.stockage.dialecte import est_postgresql

# Contours simplifiés (~100 m) : la carte de la page de statistiques reste légère.
_TOLERANCE_DEGRES = 0.001
_NIVEAUX = {"commune": "code_insee, nom", "territoire": "territoire"}


_JOUR_PARIS = JOUR_A_PARIS_SQL


def fiches_mises_a_jour(con: duckdb.DuckDBPyConnection, debut: date, fin: date) -> tuple[int, int]:
    """(fiches distinctes créées ou changées, versions écrites) entre deux jours inclus.

    Lu dans l'historique des fiches : création, modification, vérification, archivage, import.
    """
    jour = _JOUR_PARIS.format(colonne="horodatage")
    fiches, versions = con.execute(
        f"SELECT count(DISTINCT acteur_id), count(*) FROM historique_acteur"
        f" WHERE {jour} BETWEEN ? AND ?",
        [debut, fin],
    ).fetchone()
    return int(fiches), int(versions)


def signalements(con: duckdb.DuckDBPyConnection, debut: date, fin: date) -> tuple[int, int]:
    """(signalements d'erreur reçus, signalements traités) entre deux jours inclus."""
    depose = _JOUR_PARIS.format(colonne="depose_le")
    traite = _JOUR_PARIS.format(colonne="traite_le")
    recus, traites = con.execute(
        f"SELECT count(*) FILTER (WHERE {depose} BETWEEN ? AND ?),"
        f" count(*) FILTER (WHERE statut = 'traite' AND {traite} BETWEEN ? AND ?)"
        " FROM signalement",
        [debut, fin, debut, fin],
    ).fetchone()
    return int(recus), int(traites)


def contours(con: duckdb.DuckDBPyConnection, niveau: str) -> dict:
    """GeoJSON des communes ou des territoires (communes fusionnées), depuis la table `commune`."""
    if niveau not in _NIVEAUX:
        raise ValueError(f"niveau inconnu : {niveau!r}")
    colonnes = _NIVEAUX[niveau]
    # L'union des contours, agrégat : ST_Union_Agg pour l'extension spatiale de DuckDB, ST_Union
    # pour PostGIS (le reste est commun).
    union = "ST_Union" if est_postgresql(con) else "ST_Union_Agg"
    lignes = con.execute(
        f"SELECT {colonnes}, ST_AsGeoJSON(ST_SimplifyPreserveTopology({union}(geom), ?))"
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
