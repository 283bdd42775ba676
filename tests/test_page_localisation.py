"""Page « Positions des fiches » (AppTest) : réservée à l'équipe DDFE, signale sans déplacer."""

from __future__ import annotations

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from cartographie.comptes import Role, creer_compte
from cartographie.config import RACINE
from cartographie.modele import Acteur, Precision, TypeActeur
from cartographie.stockage import acteurs as depot_acteurs
from cartographie.stockage.connexion import ouvrir
from ui.garde import CLE_COMPTE

APP = str(RACINE / "app.py")
PAGE = "ecrans/localisation.py"


def ouvrir_page(env_appli, role: Role | None) -> AppTest:
    con = ouvrir(env_appli)
    compte = creer_compte(con, "claire", "une phrase assez longue", role) if role else None
    con.close()
    at = AppTest.from_file(APP, default_timeout=60)
    if compte is not None:
        at.session_state[CLE_COMPTE] = compte
    at.run()
    at.switch_page(PAGE)
    return at.run()


@pytest.fixture
def details_des_erreurs():
    """Le public ne voit pas le détail des erreurs ; ce test doit lire le message de l'une."""
    avant = st_config.get_option("client.showErrorDetails")
    st_config.set_option("client.showErrorDetails", "full")
    yield
    st_config.set_option("client.showErrorDetails", avant)


@pytest.mark.parametrize("role", [None, Role.STATISTIQUES])
def test_page_fermee_sans_role_editeur(env_appli, role, details_des_erreurs) -> None:
    # Première barrière : la navigation ne la propose pas.
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        ouvrir_page(env_appli, role)
    # Seconde : la page elle-même refuse, même ouverte directement.
    con = ouvrir(env_appli)
    compte = creer_compte(con, "sami", "une phrase assez longue", role) if role else None
    con.close()
    at = AppTest.from_file(str(RACINE / PAGE), default_timeout=60)
    if compte is not None:
        at.session_state[CLE_COMPTE] = compte
    at.run()
    # (Sans navigation, le lien « Se connecter » de la garde n'a pas de page cible : seule
    # exception admise ici ; dans l'application la page de connexion est toujours déclarée.)
    assert all("ecrans/connexion.py" in e.value for e in at.exception)
    assert "réservé" in at.error[0].value or "n'a pas accès" in at.error[0].value
    assert not at.dataframe  # rien de la base n'est montré


def test_editeur_voit_les_positions_a_verifier(env_appli) -> None:
    at = ouvrir_page(env_appli, Role.EDITEUR)  # première ouverture : la base est remplie
    assert not at.exception
    assert "Toutes les fiches actives sont localisées" in at.success[0].value
    con = ouvrir(env_appli)
    depot_acteurs.inserer(
        con,
        [
            Acteur(
                id="a-lyon",
                nom="<b>Fiche</b> à Lyon",
                type=TypeActeur.LEAO,
                code_insee="38563",
                commune="Voiron",
                latitude=45.764,
                longitude=4.8357,
                precision_localisation=Precision.MANUELLE,
            )
        ],
    )
    con.close()
    at.run()
    assert "1 fiche(s)" in at.warning[0].value
    anomalies = at.dataframe[1].value
    assert list(anomalies["Identifiant"]) == ["a-lyon"]
    assert "hors de l'Isère" in anomalies["Problème"][0]
    repartition = at.dataframe[0].value
    assert (
        dict(zip(repartition["Précision"], repartition["Fiches"], strict=True))[
            Precision.MANUELLE.libelle
        ]
        == 1
    )


def test_regeocoder_depuis_la_page(env_appli) -> None:
    at = ouvrir_page(env_appli, Role.EDITEUR)
    assert "désactivé" in at.info[0].value
    (bouton,) = [b for b in at.button if b.label.startswith("Regéocoder")]
    bouton.click().run()
    assert not at.exception
    assert "repositionnée(s)" in at.success[-1].value
