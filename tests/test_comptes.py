"""Comptes : empreintes argon2, connexion, essais ralentis sans blocage ni indice de qui existe,
journal sans mot de passe ni identifiant inconnu."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
    freins,
)
from cartographie.comptes.freins import PLAFOND_IDENTIFIANT
from cartographie.stockage.connexion import ouvrir

pytestmark = pytest.mark.deux_bases  # stockage et métier : DuckDB puis PostgreSQL

MOT_DE_PASSE = "une phrase assez longue"
T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


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


@pytest.mark.parametrize(
    ("identifiant", "au_journal"),
    [("claire.m", "claire.m"), ("inconnue", comptes.IDENTIFIANT_INCONNU)],
)
def test_refus_identique_que_le_compte_existe_ou_non(
    con, editrice, identifiant, au_journal
) -> None:
    with pytest.raises(ErreurConnexion, match="Identifiant ou mot de passe incorrect"):
        authentifier(con, identifiant, "mauvais mot de passe", quand=T0)
    entree = comptes.journal(con)[0]
    assert (entree.identifiant, entree.evenement) == (au_journal, "connexion_refusee")


def test_journal_ne_contient_jamais_le_mot_de_passe(con, editrice) -> None:
    authentifier(con, "claire.m", MOT_DE_PASSE, quand=T0)
    for essai in ("secret-tape-1", "secret-tape-2"):
        with pytest.raises(ErreurConnexion):
            authentifier(con, "claire.m", essai, quand=T0)
    texte = journal_complet(con)
    for secret in (MOT_DE_PASSE, "secret-tape-1", "secret-tape-2"):
        assert secret not in texte
    assert len(comptes.journal(con)) == 4  # création + 3 tentatives


def reponse(con, identifiant: str, quand: datetime, session: str = "robot") -> str:
    """Ce que la page dirait de cet essai (toujours un mauvais mot de passe)."""
    try:
        authentifier(con, identifiant, "faux mot de passe", quand=quand, session=session)
    except ErreurConnexion as erreur:
        return str(erreur)
    raise AssertionError("connexion acceptée")


def test_meme_suite_de_reponses_que_le_compte_existe_ou_non(con, editrice) -> None:
    """Ni le message ni l'attente ne disent qui existe (l'ancien « ce compte est bloqué » le disait)."""
    instants = [T0 + timedelta(seconds=s) for s in (0, 1, 2, 3, 4, 4.5, 5, 5.5, 7, 8, 11, 30, 60)]
    suites = {
        identifiant: [reponse(con, identifiant, t, session=identifiant) for t in instants]
        for identifiant in ("claire.m", "inconnue")
    }
    assert suites["claire.m"] == suites["inconnue"]
    assert suites["claire.m"][:6] == [comptes._MESSAGE_REFUS] * 5 + [
        "Trop d'essais rapprochés : patientez 1 s avant de réessayer."
    ]
    assert not any("bloqué" in m for m in suites["claire.m"])


def test_un_inconnu_ne_bloque_pas_le_compte(con) -> None:
    """Cent essais d'un robot sur le compte administrateur : l'administratrice attend 30 s au
    plus, jamais une heure, puis se connecte avec son mot de passe."""
    creer_compte(con, "admin", MOT_DE_PASSE, Role.ADMINISTRATEUR)
    quand = T0
    for i in range(100):
        # Le robot ouvre une session neuve à chaque essai : seul l'identifiant le freine.
        while (attente := comptes.etat_freins("admin", quand).attente) > timedelta(0):
            assert attente <= PLAFOND_IDENTIFIANT
            quand += attente
        reponse(con, "admin", quand, session=f"robot-{i}")
    assert comptes.etat_freins("admin", quand).echecs == 100
    message = reponse(con, "admin", quand + timedelta(seconds=10), session="administratrice")
    assert message == "Trop d'essais rapprochés : patientez 20 s avant de réessayer."
    compte = authentifier(
        con, "admin", MOT_DE_PASSE, quand=quand + PLAFOND_IDENTIFIANT, session="administratrice"
    )
    assert compte.identifiant == "admin"
    assert comptes.etat_freins("admin", quand + PLAFOND_IDENTIFIANT).echecs == 0


def test_la_session_qui_se_trompe_attend_de_plus_en_plus(con, editrice) -> None:
    """Un robot qui essaie mille identifiants depuis un même navigateur ralentit lui-même ; une
    autre session n'en subit rien."""
    quand = T0
    for i in range(14):
        quand += freins.attente_apres(i, freins.PLAFOND_SESSION)
        reponse(con, f"inconnu-{i}", quand, session="robot")
    assert reponse(con, "autre", quand + timedelta(seconds=1)) == (
        "Trop d'essais rapprochés : patientez 9 min avant de réessayer."
    )
    assert freins.attente_apres(20, freins.PLAFOND_SESSION) == freins.PLAFOND_SESSION
    compte = authentifier(con, "claire.m", MOT_DE_PASSE, quand=quand, session="claire")
    assert compte.identifiant == "claire.m"


