"""De l'identité de l'État au compte local et à son rôle (notre code), en direct puis dans les
pages (AppTest, `st.user` semé comme après `st.login`). Le parcours HTTP complet contre un vrai
fournisseur OpenID Connect est dans tests/test_authentification_etat.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from cartographie import comptes, horloge
from cartographie.comptes import ErreurCompte, ErreurConnexion, Role, creer_compte
from cartographie.comptes.identite_etat import (
    DEMANDE,
    EMPREINTE_SANS_MOT_DE_PASSE,
    accorder_role,
    compte_pour_identite,
    demandes_en_attente,
)
from cartographie.config import RACINE
from cartographie.stockage.connexion import ouvrir
from ui.garde import CLE_COMPTE, CLE_REFUS_ETAT

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
DUREE = timedelta(hours=12)
MOT_DE_PASSE = "une phrase assez longue"
APP = str(RACINE / "app.py")


def identite(courriel: str = "Claire.Martin@isere.gouv.fr", delivree: datetime = T0, **autres):
    """Les revendications qu'Authlib a vérifiées et que Streamlit met dans `st.user`."""
    return {
        "is_logged_in": True,
        "sub": "a1b2c3",
        "email": courriel,
        "given_name": "Claire",
        "usual_name": "Martin",
        "iat": int(delivree.replace(tzinfo=UTC).timestamp()),
        "exp": int((delivree + timedelta(minutes=5)).replace(tzinfo=UTC).timestamp()),
        **autres,
    }


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connexion = ouvrir(tmp_path / "etat.duckdb")
    creer_compte(connexion, "admin", MOT_DE_PASSE, Role.ADMINISTRATEUR)
    yield connexion
    connexion.close()


def test_agent_connu_prend_le_role_de_son_compte_local(con) -> None:
    accorder_role(con, "claire.martin@isere.gouv.fr", Role.EDITEUR, auteur="admin", quand=T0)
    issue = compte_pour_identite(con, identite(), DUREE, quand=T0 + timedelta(minutes=1))
    assert issue.compte is not None
    assert (issue.compte.identifiant, issue.compte.role) == (
        "claire.martin@isere.gouv.fr",  # courriel en minuscules
        Role.EDITEUR,
    )
    assert issue.fin == T0 + DUREE
    entree = comptes.journal(con)[0]
    assert (entree.evenement, entree.detail) == ("connexion_reussie", "authentification de l'État")


def test_agent_inconnu_sans_role_jusqu_a_ce_qu_un_administrateur_en_accorde(con) -> None:
    for minute in (1, 2, 3):  # chaque page relance la vérification : une seule demande notée
        issue = compte_pour_identite(con, identite(), DUREE, quand=T0 + timedelta(minutes=minute))
        assert issue.compte is None
        assert not issue.reconnecter
        assert "pas encore de rôle" in issue.message
    assert [e.evenement for e in comptes.journal(con)].count(DEMANDE) == 1
    (demande,) = demandes_en_attente(con)
    assert (demande.courriel, demande.nom) == ("claire.martin@isere.gouv.fr", "Claire Martin")

    accorder_role(con, demande.courriel, Role.STATISTIQUES, auteur="admin", nom=demande.nom)
    assert demandes_en_attente(con) == []
    issue = compte_pour_identite(con, identite(), DUREE, quand=T0 + timedelta(minutes=4))
    assert issue.compte is not None
    assert (issue.compte.role, issue.compte.nom) == (Role.STATISTIQUES, "Claire Martin")


def test_compte_de_l_etat_sans_mot_de_passe_local(con) -> None:
    accorder_role(con, "claire.martin@isere.gouv.fr", Role.ADMINISTRATEUR, auteur="admin")
    for essai in ("", EMPREINTE_SANS_MOT_DE_PASSE, MOT_DE_PASSE):
        with pytest.raises(ErreurConnexion, match="incorrect"):
            comptes.authentifier(con, "claire.martin@isere.gouv.fr", essai, session=essai)
    with pytest.raises(ErreurCompte, match="déjà utilisé"):
        accorder_role(con, "Claire.Martin@isere.gouv.fr", Role.EDITEUR, auteur="admin")
    with pytest.raises(ErreurCompte, match="n'est pas un courriel"):
        accorder_role(con, "claire", Role.EDITEUR, auteur="admin")


def test_compte_desactive_n_entre_pas(con) -> None:
    accorder_role(con, "claire.martin@isere.gouv.fr", Role.EDITEUR, auteur="admin")
    comptes.changer_activation(con, "claire.martin@isere.gouv.fr", False, auteur="admin")
    issue = compte_pour_identite(con, identite(), DUREE, quand=T0)
    assert issue.compte is None
    assert "désactivé" in issue.message


