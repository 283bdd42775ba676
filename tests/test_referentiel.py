"""Le référentiel des communes, vérifié sur le fichier commité et contre les sources."""

from __future__ import annotations

import csv
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Point, shape

from cartographie import communes as ref
from cartographie.texte import normaliser, sans_accents

RACINE = Path(__file__).resolve().parents[1]
GEOJSON = RACINE / "data" / "isere_communes.geojson"
TERRITOIRES = RACINE / "data" / "territoires.csv"


@pytest.fixture(scope="module")
def constructeur() -> ModuleType:
    """Le script de construction, importé comme un module (scripts/ n'est pas un paquet)."""
    chemin = RACINE / "scripts" / "construire_referentiel.py"
    spec = importlib.util.spec_from_file_location("construire_referentiel", chemin)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses le cherche dans sys.modules
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sources(constructeur: ModuleType):
    return constructeur.Sources.depuis(constructeur.dossier_shared())


@pytest.fixture(scope="module")
def entites() -> list[dict]:
    return json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]


@pytest.fixture(scope="module")
def cog_isere(sources) -> list[dict]:
    """Les communes actuelles de l'Isère selon le découpage administratif (COG 2026)."""
    communes = json.loads(sources.communes.read_text(encoding="utf-8"))
    return [c for c in communes if c["type"] == "commune-actuelle" and c.get("departement") == "38"]


@pytest.fixture(scope="module")
def contours_2018(sources) -> dict[str, dict]:
    entites = json.loads(sources.contours_2018.read_text(encoding="utf-8"))["features"]
    return {e["properties"]["code"]: e for e in entites}


def _lire_csv(chemin: Path) -> list[dict[str, str]]:
    with chemin.open(encoding="utf-8", newline="") as fichier:
        return list(csv.DictReader(fichier))


def _ecrire_csv(chemin: Path, lignes: list[dict[str, str]]) -> None:
    with chemin.open("w", encoding="utf-8", newline="") as fichier:
        ecrivain = csv.DictWriter(fichier, fieldnames=list(lignes[0]), lineterminator="\n")
        ecrivain.writeheader()
        ecrivain.writerows(lignes)


# --- Le fichier construit ---------------------------------------------------------------


def test_512_communes_actuelles_codes_uniques(entites, cog_isere):
    codes = [e["properties"]["code_insee"] for e in entites]
    assert len(entites) == 512
    assert len(set(codes)) == 512
    assert codes == sorted(codes)
    assert set(codes) == {c["code"] for c in cog_isere}


def test_geometries_valides_en_wgs84(entites):
    for entite in entites:
        geometrie = shape(entite["geometry"])
        assert geometrie.geom_type in ("Polygon", "MultiPolygon")
        assert geometrie.is_valid, entite["properties"]["code_insee"]
        ouest, sud, est, nord = geometrie.bounds
        # L'Isère tient entre 4,7° et 6,4° E, 44,6° et 45,9° N.
        assert 4.5 < ouest < est < 6.5
        assert 44.5 < sud < nord < 46.0


def test_coordonnees_a_cinq_decimales(entites):
    for entite in entites:
        coordonnees = shapely.get_coordinates(shape(entite["geometry"])).ravel().tolist()
        coordonnees += entite["properties"]["point_representatif"]
        assert all(round(x, 5) == x for x in coordonnees)


def test_taille_du_fichier_sous_2_mo():
    assert GEOJSON.stat().st_size < 2_000_000


def test_chaque_commune_dans_un_seul_epci(entites, sources):
    epcis = json.loads(sources.epci.read_text(encoding="utf-8"))
    appartenances: dict[str, list[str]] = {}
    for epci in epcis:
        for membre in epci["membres"]:
            appartenances.setdefault(membre["code"], []).append(epci["code"])
    for entite in entites:
        proprietes = entite["properties"]
        assert appartenances[proprietes["code_insee"]] == [proprietes["epci_code"]]
        assert proprietes["epci_nom"]


