"""La fiche à remettre dans un vrai Chromium : choisir deux lieux, forme discrète, arabe,
télécharger, relire le fichier."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from cartographie.echanges.chargement import initialiser_base
from cartographie.remise.contenu import mots_sensibles
from cartographie.remise.langues import FormeFiche, sans_controles
from cartographie.stockage.connexion import ouvrir
from tests.conftest import COMMUNES, CSV_ACTEURS
from tests.serveur import ARGUMENTS_CHROMIUM, application

pytestmark = pytest.mark.navigateur

ARTEFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="module")
def url_appli(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = tmp_path_factory.mktemp("navigateur_remise") / "cartographie.duckdb"
    con = ouvrir(base)
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
    con.close()
    env = {"CARTOGRAPHIE_BASE": str(base), "CARTOGRAPHIE_TUILES_URL": ""}
    with application(env) as url:
        yield url


def _choisir(onglet, champ: str, option: str) -> None:
    """Choisit une option d'une liste déroulante, en la rouvrant si une réexécution la ferme
    (comme `tests/test_navigateur.py`)."""
    from playwright.sync_api import TimeoutError as DelaiDepasse

    choix = onglet.get_by_role("option", name=option)
    for _ in range(3):
        # Le champ lui-même, pas le bouton « Aide : <libellé> » qui le suit.
        onglet.get_by_role("combobox", name=champ).first.click()
        try:
            choix.wait_for(timeout=10_000)
        except DelaiDepasse:
            continue
        choix.click()
        return
    raise AssertionError(f"L'option « {option} » n'a jamais été proposée dans « {champ} ».")


def test_deux_lieux_discrete_en_arabe(url_appli: str, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGUMENTS_CHROMIUM)
        contexte = chromium.new_context(
            viewport={"width": 1280, "height": 1000}, locale="fr-FR", accept_downloads=True
        )
        onglet = contexte.new_page()
        try:
            onglet.goto(url_appli + "/?commune=38185&rayon=5&type=leao")
            articles = onglet.locator("article.resultat-acteur")
            articles.first.wait_for(timeout=60_000)
            noms = articles.locator("h3").all_inner_texts()[:2]
            ids = [
                articles.nth(i).get_attribute("aria-labelledby").removeprefix("acteur-")
                for i in range(2)
            ]
            for attendu, acteur_id in enumerate(ids, start=1):
                # Streamlit donne à chaque widget la classe « st-key-<clé> ».
                onglet.locator(f".st-key-remise_ajouter_{acteur_id} button").click()
                onglet.locator(f".st-key-remise_retirer_{acteur_id} button").wait_for(
                    timeout=60_000
                )
                onglet.get_by_text(f"Fiche à remettre — {attendu} lieu(x) choisi(s)").wait_for(
                    timeout=60_000
                )
            onglet.get_by_text(FormeFiche.DISCRETE.libelle).first.click()
            _choisir(onglet, "Langue de la fiche", "Arabe — العربية")
            onglet.get_by_text("جهات اتصال مفيدة").first.wait_for(timeout=60_000)  # texte SMS
            ARTEFACTS.mkdir(exist_ok=True)
            onglet.screenshot(path=str(ARTEFACTS / "fiche-a-remettre-panneau.png"))
            with onglet.expect_download(timeout=60_000) as attente:
                onglet.get_by_role("button", name="Télécharger la fiche à remettre (PDF)").click()
            telechargement = attente.value
            assert telechargement.suggested_filename == "contacts.pdf"
            chemin = tmp_path / telechargement.suggested_filename
            telechargement.save_as(chemin)
        finally:
            contexte.close()
            chromium.close()

    lecteur = PdfReader(io.BytesIO(chemin.read_bytes()))
    texte = sans_controles(
        unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in lecteur.pages))
    )
    assert "جهات اتصال مفيدة" in texte
    for nom in noms:
        # « 1. Nom » dans la liste ; le nom seul sur la fiche.
        assert nom.split(". ", 1)[1] in texte
    for numero in ("3919", "17", "114", "115", "119"):
        assert numero in texte
    # Aucun mot qui nomme les violences, sauf ceux d'un nom de lieu, imprimé tel quel.
    assert set(mots_sensibles(texte)) <= set(mots_sensibles(" ".join(noms)))
