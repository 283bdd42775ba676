"""La page « Trouver une ressource » dans AppTest : recherche, filtres, URL, vide, PDF, sûreté."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cartographie.echanges.chargement import initialiser_base
from cartographie.modele import Precision, TypeActeur
from cartographie.recherche.filtres import PointRecherche
from cartographie.stockage.connexion import ouvrir
from tests.conftest import COMMUNES, CSV_ACTEURS
from tests.fabrique import SECRET_ADRESSE, SECRET_LAT, SECRET_LON, ajouter, confidentiel, hostile
from ui.remise import CLE_PANNEAU

RACINE = Path(__file__).resolve().parents[1]
DISTANCE = re.compile(r"<strong>≈? ?(\d+,\d) km")
# Un lien forgé qui voudrait afficher, sur la page publique, un faux numéro cliquable et en gras.
PIEGE = "[Appelez d'abord le 06 12 34 56 78](https://exemple.invalid/aide) **URGENT**"
# Un caractère Markdown actif non précédé d'une barre oblique inverse.
NON_ECHAPPE = re.compile(r"(?<!\\)[\[\]*]")


@pytest.fixture(scope="module")
def base_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Vraies données plus une fiche hostile et un hébergement confidentiel, une base par module."""
    chemin = tmp_path_factory.mktemp("page") / "base.duckdb"
    con = ouvrir(chemin)
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
    ajouter(con, hostile(), confidentiel())
    con.close()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CARTOGRAPHIE_BASE", str(chemin))
        mp.setenv("CARTOGRAPHIE_TUILES_URL", "")
        yield chemin


def page(base_page: Path, **parametres: str) -> AppTest:
    at = AppTest.from_file(str(RACINE / "app.py"), default_timeout=60)
    for cle, valeur in parametres.items():
        at.query_params[cle] = valeur
    at.run()
    assert not at.exception, at.exception
    return at


def fiches(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.get("html") if 'class="resultat-acteur"' in h.proto.body]


def distances(at: AppTest) -> list[float]:
    return [float(DISTANCE.search(f).group(1).replace(",", ".")) for f in fiches(at)]


def carte_html(at: AppTest) -> str:
    (composant,) = at.get("component_instance")
    return composant.proto.json_args


def test_accueil_liste_tout_le_departement(base_page: Path) -> None:
    at = page(base_page)
    assert "dans tout le département" in at.header[0].value
    assert len(fiches(at)) == 20
    # La fiche à remettre est proposée, repliée tant qu'aucun lieu n'est choisi.
    assert [e.label for e in at.expander if e.label.startswith("Fiche à remettre")] == [
        "Fiche à remettre"
    ]
    assert "streamlit_folium" in at.get("component_instance")[0].proto.component_name
    assert "commune" not in at.query_params


def test_voiron_puis_hebergement(base_page: Path) -> None:
    at = page(base_page)
    at.text_input(key="saisie_lieu").set_value("voiron").run()
    assert at.selectbox(key="choix_commune").value == "38563"
    assert at.query_params["commune"] == "38563"
    at.multiselect(key="f_types").select(TypeActeur.HEBERGEMENT).run()
    assert at.query_params["type"] == "hebergement"
    assert "autour de Voiron" in at.header[0].value
    corps = fiches(at)
    assert corps
    assert all(TypeActeur.HEBERGEMENT.libelle in f for f in corps)
    assert distances(at) == sorted(distances(at))
    at.session_state[CLE_PANNEAU] = True  # un clic sur « Fiche à remettre »
    at.run()
    assert at.get("download_button")[0].label == "Télécharger la fiche à remettre (PDF)"


@pytest.mark.parametrize(
    ("saisie", "premiere", "aussi"),
    [
        ("38500", "38563", "38133"),  # Voiron, puis Coublevie
        ("st martin d'heres", "38421", None),
        ("SAINT-MARTIN-D'HÈRES", "38421", None),
    ],
)
def test_suggestions_de_communes(
    base_page: Path, saisie: str, premiere: str, aussi: str | None
) -> None:
    at = page(base_page)
    at.text_input(key="saisie_lieu").set_value(saisie).run()
    choix = at.selectbox(key="choix_commune")
    assert choix.value == premiere
    if aussi:
        assert "Coublevie (38500)" in choix.options
        choix.set_value(aussi).run()
        assert at.query_params["commune"] == aussi


def test_commune_inconnue_le_dit(base_page: Path) -> None:
    at = page(base_page)
    at.text_input(key="saisie_lieu").set_value("Bordeaux").run()
    assert any("Aucune commune de l'Isère" in w.value for w in at.warning)


