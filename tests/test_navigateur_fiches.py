"""Fiches enrichies dans Chromium : la page d'une fiche ouverte par son lien, et les filtres
« Ouvert maintenant » et « Langue parlée » qui changent la liste."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cartographie.modele import Langue, TypeActeur
from cartographie.stockage import communes as depot_communes
from cartographie.stockage.connexion import ouvrir
from tests.conftest import COMMUNES
from tests.fabrique import acteur, ajouter
from tests.serveur import application
from tests.test_navigateur import ARTEFACTS, _choisir

pytestmark = pytest.mark.navigateur

# Toujours ouvert, quel que soit le moment du test ; et toujours fermé (seulement le 1er janvier
# à minuit une minute), et sans horaires (jamais « ouvert »).
TOUJOURS = "24/7"
JAMAIS = "Jan 01 00:00-00:01"


@pytest.fixture(scope="module")
def url_appli(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = tmp_path_factory.mktemp("fiches") / "cartographie.duckdb"
    con = ouvrir(base)
    depot_communes.synchroniser(con, COMMUNES)
    ajouter(
        con,
        acteur(
            "ecoute-nuit-et-jour",
            nom="Écoute nuit et jour",
            telephone="04 76 11 22 33",
            horaires_accueil=TOUJOURS,
            adresse="1 place Victor Hugo",
            langues=(Langue.FR, Langue.AR),
        ),
        acteur("permanence-fermee", nom="Permanence du premier janvier", horaires_accueil=JAMAIS),
        acteur("lieu-sans-horaires", nom="Lieu sans horaires", type=TypeActeur.ERPE),
    )
    con.close()
    with application({"CARTOGRAPHIE_BASE": str(base), "CARTOGRAPHIE_TUILES_URL": ""}) as url:
        yield url


@pytest.fixture
def onglet(navigateur) -> Iterator:
    contexte = navigateur.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    yield contexte.new_page()
    contexte.close()


def _noms(onglet) -> list[str]:
    return [
        t.split("\n")[0].split(". ", 1)[-1]
        for t in onglet.locator("article.resultat-acteur h3").all_inner_texts()
    ]


def test_page_d_une_fiche_ouverte_par_son_lien(onglet, url_appli: str) -> None:
    onglet.goto(url_appli + "/?acteur=ecoute-nuit-et-jour")
    titre = onglet.get_by_role("heading", name="Écoute nuit et jour")
    titre.wait_for(timeout=60_000)
    fiche = onglet.locator("article.fiche-acteur")
    assert "Ouvert 24 h/24" in fiche.inner_text()
    appel = fiche.get_by_role("link", name="04 76 11 22 33")
    assert appel.get_attribute("href") == "tel:0476112233"
    assert "arabe" in fiche.inner_text()
    assert onglet.get_by_role("link", name="Quitter rapidement").is_visible()
    ARTEFACTS.mkdir(exist_ok=True)
    onglet.screenshot(path=str(ARTEFACTS / "fiche-acteur.png"))
    # Retour à la liste, sur la même session.
    onglet.get_by_role("button", name="← Retour à la recherche").click()
    onglet.locator("article.resultat-acteur").first.wait_for(timeout=60_000)


def test_ouvert_maintenant_et_langue_parlee_changent_la_liste(onglet, url_appli: str) -> None:
    onglet.goto(url_appli)
    onglet.wait_for_function(
        "() => document.querySelectorAll('article.resultat-acteur').length === 3",
        timeout=60_000,
    )
    onglet.get_by_text("Affiner : type, public, langue, ouvert maintenant").click()
    onglet.get_by_text("Ouvert maintenant", exact=True).click()
    onglet.wait_for_function("() => location.search.includes('ouvert=1')", timeout=60_000)
    onglet.wait_for_function(
        "() => document.querySelectorAll('article.resultat-acteur').length === 1",
        timeout=60_000,
    )
    assert _noms(onglet) == ["Écoute nuit et jour"]
    assert "Ouvert 24 h/24" in onglet.locator("article.resultat-acteur").inner_text()

    onglet.get_by_text("Ouvert maintenant", exact=True).click()  # on le retire
    onglet.wait_for_function(
        "() => document.querySelectorAll('article.resultat-acteur').length === 3",
        timeout=60_000,
    )
    _choisir(onglet, "Langue parlée", "arabe")
    onglet.keyboard.press("Tab")
    onglet.wait_for_function("() => location.search.includes('langue=ar')", timeout=60_000)
    onglet.wait_for_function(
        "() => document.querySelectorAll('article.resultat-acteur').length === 1",
        timeout=60_000,
    )
    assert _noms(onglet) == ["Écoute nuit et jour"]