def test_un_essai_pendant_l_attente_n_est_ni_verifie_ni_compte(con, editrice) -> None:
    for i in range(5):
        reponse(con, "claire.m", T0 + timedelta(seconds=i))
    lignes = len(comptes.journal(con))
    with pytest.raises(ErreurConnexion, match="patientez 1 s"):
        # Même le bon mot de passe attend : sinon l'attente ne freinerait pas qui devine.
        authentifier(con, "claire.m", MOT_DE_PASSE, quand=T0 + timedelta(seconds=4.5))
    assert comptes.etat_freins("claire.m", T0 + timedelta(seconds=4.5)).echecs == 5
    assert len(comptes.journal(con)) == lignes


def test_l_administrateur_debloque(con, editrice) -> None:
    creer_compte(con, "admin", MOT_DE_PASSE, Role.ADMINISTRATEUR)
    for i in range(9):
        reponse(con, "claire.m", T0 + timedelta(minutes=i), session=f"robot-{i}")
    assert comptes.etat_freins("claire.m", T0 + timedelta(minutes=8)).attente > timedelta(0)
    comptes.debloquer(con, "claire.m", auteur="admin", quand=T0 + timedelta(minutes=8))
    assert comptes.etat_freins("claire.m", T0 + timedelta(minutes=8)).echecs == 0
    entree = comptes.journal(con)[0]
    assert (entree.identifiant, entree.evenement, entree.auteur) == (
        "claire.m",
        "compte_debloque",
        "admin",
    )
    with pytest.raises(ErreurCompte, match="Aucun compte"):
        comptes.debloquer(con, "personne", auteur="admin")


def test_identifiant_inconnu_jamais_ecrit_tel_quel(con, editrice) -> None:
    """Un mot de passe tapé dans le champ « Identifiant » ne se retrouve ni au journal ni en
    mémoire (les freins ne gardent qu'une empreinte à clé)."""
    colle = "Ma-Phrase-Secrete-2026"
    with pytest.raises(ErreurConnexion):
        authentifier(con, colle, "", quand=T0)
    texte = journal_complet(con)
    assert colle.lower() not in texte.lower()
    assert comptes.journal(con)[0].identifiant == comptes.IDENTIFIANT_INCONNU
    assert colle.lower() not in repr(vars(freins.FREINS)).lower()


def test_migration_efface_les_identifiants_inconnus_deja_journalises(tmp_path) -> None:
    chemin = tmp_path / "ancienne.duckdb"
    con = ouvrir(chemin)
    creer_compte(con, "claire.m", MOT_DE_PASSE, Role.EDITEUR)
    # Une base d'avant la migration 0009 : le texte tapé était gardé tel quel.
    con.execute("DELETE FROM schema_migration WHERE numero = 9")
    con.execute(
        "INSERT INTO journal_compte (horodatage, identifiant, evenement, detail)"
        " VALUES (?, 'ma-phrase-secrete-2026', 'connexion_refusee', 'identifiant inconnu')",
        [T0],
    )
    con.close()
    con = ouvrir(chemin)
    identifiants = {e.identifiant for e in comptes.journal(con)}
    con.close()
    assert identifiants == {"claire.m", comptes.IDENTIFIANT_INCONNU}


def test_quatre_echecs_ne_bloquent_pas(con, editrice) -> None:
    for _ in range(4):
        with pytest.raises(ErreurConnexion):
            authentifier(con, "claire.m", "faux", quand=T0)
    assert authentifier(con, "claire.m", MOT_DE_PASSE, quand=T0).identifiant == "claire.m"


def test_changer_le_mot_de_passe_debloque(con, editrice) -> None:
    for i in range(9):
        reponse(con, "claire.m", T0, session=f"robot-{i}")
    comptes.changer_mot_de_passe(con, "claire.m", "nouvelle phrase secrète", auteur="admin")
    compte = authentifier(con, "claire.m", "nouvelle phrase secrète", quand=T0, session="claire")
    assert compte.actif


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
