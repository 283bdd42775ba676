"""Comptes : empreintes argon2, connexion, blocage après 5 échecs, journal sans mot de passe."""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb
import pytest

from cartographie import comptes
from cartographie.comptes import (
    Compte,
    ErreurCompte,
    ErreurConnexion,
    Role,
    authentifier,
    creer_compte,
)
from cartographie.stockage.connexion import ouvrir

MOT_DE_PASSE = "une phrase assez longue"
T0 = datetime(2026, 11, 26, 9, 0)


@pytest.fixture
def con(tmp_path) -> duckdb.DuckDBPyConnection:
    """Une base vide (schéma seul) : les comptes n'ont pas besoin des acteurs."""
    connexion = ouvrir(tmp_path / "comptes.duckdb")
    yield connexion
    connexion.close()


@pytest.fixture
def editrice(con: duckdb.DuckDBPyConnection) -> Compte:
    return creer_compte(con, "Claire.M", MOT_DE_PASSE, Role.EDITEUR, "Claire Martin", quand=T0)


def journal_complet(con: duckdb.DuckDBPyConnection) -> str:
    return repr(con.execute("SELECT * FROM journal_compte").fetchall())


def test_mot_de_passe_stocke_en_empreinte_argon2id(con, editrice: Compte) -> None:
    (empreinte,) = con.execute("SELECT empreinte FROM compte").fetchone()
    assert empreinte.startswith("$argon2id$")
    assert MOT_DE_PASSE not in empreinte
    assert (
        editrice.identifiant == "claire.m"
    )  # normalisé : on se connecte sans se soucier de la casse


def test_bon_mot_de_passe_connecte_et_journalise(con, editrice: Compte) -> None:
    compte = authentifier(con, " CLAIRE.M ", MOT_DE_PASSE, quand=T0)
    assert (compte.identifiant, compte.role, compte.derniere_connexion) == (
        "claire.m",
        Role.EDITEUR,
        T0,
    )
    assert comptes.journal(con)[0].evenement == "connexion_reussie"


@pytest.mark.parametrize("identifiant", ["claire.m", "inconnue"])
def test_refus_identique_que_le_compte_existe_ou_non(con, editrice, identifiant) -> None:
    with pytest.raises(ErreurConnexion, match="Identifiant ou mot de passe incorrect"):
        authentifier(con, identifiant, "mauvais mot de passe", quand=T0)
    entree = comptes.journal(con)[0]
    assert (entree.identifiant, entree.evenement) == (identifiant, "connexion_refusee")


def test_journal_ne_contient_jamais_le_mot_de_passe(con, editrice) -> None:
    authentifier(con, "claire.m", MOT_DE_PASSE, quand=T0)
    for essai in ("secret-tape-1", "secret-tape-2"):
        with pytest.raises(ErreurConnexion):
            authentifier(con, "claire.m", essai, quand=T0)
    texte = journal_complet(con)
    for secret in (MOT_DE_PASSE, "secret-tape-1", "secret-tape-2"):
        assert secret not in texte
    assert len(comptes.journal(con)) == 4  # création + 3 tentatives


def test_cinq_echecs_bloquent_puis_le_blocage_grandit(con, editrice) -> None:
    for i in range(5):
        with pytest.raises(ErreurConnexion, match="incorrect"):
            authentifier(con, "claire.m", "faux", quand=T0 + timedelta(seconds=i))
    # Bloqué : même le bon mot de passe est refusé, sans le vérifier.
    with pytest.raises(ErreurConnexion, match="bloqué pendant encore 1 min"):
        authentifier(con, "claire.m", MOT_DE_PASSE, quand=T0 + timedelta(seconds=10))
    # Le blocage passé, un 6e échec bloque deux fois plus longtemps.
    with pytest.raises(ErreurConnexion, match="incorrect"):
        authentifier(con, "claire.m", "faux", quand=T0 + timedelta(minutes=2))
    with pytest.raises(ErreurConnexion, match="bloqué pendant encore 2 min"):
        authentifier(con, "claire.m", MOT_DE_PASSE, quand=T0 + timedelta(minutes=2, seconds=1))
    # Puis le bon mot de passe passe et remet le compteur à zéro.
    compte = authentifier(con, "claire.m", MOT_DE_PASSE, quand=T0 + timedelta(minutes=5))
    assert compte.identifiant == "claire.m"
    assert con.execute("SELECT echecs_consecutifs, bloque_jusqu_a FROM compte").fetchone() == (
        0,
        None,
    )


