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
from cartographie.urgences import NUMEROS_URGENCE
from tests.audit_axe import ETIQUETTES, Violation, auditer, resume
from tests.conftest import COMMUNES, CSV_ACTEURS
from tests.fabrique import ajouter, confidentiel
from tests.serveur import application

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
    r"September|October|November|December|per file|file upload|files? (is|are)|Zoom (in|out)|"
    r"Close popup|JavaScript library|\d+ (mi|ft))\b"
)


# --- Mise en place ----------------------------------------------------------------------------


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
    """Un lien du menu latéral (ouvert d'abord sur un téléphone, où il est replié).

    Le menu s'ouvre ou se replie de lui-même quand la fenêtre change de taille : on regarde ce
    qui est affiché à chaque essai.
    """

    def geste(page, url: str) -> None:
        lien_menu = page.get_by_role("link", name=lien, exact=True)
        ouvrir = page.locator('[data-testid="stExpandSidebarButton"]')
        for _ in range(20):
            if lien_menu.is_visible():
                lien_menu.click()
                break
            if ouvrir.is_visible():
                ouvrir.click(timeout=2_000)
            page.wait_for_timeout(300)
        page.get_by_role("heading", level=1, name=titre).wait_for(timeout=DELAI)

    return geste


def _rechercher(page, url: str) -> None:
    page.goto(url + "/?commune=38563&rayon=50")
    page.locator("article.resultat-acteur").first.wait_for(timeout=DELAI)
    cadre = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    cadre.locator(".leaflet-container").wait_for(timeout=DELAI)


def _ouvrir_filtres(page, url: str) -> None:
    page.get_by_text("Affiner : type, public, langue, ouvert maintenant").click()
    page.get_by_text("Type de structure").wait_for(timeout=DELAI)


def _page_d_une_fiche(page, url: str) -> None:
    # La première fiche du fichier réel, par son lien (`?acteur=…`).
    with CSV_ACTEURS.open(encoding="utf-8", newline="") as fichier:
        premiere = next(csv.DictReader(fichier))
    page.goto(url + "/?acteur=" + premiere["id"])
    page.get_by_role("heading", level=1, name=premiere["nom"]).wait_for(timeout=DELAI)


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
    Etat("fiche", "Page d'une fiche", _page_d_une_fiche),
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
                    && !e.closest('[role="dialog"],[data-testid="stFileUploaderDropzone"]')) {
                    continue;
                }
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
    # La carte est dans un cadre : ses textes (Leaflet) comptent aussi.
    for cadre in page.frames[1:]:
        try:
            textes += cadre.evaluate(_TEXTES_DU_CADRE)
        except Exception:
            continue
    # Noms d'icônes Material (« keyboard_arrow_right ») : cachés aux lecteurs d'écran.
    return sorted({t for t in textes if ANGLAIS.search(t) and "_" not in t})


_TEXTES_DU_CADRE = """() => {
    const vus = [...document.querySelectorAll('[aria-label],[title]')]
        .flatMap(e => [e.getAttribute('aria-label'), e.getAttribute('title')]).filter(Boolean);
    for (const e of document.querySelectorAll('.leaflet-control, .leaflet-popup')) {
        vus.push(e.innerText);
    }
    return vus;
}"""


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


# --- 2. Clavier seul --------------------------------------------------------------------------

# Ce qui a le focus : où il est, s'il se voit (contour ou ombre), et dans quel cadre.
_FOCUS = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) { return null; }
    const s = getComputedStyle(e);
    const r = e.getBoundingClientRect();
    return {
        balise: e.tagName, id: e.id, texte: (e.innerText || e.getAttribute('aria-label') || '').slice(0, 60),
        href: e.getAttribute('href') || '', dansResultat: Boolean(e.closest('article.resultat-acteur')),
        contour: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
        ombre: s.boxShadow !== 'none',
        visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
            && r.top < innerHeight && r.left < innerWidth,
    };
}"""


def _tab(page, arrivee: Callable[[dict], bool], au_plus: int, touche: str = "Tab") -> list[dict]:
    """Appuie sur Tab jusqu'à ce que le focus vérifie `arrivee` ; rend les arrêts traversés."""
    arrets: list[dict] = []
    for _ in range(au_plus):
        page.keyboard.press(touche)
        focus = page.evaluate(_FOCUS)
        if focus is None:
            continue
        arrets.append(focus)
        if arrivee(focus):
            return arrets
    raise AssertionError(f"Focus jamais arrivé en {au_plus} appuis : {arrets[-5:]}")


def _focus_visible(arrets: list[dict]) -> list[dict]:
    """Arrêts dont le focus ne se voit pas (ni contour d'au moins 2 px, ni ombre, hors écran)."""
    return [
        a
        for a in arrets
        if a["balise"] != "IFRAME" and not (a["visible"] and (a["contour"] or a["ombre"]))
    ]


