"""Géocodage sans réseau, sur le vrai référentiel des communes : étapes 1, 3 et 4 de la chaîne."""

from __future__ import annotations

import pytest
import shapely

from cartographie import config
from cartographie.communes import commune_par_code, dans_commune, geometrie_commune
from cartographie.geocodage.chaine import Geocodeur
from cartographie.geocodage.demande import Demande
from cartographie.geocodage.saisie import comprendre_saisie, ressemble_a_une_adresse
from cartographie.modele import Precision
from cartographie.recherche.filtres import point_de_position

COMMUNES = config.DOSSIER_DONNEES / "isere_communes.geojson"


@pytest.fixture(scope="module")
def geocodeur() -> Geocodeur:
    return Geocodeur(COMMUNES)


@pytest.mark.parametrize(
    ("saisie", "commune_attendue"),
    [
        ("Voiron", "Voiron"),
        ("voiron", "Voiron"),
        ("ST EGREVE", "Saint-Égrève"),
        ("st-égrève", "Saint-Égrève"),
        ("Saint Egreve 38120", "Saint-Égrève"),
        ("Saint-Martin-d'Hères", "Saint-Martin-d'Hères"),
        ("ST MARTIN D HERES", "Saint-Martin-d'Hères"),
        ("l'isle d'abeau", "L'Isle-d'Abeau"),
        ("Pont de Claix", "Le Pont-de-Claix"),  # article omis
        ("Bourgoin", "Bourgoin-Jallieu"),  # début de nom sans ambiguïté
        # Code postal partagé par cinq communes : le nom tranche.
        ("38500 Coublevie", "Coublevie"),
        ("La Buisse, 38500", "La Buisse"),
        ("38500 VOIRON", "Voiron"),
        # Grenoble a deux codes postaux.
        ("Grenoble 38100", "Grenoble"),
        # Communes de 2018 fusionnées depuis : leur commune nouvelle de 2026.
        ("Fitilieu", "Les Abrets en Dauphiné"),
        ("Saint-Hilaire 38660", "Plateau-des-Petites-Roches"),
        ("Saint-Hilaire", "Plateau-des-Petites-Roches"),  # pas Saint-Hilaire-du-Rosier
        ("Mont-de-Lans", "Les Deux Alpes"),
        ("Le Périer", "Chantepérier"),
        ("Virieu", "Val-de-Virieu"),
        # Une adresse complète hors ligne : la commune, pas un point inventé.
        ("12 rue Mainssieux, 38500 Voiron", "Voiron"),
        ("12 rue Mainssieux Voiron", "Voiron"),
        ("3 place de la mairie, St Egrève", "Saint-Égrève"),
    ],
)
def test_commune_reconnue_hors_ligne(geocodeur: Geocodeur, saisie: str, commune_attendue: str):
    position = geocodeur.geocoder_recherche(saisie)
    assert position.precision is Precision.COMMUNE
    assert position.commune == commune_attendue
    commune = commune_par_code(position.code_insee, COMMUNES)
    assert (position.latitude, position.longitude) == (commune.latitude, commune.longitude)
    # Le point représentatif est dans le contour de la commune, jamais un centre de gravité
    # qui tomberait chez la voisine.
    assert dans_commune(position.code_insee, position.latitude, position.longitude, COMMUNES)


@pytest.mark.parametrize(
    ("saisie", "morceaux_du_message"),
    [
        ("38500", ["38500", "5 communes", "Voiron", "Coublevie", "précisez la commune"]),
        ("Voirron", ["Voirron", "inconnue en Isère"]),
        ("12 rue Jean Jaurès", ["12 rue Jean Jaurès", "indiquez la commune"]),
        ("99999 Nulle-Part", ["Nulle-Part", "99999"]),
        ("Lyon", ["Lyon", "inconnue en Isère"]),
        ("   ", ["vide"]),
    ],
)
def test_rien_de_reconnu_message_precis_et_aucun_point(
    geocodeur: Geocodeur, saisie: str, morceaux_du_message: list[str]
):
    position = geocodeur.geocoder_recherche(saisie)
    assert position.precision is Precision.NON_LOCALISE
    assert position.latitude is None
    assert position.longitude is None
    for morceau in morceaux_du_message:
        assert morceau in position.message