def test_quatre_echecs_ne_bloquent_pas(con, editrice) -> None:
    for _ in range(4):
        with pytest.raises(ErreurConnexion):
            authentifier(con, "claire.m", "faux", quand=T0)
    assert authentifier(con, "claire.m", MOT_DE_PASSE, quand=T0).identifiant == "claire.m"


def test_changer_le_mot_de_passe_debloque(con, editrice) -> None:
    for _ in range(5):
        with pytest.raises(ErreurConnexion):
            authentifier(con, "claire.m", "faux", quand=T0)
    comptes.changer_mot_de_passe(con, "claire.m", "nouvelle phrase secrète", auteur="admin")
    assert authentifier(con, "claire.m", "nouvelle phrase secrète", quand=T0).actif


def test_compte_desactive_refuse(con, editrice) -> None:
    creer_compte(con, "admin", MOT_DE_PASSE, Role.ADMINISTRATEUR)
    comptes.changer_activation(con, "claire.m", False, auteur="admin")
    with pytest.raises(ErreurConnexion, match="désactivé"):
        authentifier(con, "claire.m", MOT_DE_PASSE)
    assert comptes.compte_actif(con, "claire.m") is None


@pytest.mark.parametrize(
    ("identifiant", "mot_de_passe", "message"),
    [
        ("claire.m", MOT_DE_PASSE, "déjà utilisé"),
        ("x", MOT_DE_PASSE, "Identifiant invalide"),
        ("<script>", MOT_DE_PASSE, "Identifiant invalide"),
        ("bob", "court", "trop court"),
        ("bob", "bob-bob-bob-bob", "ne doit pas contenir l'identifiant"),
    ],
)
def test_creation_refusee(con, editrice, identifiant, mot_de_passe, message) -> None:
    with pytest.raises(ErreurCompte, match=message):
        creer_compte(con, identifiant, mot_de_passe, Role.EDITEUR)


def test_le_dernier_administrateur_ne_peut_pas_etre_retire(con) -> None:
    creer_compte(con, "admin", MOT_DE_PASSE, Role.ADMINISTRATEUR)
    with pytest.raises(ErreurCompte, match="dernier administrateur"):
        comptes.changer_role(con, "admin", Role.EDITEUR, auteur="admin")
    with pytest.raises(ErreurCompte, match="dernier administrateur"):
        comptes.changer_activation(con, "admin", False, auteur="admin")
    creer_compte(con, "admin2", MOT_DE_PASSE, Role.ADMINISTRATEUR)
    assert comptes.changer_role(con, "admin", Role.EDITEUR, auteur="admin2").role is Role.EDITEUR


@pytest.mark.parametrize(
    ("role", "demandes", "permis"),
    [
        (Role.ADMINISTRATEUR, (Role.EDITEUR,), True),
        (Role.ADMINISTRATEUR, (Role.STATISTIQUES,), True),
        (Role.EDITEUR, (Role.EDITEUR,), True),
        (Role.EDITEUR, (Role.ADMINISTRATEUR,), False),
        (Role.EDITEUR, (Role.STATISTIQUES,), False),
        (Role.STATISTIQUES, (Role.EDITEUR,), False),
        (Role.STATISTIQUES, (Role.STATISTIQUES, Role.EDITEUR), True),
    ],
)
def test_droits_par_role(role, demandes, permis) -> None:
    assert Compte("x", "", role).peut(*demandes) is permis
    assert Compte("x", "", role, actif=False).peut(*demandes) is False