def _ouvrir_au_clavier(page, champ: str, option: str) -> None:
    """Focus sur la liste déroulante, puis flèche bas : la liste s'ouvre.

    Sur une machine chargée, une réexécution peut redessiner le champ juste après : on
    recommence (trois essais au plus), comme `_choisir` dans test_navigateur.py.
    """
    from playwright.sync_api import TimeoutError as DelaiDepasse

    for _ in range(3):
        page.get_by_role("combobox", name=champ).focus()
        page.keyboard.press("ArrowDown")
        try:
            page.get_by_role("option", name=option).wait_for(timeout=10_000)
        except DelaiDepasse:
            continue
        return
    raise AssertionError(f"La liste « {champ} » ne s'ouvre pas avec la flèche bas.")


def test_clavier_seul_jusqu_au_telephone_et_a_la_sortie(
    navigateur, url_appli: str, site_neutre: str
) -> None:
    contexte, page = _onglet(navigateur, "bureau")
    try:
        page.goto(url_appli + "/?commune=38563&rayon=50")
        page.locator("article.resultat-acteur").first.wait_for(timeout=DELAI)
        _au_repos(page)

        # Premier arrêt : le lien d'évitement, visible ; Entrée mène à la liste des résultats.
        premier = _tab(page, lambda f: True, 1)[0]
        assert premier["id"] == "aller-aux-resultats", premier
        assert premier["visible"], premier
        assert premier["contour"] or premier["ombre"], premier
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "resultats"
        # Quelques Tab plus loin : le lien d'appel du premier résultat.
        arrets = _tab(page, lambda f: f["dansResultat"] and f["href"].startswith("tel:"), 8)
        assert _focus_visible(arrets) == [], arrets

        # Le champ « Rayon » au clavier : flèche bas ouvre la liste, flèches et Entrée
        # choisissent, Échap (une fois) referme sans quitter la page.
        _ouvrir_au_clavier(page, "Rayon", "20 km")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Escape")
        page.get_by_role("option", name="20 km").wait_for(state="detached", timeout=DELAI)
        assert page.url.startswith(url_appli)

        # La carte : on y entre et on en sort avec Tab (pas de piège) ; les flèches la déplacent.
        page.get_by_role("combobox", name="Rayon").focus()
        arrets = _tab(page, lambda f: f["balise"] == "IFRAME", 400)
        assert len(_focus_visible(arrets)) == 0, _focus_visible(arrets)
        cadre = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
        centre = """() => { const c = Object.keys(window).filter(k => k.startsWith('map_'));
                     return window[c[c.length - 1]].getCenter().lng; }"""
        carte = cadre.locator(".leaflet-container")
        avant = carte.evaluate(f"(e) => ({centre})()")
        carte.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(500)
        assert carte.evaluate(f"(e) => ({centre})()") > avant
        for _ in range(20):
            page.keyboard.press("Tab")
            if (
                page.evaluate("document.activeElement && document.activeElement.tagName")
                != "IFRAME"
            ):
                break
        else:
            raise AssertionError("Le focus reste dans la carte après 20 appuis sur Tab.")

        # « Quitter rapidement » au clavier dès le chargement : quelques Tab, puis Entrée.
        page.goto(url_appli)
        page.get_by_role("textbox", name=SAISIE).wait_for(timeout=DELAI)
        _au_repos(page)
        arrets = _tab(page, lambda f: f["id"] == "sortie-rapide", 12)
        assert _focus_visible(arrets) == [], arrets
        page.keyboard.press("Enter")
        page.wait_for_url(site_neutre, timeout=10_000)
    finally:
        contexte.close()


# --- 3. Téléphone d'abord, 4. reflow et zoom ----------------------------------------------------

# Cibles tactiles visibles de la page (hors carte, qui est dans un cadre) et leur taille : la
# boîte mesurée est celle qu'on touche (le contrôle entier d'une liste déroulante ou d'un champ).
_CIBLES = """() => {
    const vues = new Set();
    const cibles = [];
    const selecteur = 'a[href], button, summary, input:not([type=hidden]), [role="button"]';
    for (const e of document.querySelectorAll(selecteur)) {
        if (e.closest('.liens-evitement, [data-testid="stSkipToContent"]')) { continue; }
        // Une case à cocher ou un bouton radio se touche par toute son étiquette (le <label>).
        const boite = (e.getAttribute('role') === 'combobox' && e.closest('[role="group"]'))
            || e.closest('[data-baseweb="input"]')
            || ((e.type === 'checkbox' || e.type === 'radio') && e.closest('label')) || e;
        if (vues.has(boite)) { continue; }
        vues.add(boite);
        const r = boite.getBoundingClientRect();
        const s = getComputedStyle(e);
        // Invisible, ou hors de l'écran (menu latéral replié) : pas une cible.
        if (r.width === 0 || r.height === 0 || s.visibility === 'hidden' || r.right <= 0) { continue; }
        if (e.type === 'file') { continue; }
        cibles.push({texte: (e.innerText || e.getAttribute('aria-label') || e.tagName).slice(0, 40),
                     largeur: Math.round(r.width), hauteur: Math.round(r.height),
                     html: e.outerHTML.slice(0, 160)});
    }
    return cibles;
}"""

