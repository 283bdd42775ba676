"""Page « Accessibilité », script de la page, marque de l'État, sigles de la carte (sans navigateur)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cartographie.accessibilite import RAPPORT, lire_audit
from cartographie.config import RACINE
from cartographie.modele import TypeActeur
from cartographie.recherche.carte import SCRIPT_CARTE, construire_carte
from cartographie.recherche.filtres import Resultat
from cartographie.recherche.presentation import COULEURS_TYPE
from cartographie.recherche.symboles import SIGLES_TYPE, contraste, couleur_sigle
from tests.fabrique import acteur
from ui import accessibilite

APP = str(RACINE / "app.py")


def _page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("ecrans/accessibilite.py")
    return at.run()


def _texte(at: AppTest) -> str:
    morceaux = [m.value for m in at.markdown] + [h.value for h in at.header]
    morceaux += [str(t.value) for t in at.table] + [s.value for s in at.success]
    return "\n".join(morceaux)


def test_page_publique_dans_le_menu_avec_l_audit(env_appli: Path) -> None:
    at = _page()
    assert not at.exception
    assert at.title[0].value == "Accessibilité"
    texte = _texte(at)
    audit = lire_audit()
    assert audit is not None, "data/audit_accessibilite.json manque : make audit-accessibilite"
    # Date, méthode et résultat de l'audit enregistré, cités tels quels.
    assert audit.date in texte
    assert audit.outil in texte
    assert "Aucune violation grave ni critique" in texte
    assert "non conforme" in texte  # honnête : pas d'audit RGAA complet à ce jour
    assert "Défenseur des droits" in texte
    # Un tableau par page et par écran.
    assert len(at.table) == 1
    assert "Trouver une ressource — après une recherche" in str(at.table[0].value)


def test_contact_regle_par_le_deploiement(env_appli: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARTOGRAPHIE_CONTACT_ACCESSIBILITE", "ddfe@isere.gouv.fr")
    texte = _texte(_page())
    assert "[ddfe@isere.gouv.fr](mailto:ddfe@isere.gouv.fr)" in texte


def test_rapport_enregistre_sans_violation_grave() -> None:
    """Le rapport publié est celui d'une suite verte (zéro grave ou critique)."""
    audit = lire_audit()
    assert audit is not None
    assert audit.graves == 0
    ecrans = {ligne.ecran for ligne in audit.lignes}
    assert ecrans == {"bureau", "telephone"}
    assert len(audit.lignes) >= 2 * 15


def test_lire_audit_compte_par_gravite(tmp_path: Path) -> None:
    chemin = tmp_path / "audit.json"
    violation = {"regle": "heading-order", "impact": "moderate", "aide": "Titres", "noeuds": 1}
    chemin.write_text(
        json.dumps(
            {
                "date": "2026-11-29",
                "outil": "axe-core 4.14.1",
                "navigateur": "Chromium",
                "normes": ["wcag2a"],
                "etats": [
                    {"id": "a", "libelle": "Page A", "ecrans": {"bureau": [violation]}},
                    {"id": "b", "libelle": "Page B", "ecrans": {"bureau": [], "telephone": []}},
                ],
            }
        ),
        encoding="utf-8",
    )
    audit = lire_audit(chemin)
    assert audit is not None
    assert audit.graves == 0
    assert [ligne.par_impact["moderate"] for ligne in audit.lignes] == [1, 0, 0]
    assert audit.restantes[0].regle == "heading-order"
    assert audit.restantes[0].etats == ("Page A (ordinateur)",)
    assert lire_audit(tmp_path / "absent.json") is None


def test_rapport_a_sa_place() -> None:
    assert RAPPORT.name == "audit_accessibilite.json"


# --- Script de la page ------------------------------------------------------------------------


def test_script_jamais_retire_par_le_nettoyage_html() -> None:
    # DOMPurify retire un <script> dont le texte contient « < » suivi d'une lettre, de « / »
    # ou de « ! » : le script entier disparaissait sans un mot (lang restait « en »).
    script = accessibilite.script()
    assert re.search(r"<[/\w!]", script) is None
    assert "__TEXTES__" not in script
    assert "__MOTIFS__" not in script
    assert '"Skip to main content": "Aller au contenu"' in script


