"""La fiche à remettre dans la page « Trouver une ressource » (AppTest) : choisir, ordonner,
forme et langue, texte pour SMS, et la page qu'ouvre le code QR."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cartographie.echanges.chargement import initialiser_base
from cartographie.remise.langues import FormeFiche, LangueFiche
from cartographie.stockage.connexion import ouvrir
from tests.conftest import COMMUNES, CSV_ACTEURS
from tests.fabrique import SECRET_ADRESSE, ajouter, confidentiel
from ui.remise import CLE_PANNEAU

RACINE = Path(__file__).resolve().parents[1]
MILENA = "pluri-elles-solidarite-femmes-milena"
RIALTO = "rialto-issue-de-secours-sos-femmes-38"
ACCUEIL_BOURGOIN = "accueil-de-jour-bourgoin-jallieu"


@pytest.fixture(scope="module")
def base_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    chemin = tmp_path_factory.mktemp("remise") / "base.duckdb"
    con = ouvrir(chemin)
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
    ajouter(con, confidentiel())
    con.close()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CARTOGRAPHIE_BASE", str(chemin))
        mp.setenv("CARTOGRAPHIE_TUILES_URL", "")
        mp.setenv("CARTOGRAPHIE_ADRESSE_PUBLIQUE", "https://cartographie.exemple.fr")
        yield chemin


def page(**parametres: str) -> AppTest:
    at = AppTest.from_file(str(RACINE / "app.py"), default_timeout=60)
    for cle, valeur in parametres.items():
        at.query_params[cle] = valeur
    at.run()
    assert not at.exception, at.exception
    return at


def sms(at: AppTest) -> str:
    (code,) = at.code
    return code.value


def test_choisir_ordonner_retirer(base_page: Path) -> None:
    at = page(commune="38185", rayon="5", type="leao")
    at.button(key=f"remise_ajouter_{RIALTO}").click().run()
    at.button(key=f"remise_ajouter_{MILENA}").click().run()
    assert at.session_state["remise_selection"] == [RIALTO, MILENA]
    assert at.button(key=f"remise_retirer_{RIALTO}").label == "Retirer de la fiche à remettre"
    lignes = sms(at).splitlines()
    assert lignes[1:3] == [
        "Rialto — Issue de Secours — SOS Femmes 38 : 04 76 70 02 05",
        "Pluri-elles (ex-Solidarité Femmes Miléna) : 04 76 40 50 10",
    ]
    assert "3919 — Violences Femmes Info" in lignes
    at.button(key=f"remise_monter_{MILENA}").click().run()
    assert at.session_state["remise_selection"] == [MILENA, RIALTO]
    at.button(key=f"remise_oter_{MILENA}").click().run()
    assert at.session_state["remise_selection"] == [RIALTO]
    assert at.get("download_button")[0].label == "Télécharger la fiche à remettre (PDF)"
    # Rien du choix n'entre dans l'adresse de la page.
    assert "fiches" not in at.query_params


def test_discrete_en_arabe_et_nom_qui_nomme_les_violences(base_page: Path) -> None:
    at = page(type="accueil_de_jour")
    at.button(key=f"remise_ajouter_{ACCUEIL_BOURGOIN}").click().run()
    at.radio(key="remise_forme").set_value(FormeFiche.DISCRETE).run()
    at.selectbox(key="remise_langue").set_value(LangueFiche.ARABE).run()
    texte = sms(at)
    assert texte.splitlines()[0] == "جهات اتصال مفيدة"
    assert "04 74 43 97 67" in texte
    assert "Violences Femmes Info" not in texte
    # Le nom du lieu, imprimé tel quel, évoque les violences : la professionnelle est prévenue.
    assert any("sera imprimé tel quel" in w.value for w in at.warning)
    # En discret, pas de code QR d'office.
    assert at.checkbox(key="remise_qr_discrete").value is False


def ouvrir_le_panneau(at: AppTest, ouvert: bool = True) -> AppTest:
    """Comme un clic sur « Fiche à remettre » (un panneau replié n'est pas calculé)."""
    at.session_state[CLE_PANNEAU] = ouvert
    at.run()
    assert not at.exception, at.exception
    return at


def test_sans_choix_les_plus_proches_et_sans_commune_rien_d_office(base_page: Path) -> None:
    at = ouvrir_le_panneau(page(commune="38563", rayon="50"))
    assert any("ressources les plus proches" in c.value for c in at.caption)
    assert len(sms(at).splitlines()) > 1 + 5
    at = ouvrir_le_panneau(page())
    assert any("ne donnera que les numéros nationaux" in c.value for c in at.caption)
    assert sms(at).splitlines()[1] == "3919 — Violences Femmes Info"


def test_panneau_replie_rien_calcule_et_choix_gardes(base_page: Path) -> None:
    at = page(commune="38563", rayon="50")
    (panneau,) = [e for e in at.expander if e.label == "Fiche à remettre"]
    assert not panneau.proto.expanded
    assert not at.code
    assert not at.get("download_button")
    ouvrir_le_panneau(at)
    at.radio(key="remise_forme").set_value(FormeFiche.DISCRETE).run()
    at.selectbox(key="remise_langue").set_value(LangueFiche.ARABE).run()
    assert sms(at).splitlines()[0] == "جهات اتصال مفيدة"
    # Replié pendant deux recherches, puis rouvert : la forme et la langue n'ont pas changé.
    ouvrir_le_panneau(at, ouvert=False)
    assert not at.code
    at.text_input(key="saisie_lieu").set_value("Grenoble").run()
    at.text_input(key="f_texte").set_value("accueil").run()
    ouvrir_le_panneau(at)
    assert at.radio(key="remise_forme").value is FormeFiche.DISCRETE
    assert at.selectbox(key="remise_langue").value is LangueFiche.ARABE
    assert sms(at).splitlines()[0] == "جهات اتصال مفيدة"


def test_lien_du_code_qr_ouvre_les_lieux_choisis_en_arabe(base_page: Path) -> None:
    at = page(fiches=f"{RIALTO},hebergement-secret,inconnu", langue="ar")
    (corps,) = [h.proto.body for h in at.get("html") if "fiche-remise" in h.proto.body]
    assert 'lang="ar" dir="rtl"' in corps
    assert "جهات اتصال مفيدة" in corps
    assert "Rialto" in corps
    assert "Hébergement confidentiel de test" in corps
    assert SECRET_ADRESSE not in corps
    assert "Violences" not in corps
    # Seulement les lieux : ni recherche, ni carte ; le bandeau d'urgence reste.
    assert not at.get("component_instance")
    assert not [t for t in at.title if t.value == "Trouver une ressource"]
    assert at.query_params["fiches"] == f"{RIALTO},hebergement-secret,inconnu"
    at.button(key="remise_quitter").click().run()
    assert "fiches" not in at.query_params
    assert [t for t in at.title if t.value == "Trouver une ressource"]
