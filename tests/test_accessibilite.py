"""Accessibilité dans un vrai Chromium : audit axe-core de chaque page (publique et DDFE) dans
chaque état qui compte, sur ordinateur et téléphone ; parcours au clavier seul ; téléphone
d'abord ; reflow à 320 px et zoom 200 % ; textes de Streamlit en français.

Un seul serveur pour tout le module. Ajouter une page ou un état à l'audit : une ligne dans
`ETATS` (identifiant, libellé public, geste qui y mène depuis l'état précédent, ce qu'on attend).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from cartographie.accessibilite import RAPPORT
from cartographie.comptes import Role, creer_compte
from cartographie.echanges.chargement import initialiser_base
from cartographie.stockage.connexion import ouvrir
from tests.audit_axe import ETIQUETTES, Violation, auditer, resume
from tests.conftest import COMMUNES, CSV_ACTEURS
from tests.fabrique import ajouter, confidentiel
from tests.serveur import ARGUMENTS_CHROMIUM, application, site_statique

pytestmark = pytest.mark.navigateur

ARTEFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
MOT_DE_PASSE = "une phrase assez longue"
ECRANS = {"bureau": (1400, 1000), "telephone": (390, 844)}
SAISIE = "Adresse, commune ou code postal"
DELAI = 60_000
# Mots de l'interface de Streamlit qui trahiraient un texte resté en anglais.
ANGLAIS = re.compile(
    r"\b(Press|Enter to|Open|Close|Clear|Choose|Select|Search|Download|Upload|Browse|Limit|"
    r"Help for|Skip|Link to|Expand|Collapse|View (more|less)|Running|Stop|Drag and drop|"
    r"not found|Please|Delete|Remove|Fullscreen|Main menu|App pages|No results|Selected|"
    r"start date|end date|(day|month|year),|January|February|March|April|June|July|August|"
    r"September|October|November|December)\b"
)


# --- Mise en place ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def navigateur() -> Iterator:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGUMENTS_CHROMIUM)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site_neutre() -> Iterator[str]:
    with site_statique("<html><title>Météo</title><body>Météo du jour</body></html>") as url:
        yield url


@pytest.fixture(scope="module")
def url_appli(tmp_path_factory: pytest.TempPathFactory, site_neutre: str) -> Iterator[str]:
    base = tmp_path_factory.mktemp("accessibilite") / "cartographie.duckdb"
    con = ouvrir(base)
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
    ajouter(con, confidentiel())
    creer_compte(con, "admin", MOT_DE_PASSE, Role.ADMINISTRATEUR, "Claire Martin")
    con.close()
    env = {
        "CARTOGRAPHIE_BASE": str(base),
        "CARTOGRAPHIE_TUILES_URL": "",
        "CARTOGRAPHIE_SORTIE_RAPIDE": site_neutre,
    }
    with application(env) as url:
        yield url


def _onglet(navigateur, ecran: str):
    largeur, hauteur = ECRANS[ecran]
    contexte = navigateur.new_context(
        viewport={"width": largeur, "height": hauteur}, locale="fr-FR"
    )
    return contexte, contexte.new_page()


def _au_repos(page) -> None:
    """Attend que Streamlit ait fini d'exécuter la page (plus rien à dessiner)."""
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app && app.getAttribute('data-test-script-state') === 'notRunning'
                && window.__accessibilitePosee === true;
        }""",
        timeout=DELAI,
    )
    page.wait_for_timeout(300)  # le dernier dessin de React


# --- Les états audités ------------------------------------------------------------------------


def _tableur_a_importer(dossier: Path) -> Path:
    """Trois fiches du CSV réel : une modifiée, une nouvelle, une en erreur (type inconnu)."""
    with CSV_ACTEURS.open(encoding="utf-8", newline="") as f:
        lignes = list(csv.DictReader(f))[:3]
    lignes[0]["nom"] += " (modifié)"
    lignes[1]["id"] = "nouvel-acteur-audit"
    lignes[2]["type"] = "type-inconnu"
    sortie = io.StringIO()
    ecrivain = csv.DictWriter(sortie, fieldnames=list(lignes[0]))
    ecrivain.writeheader()
    ecrivain.writerows(lignes)
    chemin = dossier / "partenaires.csv"
    chemin.write_text(sortie.getvalue(), encoding="utf-8")
    return chemin


def _aller(chemin: str, attendu: Callable) -> Callable:
    def geste(page, url: str) -> None:
        page.goto(url + chemin)
        attendu(page).wait_for(timeout=DELAI)

    return geste


def _titre(texte: str) -> Callable:
    return lambda page: page.get_by_role("heading", level=1, name=texte)


def _menu(lien: str, titre: str) -> Callable:
    """Un lien du menu latéral (ouvert d'abord sur un téléphone, où il est replié)."""

    def geste(page, url: str) -> None:
        ouvrir = page.locator('[data-testid="stExpandSidebarButton"]')
        if ouvrir.is_visible():
            ouvrir.click()
        page.get_by_role("link", name=lien, exact=True).click()
        page.get_by_role("heading", level=1, name=titre).wait_for(timeout=DELAI)

    return geste


def _rechercher(page, url: str) -> None:
    page.goto(url + "/?commune=38563&rayon=50")
    page.locator("article.resultat-acteur").first.wait_for(timeout=DELAI)
    cadre = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    cadre.locator(".leaflet-container").wait_for(timeout=DELAI)


def _ouvrir_filtres(page, url: str) -> None:
    page.get_by_text("Affiner : type, axe, public, territoire, mots").click()
    page.get_by_text("Type de structure").wait_for(timeout=DELAI)


def _commune_inconnue(page, url: str) -> None:
    saisie = page.get_by_role("textbox", name=SAISIE)
    saisie.fill("Atlantide")
    saisie.press("Enter")
    page.get_by_text("Aucune commune de l'Isère ne correspond").wait_for(timeout=DELAI)


def _connexion_refusee(page, url: str) -> None:
    page.get_by_label("Identifiant").fill("admin")
    page.get_by_label("Mot de passe").fill("pas le bon mot de passe")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("alert").first.wait_for(timeout=DELAI)


def _se_connecter(page, url: str) -> None:
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_text("Vous êtes connecté·e").wait_for(timeout=DELAI)


def _apercu_import(page, url: str) -> None:
    chemin = _tableur_a_importer(Path(tempfile.mkdtemp(prefix="audit-import-")))
    page.locator('input[type="file"]').set_input_files(str(chemin))
    page.get_by_text("Lignes en erreur (non importées)").wait_for(timeout=DELAI)


@dataclass(frozen=True)
class Etat:
    """Un état de l'application à auditer, atteint depuis l'état précédent de la liste."""

    ident: str
    libelle: str
    geste: Callable


ETATS: tuple[Etat, ...] = (
    Etat("accueil", "Trouver une ressource — page vide", _aller("/", lambda p: p.get_by_role("textbox", name=SAISIE))),
    Etat("recherche", "Trouver une ressource — après une recherche", _rechercher),
    Etat("filtres", "Trouver une ressource — filtres ouverts", _ouvrir_filtres),
    Etat("commune_inconnue", "Trouver une ressource — commune inconnue (message d'erreur)", _commune_inconnue),
    Etat("introuvable", "Adresse inconnue (page introuvable)", _aller("/page-inexistante", lambda p: p.get_by_role("dialog"))),
    Etat("accessibilite", "Accessibilité", _aller("/accessibilite", _titre("Accessibilité"))),
    Etat("connexion", "Espace DDFE — connexion", _aller("/connexion", _titre("Espace DDFE — connexion"))),
    Etat("connexion_refusee", "Espace DDFE — connexion refusée (message d'erreur)", _connexion_refusee),
    Etat("connecte", "Espace DDFE — connecté·e", _se_connecter),
    Etat("fiches", "Fiches des acteurs", _menu("Fiches des acteurs", "Fiches des acteurs")),
    Etat("fraicheur", "Fiches à vérifier", _menu("Fiches à vérifier", "Fiches à vérifier")),
    Etat("comptes", "Comptes", _menu("Comptes", "Comptes de l'espace DDFE")),
    Etat("import_export", "Importer / exporter", _menu("Importer / exporter", "Importer et exporter les acteurs")),
    Etat("import_apercu", "Importer — aperçu d'un tableur (avec erreurs)", _apercu_import),
    Etat("signalements", "Signalements d'erreur", _menu("Signalements d'erreur", "Signalements d'erreur")),
    Etat("localisation", "Positions des fiches", _menu("Positions des fiches", "Positions des fiches")),
    Etat("statistiques", "Statistiques", _menu("Statistiques", "Statistiques de consultation")),
)  # fmt: skip

_RAPPORT: dict[str, dict[str, list[Violation]]] = {}
_VERSION: dict[str, str] = {}


def _textes_anglais(page) -> list[str]:
    """Textes visibles et noms accessibles de Streamlit restés en anglais (hors contenus)."""
    textes = page.evaluate(
        """() => {
            const vus = [];
            const parcours = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            let n;
            while ((n = parcours.nextNode())) {
                const e = n.parentElement;
                if (!e || e.closest('script,style,.stHtml,[data-testid="stMarkdownContainer"]')
                    && !e.closest('[role="dialog"]')) { continue; }
                if (e.getClientRects().length && n.nodeValue.trim()) { vus.push(n.nodeValue.trim()); }
            }
            const attributs = ['aria-label', 'title', 'placeholder', 'aria-valuetext'];
            for (const e of document.querySelectorAll(attributs.map(a => `[${a}]`).join(','))) {
                for (const a of attributs) {
                    const v = e.getAttribute(a);
                    if (v) { vus.push(v); }
                }
            }
            // Descriptions lues par les lecteurs d'écran, même cachées.
            for (const e of document.querySelectorAll('[aria-describedby]')) {
                for (const id of e.getAttribute('aria-describedby').trim().split(/ +/)) {
                    const d = document.getElementById(id);
                    if (d && d.textContent.trim()) { vus.push(d.textContent.trim()); }
                }
            }
            return vus;
        }"""
    )
    # Noms d'icônes Material (« keyboard_arrow_right ») : cachés aux lecteurs d'écran.
    return sorted({t for t in textes if ANGLAIS.search(t) and "_" not in t})


@pytest.fixture(scope="module")
def rapport(navigateur) -> Iterator[dict[str, dict[str, list[Violation]]]]:
    """Les violations de chaque état et écran ; écrites dans test-artifacts/ à la fin (et
    dans data/ pour la page « Accessibilité » si AUDIT_ACCESSIBILITE_ECRIRE=1)."""
    yield _RAPPORT
    if not _RAPPORT:
        return
    donnees = {
        "date": date.today().isoformat(),
        "outil": f"axe-core {_version_axe()}",
        "navigateur": f"Chromium {navigateur.version} (sans interface)",
        "normes": ETIQUETTES,
        "etats": [
            {
                "id": e.ident,
                "libelle": e.libelle,
                "ecrans": {
                    ecran: [
                        {"regle": v.regle, "impact": v.impact, "aide": v.aide, "noeuds": v.noeuds}
                        for v in _RAPPORT[ecran][e.ident]
                    ]
                    for ecran in ECRANS
                    if e.ident in _RAPPORT.get(ecran, {})
                },
            }
            for e in ETATS
        ],
    }
    texte = json.dumps(donnees, ensure_ascii=False, indent=1) + "\n"
    ARTEFACTS.mkdir(exist_ok=True)
    (ARTEFACTS / "audit-accessibilite.json").write_text(texte, encoding="utf-8")
    if os.environ.get("AUDIT_ACCESSIBILITE_ECRIRE") == "1" and len(_RAPPORT) == len(ECRANS):
        RAPPORT.write_text(texte, encoding="utf-8")


def _version_axe() -> str:
    from tests.audit_axe import AXE

    entete = AXE.read_text(encoding="utf-8")[:200]
    trouve = re.search(r"axe v([\d.]+)", entete)
    return trouve.group(1) if trouve else "?"


# --- 1. Audit axe-core ------------------------------------------------------------------------


def test_audit_axe_sans_violation_grave(navigateur, url_appli: str, rapport) -> None:
    """Chaque état est atteint une fois, puis audité sur ordinateur et sur téléphone (la
    fenêtre change de taille : la mise en page suit, sans recharger la page)."""
    contexte, page = _onglet(navigateur, "bureau")
    anglais: dict[str, list[str]] = {}
    try:
        for etat in ETATS:
            page.set_viewport_size(dict(zip(("width", "height"), ECRANS["bureau"], strict=True)))
            etat.geste(page, url_appli)
            for ecran, (largeur, hauteur) in ECRANS.items():
                page.set_viewport_size({"width": largeur, "height": hauteur})
                _au_repos(page)
                rapport.setdefault(ecran, {})[etat.ident] = auditer(page)
                if restes := _textes_anglais(page):
                    anglais[f"{etat.ident} ({ecran})"] = restes
                if etat.ident in ("recherche", "import_apercu", "introuvable"):
                    ARTEFACTS.mkdir(exist_ok=True)
                    page.screenshot(path=str(ARTEFACTS / f"a11y-{etat.ident}-{ecran}.png"))
            assert page.evaluate("document.documentElement.lang") == "fr", etat.ident
    finally:
        contexte.close()
    graves = {
        f"{ident} ({ecran})": [v for v in violations if v.grave]
        for ecran, par_etat in rapport.items()
        for ident, violations in par_etat.items()
        if any(v.grave for v in violations)
    }
    assert not graves, "\n".join(f"[{ou}]\n{resume(vs)}" for ou, vs in graves.items())
    # Textes de Streamlit en français partout (affichés et lus par les lecteurs d'écran).
    assert not anglais, anglais
