"""Le parcours réel dans Chromium headless : bandeau, sortie rapide, recherche, carte hors ligne."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.serveur import ARGUMENTS_CHROMIUM, application, site_statique

pytestmark = pytest.mark.navigateur

ARTEFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
HOTES_LOCAUX = {"127.0.0.1", "localhost", ""}


@pytest.fixture(scope="module")
def navigateur() -> Iterator:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGUMENTS_CHROMIUM)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site_neutre() -> Iterator[str]:
    """Un « site neutre » local, sur un autre port : la sortie rapide ne sort pas de la machine."""
    with site_statique("<html><title>Météo</title><body>Météo du jour</body></html>") as url:
        yield url


@pytest.fixture(scope="module")
def url_appli(tmp_path_factory: pytest.TempPathFactory, site_neutre: str) -> Iterator[str]:
    base = tmp_path_factory.mktemp("navigateur") / "cartographie.duckdb"
    env = {
        "CARTOGRAPHIE_BASE": str(base),
        # Tout reste sur la machine : pas de fond de carte, sortie vers une page locale.
        "CARTOGRAPHIE_TUILES_URL": "",
        "CARTOGRAPHIE_SORTIE_RAPIDE": site_neutre,
    }
    with application(env) as url:
        yield url


@pytest.fixture
def onglet(navigateur, url_appli: str) -> Iterator:
    contexte = navigateur.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = contexte.new_page()
    page.hotes_distants = []  # type: ignore[attr-defined]

    def noter(requete) -> None:
        hote = urlsplit(requete.url).hostname or ""
        if urlsplit(requete.url).scheme in ("http", "https") and hote not in HOTES_LOCAUX:
            page.hotes_distants.append(requete.url)  # type: ignore[attr-defined]

    page.on("request", noter)
    yield page
    contexte.close()


def test_quitter_rapidement_remplace_la_page(onglet, url_appli: str, site_neutre: str) -> None:
    onglet.goto(url_appli)
    bouton = onglet.get_by_role("link", name="Quitter rapidement")
    bouton.wait_for(timeout=30_000)
    assert onglet.get_by_text("3919").first.is_visible()
    ARTEFACTS.mkdir(exist_ok=True)
    onglet.screenshot(path=str(ARTEFACTS / "bandeau-securite.png"))
    bouton.click()
    onglet.wait_for_url(site_neutre, timeout=10_000)
    # La page de l'application a été remplacée : « Précédent » n'y ramène pas.
    assert "Météo du jour" in onglet.content()
    onglet.go_back()
    assert not onglet.url.startswith(url_appli)
    assert onglet.hotes_distants == []  # type: ignore[attr-defined]


def test_echap_deux_fois_quitte(onglet, url_appli: str, site_neutre: str) -> None:
    onglet.goto(url_appli)
    onglet.get_by_role("link", name="Quitter rapidement").wait_for(timeout=30_000)
    onglet.keyboard.press("Escape")
    onglet.keyboard.press("Escape")
    onglet.wait_for_url(site_neutre, timeout=10_000)
