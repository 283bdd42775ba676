"""La recherche : filtres compilés en SQL paramétré, tri par distance, rayon, territoire, URL."""

from __future__ import annotations

import math
from collections.abc import Iterator
from functools import partial

import duckdb
import pytest

from cartographie.communes import (
    commune_contenant,
    commune_par_code,
    dans_commune,
    geometrie_commune,
)
from cartographie.echanges.chargement import initialiser_base
from cartographie.geocodage.chaine import Geocodeur
from cartographie.modele import Axe, Langue, Precision, Public, Statut, TypeActeur
from cartographie.recherche.annuaire import elargissements, rechercher_acteurs
from cartographie.recherche.filtres import (
    Filtres,
    PointRecherche,
    Resultats,
    depuis_parametres,
    intitule,
    mots_recherches,
    sans_filtre,
    vers_parametres,
)
from cartographie.stockage.connexion import ouvrir
from cartographie.stockage.filtres_index import clauses
from tests.conftest import COMMUNES, CSV_ACTEURS
from tests.fabrique import SECRET_LAT, SECRET_LON, acteur, ajouter, confidentiel

pytestmark = pytest.mark.deux_bases  # stockage et métier : DuckDB puis PostgreSQL

TEXTE = "contains(f.texte, ?)"


def point_commune(code: str) -> PointRecherche:
    c = commune_par_code(code, COMMUNES)
    assert c is not None
    return PointRecherche(c.latitude, c.longitude, c.code_insee, c.nom)


VOIRON = point_commune("38563")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    """Une seule base pour le module (lecture seule) : vraies données et quelques fiches de test."""
    con = ouvrir(tmp_path_factory.mktemp("recherche") / "base.duckdb")
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
    ajouter(
        con,
        confidentiel(),
        acteur("ecoute-x", nom="Lieu d'ÉCOUTE Éléonore"),
        acteur("pourcent", nom="Taux 100% garanti"),
        acteur("autre", nom="Taux 1000"),
        acteur("ferme", nom="Structure fermée Zéphyr", statut=Statut.ARCHIVE),
        acteur(
            "a-4km",
            code_insee="38563",
            commune="Voiron",
            code_postal="38500",
            latitude=VOIRON.latitude + 0.036,
            longitude=VOIRON.longitude,
        ),
    )
    yield con
    con.close()


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


# Les lignes ci-dessous montrent partenaires compris (`Tous`) pour ne lire que la clause de
# chaque critère ; la première montre la restriction par défaut aux ressources.
Tous = partial(Filtres, partenaires=True)