def test_script_refuse_une_balise(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    faux = tmp_path / "faux.js"
    faux.write_text("// la liste <ul> des pages\n", encoding="utf-8")
    monkeypatch.setattr(accessibilite, "SCRIPT", faux)
    with pytest.raises(ValueError, match="<u"):
        accessibilite.script()


def test_motifs_valides_et_en_francais() -> None:
    for motif, remplacement in accessibilite.MOTIFS:
        assert motif.startswith("^")
        assert motif.endswith("$")
        re.compile(motif.replace("$1", ""))
        assert remplacement
    assert all(v and v != k for k, v in accessibilite.TEXTES.items())


def test_script_et_feuille_sur_chaque_page(env_appli: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    blocs = [h.proto for h in at.get("html") if "__accessibilitePosee" in h.proto.body]
    assert len(blocs) == 1
    assert blocs[0].unsafe_allow_javascript
    # Un élément vide en tête : un <style> ou <script> en tête finirait dans <head>.
    assert blocs[0].body.startswith('<div class="reglages-page" hidden></div>')
    # Sans réglage, ni marque de l'État ni police Marianne (réservées à l'État).
    assert not any('class="fr-logo"' in h.proto.body for h in at.get("html"))
    assert not any("font-family:Marianne" in h.proto.body for h in at.get("html"))


def test_marque_de_l_etat_si_le_deploiement_la_regle(
    env_appli: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARTOGRAPHIE_MARQUE_ETAT", "Préfecture de l'Isère <b>")
    at = AppTest.from_file(APP, default_timeout=60).run()
    marque = [h.proto.body for h in at.get("html") if 'class="fr-logo"' in h.proto.body]
    assert len(marque) == 1
    assert "République<br>française" in marque[0]
    assert "Préfecture de l&#x27;Isère &lt;b&gt;" in marque[0]
    # Police et bloc-marque servis par l'application, jamais par un CDN.
    assert "/app/static/vendor/dsfr/fonts/Marianne-Regular.woff2" in marque[0]
    assert ".fr-logo{" in marque[0]  # recopié : Streamlit retire les <link>
    assert "<link" not in marque[0]
    assert not re.search(r"url\((https?:)?//", marque[0])
    for fichier in ("fonts/Marianne-Regular.woff2", "logo.min.css", "LICENSE.md"):
        assert (RACINE / "static" / "vendor" / "dsfr" / fichier).exists()


# --- Carte : la couleur n'est pas la seule information -------------------------------------------


def test_chaque_type_a_un_sigle_lisible() -> None:
    assert set(SIGLES_TYPE) == set(TypeActeur)
    assert len(set(SIGLES_TYPE.values())) == len(TypeActeur)
    for type_acteur, couleur in COULEURS_TYPE.items():
        assert contraste(couleur, couleur_sigle(couleur)) >= 4.5, type_acteur


def test_sigles_dans_les_marqueurs_et_la_legende() -> None:
    resultats = [Resultat(acteur("a", type=TypeActeur.ISCG), None)]
    html = construire_carte(resultats).get_root().render()
    # [libellé, couleur, sigle, couleur du sigle] pour les marqueurs comme pour la légende.
    entree = json.dumps(
        [TypeActeur.ISCG.libelle, COULEURS_TYPE[TypeActeur.ISCG], "IS", "#000000"],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    assert entree in html
    # Le dessin des marqueurs est dans le script statique de la carte, que la page charge.
    script = SCRIPT_CARTE.read_text("utf-8")
    assert "L.circleMarker([ligne[0]" not in script
    assert "keyboard: false" in script


def test_sigle_aussi_dans_la_liste() -> None:
    from cartographie.recherche.presentation import html_resultat

    html = html_resultat(Resultat(acteur("a", type=TypeActeur.HEBERGEMENT), 2.5), 1)
    assert f'color:{couleur_sigle(COULEURS_TYPE[TypeActeur.HEBERGEMENT])}">H</span>' in html
    # Le type reste écrit en toutes lettres.
    assert TypeActeur.HEBERGEMENT.libelle in html
