"""Le bandeau de sécurité : numéros d'urgence et sortie rapide, avant toute page."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cartographie.urgences import NUMEROS_URGENCE

RACINE = Path(__file__).resolve().parents[1]


def _bandeau(at: AppTest) -> str:
    blocs = [h.proto.body for h in at.get("html") if 'class="bandeau-urgence"' in h.proto.body]
    assert len(blocs) == 1
    return blocs[0]


def test_bandeau_sur_la_page_d_accueil(env_appli: Path) -> None:
    at = AppTest.from_file(str(RACINE / "app.py"), default_timeout=60).run()
    assert not at.exception
    bandeau = _bandeau(at)
    for numero in ("3919", "17", "114", "115", "119"):
        assert f">{numero}</strong>" in bandeau
    assert 'href="tel:3919"' in bandeau
    assert 'href="sms:114"' in bandeau
    assert "n&#x27;apparaît pas sur les factures" in bandeau
    assert "Quitter rapidement" in bandeau
    assert "Échap" in bandeau
    # Le bandeau précède le contenu de la page.
    premiers = [e for e in at.main if e.type != "html"]
    assert premiers, "la page n'a rien affiché"


def test_sortie_remplace_l_historique(env_appli: Path) -> None:
    at = AppTest.from_file(str(RACINE / "app.py"), default_timeout=60).run()
    html_script = next(h.proto for h in at.get("html") if 'id="sortie-rapide"' in h.proto.body)
    assert html_script.unsafe_allow_javascript
    assert "window.top.location.replace" in html_script.body
    assert 'href="https://www.google.fr/"' in html_script.body


def test_url_de_sortie_echappee(env_appli: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARTOGRAPHIE_SORTIE_RAPIDE", 'https://exemple.fr/"><script>x()</script>')
    at = AppTest.from_file(str(RACINE / "app.py"), default_timeout=60).run()
    bandeau = _bandeau(at)
    assert "<script>x()" not in bandeau
    assert "&quot;&gt;&lt;script&gt;" in bandeau


def test_chaque_numero_a_son_lien() -> None:
    assert {n.numero for n in NUMEROS_URGENCE} == {"3919", "17", "114", "115", "119"}
    assert all(n.lien in (f"tel:{n.numero}", f"sms:{n.numero}") for n in NUMEROS_URGENCE)