@pytest.mark.parametrize(
    ("filtres", "sql", "parametres"),
    [
        # L'index ne contient que les acteurs actifs ; par défaut, les ressources seules.
        (Filtres(), ["f.nature = ?"], ["ressource"]),
        (Tous(), [], []),
        (
            Tous(langues=(Langue.AR, Langue.UK)),
            ["list_has_any(f.langues, ?)"],
            [["ar", "uk"]],
        ),
        # « Ouvert maintenant » dépend de l'heure : calculé dans l'index, pas en SQL.
        (Tous(ouvert_maintenant=True), [], []),
        (Tous(types=(TypeActeur.HEBERGEMENT,)), ["f.type IN (?)"], ["hebergement"]),
        (
            Tous(types=(TypeActeur.HEBERGEMENT, TypeActeur.LEAO)),
            ["f.type IN (?, ?)"],
            ["hebergement", "leao"],
        ),
        (
            Tous(axes=(Axe.PROSTITUTION, Axe.VIOLENCES_SEXUELLES)),
            ["(f.axes & ?) <> 0"],
            [0b0110],  # axes 2 et 3 : deuxième et troisième bits
        ),
        (
            Tous(publics=(Public.ENFANTS_COVICTIMES,)),
            ["(f.publics & ?) <> 0"],
            [0b10],  # deuxième public de l'énumération
        ),
        (Tous(territoire="Pays Voironnais"), ["f.territoire = ?"], ["Pays Voironnais"]),
        (Tous(texte="Écoute"), [TEXTE], ["ecoute"]),
        (Tous(texte="  aide   juridique "), [TEXTE, TEXTE], ["aide", "juridique"]),
        (Tous(texte="100%"), [TEXTE], ["100%"]),
        (Tous(texte="a_b"), [TEXTE], ["a_b"]),
        (
            Tous(texte="x'; DROP TABLE acteur; --"),
            [TEXTE] * 5,
            ["x';", "drop", "table", "acteur;", "--"],
        ),
        (Tous(texte="   "), [], []),
        (Tous(texte="Cœur"), [TEXTE], ["coeur"]),
        # Le rayon n'est pas une clause : il dépend du point, et se calcule dans l'index.
        (Tous(rayon_km=10), [], []),
        (
            Tous(
                types=(TypeActeur.ISCG,),
                axes=(Axe.VIOLENCES_INTRAFAMILIALES,),
                publics=(Public.FEMMES_VICTIMES,),
                territoire="Grenoble-Alpes-Métropole",
                texte="gendarmerie",
                rayon_km=20,
            ),
            [
                "f.type IN (?)",
                "(f.axes & ?) <> 0",
                "(f.publics & ?) <> 0",
                "f.territoire = ?",
                TEXTE,
            ],
            ["iscg", 0b1, 0b1, "Grenoble-Alpes-Métropole", "gendarmerie"],
        ),
    ],
)
def test_filtres_compiles_en_clauses_parametrees(filtres, sql, parametres) -> None:
    compile_ = clauses(filtres)
    assert list(compile_.sql) == sql
    assert list(compile_.parametres) == parametres
    # Aucune valeur saisie n'entre dans le texte SQL.
    for mot in mots_recherches(filtres.texte):
        assert all(mot not in fragment for fragment in compile_.sql)


@pytest.mark.parametrize(
    "filtres",
    [
        Filtres(),
        Filtres(types=(TypeActeur.HEBERGEMENT,)),
        Filtres(axes=(Axe.PROSTITUTION,)),
        Filtres(publics=(Public.ENFANTS_COVICTIMES,)),
        Filtres(territoire="Pays Voironnais"),
        Filtres(texte="hebergement"),
        Filtres(texte="x'; DROP TABLE acteur; --"),
    ],
)
def test_chaque_filtre_tient_sa_promesse(base: duckdb.DuckDBPyConnection, filtres: Filtres) -> None:
    resultats = rechercher_acteurs(base, filtres, VOIRON)
    for r in resultats.resultats:
        a = r.acteur
        assert a.statut is Statut.ACTIF
        if filtres.types:
            assert a.type in filtres.types
        if filtres.axes:
            assert set(a.axes) & set(filtres.axes)
        if filtres.publics:
            assert set(a.publics) & set(filtres.publics)
        if filtres.territoire:
            assert a.territoire == filtres.territoire
    assert base.execute("SELECT count(*) FROM acteur").fetchone()[0] > 0


def test_sans_filtre_tous_les_actifs(base: duckdb.DuckDBPyConnection) -> None:
    compte = "SELECT count(*) FROM acteur WHERE statut = 'actif'"
    n_actifs = base.execute(compte).fetchone()[0]
    n_ressources = base.execute(compte + " AND nature = 'ressource'").fetchone()[0]
    assert 0 < n_ressources < n_actifs
    assert rechercher_acteurs(base, Filtres()).total == n_ressources  # partenaires à la demande
    assert rechercher_acteurs(base, Filtres(partenaires=True)).total == n_actifs
    assert rechercher_acteurs(base, Filtres(types=(TypeActeur.HEBERGEMENT,))).total >= 1


def test_texte_sans_accents_ni_majuscules(base: duckdb.DuckDBPyConnection) -> None:
    for saisie in ("eleonore", "ÉLÉONORE", "écoute éléonore", "Ecoute"):
        ids = {r.acteur.id for r in rechercher_acteurs(base, Filtres(texte=saisie)).resultats}
        assert "ecoute-x" in ids, saisie
    assert rechercher_acteurs(base, Filtres(texte="eleonore zzz")).total == 0


