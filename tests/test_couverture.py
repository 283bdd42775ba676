"""Couverture du territoire : distances vérifiées à la main, zones couvertes, aide sans aucune
ressource, synthèse pondérée, simulation en mémoire ; essai sur les vraies données."""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pytest

from cartographie.communes import charger_communes, commune_par_code
from cartographie.couverture.calcul import (
    couverture_de_la_base,
    couverture_des_acteurs,
    km_entre,
    ressources_des_acteurs,
)
from cartographie.couverture.simulation import simuler
from cartographie.couverture.synthese import (
    DEPARTEMENT,
    centile_pondere,
    population_au_dela,
    synthese,
    zones_blanches,
)
from cartographie.couverture.types_d_aide import AIDE_DU_TYPE, TYPES_PAR_AIDE, Aide
from cartographie.modele import Statut, TypeActeur
from cartographie.modele.referentiels import Nature
from cartographie.zones import zone_en_communes
from tests.conftest import COMMUNES
from tests.fabrique import SECRET_LAT, SECRET_LON, acteur, confidentiel

MEYLAN, MONTBONNOT, VOIRON, COUBLEVIE = "38229", "38249", "38563", "38133"
# Un point de la limite entre Meylan (Grenoble-Alpes-Métropole) et Montbonnot-Saint-Martin
# (Le Grésivaudan), pris au milieu de leur frontière commune : il tombe dans les deux communes.
FRONTIERE = (45.21253, 5.80952)


@pytest.fixture(scope="module")
def communes():
    return charger_communes(COMMUNES)


def leao_a_la_frontiere():
    return acteur(
        "leao-frontiere",
        type=TypeActeur.LEAO,
        code_insee=MEYLAN,
        commune="Meylan",
        latitude=FRONTIERE[0],
        longitude=FRONTIERE[1],
    )


def ligne(table, code: str, aide: Aide) -> tuple[float | None, str | None, bool]:
    i, j = table.rang(code), table.colonne(aide)
    ressource = table.ressource(i, j)
    distance = float(table.distances[i, j])
    return (
        None if math.isnan(distance) else distance,
        ressource.id if ressource else None,
        bool(table.par_zone[i, j]),
    )


def test_chaque_type_d_acteur_va_dans_une_seule_aide() -> None:
    vus = [t for types in TYPES_PAR_AIDE.values() for t in types]
    assert len(vus) == len(set(vus))
    assert set(TYPES_PAR_AIDE) == set(Aide)
    assert AIDE_DU_TYPE[TypeActeur.ISCG] is AIDE_DU_TYPE[TypeActeur.FORCES_ORDRE]
    assert AIDE_DU_TYPE[TypeActeur.ACCES_DROIT] is Aide.AIDE_VICTIMES
    assert TypeActeur.JUSTICE not in AIDE_DU_TYPE


def test_ressource_en_limite_de_commune_distances_calculees_a_la_main(communes) -> None:
    table = couverture_des_acteurs([leao_a_la_frontiere()], communes)
    # À la main, Terre plate locale (1° de latitude = 111,195 km ; 1° de longitude = 111,195 ×
    # cos(latitude moyenne) = 78,33 km vers 45,21° N) :
    # Meylan (45,21359 ; 5,78790) : Δlat −0,00106° = −0,1179 km, Δlon 0,02162° = 1,6936 km
    #   → √(0,0139 + 2,8683) = 1,6977 km.
    # Montbonnot (45,22076 ; 5,81650) : Δlat −0,00823° = −0,9151 km, Δlon −0,00698° = −0,5468 km
    #   → √(0,8375 + 0,2989) = 1,0660 km.
    distance, qui, zone = ligne(table, MEYLAN, Aide.LEAO)
    assert distance == pytest.approx(1.6977, abs=0.005)
    assert (qui, zone) == ("leao-frontiere", False)
    distance, qui, _ = ligne(table, MONTBONNOT, Aide.LEAO)
    assert distance == pytest.approx(1.0660, abs=0.005)
    assert qui == "leao-frontiere"
    # La ressource est comptée dans le territoire de sa commune (Meylan), mais sert aussi le
    # territoire voisin, à sa vraie distance.
    lignes = {(s.territoire, s.aide): s for s in synthese(table)}
    assert lignes["Grenoble-Alpes-Métropole", Aide.LEAO].ressources == 1
    assert lignes["Le Grésivaudan", Aide.LEAO].ressources == 0
    assert lignes["Le Grésivaudan", Aide.LEAO].mediane_km is not None


