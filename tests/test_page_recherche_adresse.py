"""Chercher depuis une adresse sur « Trouver une ressource » (AppTest), avec ou sans service."""

from __future__ import annotations

import html
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cartographie.config import RACINE
from cartographie.modele import Precision
from tests.faux_ban import VOIRON, faux_ban, url


@pytest.fixture(scope="module")
def serveur() -> Iterator[ThreadingHTTPServer]:
    with faux_ban() as serveur:
        yield serveur


def page() -> AppTest:
    at = AppTest.from_file(str(RACINE / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def chercher(at: AppTest, saisie: str) -> AppTest:
    at.text_input(key="saisie_lieu").set_value(saisie).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def hors_ligne(env_appli: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CARTOGRAPHIE_TUILES_URL", "")
    return env_appli


@pytest.fixture
def en_ligne(hors_ligne: Path, serveur, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CARTOGRAPHIE_GEOCODAGE_EN_LIGNE", "oui")
    monkeypatch.setenv("CARTOGRAPHIE_BAN_URL", url(serveur))
    return hors_ligne


def test_adresse_trouvee_quand_le_service_repond(en_ligne) -> None:
    at = chercher(page(), "12 rue Mainssieux, 38500 Voiron")
    assert "Position à l'adresse : 12 Rue Mainssieux 38500 Voiron" in at.info[0].value
    assert "autour de 12 Rue Mainssieux 38500 Voiron" in at.header[0].value
    assert any("position à l'adresse" in c.value for c in at.caption)
    # L'URL reste dans l'historique du navigateur : elle ne garde que la commune, ni le point,
    # ni le libellé trouvé, ni ce qui a été tapé ; l'écran le dit.
    assert dict(at.query_params) == {"commune": VOIRON.code_insee}
    assert any("rouvre sur la commune, sans l'adresse" in c.value for c in at.caption)


def test_sans_service_centre_de_la_commune_annonce(hors_ligne) -> None:
    at = chercher(page(), "12 rue Mainssieux, Voiron")
    assert "Position approximative : centre de la commune : Voiron" in at.info[0].value
    assert "désactivé" in at.caption[0].value
    assert "autour de Voiron" in at.header[0].value
    assert any("centre de la commune" in c.value for c in at.caption)
    assert at.query_params["commune"] == VOIRON.code_insee
    assert "precision" not in at.query_params


def test_adresse_sans_commune_reconnue_message_et_aucun_point(hors_ligne) -> None:
    at = chercher(page(), "12 rue Jean Jaurès")
    assert "indiquez la commune" in at.error[0].value
    assert "dans tout le département" in at.header[0].value
    assert "commune" not in at.query_params


def test_une_commune_garde_les_suggestions(hors_ligne) -> None:
    at = chercher(page(), "38500")
    assert at.selectbox(key="choix_commune").value == VOIRON.code_insee
    assert not at.info


def test_chaque_fiche_dit_la_precision_de_sa_position(en_ligne) -> None:
    # Au premier lancement avec le service, l'adresse connue a été géocodée au chargement.
    at = chercher(page(), "16 boulevard Jean-Pain, Grenoble")
    fiches = [
        html.unescape(h.proto.body)
        for h in at.get("html")
        if h.proto.body.startswith('<article class="resultat-acteur"')
    ]
    assert fiches
    libelles = [p.libelle for p in Precision]
    assert all(sum(libelle in f for libelle in libelles) == 1 for f in fiches)
    (local,) = [f for f in fiches if "Le Local des femmes</h3>" in f]
    assert "Position à l'adresse" in local
    assert any("Position approximative : centre de la commune" in f for f in fiches)
