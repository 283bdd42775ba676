"""Exports : sûrs pour un tableur, jamais d'adresse confidentielle dans l'export public."""

from __future__ import annotations

import csv
import io
import json

import duckdb
import pytest

from cartographie.echanges.exportation import csv_tableur, exporter, neutraliser
from cartographie.stockage import acteurs as depot_acteurs

pytestmark = pytest.mark.deux_bases  # stockage et métier : DuckDB puis PostgreSQL


def confidentiels(con: duckdb.DuckDBPyConnection):
    return [a for a in depot_acteurs.lister(con) if a.adresse_confidentielle]


@pytest.fixture
def base_avec_adresses(base: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Les fiches confidentielles reçoivent une adresse et un point précis, à ne jamais publier."""
    base.execute(
        "UPDATE acteur SET adresse = '12 rue du Refuge Secret', latitude = 45.123456,"
        " longitude = 5.654321, precision_localisation = 'adresse'"
        " WHERE adresse_confidentielle"
    )
    assert len(confidentiels(base)) >= 1
    return base


@pytest.mark.parametrize("format_export", ["csv", "geojson", "data_inclusion"])
def test_export_public_sans_adresse_ni_point_confidentiel(
    base_avec_adresses: duckdb.DuckDBPyConnection, format_export: str
) -> None:
    export = exporter(base_avec_adresses, format_export, complet=False)
    texte = export.contenu.decode("utf-8-sig")
    assert "Refuge Secret" not in texte
    assert "45.123456" not in texte
    assert "5.654321" not in texte
    assert "public" in export.nom_fichier
    assert "CONFIDENTIEL" not in export.nom_fichier
    assert export.nombre == len(depot_acteurs.lister(base_avec_adresses))


@pytest.mark.parametrize("format_export", ["csv", "geojson", "data_inclusion"])
def test_export_complet_contient_les_adresses_et_le_dit(
    base_avec_adresses: duckdb.DuckDBPyConnection, format_export: str
) -> None:
    export = exporter(base_avec_adresses, format_export, complet=True)
    assert "Refuge Secret" in export.contenu.decode("utf-8-sig")
    assert "CONFIDENTIEL" in export.nom_fichier


def test_csv_pour_excel_bom_point_virgule_et_formules_neutralisees(
    base: duckdb.DuckDBPyConnection,
) -> None:
    (piegee,) = base.execute("SELECT min(id) FROM acteur WHERE statut = 'actif'").fetchone()
    base.execute(
        "UPDATE acteur SET nom = '=HYPERLINK(\"http://x\";\"clic\")', telephone = '+33 4 76 00 00 00',"
        " description = '-2+3', source = '@SUM(A1)', horaires_accueil = '<b>9h</b>'"
        " WHERE id = ?",
        [piegee],
    )
    contenu = exporter(base, "csv", complet=False).contenu
    assert contenu.startswith(b"\xef\xbb\xbf")
    lignes = list(csv.reader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";"))
    assert lignes[0][:3] == ["id", "nom", "structure"]
    cellules = [c for ligne in lignes[1:] for c in ligne]
    assert not [c for c in cellules if c[:1] in ("=", "+", "-", "@")]
    premiere = next(
        dict(zip(lignes[0], ligne, strict=True)) for ligne in lignes[1:] if ligne[0] == piegee
    )
    assert premiere["nom"] == '\'=HYPERLINK("http://x";"clic")'
    assert premiere["telephone"] == "'+33 4 76 00 00 00"
    assert premiere["horaires_accueil"] == "<b>9h</b>"  # du texte, pas une formule


@pytest.mark.parametrize(
    ("cellule", "attendu"),
    [
        ("=1+1", "'=1+1"),
        ("+33", "'+33"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutraliser(cellule: str, attendu: str) -> None:
    assert neutraliser(cellule) == attendu


def test_geojson_points_lon_lat(base: duckdb.DuckDBPyConnection) -> None:
    document = json.loads(exporter(base, "geojson", complet=False).contenu)
    assert document["type"] == "FeatureCollection"
    for entite in document["features"]:
        lon, lat = entite["geometry"]["coordinates"]
        assert 4.6 < lon < 6.4
        assert 44.6 < lat < 46.0
        assert isinstance(entite["properties"]["axes"], list)


def test_data_inclusion_structures_et_services(base: duckdb.DuckDBPyConnection) -> None:
    document = json.loads(exporter(base, "data_inclusion", complet=False).contenu)
    structures, services = document["structures"], document["services"]
    assert len(structures) == len(services) == len(depot_acteurs.lister(base))
    assert {
        "source",
        "id",
        "nom",
        "description",
        "date_maj",
        "commune",
        "code_insee",
        "latitude",
        "longitude",
        "telephone",
        "courriel",
        "site_web",
    } <= structures[0].keys()
    assert {
        "source",
        "structure_id",
        "id",
        "nom",
        "thematiques",
        "publics",
        "modes_accueil",
        "zone_eligibilite",
    } <= services[0].keys()
    assert {s["id"] for s in structures} == {s["structure_id"] for s in services}
    femmes = [s for s in services if "femmes" in s["publics"]]
    assert femmes
    assert all(t for s in services for t in s["thematiques"])


def test_csv_vide_a_seulement_l_en_tete() -> None:
    assert csv_tableur([]).decode("utf-8-sig").count("\r\n") == 1


def test_seul_l_export_csv_public_porte_la_marque_qui_bloque_son_import(
    base: duckdb.DuckDBPyConnection,
) -> None:
    public = list(
        csv.DictReader(
            io.StringIO(exporter(base, "csv", complet=False).contenu.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert {ligne["version_publique"] for ligne in public} == {"oui"}
    complet = exporter(base, "csv", complet=True).contenu.decode("utf-8-sig")
    assert "version_publique" not in complet