def test_commune_couverte_par_une_zone_a_distance_zero(communes) -> None:
    pres = acteur(
        "leao-voiron", type=TypeActeur.LEAO, code_insee=VOIRON, latitude=45.365, longitude=5.59
    )
    zone = acteur("leao-grenoble-zone-voiron", zone_eligibilite=(VOIRON,))
    table = couverture_des_acteurs([pres, zone], communes)
    assert ligne(table, VOIRON, Aide.LEAO) == (0.0, "leao-grenoble-zone-voiron", True)
    # Coublevie n'est pas dans la zone : la plus proche à vol d'oiseau, le lieu de Voiron.
    distance, qui, zone_couverte = ligne(table, COUBLEVIE, Aide.LEAO)
    assert (qui, zone_couverte) == ("leao-voiron", False)
    assert distance > 0


def test_zone_par_intercommunalite_departement_et_ancien_code(communes) -> None:
    voironnais = commune_par_code(VOIRON, COMMUNES).epci_code
    couvertes, inconnus = zone_en_communes((voironnais, "38302", "99999"), COMMUNES)
    assert {VOIRON, COUBLEVIE} <= couvertes
    assert len(couvertes) == 31 + 1  # les 31 communes du Pays Voironnais, et Chantepérier
    assert "38073" in couvertes  # 38302 (Le Périer, 2018) → Chantepérier
    assert inconnus == ("99999",)
    tout, _ = zone_en_communes(("38",), COMMUNES)
    assert len(tout) == 512
    ressources, ecartees = ressources_des_acteurs(
        [acteur("a", zone_eligibilite=("38", "12345"))], communes
    )
    assert len(ressources[0].zone) == 512
    assert [e.raison for e in ecartees] == ["code de zone inconnu ignoré : 12345"]


def test_aide_sans_aucune_ressource(communes) -> None:
    table = couverture_des_acteurs([leao_a_la_frontiere()], communes)
    j = table.colonne(Aide.ERPE)
    assert np.isnan(table.distances[:, j]).all()
    assert (table.plus_proche[:, j] == -1).all()
    assert ligne(table, VOIRON, Aide.ERPE) == (None, None, False)
    departement = next(
        s for s in synthese(table) if s.territoire == DEPARTEMENT and s.aide is Aide.ERPE
    )
    population = sum(c.population for c in communes)
    assert departement.mediane_km is None
    assert departement.p90_km is None
    assert departement.au_dela == {20: population, 30: population}
    assert departement.ressources == 0
    erpe = [z for z in zones_blanches(table) if z.aide is Aide.ERPE]
    assert len(erpe) == 512
    assert erpe[0].commune.nom == "Grenoble"  # la plus peuplée d'abord
    assert erpe[0].distance_km is None
    assert erpe[0].ressource is None
    lignes = [x for x in table.lignes() if x["type"] == "erpe"]
    assert {(x["distance_km"], x["acteur_id"]) for x in lignes} == {(None, None)}


def test_adresse_confidentielle_placee_au_centre_de_sa_commune(communes) -> None:
    table = couverture_des_acteurs([confidentiel()], communes)
    voiron = commune_par_code(VOIRON, COMMUNES)
    (ressource,) = table.ressources
    assert (ressource.latitude, ressource.longitude) == (voiron.latitude, voiron.longitude)
    assert (ressource.latitude, ressource.longitude) != (SECRET_LAT, SECRET_LON)
    distance, qui, _ = ligne(table, VOIRON, Aide.HEBERGEMENT)
    assert (distance, qui) == (0.0, "hebergement-secret")
    # Voiron (45,38102 ; 5,58430) → Coublevie (45,35748 ; 5,62019) : Δlat −2,6176 km,
    # Δlon 0,03589° × 78,14 km = 2,8044 km → 3,836 km, centre à centre.
    assert ligne(table, COUBLEVIE, Aide.HEBERGEMENT)[0] == pytest.approx(3.836, abs=0.005)


