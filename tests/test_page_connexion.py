"""Page « Espace DDFE — connexion » (AppTest) : connexion, refus, déconnexion, expiration."""

from __future__ import annotations

from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from cartographie.comptes import Role, creer_compte, maintenant
from cartographie.config import RACINE
from cartographie.stockage.connexion import ouvrir
from ui.garde import CLE_ACTIVITE, CLE_COMPTE

MOT_DE_PASSE = "une phrase assez longue"
APP = str(RACINE / "app.py")


@pytest.fixture
def appli(env_appli):
    con = ouvrir(env_appli)
    creer_compte(con, "claire", MOT_DE_PASSE, Role.EDITEUR, "Claire Martin")
    con.close()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("ecrans/connexion.py")
    at.run()
    return at


def se_connecter(at: AppTest, identifiant: str, mot_de_passe: str) -> AppTest:
    at.text_input[0].input(identifiant)
    at.text_input[1].input(mot_de_passe)
    at.button[0].click()
    return at.run()


def test_connexion_puis_deconnexion(appli: AppTest) -> None:
    se_connecter(appli, "claire", MOT_DE_PASSE)
    assert not appli.exception
    assert appli.session_state[CLE_COMPTE].identifiant == "claire"
    assert "Claire Martin" in appli.success[0].value
    appli.button(key="deconnexion_page").click().run()
    assert not appli.success
    assert [t.label for t in appli.text_input] == ["Identifiant", "Mot de passe"]


def test_mauvais_mot_de_passe_refuse_en_francais(appli: AppTest) -> None:
    se_connecter(appli, "claire", "mauvais mot de passe")
    assert appli.error[0].value == "Identifiant ou mot de passe incorrect."
    assert CLE_COMPTE not in appli.session_state


def test_session_expiree_apres_inactivite(appli: AppTest) -> None:
    se_connecter(appli, "claire", MOT_DE_PASSE)
    appli.session_state[CLE_ACTIVITE] = maintenant() - timedelta(minutes=31)
    appli.run()
    assert CLE_COMPTE not in appli.session_state
    assert "expiré" in appli.warning[0].value


def test_barre_laterale_montre_le_compte_et_deconnecte(env_appli) -> None:
    con = ouvrir(env_appli)
    compte = creer_compte(con, "sami", MOT_DE_PASSE, Role.STATISTIQUES, "Sami B.")
    con.close()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[CLE_COMPTE] = compte
    at.run()
    assert "Sami B." in at.sidebar.caption[0].value
    at.sidebar.button(key="deconnexion_barre").click().run()
    # AppTest garde sa propre copie de l'état injecté : on juge sur ce qui s'affiche.
    assert not at.sidebar.caption
    assert not at.sidebar.button
