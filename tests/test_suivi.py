"""Le suivi côté Streamlit : une page vue notée, la session de la DDFE jamais comptée."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from cartographie.config import RACINE
from cartographie.stockage.connexion import ouvrir
from ui import suivi

SCRIPT = """
from ui import suivi
import streamlit as st

suivi.noter_page("carte")
if st.button("Chercher"):
    suivi.noter("recherche", "carte", types=["leao"], code_insee="38185", rayon_km=10)
if st.button("Imprimer"):
    suivi.noter("fiche_imprimee", "carte", format="pdf", repeter=True)
if st.button("Erreur de page"):
    suivi.noter("recherche", "carte", code_insee="12 rue des Lilas")
st.write("page affichée")
"""


def evenements(chemin: Path) -> list[tuple]:
    suivi.enregistreur().arreter()
    con = ouvrir(chemin)
    try:
        return con.execute(
            "SELECT evenement, session FROM consultation ORDER BY evenement"
        ).fetchall()
    finally:
        con.close()


def lancer() -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=30)
    at.run()
    return at


def test_page_vue_une_fois_puis_relances_non_recomptees(env_appli: Path) -> None:
    at = lancer()
    at.button[0].click().run()
    at.button[0].click().run()  # même recherche : relance, pas une nouvelle recherche
    at.button[1].click().run()
    at.button[1].click().run()  # deux impressions : deux gestes
    at.button[2].click().run()  # événement invalide : journalisé, la page continue
    assert not at.exception
    assert at.markdown[-1].value == "page affichée"
    lignes = evenements(env_appli)
    assert [e for e, _ in lignes] == [
        "consultation",
        "fiche_imprimee",
        "fiche_imprimee",
        "recherche",
    ]
    assert len({s for _, s in lignes}) == 1
    assert lignes[0][1] == at.session_state[suivi.CLE_SESSION]


def test_session_de_la_ddfe_exclue(env_appli: Path) -> None:
    at = lancer()
    at.button[0].click().run()
    at.session_state["compte"] = "un compte DDFE"  # la personne se connecte
    at.button[1].click().run()
    del at.session_state["compte"]  # puis se déconnecte : la session reste exclue
    at.button[1].click().run()
    assert not at.exception
    assert evenements(env_appli) == []


def test_application_note_la_page_d_accueil(env_appli: Path) -> None:
    at = AppTest.from_file(str(RACINE / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert [e for e, _ in evenements(env_appli)] == ["consultation"]


def test_arrivee_par_un_lien_partage(env_appli: Path, base) -> None:
    acteur = base.execute("SELECT min(id) FROM acteur").fetchone()[0]
    base.close()
    at = AppTest.from_string(SCRIPT, default_timeout=30)
    at.query_params["acteur"] = acteur
    at.run()
    at.button[0].click().run()  # le lien n'est noté qu'une fois par session
    assert not at.exception
    suivi.enregistreur().arreter()
    con = ouvrir(env_appli)
    assert con.execute(
        "SELECT evenement, acteur_id FROM consultation ORDER BY evenement"
    ).fetchall() == [("consultation", None), ("lien_partage", acteur), ("recherche", None)]


SCRIPT_TELECHARGEMENT = """
from ui import suivi
import streamlit as st

st.session_state["produire"] = suivi.au_telechargement(
    lambda: b"%PDF", "fiche_imprimee", "carte", format="pdf", code_insee="38185"
)
"""


def test_telechargement_differe_note_a_chaque_clic(env_appli: Path, base) -> None:
    base.close()
    at = AppTest.from_string(SCRIPT_TELECHARGEMENT, default_timeout=30)
    at.run()
    produire = at.session_state["produire"]
    # Streamlit appelle les données différées hors du script, à chaque clic.
    assert produire() == b"%PDF"
    assert produire() == b"%PDF"
    suivi.enregistreur().arreter()
    con = ouvrir(env_appli)
    assert (
        con.execute("SELECT evenement, format, code_insee FROM consultation").fetchall()
        == [("fiche_imprimee", "pdf", "38185")] * 2
    )