def test_jokers_like_pris_a_la_lettre(base: duckdb.DuckDBPyConnection) -> None:
    ids = {r.acteur.id for r in rechercher_acteurs(base, Filtres(texte="100%")).resultats}
    assert ids == {"pourcent"}


def test_tri_par_distance_croissante(base: duckdb.DuckDBPyConnection) -> None:
    resultats = rechercher_acteurs(base, Filtres(), VOIRON).resultats
    distances = [r.distance_km for r in resultats]
    assert len(distances) > 5
    assert distances == sorted(distances)
    for r in resultats[:10]:
        attendue = haversine(
            VOIRON.latitude, VOIRON.longitude, r.acteur.latitude, r.acteur.longitude
        )
        # Arrondi au dixième ; l'écart de ~300 m des lieux confidentiels reste dans 0,5 km.
        assert r.distance_km == pytest.approx(attendue, abs=0.5)


def test_sans_point_ordre_alphabetique(base: duckdb.DuckDBPyConnection) -> None:
    resultats = rechercher_acteurs(base, Filtres(rayon_km=5)).resultats
    assert all(r.distance_km is None for r in resultats)
    noms = [r.acteur.nom for r in resultats]
    assert noms == sorted(noms)
    # Sans point, le rayon ne retire rien.
    assert len(resultats) == rechercher_acteurs(base, Filtres()).total


@pytest.mark.parametrize("rayon", [5, 10, 20, 50])
def test_rayon(base: duckdb.DuckDBPyConnection, rayon: int) -> None:
    tous = rechercher_acteurs(base, Filtres(), VOIRON).resultats
    dans = rechercher_acteurs(base, Filtres(rayon_km=rayon), VOIRON)
    assert all(r.distance_km <= rayon for r in dans.resultats)
    assert {r.acteur.id for r in dans.resultats} == {
        r.acteur.id for r in tous if r.distance_km <= rayon
    }
    assert "a-4km" in {r.acteur.id for r in dans.resultats}


def test_territoire(base: duckdb.DuckDBPyConnection) -> None:
    resultats = rechercher_acteurs(base, Filtres(territoire="Grenoble-Alpes-Métropole"), VOIRON)
    assert resultats.total > 0
    codes = {r.acteur.code_insee for r in resultats.resultats}
    territoires = {
        t
        for (t,) in base.execute(
            "SELECT territoire FROM commune WHERE list_contains(?, code_insee)", [list(codes)]
        ).fetchall()
    }
    assert territoires == {"Grenoble-Alpes-Métropole"}


def test_limite_et_total(base: duckdb.DuckDBPyConnection) -> None:
    tous = rechercher_acteurs(base, Filtres(), VOIRON)
    trois = rechercher_acteurs(base, Filtres(), VOIRON, limite=3)
    assert len(trois.resultats) == 3
    assert trois.total == tous.total
    assert trois.tronques
    assert [r.acteur.id for r in trois.resultats] == [r.acteur.id for r in tous.resultats[:3]]


def test_archives_exclues(base: duckdb.DuckDBPyConnection) -> None:
    assert rechercher_acteurs(base, Filtres(texte="zephyr")).total == 0


def test_adresse_confidentielle_ni_montree_ni_trahie_par_la_distance(
    base: duckdb.DuckDBPyConnection,
) -> None:
    # On cherche exactement depuis le lieu secret : la distance ne doit pas valoir 0.
    depuis_le_secret = PointRecherche(SECRET_LAT, SECRET_LON, "38563", "Voiron", Precision.MANUELLE)
    resultats = rechercher_acteurs(base, Filtres(), depuis_le_secret).resultats
    r = next(r for r in resultats if r.acteur.id == "hebergement-secret")
    assert r.acteur.adresse == ""
    assert (r.acteur.latitude, r.acteur.longitude) != (SECRET_LAT, SECRET_LON)
    assert r.acteur.precision_localisation is Precision.COMMUNE
    attendue = haversine(SECRET_LAT, SECRET_LON, VOIRON.latitude, VOIRON.longitude)
    assert r.distance_km == pytest.approx(attendue, abs=0.05)
    assert r.distance_km > 1