def test_url_partagee_restaure_la_vue(base_page: Path) -> None:
    at = page(base_page, commune="38563", type="hebergement,leao", rayon="50", q="femmes")
    assert at.text_input(key="saisie_lieu").value == "Voiron"
    assert at.selectbox(key="f_rayon").value == 50
    assert set(at.multiselect(key="f_types").value) == {TypeActeur.HEBERGEMENT, TypeActeur.LEAO}
    assert at.text_input(key="f_texte").value == "femmes"
    assert "à moins de 50 km de Voiron" in at.header[0].value
    assert all(d <= 50 for d in distances(at))
    # Et l'URL reste celle de la vue.
    assert at.query_params["commune"] == "38563"
    assert at.query_params["rayon"] == "50"


def test_resultat_vide_explique_et_propose_d_elargir(base_page: Path) -> None:
    at = page(base_page, commune="38563", q="zzzqqq")
    assert at.header[0].value.startswith("0 acteur")
    assert any("Aucun acteur ne correspond" in i.value for i in at.info)
    assert not at.get("download_button")
    elargir = [b for b in at.button if b.label.startswith("Élargir")]
    assert elargir
    elargir[0].click().run()
    assert at.text_input(key="f_texte").value == ""
    assert fiches(at)


def test_retirer_un_filtre(base_page: Path) -> None:
    at = page(base_page, commune="38563", type="hebergement", rayon="20")
    (bouton,) = [b for b in at.button if b.label.startswith("✕ Type")]
    bouton.click().run()
    assert at.multiselect(key="f_types").value == []
    assert "type" not in at.query_params
    assert at.selectbox(key="f_rayon").value == 20


def test_fiche_hostile_affichee_comme_texte(base_page: Path) -> None:
    at = page(base_page, q="alert")  # la fiche piégée, et « 114 — alerte par SMS »
    tous = fiches(at)
    corps = [c for c in tous if 'id="acteur-fiche-hostile"' in c]
    assert len(corps) == 1
    assert not [c for c in tous if "<script>" in c or "<img" in c]
    assert "&lt;script&gt;alert(&quot;nom&quot;)&lt;/script&gt;" in corps[0]
    assert 'href="javascript:' not in corps[0]
    assert "<script>alert" not in carte_html(at)


def test_adresse_confidentielle_jamais_envoyee(base_page: Path) -> None:
    at = page(base_page, commune="38563", type="hebergement")
    tout = "\n".join(fiches(at)) + carte_html(at)
    assert "Hébergement confidentiel de test" in tout
    assert "Adresse confidentielle" in tout
    for secret in (SECRET_ADRESSE, str(SECRET_LAT), str(SECRET_LON)):
        assert secret not in tout


def test_lien_avec_point_et_libelle_rouvre_sur_la_commune(base_page: Path) -> None:
    at = page(base_page, commune="38185", point="45.1885,5.7245", lieu=PIEGE)
    assert "autour de Grenoble" in at.header[0].value
    textes = [at.header[0].value, *(b.label for b in at.button), *(c.value for c in at.caption)]
    assert not any("Appelez" in t or "URGENT" in t for t in textes)
    # Et l'URL réécrite ne garde que la commune.
    assert dict(at.query_params) == {"commune": "38185"}


def test_texte_cherche_hostile_affiche_tel_quel(base_page: Path) -> None:
    at = page(base_page, commune="38185", q=PIEGE)
    assert at.header[0].value.startswith("0 acteur")
    (info,) = [i.value for i in at.info if "Aucun acteur ne correspond" in i.value]
    boutons = [b.label for b in at.button if "Appelez" in b.label]
    # « ✕ Texte : … » et « Élargir : sans « Texte : … » » : tous deux montrent le piège échappé.
    assert any(b.startswith("✕ Texte") for b in boutons)
    assert any(b.startswith("Élargir") for b in boutons)
    for texte in (info, *boutons):
        assert "Appelez" in texte
        assert not NON_ECHAPPE.search(texte), texte
        assert "\\[Appelez" in texte
        assert "\\*\\*URGENT\\*\\*" in texte


def test_commune_tapee_hostile_affichee_telle_quelle(base_page: Path) -> None:
    at = page(base_page)
    at.text_input(key="saisie_lieu").set_value("[Aide](https://exemple.invalid) **Voir**").run()
    (avertissement,) = [w.value for w in at.warning if "Aucune commune" in w.value]
    assert "Aide" in avertissement
    assert not NON_ECHAPPE.search(avertissement), avertissement


def test_point_clique_absent_de_l_url(base_page: Path) -> None:
    at = page(base_page, type="hebergement")
    at.session_state["point"] = PointRecherche(
        45.22849, 5.68611, "38382", "Point choisi sur la carte (Saint-Égrève)", Precision.MANUELLE
    )
    at.run()
    assert "autour de Point choisi sur la carte (Saint-Égrève)" in at.header[0].value
    assert dict(at.query_params) == {"commune": "38382", "type": "hebergement"}
    assert any("rouvre sur la commune" in c.value for c in at.caption)
