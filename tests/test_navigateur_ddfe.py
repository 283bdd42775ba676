"""Espace DDFE dans un vrai Chromium : une adresse tapée à la main ne sert pas une page réservée ;
après connexion, la page est dans le menu et s'ouvre."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cartographie.comptes import Role, creer_compte
from cartographie.stockage.connexion import ouvrir
from tests.serveur import ARGUMENTS_CHROMIUM, application

pytestmark = pytest.mark.navigateur

ARTEFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
MOT_DE_PASSE = "une phrase assez longue"


@pytest.fixture(scope="module")
def url_appli(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = tmp_path_factory.mktemp("ddfe") / "cartographie.duckdb"
    con = ouvrir(base)
    creer_compte(con, "claire", MOT_DE_PASSE, Role.EDITEUR, "Claire Martin")
    con.close()  # le serveur, autre processus, doit pouvoir ouvrir le fichier en écriture
    with application({"CARTOGRAPHIE_BASE": str(base), "CARTOGRAPHIE_TUILES_URL": ""}) as url:
        yield url


@pytest.fixture
def onglet(url_appli: str) -> Iterator:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGUMENTS_CHROMIUM)
        page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
        yield page
        chromium.close()


def test_adresse_directe_refusee_puis_acces_apres_connexion(onglet, url_appli: str) -> None:
    # Première visite du serveur par une adresse directe. Les écrans sont dans ecrans/ et non
    # pages/ : avec un dossier pages/, Streamlit servait ici la page seule, « à l'ancienne »,
    # sans app.py, donc sans numéros d'urgence ni sortie rapide. Désormais app.py passe d'abord.
    onglet.goto(f"{url_appli}/acteurs_edition")
    ARTEFACTS.mkdir(exist_ok=True)
    onglet.locator("#sortie-rapide").wait_for(timeout=60_000)
    onglet.wait_for_timeout(1_500)  # laisser la page demandée s'afficher si elle devait l'être
    assert onglet.get_by_text("3919").count() >= 1
    onglet.screenshot(path=str(ARTEFACTS / "ddfe-adresse-directe.png"))
    assert onglet.get_by_text("Chercher une fiche").count() == 0
    assert onglet.get_by_role("link", name="Fiches des acteurs").count() == 0

    # Le parcours d'une personne : l'accueil, puis le lien de connexion du menu.
    onglet.goto(url_appli)
    onglet.get_by_role("link", name="Espace DDFE — connexion").click()
    onglet.get_by_label("Identifiant").fill("claire")
    onglet.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    onglet.get_by_role("button", name="Se connecter").click()
    onglet.get_by_text("Vous êtes connecté·e").wait_for(timeout=30_000)
    onglet.get_by_role("link", name="Fiches des acteurs").click()
    onglet.get_by_text("Chercher une fiche").wait_for(timeout=30_000)
    assert onglet.get_by_text("Connecté·e : Claire Martin").count() == 1
    ARTEFACTS.mkdir(exist_ok=True)
    onglet.screenshot(path=str(ARTEFACTS / "ddfe-fiches.png"), full_page=True)
