"""Géocodage en ligne contre un faux service BAN local (127.0.0.1, port libre) : le vrai client
httpx est exercé, aucune requête ne sort de la machine."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from itertools import pairwise
from pathlib import Path

import pytest

from cartographie.geocodage.ban import ClientBan, convertir_reponse
from cartographie.geocodage.chaine import Geocodeur
from cartographie.geocodage.demande import Demande
from cartographie.modele import Precision
from cartographie.stockage import geocodage as depot_cache
from cartographie.stockage.connexion import ouvrir
from tests.faux_ban import COMMUNES, VOIRON, FauxBan, entite, faux_ban, url

pytestmark = pytest.mark.deux_bases  # stockage et métier : DuckDB puis PostgreSQL


@pytest.fixture(scope="module")
def serveur() -> Iterator[ThreadingHTTPServer]:
    with faux_ban() as serveur:
        yield serveur


@pytest.fixture
def url_ban(serveur: ThreadingHTTPServer) -> str:
    serveur.requetes.clear()
    return url(serveur)


class Horloge:
    """Horloge que le test avance à la main (pour le disjoncteur)."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _client(url: str, horloge: Horloge | None = None, **options) -> ClientBan:
    options = {"delai": 0.3, "intervalle": 0.0, "pause_apres_panne": 60.0, **options}
    return ClientBan(url, horloge=horloge or Horloge(), **options)


def _demande(adresse: str, **champs) -> Demande:
    return Demande(adresse=adresse, code_postal="38500", commune="Voiron", **champs)


def test_bonne_adresse_trouvee_dans_sa_commune(url_ban: str, serveur):
    geocodeur = Geocodeur(COMMUNES, client=_client(url_ban))
    position = geocodeur.geocoder(_demande("12 rue Mainssieux"))
    assert position.precision is Precision.ADRESSE
    assert position.source == "ban"
    assert position.libelle == "12 Rue Mainssieux 38500 Voiron"
    assert position.latitude == pytest.approx(VOIRON.latitude + 0.0003)
    assert position.code_insee == "38563"
    (_, parametres) = serveur.requetes[0]
    # Restreint à la commune (donc à l'Isère) par son code INSEE, commune dans le texte.
    assert parametres["citycode"] == "38563"
    assert "Voiron" in parametres["q"]
    assert parametres["q"].startswith("12 rue Mainssieux")


def test_resultat_a_la_rue(url_ban: str):
    position = Geocodeur(COMMUNES, client=_client(url_ban)).geocoder(_demande("Rue Seule"))
    assert position.precision is Precision.RUE


@pytest.mark.parametrize(
    ("adresse", "motif"),
    [
        ("2 rue Faible", "score 0.31"),
        ("12 rue Ailleurs", "hors de la commune"),
        ("Mairie", "municipality"),
        ("1 chemin Inconnu", "aucun résultat"),
    ],
)
def test_resultat_refuse_repli_sur_la_commune(url_ban: str, adresse: str, motif: str):
    position = Geocodeur(COMMUNES, client=_client(url_ban)).geocoder(_demande(adresse))
    assert position.precision is Precision.COMMUNE
    assert (position.latitude, position.longitude) == (VOIRON.latitude, VOIRON.longitude)
    assert motif in position.message


@pytest.mark.parametrize(
    ("adresse", "motif"), [("1 rue Lente", "ReadTimeout"), ("1 rue Panne", "HTTP 500")]
)
def test_panne_repli_rapide_un_seul_avertissement_puis_disjoncteur(
    url_ban: str, serveur, caplog, adresse: str, motif: str
):
    horloge = Horloge()
    geocodeur = Geocodeur(COMMUNES, client=_client(url_ban, horloge))
    caplog.set_level(logging.WARNING, logger="cartographie.geocodage.ban")
    positions = [geocodeur.geocoder(_demande(f"{adresse} {i}")) for i in range(5)]
    assert all(p.precision is Precision.COMMUNE for p in positions)
    assert "injoignable" in positions[0].message
    # Une seule requête : après la panne, le disjoncteur évite d'attendre à chaque ligne.
    assert len(serveur.requetes) == 1
    avertissements = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(avertissements) == 1
    # Le service lent (30 s, faux_ban) est coupé par le délai du client, pas attendu :
    # sans délai, la réponse vide arriverait et serait lue comme « aucun résultat ».
    assert motif in avertissements[0].getMessage()
    assert avertissements[0].exc_info is None  # pas de trace d'exception : état normal
    assert not geocodeur.en_ligne
    # Passé la pause, on réessaie.
    horloge.t += 61
    assert geocodeur.en_ligne
    assert geocodeur.geocoder(_demande("12 rue Mainssieux")).precision is Precision.ADRESSE


def test_service_absent_connexion_refusee(caplog):
    # Un port qu'on vient de libérer : personne n'écoute.
    serveur = ThreadingHTTPServer(("127.0.0.1", 0), FauxBan)
    port = serveur.server_address[1]
    serveur.server_close()
    geocodeur = Geocodeur(COMMUNES, client=_client(f"http://127.0.0.1:{port}/search/"))
    caplog.set_level(logging.WARNING, logger="cartographie.geocodage.ban")
    positions = [geocodeur.geocoder(_demande(f"{i} rue Mainssieux")) for i in range(3)]
    assert [p.precision for p in positions] == [Precision.COMMUNE] * 3
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1


def test_politesse_intervalle_entre_requetes(url_ban: str, serveur):
    geocodeur = Geocodeur(COMMUNES, client=_client(url_ban, intervalle=0.05))
    for i in range(3):
        geocodeur.geocoder(_demande(f"{i} rue Mainssieux"))
    instants = [t for t, _ in serveur.requetes]
    assert len(instants) == 3
    assert all(b - a >= 0.045 for a, b in pairwise(instants))