def test_ancien_code_insee_2018_donne_la_commune_de_2026(geocodeur: Geocodeur):
    # 38302 : Le Périer, fusionnée dans Chantepérier (38073).
    position = geocodeur.geocoder(Demande(commune="Le Périer", code_insee="38302"))
    assert position.precision is Precision.COMMUNE
    assert (position.code_insee, position.commune) == ("38073", "Chantepérier")


def test_ancien_nom_reconnu_est_signale(geocodeur: Geocodeur):
    position = geocodeur.geocoder_recherche("Fitilieu")
    assert "Les Abrets en Dauphiné" in position.message


def test_code_postal_contradictoire_est_signale_pas_cru(geocodeur: Geocodeur):
    position = geocodeur.geocoder_recherche("Grenoble 38500")
    assert position.commune == "Grenoble"
    assert "38500 ignoré" in position.message


def test_commune_inconnue_mais_code_postal_unique(geocodeur: Geocodeur):
    position = geocodeur.geocoder(Demande(commune="Echirole", code_postal="38130"))
    assert position.commune == "Échirolles"
    assert "Echirole" in position.message


def test_coordonnees_explicites_gardees_telles_quelles(geocodeur: Geocodeur):
    position = geocodeur.geocoder(
        Demande(adresse="1 rue X", commune="Voiron", latitude=45.19, longitude=5.72)
    )
    assert position.precision is Precision.MANUELLE
    assert (position.latitude, position.longitude) == (45.19, 5.72)
    assert position.commune == "Grenoble"  # là où tombe le point : rien n'est déplacé


@pytest.mark.parametrize(
    ("saisie", "attendu"),
    [
        ("45.19, 5.72", (45.19, 5.72)),
        ("45,19 ; 5,72", (45.19, 5.72)),
        ("45.19 5.72", (45.19, 5.72)),
    ],
)
def test_coordonnees_tapees_dans_la_recherche(saisie: str, attendu: tuple[float, float]):
    demande = comprendre_saisie(saisie, COMMUNES)
    assert (demande.latitude, demande.longitude) == attendu
    assert Geocodeur(COMMUNES).geocoder_recherche(saisie).precision is Precision.MANUELLE


def test_coordonnees_hors_isere_gardees_mais_signalees(geocodeur: Geocodeur):
    position = geocodeur.geocoder_recherche("48.85, 2.35")
    assert position.latitude == 48.85
    assert position.code_insee == ""
    assert "hors de l'Isère" in position.message


def test_adresse_sans_geocodage_en_ligne_le_dit(geocodeur: Geocodeur):
    position = geocodeur.geocoder_recherche("12 rue Mainssieux, Voiron")
    assert position.precision is Precision.COMMUNE
    assert "désactivé" in position.message


def test_tolerance_des_contours_simplifies():
    voiron = geometrie_commune("38563", COMMUNES)
    a_100_m = shapely.get_point(voiron.buffer(0.001).exterior, 0)
    a_1_km = shapely.get_point(voiron.buffer(0.01).exterior, 0)
    assert dans_commune("38563", a_100_m.y, a_100_m.x, COMMUNES)
    assert not dans_commune("38563", a_1_km.y, a_1_km.x, COMMUNES)


@pytest.mark.parametrize(
    ("saisie", "adresse"),
    [
        ("Voiron", False),
        ("38500", False),
        ("38500 Voiron", False),
        ("st martin d'heres", False),
        ("12 rue Mainssieux Voiron", True),
        ("12 rue Mainssieux, 38500 Voiron", True),
        ("Voiron, 38500", True),
        ("45.19, 5.72", True),
    ],
)
def test_adresse_ou_commune(saisie: str, adresse: bool):
    assert ressemble_a_une_adresse(saisie) is adresse


def test_point_de_recherche_d_une_position(geocodeur: Geocodeur):
    commune = point_de_position(geocodeur.geocoder_recherche("12 rue Mainssieux, Voiron"))
    assert (commune.libelle, commune.precision) == ("Voiron", Precision.COMMUNE)
    manuelle = point_de_position(geocodeur.geocoder_recherche("45.19, 5.72"))
    assert (manuelle.code_insee, manuelle.precision) == ("38185", Precision.MANUELLE)
    assert point_de_position(geocodeur.geocoder_recherche("48.85, 2.35")) is None  # hors Isère
    assert point_de_position(geocodeur.geocoder_recherche("38500")) is None  # ambigu