@pytest.mark.parametrize(
    ("filtres", "point"),
    [
        (Filtres(), None),
        (Filtres(), VOIRON),
        (Filtres(types=(TypeActeur.HEBERGEMENT, TypeActeur.LEAO)), VOIRON),
        (Filtres(axes=(Axe.PROSTITUTION,), publics=(Public.JEUNES, Public.FAMILLES)), None),
        (Filtres(territoire="Pays Voironnais", texte="écoute & droits", rayon_km=20), VOIRON),
        (Filtres(rayon_km=5), point_commune("38185")),
    ],
)
def test_url_aller_retour(filtres: Filtres, point: PointRecherche | None) -> None:
    parametres = vers_parametres(filtres, point)
    assert all(isinstance(v, str) and v for v in parametres.values())
    relus = depuis_parametres(
        parametres, point_commune_ou_rien, ["Pays Voironnais", "Grenoble-Alpes-Métropole"]
    )
    assert relus == (filtres, point)


def point_commune_ou_rien(code: str) -> PointRecherche | None:
    return point_commune(code) if commune_par_code(code, COMMUNES) else None


@pytest.mark.parametrize(
    "parametres",
    [
        {"type": "inconnu,<script>"},
        {"axe": "9"},
        {"rayon": "7"},
        {"rayon": "-5"},
        {"territoire": "Atlantide"},
        {"commune": "75056"},
        {"commune": "38563", "point": "48.85,2.35"},
        {"commune": "38563", "point": "abc"},
        {"commune": "38563", "point": "45.3,5.5", "precision": "nimporte"},
        # Lien d'avant : le point et son libellé ne sont plus relus, seule la commune compte.
        {"commune": "38563", "point": "45.36,5.59", "lieu": "[Appelez](https://x.invalid) **!**"},
        {"commune": "38563", "point": "45.36,5.59", "precision": "adresse", "lieu": "12 rue X"},
    ],
)
def test_url_abimee_ignoree_sans_erreur(parametres: dict[str, str]) -> None:
    filtres, point = depuis_parametres(parametres, point_commune_ou_rien, ["Grenoble"])
    assert filtres == Filtres()
    if parametres.get("commune") == "38563":
        assert point == VOIRON
    else:
        assert point is None


@pytest.mark.parametrize(
    ("precision", "libelle"),
    [
        (Precision.MANUELLE, "Point choisi sur la carte (Voiron)"),
        (Precision.ADRESSE, "12 Rue Mainssieux 38500 Voiron"),
        (Precision.RUE, "Rue Mainssieux 38500 Voiron"),
    ],
)
def test_url_d_une_adresse_ou_d_un_clic_sans_coordonnees_ni_libelle(
    precision: Precision, libelle: str
) -> None:
    """Chaque URL reste dans l'historique : une adresse n'y laisse que sa commune."""
    point = PointRecherche(45.38371, 5.58592, "38563", libelle, precision)
    filtres = Filtres(types=(TypeActeur.HEBERGEMENT,), texte="écoute", rayon_km=10)
    parametres = vers_parametres(filtres, point)
    assert parametres == {"commune": "38563", "type": "hebergement", "q": "écoute", "rayon": "10"}
    valeurs = " ".join(parametres.values())
    for indice in ("45.38", "5.58", "Mainssieux", "Point choisi", "12", precision.value):
        assert indice not in valeurs
    # Le lien rouvre la même recherche, sur la commune.
    assert depuis_parametres(parametres, point_commune_ou_rien) == (filtres, VOIRON)


def test_mots_recherches_sans_accents_mais_tels_quels() -> None:
    assert mots_recherches("  Œuvre  ÉCOUTE ") == ["oeuvre", "ecoute"]
    # Ni « st » → « saint », ni ponctuation effacée : on cherche ce qui est tapé.
    assert mots_recherches("St 100% l'aide") == ["st", "100%", "l'aide"]