def test_chaque_commune_a_le_territoire_du_csv(entites):
    territoires = {ligne["code_insee"]: ligne["territoire"] for ligne in _lire_csv(TERRITOIRES)}
    assert len(territoires) == 512
    for entite in entites:
        proprietes = entite["properties"]
        assert proprietes["territoire"] == territoires[proprietes["code_insee"]] != ""


def test_proprietes_reprises_du_cog(entites, cog_isere):
    par_code = {c["code"]: c for c in cog_isere}
    for entite in entites:
        proprietes = entite["properties"]
        cog = par_code[proprietes["code_insee"]]
        assert proprietes["nom"] == cog["nom"]
        assert proprietes["codes_postaux"] == sorted(cog["codesPostaux"])
        assert proprietes["population"] == cog["population"]
        assert set(proprietes["anciens_codes"]) <= set(cog.get("anciensCodes", ()))


def test_surface_totale_identique_a_2018(entites, contours_2018):
    """La fusion ne perd ni n'ajoute de territoire (mesuré en Lambert-93)."""

    def surface(geometries: list) -> float:
        serie = gpd.GeoSeries(geometries, crs="EPSG:4326").to_crs("EPSG:2154")
        return serie.union_all().area

    avant = surface([shape(e["geometry"]) for e in contours_2018.values()])
    apres = surface([shape(e["geometry"]) for e in entites])
    assert abs(apres - avant) / avant < 0.001


def test_chaque_code_de_2018_dans_une_seule_commune(entites, contours_2018):
    parties = [
        code
        for e in entites
        for code in [e["properties"]["code_insee"], *e["properties"]["anciens_codes"]]
        if code in contours_2018
    ]
    assert sorted(parties) == sorted(contours_2018)


def test_point_representatif_dans_sa_commune(entites):
    for entite in entites:
        longitude, latitude = entite["properties"]["point_representatif"]
        assert shape(entite["geometry"]).contains(Point(longitude, latitude))


# --- Construction ------------------------------------------------------------------------


def entites_de(dossier: Path) -> list[dict]:
    return json.loads((dossier / "communes.geojson").read_text(encoding="utf-8"))["features"]


def test_construction_deterministe(constructeur, sources, tmp_path):
    sortie = tmp_path / "communes.geojson"
    constructeur.construire(sources, sortie, TERRITOIRES)
    assert sortie.read_bytes() == GEOJSON.read_bytes()


def test_territoires_generes_par_epci_si_absents(constructeur, sources, tmp_path):
    territoires = tmp_path / "territoires.csv"
    constructeur.construire(sources, tmp_path / "communes.geojson", territoires)
    lignes = _lire_csv(territoires)
    assert len(lignes) == 512
    epci_nom = {
        e["properties"]["code_insee"]: e["properties"]["epci_nom"] for e in entites_de(tmp_path)
    }
    for ligne in lignes:
        assert ligne["territoire"] == constructeur.nom_territoire(epci_nom[ligne["code_insee"]])


@pytest.mark.parametrize(
    ("epci", "territoire"),
    [
        ("CC du Trièves", "Trièves"),
        ("CC de l'Oisans", "Oisans"),
        ("CA du Pays Voironnais", "Pays Voironnais"),
        ("CC Le Grésivaudan", "Le Grésivaudan"),
        ("Grenoble-Alpes-Métropole", "Grenoble-Alpes-Métropole"),
        ("CA Porte de l'Isère (CAPI)", "Porte de l'Isère (CAPI)"),
    ],
)
def test_nom_territoire(constructeur, epci, territoire):
    assert constructeur.nom_territoire(epci) == territoire


def test_territoire_modifie_est_applique(constructeur, sources, tmp_path):
    lignes = _lire_csv(TERRITOIRES)
    modifiee = next(ligne for ligne in lignes if ligne["nom"] == "Voiron")
    modifiee["territoire"] = "Voironnais-Chartreuse"
    territoires = tmp_path / "territoires.csv"
    _ecrire_csv(territoires, lignes)
    constructeur.construire(sources, tmp_path / "communes.geojson", territoires)
    obtenus = {
        e["properties"]["code_insee"]: e["properties"]["territoire"] for e in entites_de(tmp_path)
    }
    assert obtenus == {ligne["code_insee"]: ligne["territoire"] for ligne in lignes}
    assert obtenus[modifiee["code_insee"]] == "Voironnais-Chartreuse"


