"""Le parcours réel dans Chromium headless : bandeau, sortie rapide, recherche, carte hors ligne."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from cartographie.echanges.chargement import initialiser_base
from cartographie.modele import TypeActeur
from cartographie.stockage.connexion import ouvrir
from tests.conftest import COMMUNES, CSV_ACTEURS
from tests.fabrique import SECRET_ADRESSE, SECRET_LAT, acteur, ajouter, confidentiel
from tests.serveur import application

pytestmark = pytest.mark.navigateur

ARTEFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
HOTES_LOCAUX = {"127.0.0.1", "localhost", ""}


@pytest.fixture(scope="module")
def url_appli(tmp_path_factory: pytest.TempPathFactory, site_neutre: str) -> Iterator[str]:
    base = tmp_path_factory.mktemp("navigateur") / "cartographie.duckdb"
    con = ouvrir(base)
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
    # Les données réelles n'ont qu'un hébergement (confidentiel) à moins de 20 km de Voiron :
    # un second, fabriqué, à Coublevie, pour vérifier le tri par distance et les épingles.
    ajouter(
        con,
        confidentiel(),
        acteur(
            "hebergement-coublevie-essai",
            type=TypeActeur.HEBERGEMENT,
            code_insee="38133",
            commune="Coublevie",
            code_postal="38500",
            latitude=45.3588,
            longitude=5.6129,
        ),
    )
    con.close()
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
    bouton.wait_for(timeout=60_000)
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
    onglet.get_by_role("link", name="Quitter rapidement").wait_for(timeout=60_000)
    onglet.keyboard.press("Escape")
    onglet.keyboard.press("Escape")
    onglet.wait_for_url(site_neutre, timeout=10_000)


def test_echap_deux_fois_quitte_meme_depuis_la_carte(
    onglet, url_appli: str, site_neutre: str
) -> None:
    # La carte est dans un cadre (iframe) : ses touches n'atteignent pas la page qui la contient.
    onglet.goto(url_appli)
    _, cadre = _cadre_carte(onglet)
    carte = cadre.locator(".leaflet-container")
    carte.wait_for(timeout=60_000)
    carte.focus()
    assert onglet.evaluate("document.activeElement.tagName") == "IFRAME"
    onglet.keyboard.press("Escape")
    onglet.keyboard.press("Escape")
    onglet.wait_for_url(site_neutre, timeout=10_000)


# Nombre de marqueurs réellement posés dans le groupe de la carte (dessinés sur un canvas, ils
# ne sont pas dans le DOM) ; -1 tant que la carte n'existe pas.
_MARQUEURS_POSES = """() => {
    const cles = Object.keys(window).filter(k => k.startsWith("fast_marker_cluster_"));
    return cles.length ? window[cles[cles.length - 1]].getLayers().length : -1;
}"""


def _cadre_carte(onglet):
    iframe = onglet.locator('iframe[title="streamlit_folium.st_folium"]')
    iframe.wait_for(timeout=60_000)
    return iframe, iframe.element_handle().content_frame()


def _choisir(onglet, champ: str, option: str) -> None:
    """Choisit une option d'une liste déroulante.

    Sur une machine chargée, la réexécution qui suit la recherche peut redessiner la liste juste
    après son ouverture, et la refermer : on la rouvre (trois essais au plus).
    """
    from playwright.sync_api import TimeoutError as DelaiDepasse

    choix = onglet.get_by_role("option", name=option)
    for _ in range(3):
        # Le champ lui-même, pas le bouton « Aide : <libellé> » qui le suit.
        onglet.get_by_role("combobox", name=champ).first.click()
        try:
            choix.wait_for(timeout=10_000)
        except DelaiDepasse:  # la liste s'est refermée
            continue
        choix.click()
        return
    raise AssertionError(f"L'option « {option} » n'a jamais été proposée dans « {champ} ».")


def _distances(onglet) -> list[float]:
    # Les services qui couvrent la commune (sans lieu, `.couvrant`) n'ont pas de distance.
    textes = onglet.locator("article.resultat-acteur:not(.couvrant) strong").all_inner_texts()
    return [float(t.split(" km")[0].lstrip("≈ ").replace(",", ".")) for t in textes]


def test_voiron_hebergement_liste_et_carte_hors_ligne(onglet, url_appli: str) -> None:
    onglet.goto(url_appli)
    saisie = onglet.get_by_role("textbox", name="Commune ou code postal")
    saisie.wait_for(timeout=60_000)
    saisie.fill("Voiron")
    saisie.press("Enter")
    onglet.get_by_text("autour de Voiron").first.wait_for(timeout=60_000)

    onglet.get_by_text(
        "Affiner : type, public, langue, ouvert maintenant, territoire, mots"
    ).click()
    _choisir(onglet, "Type de structure", TypeActeur.HEBERGEMENT.libelle)
    onglet.keyboard.press("Tab")  # referme la liste (Échap compte pour la sortie rapide)
    onglet.wait_for_function("() => location.search.includes('type=hebergement')", timeout=60_000)
    parametres = parse_qs(urlsplit(onglet.url).query)
    assert parametres["commune"] == ["38563"]

    # La liste est réécrite après la réexécution : on attend qu'elle ne montre que le filtre.
    onglet.wait_for_function(
        """(libelle) => {
            const fiches = [...document.querySelectorAll("article.resultat-acteur")];
            return fiches.length > 0 && fiches.every(f => f.innerText.includes(libelle));
        }""",
        arg=TypeActeur.HEBERGEMENT.libelle,
        timeout=60_000,
    )
    assert all(
        TypeActeur.HEBERGEMENT.libelle in t
        for t in onglet.locator("article.resultat-acteur").all_inner_texts()
    )
    fiches = onglet.locator("article.resultat-acteur:not(.couvrant)")  # un lieu, une épingle
    n_fiches = fiches.count()
    assert n_fiches >= 2
    distances = _distances(onglet)
    assert len(distances) == n_fiches
    assert distances == sorted(distances)

    iframe, cadre = _cadre_carte(onglet)
    onglet.wait_for_function(
        "() => document.querySelector('iframe[title=\"streamlit_folium.st_folium\"]')"
        ".getBoundingClientRect().height > 300",
        timeout=60_000,
    )
    cadre.wait_for_function(f"({_MARQUEURS_POSES})() === {n_fiches}", timeout=60_000)
    # Les contours des communes (fichier statique) sont dessinés.
    cadre.wait_for_function(
        """() => {
            const cles = Object.keys(window).filter(k => k.startsWith("map_"));
            const carte = cles.length ? window[cles[cles.length - 1]] : null;
            return Boolean(carte && carte.coucheCommunes)
                && carte.coucheCommunes.getLayers().length === 512;
        }""",
        timeout=60_000,
    )
    assert iframe.is_visible()
    contenu = onglet.content() + cadre.content()
    assert SECRET_ADRESSE not in contenu
    assert str(SECRET_LAT) not in contenu
    ARTEFACTS.mkdir(exist_ok=True)
    onglet.screenshot(path=str(ARTEFACTS / "recherche-voiron-hebergement.png"))

    # Un clic sur la carte (ici dans Saint-Égrève) devient le point de recherche.
    iframe.scroll_into_view_if_needed()
    x, y = cadre.evaluate(
        """() => {
            const cles = Object.keys(window).filter(k => k.startsWith("map_"));
            const p = window[cles[cles.length - 1]].latLngToContainerPoint([45.22849, 5.68611]);
            return [p.x, p.y];
        }"""
    )
    boite = iframe.bounding_box()
    onglet.mouse.click(boite["x"] + x, boite["y"] + y)
    onglet.wait_for_function("() => location.search.includes('commune=38382')", timeout=60_000)
    onglet.get_by_text("Point choisi sur la carte (Saint-Égrève)").first.wait_for(timeout=60_000)
    # L'URL (gardée par l'historique, que « Quitter rapidement » n'efface pas) ne dit que la
    # commune : ni coordonnées ni libellé du point.
    parametres = parse_qs(urlsplit(onglet.url).query)
    assert parametres == {"commune": ["38382"], "type": ["hebergement"]}
    assert onglet.hotes_distants == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("nom", "largeur", "hauteur"), [("bureau", 1280, 1100), ("telephone", 390, 1600)]
)
def test_accueil_bureau_et_telephone(
    navigateur, url_appli: str, nom: str, largeur: int, hauteur: int
) -> None:
    contexte = navigateur.new_context(
        viewport={"width": largeur, "height": hauteur}, locale="fr-FR"
    )
    onglet = contexte.new_page()
    try:
        onglet.goto(url_appli + "/?commune=38563&rayon=50")
        onglet.locator("article.resultat-acteur").first.wait_for(timeout=60_000)
        iframe, cadre = _cadre_carte(onglet)
        cadre.wait_for_function(f"({_MARQUEURS_POSES})() > 0", timeout=60_000)
        assert onglet.get_by_role("link", name="Quitter rapidement").is_visible()
        liste = onglet.locator("article.resultat-acteur").first.bounding_box()
        carte = iframe.bounding_box()
        if nom == "telephone":
            # Sur un écran étroit, la liste passe avant la carte.
            assert liste["y"] < carte["y"]
        ARTEFACTS.mkdir(exist_ok=True)
        onglet.screenshot(path=str(ARTEFACTS / f"accueil-{nom}.png"))
    finally:
        contexte.close()
