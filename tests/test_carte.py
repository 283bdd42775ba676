"""La carte : hors ligne (aucun CDN), textes échappés, position secrète absente, légende."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from cartographie.communes import commune_par_code
from cartographie.confidentialite import version_publique
from cartographie.modele import TypeActeur
from cartographie.recherche.carte import construire_carte, donnees_carte, json_pour_script
from cartographie.recherche.filtres import PointRecherche, Resultat
from cartographie.recherche.presentation import COULEURS_TYPE
from tests.conftest import COMMUNES
from tests.fabrique import SECRET_ADRESSE, SECRET_LAT, SECRET_LON, acteur, confidentiel, hostile
from tests.serveur import RACINE

URL = re.compile(r"""https?://[^\s"'<>)\\]+""")
TUILES = "https://tuiles.exemple.fr/{z}/{x}/{y}.png"


def public(a) -> Resultat:
    c = commune_par_code(a.code_insee, COMMUNES)
    return Resultat(version_publique(a, c.latitude, c.longitude), 1.0)


def rendre(resultats, **options) -> str:
    return construire_carte(resultats, **options).get_root().render()


def test_aucune_ressource_tierce_sauf_les_tuiles() -> None:
    voiron = PointRecherche(45.38102, 5.5843, "38563", "Voiron")
    html = rendre(
        [public(acteur("a")), public(confidentiel())],
        point=voiron,
        rayon_km=10,
        territoire="Pays Voironnais",
        tuiles_url=TUILES,
        tuiles_attribution="© Test",
    )
    assert set(URL.findall(html)) == {TUILES}
    # Les scripts et feuilles de style viennent tous de l'application.
    sources = re.findall(r"""<(?:script|link)[^>]+(?:src|href)="([^"]+)\"""", html)
    assert sources
    assert all(s.startswith(("/app/static/vendor/", "/app/static/carte/")) for s in sources)
    for s in sources:
        assert (RACINE / "static" / s.removeprefix("/app/static/").split("?")[0]).is_file(), s


def test_sans_tuiles_aucune_url() -> None:
    assert URL.findall(rendre([public(acteur("a"))])) == []


def test_couche_des_communes_servie_et_a_jour() -> None:
    assert (RACINE / "static" / "carte" / "communes.json").is_file()
    verification = subprocess.run(
        [sys.executable, "scripts/construire_couche_communes.py", "--verifier"],
        cwd=RACINE,
        capture_output=True,
        text=True,
        check=False,
    )
    assert verification.returncode == 0, verification.stdout
    couche = json.loads((RACINE / "static" / "carte" / "communes.json").read_text("utf-8"))
    assert len(couche["features"]) == 512


def test_textes_hostiles_restent_du_texte() -> None:
    html = rendre([public(hostile())], tuiles_url="")
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "onerror=alert" in html  # présent, mais dans une chaîne JSON échappée
    assert '\\u003cscript\\u003ealert(\\"nom\\")\\u003c/script\\u003e' in html
    # Le texte des fiches est posé par textContent, jamais par innerHTML (dessin dans le script
    # statique de la carte, que la page charge).
    script = (RACINE / "static" / "carte" / "recherche.js").read_text("utf-8")
    assert "/app/static/carte/recherche.js?v=" in html
    for code in (html, script):
        assert "innerHTML" not in code
        assert ".html(" not in code
    assert "textContent" in script


def test_position_et_adresse_secretes_absentes() -> None:
    html = rendre([public(confidentiel())])
    for valeur in (str(SECRET_LAT), str(SECRET_LON), SECRET_ADRESSE, "45.3642", "5.6018"):
        assert valeur not in html
    assert "Hébergement confidentiel de test" in html


def test_fiche_sans_position_parmi_les_plus_proches() -> None:
    # Confidentielle et sans commune connue : pas de marqueur, et le cadrage ne plante pas.
    sans_position = Resultat(version_publique(confidentiel(), None, None), None)
    point = PointRecherche(45.1885, 5.7245, "38185", "Grenoble")
    html = rendre([public(acteur("proche")), sans_position], point=point)
    for valeur in (str(SECRET_LAT), str(SECRET_LON), SECRET_ADRESSE):
        assert valeur not in html


