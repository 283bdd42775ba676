"""Les graphiques de statistiques : aucune zone ni barre ne montre un nombre inférieur à 5."""

from __future__ import annotations

import json

import duckdb
import pytest
from shapely.geometry import shape

from cartographie.consultations.statistiques import contours_des_zones as contours
from ui import graphiques

pytestmark = pytest.mark.deux_bases  # stockage et métier : DuckDB puis PostgreSQL


def test_choroplethe_hors_ligne_et_petits_nombres_masques(base: duckdb.DuckDBPyConnection) -> None:
    geojson = contours(base, "territoire")
    assert len(geojson["features"]) == 18
    spec = graphiques.choroplethe(geojson, {"Trièves": 3, "Oisans": 12}, "territoire", "territoire")
    spec = spec.to_dict()
    valeurs = spec["data"]["values"] if "data" in spec else spec["layer"][0]["data"]["values"]
    par_zone = {f["properties"]["territoire"]: f["properties"] for f in valeurs}
    assert par_zone["Trièves"]["recherches"] is None
    assert par_zone["Trièves"]["affiche"] == "< 5"
    assert par_zone["Oisans"]["recherches"] == 12
    assert par_zone["Matheysine"]["affiche"] == "< 5"  # aucune recherche : pas de « 0 » exact
    # Rien à télécharger : pas d'URL de données ni de tuiles dans la spécification.
    assert '"url"' not in json.dumps(spec)
    assert "tile" not in json.dumps(spec).lower()


def test_communes_dans_les_contours(base: duckdb.DuckDBPyConnection) -> None:
    geojson = contours(base, "commune")
    assert len(geojson["features"]) == 512
    assert {"code_insee", "nom"} <= set(geojson["features"][0]["properties"])


def test_barres_sans_les_valeurs_sous_le_seuil() -> None:
    tableau = [{"Acteur": "A", "Consultations": 9}, {"Acteur": "B", "Consultations": 2}]
    spec = graphiques.barres(tableau, "Acteur", "Consultations").to_dict()
    lignes = next(iter(spec["datasets"].values()))
    assert [ligne["Acteur"] for ligne in lignes] == ["A"]
    assert graphiques.barres(tableau[1:], "Acteur", "Consultations") is None


def test_anneaux_exterieurs_dans_le_sens_horaire(base: duckdb.DuckDBPyConnection) -> None:
    # Sens inverse : Vega remplit tout le cadre au lieu de la commune (vu dans Chromium).
    spec = graphiques.choroplethe(contours(base, "commune"), {}, "code_insee", "nom").to_dict()
    valeurs = spec["data"]["values"] if "data" in spec else spec["layer"][0]["data"]["values"]
    for f in valeurs:
        geometrie = shape(f["geometry"])
        polygones = geometrie.geoms if geometrie.geom_type == "MultiPolygon" else [geometrie]
        assert all(not p.exterior.is_ccw for p in polygones), f["properties"]["nom"]