def test_ne_comptent_que_les_ressources_actives(communes) -> None:
    fiches = [
        acteur("partenaire", nature=Nature.PARTENAIRE),
        acteur("archivee", statut=Statut.ARCHIVE),
        acteur("justice", type=TypeActeur.JUSTICE),
        acteur("sans-position", code_insee="99999", latitude=None, longitude=None),
        acteur("gardee"),
    ]
    ressources, ecartees = ressources_des_acteurs(fiches, communes)
    assert [r.id for r in ressources] == ["gardee"]
    assert [(e.id, e.raison) for e in ecartees] == [
        ("sans-position", "commune inconnue, sans position")
    ]


def test_centiles_ponderes_par_la_population() -> None:
    distances = np.array([3.0, 1.0, np.nan, 2.0])
    poids = np.array([10, 50, 10, 30])
    assert centile_pondere(distances, poids, 0.5) == 1.0  # 50 habitants à 1 km : la moitié
    assert centile_pondere(distances, poids, 0.8) == 2.0
    assert centile_pondere(distances, poids, 0.9) == 3.0
    assert centile_pondere(distances, poids, 0.95) is None  # tombe sur « aucune ressource »
    assert population_au_dela(distances, poids, 1.5) == 10 + 10 + 30
    assert centile_pondere(distances, np.zeros(4), 0.5) is None


def test_places_pour_10000_quand_la_capacite_est_connue(communes) -> None:
    fiches = [
        acteur("h1", type=TypeActeur.HEBERGEMENT, capacite=30),
        acteur("h2", type=TypeActeur.HEBERGEMENT, capacite=None),
        acteur("h3", type=TypeActeur.HEBERGEMENT, capacite=10),
    ]
    table = couverture_des_acteurs(fiches, communes)
    lignes = {(s.territoire, s.aide): s for s in synthese(table)}
    metropole = lignes["Grenoble-Alpes-Métropole", Aide.HEBERGEMENT]
    assert (metropole.places, metropole.capacites_inconnues) == (40, 1)
    assert metropole.places_pour_10000 == pytest.approx(40 * 10_000 / metropole.population)
    assert lignes["Oisans", Aide.HEBERGEMENT].places is None


def test_simulation_en_memoire_sans_toucher_la_table(communes) -> None:
    table = couverture_des_acteurs([leao_a_la_frontiere()], communes)
    avant = table.distances.copy()
    resultat = simuler(table, "38253", Aide.LEAO)  # Les Deux Alpes, en Oisans
    np.testing.assert_array_equal(table.distances, avant)
    with pytest.raises(ValueError, match="read-only"):
        table.distances[0, 0] = 0.0
    # Les gagnants, recomptés commune par commune depuis le centre des Deux Alpes.
    j = table.colonne(Aide.LEAO)
    nouvelles = km_entre(table.vecteurs, table.vecteurs[table.rang("38253")])
    for seuil in (20, 30):
        attendu = sum(
            c.population
            for i, c in enumerate(communes)
            if avant[i, j] > seuil and nouvelles[i] <= seuil
        )
        assert resultat.gagnants[seuil] == attendu > 0
    avant_p90, apres_p90 = resultat.p90_territoire
    assert apres_p90 < avant_p90
    assert resultat.commune.territoire == "Oisans"


def test_sur_les_vraies_donnees(base: duckdb.DuckDBPyConnection) -> None:
    table = couverture_de_la_base(base, COMMUNES)
    assert table.distances.shape == (512, len(Aide))
    assert not table.ecartees
    # Chaque aide a au moins une ressource aujourd'hui ; toutes les distances sont connues.
    assert not np.isnan(table.distances).any()
    assert (table.distances >= 0).all()
    assert (table.distances < 150).all()
    lignes = table.lignes()
    assert len(lignes) == 512 * len(Aide)
    assert {"code_insee", "type", "distance_km", "acteur_id"} <= set(lignes[0])
    # Un hébergement confidentiel n'est compté qu'au centre de sa commune.
    grenoble = commune_par_code("38185", COMMUNES)
    (urgence,) = [
        r for r in table.ressources if r.id == "hebergement-urgence-femmes-victimes-isere"
    ]
    assert (urgence.latitude, urgence.longitude) == (grenoble.latitude, grenoble.longitude)