@pytest.mark.parametrize(
    ("revendications", "quand", "message"),
    [
        (identite(), T0 + DUREE + timedelta(seconds=1), "trop ancienne"),
        (identite(iat=None), T0, "trop ancienne"),
        (identite(iat="2026-11-26"), T0, "trop ancienne"),
        (identite(email=None), T0, "courriel vérifié"),
        (identite(email="pas un courriel"), T0, "courriel vérifié"),
        (identite(email_verified=False), T0, "courriel vérifié"),
    ],
)
def test_identite_perimee_ou_incomplete_refusee(con, revendications, quand, message) -> None:
    accorder_role(con, "claire.martin@isere.gouv.fr", Role.EDITEUR, auteur="admin")
    issue = compte_pour_identite(con, revendications, DUREE, quand=quand)
    assert issue.compte is None
    assert issue.reconnecter
    assert message in issue.message
    assert "connexion_reussie" not in [e.evenement for e in comptes.journal(con)]


# --- Dans les pages (AppTest : `st.user` tel que Streamlit le remplit après `st.login`) --------


@pytest.fixture
def base_etat(env_appli: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CARTOGRAPHIE_AUTHENTIFICATION", "oidc")
    monkeypatch.setenv("CARTOGRAPHIE_TUILES_URL", "")
    con = ouvrir(env_appli)
    creer_compte(con, "admin", MOT_DE_PASSE, Role.ADMINISTRATEUR)
    con.close()
    return env_appli


def appli(utilisateur: dict, page: str = "ecrans/connexion.py") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = utilisateur
    at.run()
    return at.switch_page(page).run()


def maintenant_moins(minutes: int) -> datetime:
    return horloge.maintenant() - timedelta(minutes=minutes)


def test_page_agent_inconnu_puis_role_accorde_par_l_administrateur(base_etat: Path) -> None:
    at = appli(identite(delivree=maintenant_moins(1)))
    assert not at.exception, at.exception
    assert CLE_COMPTE not in at.session_state
    assert "pas encore de rôle" in at.warning[0].value.replace("\\", "")
    libelles = [b.label for b in at.button]
    assert "Se déconnecter du compte de l'État" in libelles
    assert "Se connecter avec le compte de l'État" not in libelles
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("ecrans/acteurs_edition.py")

    # L'administrateur voit la demande sur la page « Comptes » et accorde le rôle d'éditeur.
    con = ouvrir(base_etat)
    admin = comptes.compte_actif(con, "admin")
    con.close()
    page_comptes = AppTest.from_file(APP, default_timeout=60)
    page_comptes.session_state[CLE_COMPTE] = admin
    page_comptes.run()
    page_comptes.switch_page("ecrans/comptes.py").run()
    assert page_comptes.selectbox(key="agent_etat").value == "claire.martin@isere.gouv.fr"
    page_comptes.selectbox(key="role_agent_etat").set_value(Role.EDITEUR).run()
    next(b for b in page_comptes.button if b.label == "Accorder ce rôle").click()
    page_comptes.run()
    assert "créé (Éditeur" in page_comptes.success[0].value.replace("\\", "")

    # Session suivante de l'agent : le rôle est là, la page d'édition aussi.
    at = appli(identite(delivree=maintenant_moins(1)), page="ecrans/acteurs_edition.py")
    assert not at.exception, at.exception
    assert at.session_state[CLE_COMPTE].role is Role.EDITEUR
    assert at.title[0].value == "Fiches des acteurs"
    assert "Claire Martin" in at.sidebar.caption[0].value


def test_page_identite_trop_ancienne_deconnectee(base_etat: Path) -> None:
    con = ouvrir(base_etat)
    accorder_role(con, "claire.martin@isere.gouv.fr", Role.EDITEUR, auteur="admin")
    con.close()
    at = appli(identite(delivree=maintenant_moins(13 * 60)))
    assert not at.exception, at.exception
    assert CLE_COMPTE not in at.session_state
    assert at.user == {"is_logged_in": False}  # st.logout() : retour chez le fournisseur
    assert CLE_REFUS_ETAT in at.session_state


def test_page_se_deconnecter_ferme_aussi_la_session_de_l_etat(base_etat: Path) -> None:
    con = ouvrir(base_etat)
    accorder_role(con, "claire.martin@isere.gouv.fr", Role.EDITEUR, auteur="admin")
    con.close()
    at = appli(identite(delivree=maintenant_moins(1)))
    assert at.session_state[CLE_COMPTE].identifiant == "claire.martin@isere.gouv.fr"
    at.button(key="deconnexion_page").click().run()
    assert at.user == {"is_logged_in": False}
    assert CLE_COMPTE not in at.session_state