@pytest.mark.parametrize(
    ("total", "point", "rayon", "attendu"),
    [
        (0, None, None, "0 acteur dans tout le département"),
        (1, VOIRON, None, "1 acteur autour de Voiron, du plus proche au plus loin"),
        (12, VOIRON, 20, "12 acteurs à moins de 20 km de Voiron"),
        (3, None, 20, "3 acteurs dans tout le département"),
    ],
)
def test_intitule_dit_combien_et_autour_de_quoi(total, point, rayon, attendu) -> None:
    resultats = Resultats((), total, point, Filtres(rayon_km=rayon))
    assert intitule(resultats).startswith(attendu)


def test_sans_filtre_ote_un_seul_critere() -> None:
    filtres = Filtres(types=(TypeActeur.LEAO,), territoire="Grenoble", texte="x", rayon_km=5)
    assert sans_filtre(filtres, "types") == Filtres(territoire="Grenoble", texte="x", rayon_km=5)
    assert sans_filtre(filtres, "rayon_km").rayon_km is None
    assert sans_filtre(filtres, "texte").types == (TypeActeur.LEAO,)


def test_elargissements_comptent_sans_chaque_filtre(base: duckdb.DuckDBPyConnection) -> None:
    filtres = Filtres(types=(TypeActeur.HEBERGEMENT,), texte="zzzqqq", rayon_km=50)
    assert rechercher_acteurs(base, filtres, VOIRON).total == 0
    proposes = elargissements(base, filtres, VOIRON)
    # Ôter le type ou le rayon ne suffit pas (aucune fiche ne contient « zzzqqq ») : seul le
    # texte est proposé, avec le nombre que donnerait la recherche élargie.
    assert [e.critere for e in proposes] == ["texte"]
    (texte,) = proposes
    assert texte.libelle == "Texte : « zzzqqq »"
    assert texte.total == rechercher_acteurs(base, sans_filtre(filtres, "texte"), VOIRON).total
    assert texte.total > 0
    assert elargissements(base, Filtres(), VOIRON) == []  # rien à ôter


@pytest.mark.parametrize(
    ("latitude", "longitude", "code"),
    [(45.38102, 5.5843, "38563"), (45.1885, 5.7245, "38185"), (45.76, 4.84, None)],
)
def test_commune_du_point_clique(latitude, longitude, code) -> None:
    commune = commune_contenant(latitude, longitude, COMMUNES)
    assert (commune.code_insee if commune else None) == code


def _points_de_frontiere(code_a: str, code_b: str, nombre: int) -> list[tuple[float, float]]:
    """Des points de part et d'autre de la limite entre deux communes voisines (± 100 m)."""
    frontiere = geometrie_commune(code_a, COMMUNES).boundary.intersection(
        geometrie_commune(code_b, COMMUNES).boundary
    )
    points = []
    for i in range(nombre):
        p = frontiere.interpolate(i / nombre, normalized=True)
        for dx, dy in ((0.0012, 0), (-0.0012, 0), (0, 0.0009), (0, -0.0009), (0.00005, 0.00005)):
            points.append((p.y + dy, p.x + dx))
    return points


@pytest.mark.parametrize(("code_a", "code_b"), [("38185", "38421"), ("38563", "38133")])
def test_un_clic_et_le_geocodage_s_accordent_en_limite_de_commune(code_a, code_b) -> None:
    # Grenoble / Saint-Martin-d'Hères, Voiron / Coublevie : un point en limite doit
    # tomber dans la même commune qu'on clique sur la carte ou qu'on tape ses coordonnées, et
    # cette commune doit le contenir à la tolérance près.
    geocodeur = Geocodeur(COMMUNES)
    for latitude, longitude in _points_de_frontiere(code_a, code_b, 40):
        clic = commune_contenant(latitude, longitude, COMMUNES)
        tape = geocodeur.geocoder_recherche(f"{latitude:.6f}, {longitude:.6f}")
        assert clic is not None
        assert tape.code_insee == clic.code_insee, (latitude, longitude)
        assert dans_commune(clic.code_insee, latitude, longitude, COMMUNES)