def test_territoires_au_point_virgule_acceptes(constructeur, sources, tmp_path):
    """Un tableur réglé en français réenregistre le CSV avec des « ; » et un BOM."""
    territoires = tmp_path / "territoires.csv"
    texte = TERRITOIRES.read_text(encoding="utf-8")
    lignes = [";".join(ligne) for ligne in csv.reader(texte.splitlines())]
    territoires.write_text("\n".join(lignes), encoding="utf-8-sig")
    constructeur.construire(sources, tmp_path / "communes.geojson", territoires)
    assert (tmp_path / "communes.geojson").read_bytes() == GEOJSON.read_bytes()


def _retirer_voiron(lignes: list[dict[str, str]]) -> list[dict[str, str]]:
    return [ligne for ligne in lignes if ligne["nom"] != "Voiron"]


def _code_inconnu(lignes: list[dict[str, str]]) -> list[dict[str, str]]:
    return [*lignes, {"code_insee": "38999", "nom": "Nulle part", "territoire": "X"}]


def _doublon(lignes: list[dict[str, str]]) -> list[dict[str, str]]:
    return [*lignes, lignes[0]]


def _territoire_vide(lignes: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{**lignes[0], "territoire": " "}, *lignes[1:]]


@pytest.mark.parametrize(
    ("alteration", "message"),
    [
        (_retirer_voiron, r"commune\(s\) absente\(s\) du fichier : 38563 \(Voiron\)"),
        (_code_inconnu, "« 38999 » n'est pas le code INSEE d'une commune actuelle de l'Isère"),
        (_doublon, r"la commune 38001 \(Les Abrets en Dauphiné\) est en double"),
        (_territoire_vide, "territoire vide pour 38001"),
    ],
)
def test_territoires_incoherents_refuses(constructeur, sources, tmp_path, alteration, message):
    territoires = tmp_path / "territoires.csv"
    _ecrire_csv(territoires, alteration(_lire_csv(TERRITOIRES)))
    sortie = tmp_path / "communes.geojson"
    with pytest.raises(constructeur.ErreurReferentiel, match=message):
        constructeur.construire(sources, sortie, territoires)
    assert not sortie.exists()


def test_ligne_de_commande_explique_l_erreur(constructeur, tmp_path, capsys):
    territoires = tmp_path / "territoires.csv"
    _ecrire_csv(territoires, _retirer_voiron(_lire_csv(TERRITOIRES)))
    code = constructeur.main(
        ["--sortie", str(tmp_path / "communes.geojson"), "--territoires", str(territoires)]
    )
    assert code == 1
    erreur = capsys.readouterr().err
    assert "Voiron" in erreur
    assert "--regenerer-territoires" in erreur


# --- Module cartographie.communes ----------------------------------------------------


def test_charger_communes_types_et_cache():
    communes = ref.charger_communes()
    assert len(communes) == 512
    assert communes[0] is ref.charger_communes(GEOJSON)[0]
    assert all(isinstance(c.latitude, float) and isinstance(c.longitude, float) for c in communes)
    assert all(isinstance(c.codes_postaux, tuple) for c in communes)


def test_codes_postaux_de_l_isere_resolus(cog_isere):
    codes_postaux = {cp for c in cog_isere for cp in c["codesPostaux"]}
    for code_postal in codes_postaux:
        attendues = {c["code"] for c in cog_isere if code_postal in c["codesPostaux"]}
        assert {c.code_insee for c in ref.communes_par_code_postal(code_postal)} == attendues
        assert {c.code_insee for c in ref.chercher_communes(code_postal)} == attendues


def test_commune_par_code_accepte_les_codes_de_2018(cog_isere, contours_2018):
    fusions = [
        (ancien, c["code"])
        for c in cog_isere
        for ancien in c.get("anciensCodes", ())
        if ancien in contours_2018 and ancien != c["code"]
    ]
    assert fusions, "les sources doivent contenir des fusions postérieures à 2018"
    for ancien, actuel in fusions:
        commune = ref.commune_par_code(ancien)
        assert commune is not None
        assert commune.code_insee == actuel
    assert ref.commune_par_code("38185").nom == "Grenoble"
    assert ref.commune_par_code("99999") is None


