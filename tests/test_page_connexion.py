"""Page « Espace DDFE — connexion » (AppTest) : connexion, refus, déconnexion, expiration."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from cartographie.comptes import Role, creer_compte
from cartographie.comptes.freins import FREINS
from cartographie.config import RACINE
from cartographie.horloge import maintenant
from cartographie.stockage.connexion import ouvrir
from ui.garde import CLE_ACTIVITE, CLE_COMPTE, CLE_JETON

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


def journal_affiche(env_appli) -> str:
    """Le journal tel que la page « Comptes » le montre à un administrateur."""
    con = ouvrir(env_appli)
    admin = creer_compte(con, "admin", MOT_DE_PASSE, Role.ADMINISTRATEUR)
    con.close()
    at = AppTest.from_file(str(RACINE / "ecrans" / "comptes.py"), default_timeout=60)
    at.session_state[CLE_COMPTE] = admin
    at.run()
    return " ".join(df.value.to_csv() for df in at.dataframe)


def test_mot_de_passe_tape_dans_l_identifiant_n_est_ni_garde_ni_montre(
    appli: AppTest, env_appli
) -> None:
    se_connecter(appli, "Ma-Phrase-Secrete-2026", "")
    assert appli.error[0].value == "Identifiant ou mot de passe incorrect."
    affiche = journal_affiche(env_appli)
    assert "(identifiant inconnu)" in affiche
    assert "phrase-secrete" not in affiche.lower()


@pytest.mark.parametrize("identifiant", ["claire", "inconnue"])
def test_essais_rapproches_meme_reponse_que_le_compte_existe_ou_non(
    appli: AppTest, identifiant: str
) -> None:
    # Dix échecs d'un robot, chacun depuis une autre session : l'identifiant est freiné 30 s.
    for i in range(10):
        FREINS.noter_echec(identifiant, f"robot-{i}", maintenant())
    se_connecter(appli, identifiant.upper(), MOT_DE_PASSE)
    assert re.fullmatch(
        r"Trop d'essais rapprochés : patientez (29|30) s avant de réessayer\.",
        appli.error[0].value,
    )
    assert CLE_COMPTE not in appli.session_state


def test_la_session_qui_se_trompe_attend_une_autre_non(appli: AppTest, env_appli) -> None:
    se_connecter(appli, "quelqu'un", "mauvais mot de passe")
    jeton = appli.session_state[CLE_JETON]
    for i in range(13):
        FREINS.noter_echec(f"inconnu-{i}", jeton, maintenant())
    se_connecter(appli, "claire", MOT_DE_PASSE)
    assert "patientez" in appli.error[0].value
    assert CLE_COMPTE not in appli.session_state
    # Claire, depuis son propre navigateur, n'en subit rien.
    autre = AppTest.from_file(APP, default_timeout=60).run()
    autre.switch_page("ecrans/connexion.py").run()
    se_connecter(autre, "claire", MOT_DE_PASSE)
    assert autre.session_state[CLE_COMPTE].identifiant == "claire"