def test_adresse_confidentielle_jamais_envoyee(url_ban: str, serveur):
    geocodeur = Geocodeur(COMMUNES, client=_client(url_ban))
    position = geocodeur.geocoder(_demande("12 rue Mainssieux", confidentielle=True))
    assert position.precision is Precision.COMMUNE
    assert serveur.requetes == []


def test_recherche_sans_commune_reste_en_isere(url_ban: str, serveur):
    geocodeur = Geocodeur(COMMUNES, client=_client(url_ban))
    position = geocodeur.geocoder_recherche("12 rue Mainssieux")
    assert position.precision is Precision.ADRESSE
    assert position.commune == "Voiron"  # déduite du point, vérifié dans l'Isère
    assert "citycode" not in serveur.requetes[0][1]


def test_reponse_mal_formee_ignoree():
    candidats = convertir_reponse(
        {
            "features": [
                {"geometry": None, "properties": {}},
                entite(45.1, 5.7, 0.5, "street", "B"),
                entite(45.2, 5.6, 0.9, "housenumber", "A"),
            ]
        }
    )
    assert [c.libelle for c in candidats] == ["A", "B"]  # meilleur score d'abord


# --- Cache ---------------------------------------------------------------------------------


def test_cache_meme_adresse_jamais_redemandee_et_survit_a_la_reouverture(
    url_ban: str, serveur, chemin_base: Path
):
    con = ouvrir(chemin_base)
    geocodeur = Geocodeur(COMMUNES, client=_client(url_ban), con=con)
    premiere = geocodeur.geocoder(_demande("12 rue Mainssieux"))
    # Même adresse écrite autrement : casse, accents, espaces.
    seconde = geocodeur.geocoder(_demande("12  RUE MAINSSIEUX"))
    assert len(serveur.requetes) == 1
    assert seconde == premiere
    con.close()

    con = ouvrir(chemin_base)
    assert depot_cache.compter(con) == 1
    # Après redémarrage, même hors ligne, l'adresse déjà trouvée garde sa précision.
    hors_ligne = Geocodeur(COMMUNES, con=con).geocoder(_demande("12 rue Mainssieux"))
    assert hors_ligne.precision is Precision.ADRESSE
    assert (hors_ligne.latitude, hors_ligne.longitude) == (premiere.latitude, premiere.longitude)
    en_ligne = Geocodeur(COMMUNES, client=_client(url_ban), con=con)
    en_ligne.geocoder(_demande("12 rue Mainssieux"))
    assert len(serveur.requetes) == 1
    con.close()


def test_cache_retient_aussi_les_refus_mais_pas_les_pannes(url_ban: str, serveur, chemin_base):
    con = ouvrir(chemin_base)
    geocodeur = Geocodeur(COMMUNES, client=_client(url_ban), con=con)
    geocodeur.geocoder(_demande("2 rue Faible"))
    geocodeur.geocoder(_demande("2 rue Faible"))
    assert len(serveur.requetes) == 1
    geocodeur.geocoder(_demande("1 rue Panne"))
    assert depot_cache.compter(con) == 1  # la panne n'est pas un « introuvable »
    con.close()


def test_cache_refus_perime_redemande(url_ban: str, serveur, chemin_base):
    con = ouvrir(chemin_base)
    Geocodeur(COMMUNES, client=_client(url_ban), con=con).geocoder(_demande("2 rue Faible"))
    con.execute("UPDATE geocodage_cache SET date_geocodage = date_geocodage - INTERVAL '31 days'")
    Geocodeur(COMMUNES, client=_client(url_ban), con=con).geocoder(_demande("2 rue Faible"))
    assert len(serveur.requetes) == 2
    con.close()


def test_adresse_tapee_dans_la_recherche_jamais_ecrite_en_base(url_ban, serveur, chemin_base):
    con = ouvrir(chemin_base)
    geocodeur = Geocodeur(COMMUNES, client=_client(url_ban), con=con)
    assert geocodeur.geocoder_recherche("12 rue Mainssieux, Voiron").precision is Precision.ADRESSE
    assert geocodeur.geocoder_recherche("12 rue mainssieux, voiron").precision is Precision.ADRESSE
    assert len(serveur.requetes) == 1  # mémorisée le temps du processus
    assert depot_cache.compter(con) == 0
    con.close()


# --- Réglages ------------------------------------------------------------------------------


def test_hors_ligne_par_defaut_et_reglable():
    assert Geocodeur.depuis_reglages(environ={}).client is None
    geocodeur = Geocodeur.depuis_reglages(
        environ={
            "CARTOGRAPHIE_GEOCODAGE_EN_LIGNE": "oui",
            "CARTOGRAPHIE_BAN_URL": "http://127.0.0.1:9/search/",
            "CARTOGRAPHIE_BAN_SCORE_MIN": "0,75",
        }
    )
    assert geocodeur.client.url == "http://127.0.0.1:9/search/"
    assert geocodeur.score_min == 0.75


@pytest.mark.parametrize(
    ("variable", "valeur", "message"),
    [
        ("CARTOGRAPHIE_GEOCODAGE_EN_LIGNE", "peut-être", "« oui » ou « non »"),
        ("CARTOGRAPHIE_BAN_DELAI", "trois", "nombre positif"),
        ("CARTOGRAPHIE_BAN_SCORE_MIN", "-1", "nombre positif"),
    ],
)
def test_reglage_illisible_refuse_en_francais(variable: str, valeur: str, message: str):
    environ = {"CARTOGRAPHIE_GEOCODAGE_EN_LIGNE": "oui", variable: valeur}
    with pytest.raises(ValueError, match=message):
        Geocodeur.depuis_reglages(environ=environ)
