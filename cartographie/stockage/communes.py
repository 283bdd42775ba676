"""Table `commune` : copie en base du référentiel GeoJSON, pour les jointures et le spatial."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb

from cartographie.stockage.transaction import transaction

_CLE_EMPREINTE = "empreinte_referentiel_communes"


def synchroniser(con: duckdb.DuckDBPyConnection, chemin_geojson: Path) -> bool:
    """Recharge la table si le fichier a changé depuis le dernier chargement ; dit s'il l'a fait.

    Le fichier est la source de vérité (reconstruit par `make referentiel`, territoires modifiés
    par la DDFE) : la base suit, sans jamais toucher aux acteurs.
    """
    contenu = chemin_geojson.read_bytes()
    empreinte = hashlib.sha256(contenu).hexdigest()
    ligne = con.execute("SELECT valeur FROM meta WHERE cle = ?", [_CLE_EMPREINTE]).fetchone()
    if ligne and ligne[0] == empreinte:
        return False
    lignes = [_ligne(f) for f in json.loads(contenu)["features"]]
    with transaction(con):
        con.execute("DELETE FROM commune")
        con.executemany(
            "INSERT INTO commune (code_insee, nom, codes_postaux, population, epci_code, epci_nom,"
            " territoire, anciens_codes, latitude, longitude, geom)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ST_GeomFromGeoJSON(?))",
            lignes,
        )
        con.execute(
            "INSERT INTO meta (cle, valeur) VALUES (?, ?)"
            " ON CONFLICT (cle) DO UPDATE SET valeur = excluded.valeur",
            [_CLE_EMPREINTE, empreinte],
        )
    return True


def _ligne(feature: dict) -> list:
    p = feature["properties"]
    lon, lat = p["point_representatif"]
    return [
        p["code_insee"],
        p["nom"],
        list(p["codes_postaux"]),
        p.get("population"),
        p["epci_code"],
        p["epci_nom"],
        p["territoire"],
        list(p.get("anciens_codes", [])),
        lat,
        lon,
        json.dumps(feature["geometry"]),
    ]


def compter(con: duckdb.DuckDBPyConnection) -> int:
    """Nombre de communes en base."""
    return int(con.execute("SELECT count(*) FROM commune").fetchone()[0])


def territoires(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Les territoires (CISPD/CLSPD) connus, triés."""
    return [
        t for (t,) in con.execute("SELECT DISTINCT territoire FROM commune ORDER BY 1").fetchall()
    ]


def noms_et_territoires(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    """Code INSEE → (nom, territoire), pour nommer les communes d'un tableau de comptes."""
    return {
        code: (nom, territoire)
        for code, nom, territoire in con.execute(
            "SELECT code_insee, nom, territoire FROM commune"
        ).fetchall()
    }


def points_representatifs(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[float, float]]:
    """Code INSEE → (latitude, longitude) du point représentatif, toujours dans la commune."""
    return {
        code: (lat, lon)
        for code, lat, lon in con.execute(
            "SELECT code_insee, latitude, longitude FROM commune"
        ).fetchall()
    }