def test_ancien_nom_de_2018_mene_a_la_commune_actuelle(cog_isere, contours_2018):
    for commune in cog_isere:
        for ancien in commune.get("anciensCodes", ()):
            if ancien in contours_2018 and ancien != commune["code"]:
                nom_2018 = contours_2018[ancien]["properties"]["nom"]
                assert ref.chercher_communes(nom_2018)[0].code_insee == commune["code"]


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("Saint-Martin-d'Hères", "saint martin d heres"),
        ("ST  EGREVE", "saint egreve"),
        ("Ste-Agnès", "sainte agnes"),
        ("L’Isle-d’Abeau", "l isle d abeau"),
        ("  st. Égrève ", "saint egreve"),
        ("Stéphane", "stephane"),
    ],
)
def test_normaliser(texte, attendu):
    assert normaliser(texte) == attendu


@pytest.mark.parametrize(
    ("texte", "attendu", "premier"),
    [
        ("st martin d'heres", "Saint-Martin-d'Hères", True),
        ("ST EGREVE", "Saint-Égrève", True),
        ("grenoble", "Grenoble", True),
        ("GRENOBLE ", "Grenoble", True),
        ("38500", "Voiron", False),
        ("385", "Voiron", False),
        ("Pinsot", "Le Haut-Bréda", True),  # fusionnée en 2019 (code 38306 de 2018)
        ("Arzay", "Porte-des-Bonnevaux", True),
        ("isle d'abeau", "L'Isle-d'Abeau", True),
        ("voir", "Voiron", True),
    ],
)
def test_chercher_communes(texte, attendu, premier):
    noms = [c.nom for c in ref.chercher_communes(texte)]
    assert attendu in noms
    if premier:
        assert noms[0] == attendu


@pytest.mark.parametrize("texte", ["zzz", "", "   ", "---", "99999", "999"])
def test_chercher_communes_sans_resultat(texte):
    assert ref.chercher_communes(texte) == []


def test_chercher_communes_respecte_la_limite_et_l_ordre():
    resultats = ref.chercher_communes("saint", limite=5)
    assert len(resultats) == 5
    assert all(normaliser(c.nom).startswith("saint") for c in resultats)
    populations = [c.population for c in resultats]
    assert populations == sorted(populations, reverse=True)


def test_code_postal_complet_rend_toutes_ses_communes():
    code_postal = max(
        {cp for c in ref.charger_communes() for cp in c.codes_postaux},
        key=lambda cp: len(ref.communes_par_code_postal(cp)),
    )
    toutes = ref.communes_par_code_postal(code_postal)
    assert len(toutes) > 10
    assert ref.chercher_communes(code_postal, limite=3) == toutes


def test_geometries_accessibles():
    commune = ref.commune_par_code("38563")
    assert commune is not None
    contour = ref.geometrie_commune("38563")
    assert contour is not None
    assert contour.contains(Point(commune.longitude, commune.latitude))
    tableau = ref.communes_geodataframe()
    assert len(tableau) == 512
    assert tableau.crs.to_epsg() == 4326
    assert tableau.geometry.is_valid.all()


def test_le_module_n_importe_pas_streamlit():
    code = "import sys, cartographie.communes; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=RACINE, check=False).returncode == 0


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("Saint-Martin-d'Hères", "saint-martin-d'heres"),
        ("ŒUVRE Cœur ÆTHER", "oeuvre coeur aether"),
        ("Ça ﬁnit ½", "ca finit 1⁄2"),  # compatibilité NFKD : ligature fi, fraction
        ("e\u0301cole", "ecole"),  # accent déjà décomposé
        ("a\U0001d167b", "ab"),  # signe combinant hors du plan multilingue de base
        ("Straße 100 %", "strasse 100 %"),
        ("", ""),
    ],
)
def test_sans_accents(texte: str, attendu: str) -> None:
    assert sans_accents(texte) == attendu