_DEBORDEMENT = """() => ({
    page: document.documentElement.scrollWidth,
    fenetre: window.innerWidth,
    larges: [...document.querySelectorAll('article.resultat-acteur, .bandeau-urgence, h1, h2, input')]
        .filter(e => { const r = e.getBoundingClientRect(); return r.width && (r.right > innerWidth + 1 || r.left < -1 || e.scrollWidth > e.clientWidth + 1); })
        .map(e => e.tagName + '.' + e.className.toString().slice(0, 30)),
})"""


def _numeros_visibles(page) -> list[dict]:
    """Les cinq liens d'appel du bandeau : visibles, et leur boîte."""
    return [
        page.get_by_role("link", name=re.compile(rf"^{n.numero}\b")).first.bounding_box()
        for n in NUMEROS_URGENCE
    ]


def test_telephone_d_abord_puis_reflow_et_zoom(navigateur, url_appli: str) -> None:
    contexte, page = _onglet(navigateur, "telephone")
    largeur, hauteur = ECRANS["telephone"]
    try:
        page.goto(url_appli + "/?commune=38563&rayon=50")
        page.locator("article.resultat-acteur").first.wait_for(timeout=DELAI)
        _au_repos(page)
        ARTEFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / "a11y-telephone-accueil.png"))

        # Le champ de recherche commence dans le premier tiers de l'écran.
        champ = page.get_by_role("textbox", name=SAISIE).bounding_box()
        assert champ["y"] <= hauteur / 3, champ
        # Les cinq numéros d'un geste, dans le premier écran, cibles de 44 × 44 au moins.
        for boite in _numeros_visibles(page):
            assert boite["y"] + boite["height"] <= hauteur / 3, boite
            assert boite["width"] >= 44, boite
            assert boite["height"] >= 44, boite
        # Leurs précisions sont à un geste (« Qui répond ? »).
        page.get_by_text("Qui répond ?").click()
        precisions = page.locator(".precisions-urgence")
        precisions.get_by_text("n'apparaît pas sur les factures").wait_for(timeout=DELAI)
        page.get_by_text("Qui répond ?").click()
        # La liste passe avant la carte.
        liste = page.locator("article.resultat-acteur").first.bounding_box()
        carte = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
        assert liste["y"] < carte["y"]
        # Cibles tactiles d'au moins 44 × 44 px.
        petites = [c for c in page.evaluate(_CIBLES) if c["largeur"] < 44 or c["hauteur"] < 44]
        assert petites == [], petites
        # « Quitter rapidement » reste visible en bas de la liste.
        page.mouse.wheel(0, 4000)
        page.wait_for_timeout(300)
        sortie = page.locator("#sortie-rapide").bounding_box()
        assert 0 <= sortie["y"] < hauteur
        assert sortie["x"] + sortie["width"] <= largeur
        page.screenshot(path=str(ARTEFACTS / "a11y-telephone-liste.png"))

        # Reflow (WCAG 1.4.10) : 320 px de large ; zoom 200 % d'une fenêtre de 1280 × 1000
        # (ce que fait le navigateur : 640 × 500 pixels CSS).
        for nom, taille in (("320px", (320, 640)), ("zoom-200", (640, 500))):
            page.set_viewport_size({"width": taille[0], "height": taille[1]})
            page.mouse.wheel(0, -10_000)
            page.wait_for_timeout(500)
            mesure = page.evaluate(_DEBORDEMENT)
            assert mesure["page"] <= mesure["fenetre"], (nom, mesure)
            assert mesure["larges"] == [], (nom, mesure)
            # Rien de perdu : sortie, cinq numéros, champ, résultats.
            assert page.locator("#sortie-rapide").is_visible()
            for boite in _numeros_visibles(page):
                assert boite["x"] >= 0, (nom, boite)
                assert boite["x"] + boite["width"] <= taille[0], (nom, boite)
            assert page.get_by_role("textbox", name=SAISIE).is_visible()
            assert page.locator("article.resultat-acteur").count() >= 1
            page.screenshot(path=str(ARTEFACTS / f"a11y-reflow-{nom}.png"), full_page=False)
    finally:
        contexte.close()