def test_couleurs_et_legende() -> None:
    assert set(COULEURS_TYPE) == set(TypeActeur)
    assert len(set(COULEURS_TYPE.values())) == len(TypeActeur)
    html = rendre([public(acteur("a", type=TypeActeur.ISCG)), public(confidentiel())])
    # La légende ne cite que les types présents (libellés en JSON sûr pour un <script>).
    assert json_pour_script(TypeActeur.ISCG.libelle) in html
    assert json_pour_script(TypeActeur.HEBERGEMENT.libelle) in html
    assert json_pour_script(TypeActeur.JUSTICE.libelle) not in html


@pytest.mark.parametrize("territoire", ["", "Pays Voironnais"])
def test_territoire_transmis_pour_le_surlignage(territoire: str) -> None:
    html = rendre([], territoire=territoire)
    assert f'"territoire":"{territoire}"' in html


@pytest.mark.parametrize(
    "texte",
    ["</script><script>alert(1)</script>", "a\u2028b\u2029c", "l'accueil & <b>", "Sœur Île"],
)
def test_json_pour_script_ne_sort_jamais_du_script(texte: str) -> None:
    js = json_pour_script([texte])
    assert json.loads(js) == [texte]
    for interdit in ("<", ">", "&", "'", "\u2028", "\u2029"):
        assert interdit not in js


def test_balises_jinja_d_une_fiche_jamais_executees() -> None:
    """branca relit le texte rendu comme un gabarit Jinja : un nom « {{ … }} » reste du texte."""
    nom = "Maison {{ 7*7 }} {% if true %}OUI{% endif %} {# note #} {{{x"
    point = PointRecherche(45.1885, 5.7245, "38185", "Grenoble {{ 6*7 }}")
    html = rendre([public(acteur("jinja", nom=nom))], point=point)
    for execute in ("Maison 49", "OUI ", "Grenoble 42"):
        assert execute not in html
    # Le navigateur relit le texte tel qu'il a été saisi.
    for texte in (nom, point.libelle):
        (ecrit,) = set(re.findall(texte.split(" ")[0] + r' [^"]*', html))
        assert json.loads('"' + ecrit + '"') == texte


@pytest.mark.parametrize("tuiles", ["", TUILES])
def test_gabarit_rempli_donne_au_composant_ce_que_st_folium_donnerait(
    tuiles: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """La page pose les données dans une carte rendue une fois : le composant n'y voit rien."""
    import streamlit_folium

    from ui import carte

    point = PointRecherche(45.1885, 5.7245, "38185", "Grenoble {{ 6*7 }} /*carte:lignes*/")
    resultats = [
        public(acteur("a", nom="Accueil /*carte:couche*/ {{ 7*7 }}")),
        public(hostile()),
        public(confidentiel()),
    ]
    options = {"point": point, "rayon_km": 10, "territoire": "Pays Voironnais"}
    recus: list[dict] = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **a: recus.append(a))
    streamlit_folium.st_folium(
        construire_carte(resultats, **options, tuiles_url=tuiles, tuiles_attribution="© Test"),
        key="carte",
        height=560,
        use_container_width=True,
        returned_objects=list(carte.RETOURNES),
    )
    (attendu,) = recus
    attendu.pop("on_change")
    obtenu = carte.arguments(
        donnees_carte(resultats, **options),
        tuiles_url=tuiles,
        tuiles_attribution="© Test",
        key="carte",
        height=560,
    )
    assert obtenu == attendu
    # Une donnée qui contient le texte d'un jalon reste telle quelle (un seul remplissage).
    assert json_pour_script("Accueil /*carte:couche*/ {{ 7*7 }}") in obtenu["script"]
    assert json_pour_script(point.libelle) in obtenu["script"]
