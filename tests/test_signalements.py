"""« Signaler une erreur » : sans compte, limité, et la DDFE traite la file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from cartographie.edition import signalements
from cartographie.edition.signalements import SignalementRefuse, deposer, file_ddfe, marquer_traite
from cartographie.modele import StatutSignalement

pytestmark = pytest.mark.deux_bases  # stockage et métier : DuckDB puis PostgreSQL

MIDI = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def un_acteur(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("SELECT min(id) FROM acteur WHERE statut = 'actif'").fetchone()[0]


def test_depot_puis_traitement_par_la_ddfe(base: duckdb.DuckDBPyConnection) -> None:
    acteur = un_acteur(base)
    numero = deposer(
        base, acteur, "  Le téléphone ne répond plus\x00 ", "04 76 11 22 33", "", quand=MIDI
    )
    (ouvert,) = file_ddfe(base)
    assert (ouvert.numero, ouvert.acteur_id, ouvert.probleme, ouvert.correction) == (
        numero,
        acteur,
        "Le téléphone ne répond plus",
        "04 76 11 22 33",
    )
    assert ouvert.acteur_nom
    assert ouvert.statut == "ouvert"
    assert len(file_ddfe(base)) == 1

    marquer_traite(base, numero, "editrice", "Fiche corrigée")
    assert file_ddfe(base) == []
    (traite,) = file_ddfe(base, statut="traite")
    assert (traite.traite_par, traite.note) == ("editrice", "Fiche corrigée")
    assert traite.traite_le is not None

    signalements.rouvrir(base, numero)
    assert [s.numero for s in file_ddfe(base, acteur_id=acteur)] == [numero]


def test_contact_efface_une_fois_le_signalement_traite(base: duckdb.DuckDBPyConnection) -> None:
    acteur = un_acteur(base)
    numero = deposer(base, acteur, "Mauvais horaires", "", "marie@example.org", quand=MIDI)
    autre = deposer(base, acteur, "Mauvais téléphone", "", "06 12 34 56 78", quand=MIDI)
    assert [s.contact for s in file_ddfe(base)] == ["marie@example.org", "06 12 34 56 78"]

    marquer_traite(base, numero, "editrice", "Horaires corrigés")
    (traite,) = file_ddfe(base, statut="traite")
    assert (traite.numero, traite.contact) == (numero, "")
    assert (traite.probleme, traite.note) == ("Mauvais horaires", "Horaires corrigés")
    # L'autre, pas encore traité, garde le sien ; rouvrir ne fait pas revenir le contact effacé.
    assert [(s.numero, s.contact) for s in file_ddfe(base)] == [(autre, "06 12 34 56 78")]
    signalements.rouvrir(base, numero)
    assert {s.numero: s.contact for s in file_ddfe(base)}[numero] == ""
    (enregistre,) = base.execute(
        "SELECT contact FROM signalement WHERE numero = ?", [numero]
    ).fetchone()
    assert enregistre == ""


def test_aucune_colonne_ne_garde_d_ip_ni_de_session(base: duckdb.DuckDBPyConnection) -> None:
    colonnes = {
        c
        for (c,) in base.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'signalement'"
        ).fetchall()
    }
    assert not {
        c for c in colonnes if any(m in c for m in ("ip", "session", "navigateur", "agent"))
    }


def test_limite_par_session(base: duckdb.DuckDBPyConnection) -> None:
    acteur = un_acteur(base)
    envois = [MIDI - timedelta(minutes=m) for m in (5, 20, 50)]
    with pytest.raises(SignalementRefuse, match="déjà envoyé 3 signalements dans l'heure"):
        deposer(base, acteur, "faux", envois_session=envois, limite_session=3, quand=MIDI)
    # Une heure après le plus ancien, il redevient possible d'envoyer.
    deposer(
        base,
        acteur,
        "faux",
        envois_session=envois,
        limite_session=3,
        quand=MIDI + timedelta(minutes=11),
    )


def test_au_dela_de_la_limite_par_fiche_groupes_sans_faire_taire(
    base: duckdb.DuckDBPyConnection,
) -> None:
    """La limite par fiche protégeait la file en refusant tout le monde : un robot pouvait
    rendre muette chaque fiche. Au-delà, le signalement est gardé, mais à part."""
    acteur = un_acteur(base)
    for minute in range(3):
        deposer(
            base, acteur, f"faux {minute}", limite_acteur=3, quand=MIDI + timedelta(minutes=minute)
        )
    vrai = deposer(
        base, acteur, "Le numéro a changé", limite_acteur=3, quand=MIDI + timedelta(minutes=30)
    )
    assert signalements.est_groupe(base, vrai)
    assert [s.probleme for s in file_ddfe(base, acteur_id=acteur)] == ["faux 0", "faux 1", "faux 2"]
    (groupe,) = file_ddfe(base, statut=StatutSignalement.GROUPE)
    assert (groupe.numero, groupe.probleme) == (vrai, "Le numéro a changé")
    # Les groupés ne comptent pas dans la limite ; une autre fiche et l'heure suivante, si.
    autre = base.execute("SELECT max(id) FROM acteur WHERE statut = 'actif'").fetchone()[0]
    ailleurs = deposer(
        base, autre, "une autre fiche", limite_acteur=3, quand=MIDI + timedelta(minutes=30)
    )
    plus_tard = deposer(
        base, acteur, "l'heure est passée", limite_acteur=3, quand=MIDI + timedelta(minutes=61)
    )
    assert not signalements.est_groupe(base, ailleurs)
    assert not signalements.est_groupe(base, plus_tard)


def test_un_deluge_de_robot_ne_fait_taire_ni_la_fiche_ni_les_autres(
    base: duckdb.DuckDBPyConnection,
) -> None:
    acteur = un_acteur(base)
    autre = base.execute("SELECT max(id) FROM acteur WHERE statut = 'actif'").fetchone()[0]
    # Un robot ouvre un onglet neuf à chaque envoi : la limite par session ne le voit pas.
    for i in range(60):
        deposer(base, acteur, f"spam {i}", quand=MIDI + timedelta(seconds=i), limite_groupes=200)
    humain = deposer(base, acteur, "Le lieu a déménagé", quand=MIDI + timedelta(minutes=5))
    assert len(file_ddfe(base)) == 10  # la file « À traiter » n'est pas noyée
    assert humain in [s.numero for s in file_ddfe(base, statut=StatutSignalement.GROUPE)]
    assert not signalements.est_groupe(base, deposer(base, autre, "horaires faux", quand=MIDI))
    # Tout le groupe se traite d'un coup, contacts effacés.
    assert signalements.traiter_groupes(base, acteur, "editrice", "robot") == 51
    assert file_ddfe(base, statut=StatutSignalement.GROUPE) == []
    assert {s.contact for s in file_ddfe(base, statut="traite")} == {""}


def test_plafond_des_groupes_borne_la_base_avec_un_message(base: duckdb.DuckDBPyConnection) -> None:
    acteur = un_acteur(base)
    for i in range(5):
        deposer(base, acteur, f"spam {i}", limite_acteur=2, limite_groupes=3, quand=MIDI)
    assert len(file_ddfe(base, statut=StatutSignalement.GROUPE)) == 3
    with pytest.raises(SignalementRefuse, match=r"nombre anormal de signalements.*écrivez"):
        deposer(base, acteur, "encore", limite_acteur=2, limite_groupes=3, quand=MIDI)
    # Les premiers signalements de chaque fiche passent toujours.
    autre = base.execute("SELECT max(id) FROM acteur WHERE statut = 'actif'").fetchone()[0]
    deposer(base, autre, "une autre fiche", limite_acteur=2, limite_groupes=3, quand=MIDI)


@pytest.mark.parametrize(
    ("probleme", "correction", "contact", "message"),
    [
        ("", "", "", "Décrivez ce qui est faux"),
        ("   \n ", "x", "", "Décrivez ce qui est faux"),
        ("x" * 2001, "", "", r"Ce qui est faux est trop long \(2001 caractères ; au plus 2000\)"),
        ("x", "y" * 2001, "", "La correction proposée est trop long"),
        ("x", "", "z" * 201, "Le contact est trop long"),
    ],
)
def test_longueurs_et_vide_refuses(
    base: duckdb.DuckDBPyConnection, probleme, correction, contact, message
) -> None:
    with pytest.raises(SignalementRefuse, match=message):
        deposer(base, un_acteur(base), probleme, correction, contact)
    assert file_ddfe(base, statut=None) == []


def test_note_interne_trop_longue_refusee_sans_rien_changer(
    base: duckdb.DuckDBPyConnection,
) -> None:
    numero = deposer(base, un_acteur(base), "faux", quand=MIDI)
    with pytest.raises(SignalementRefuse, match=r"La note est trop long \(2001 caractères"):
        marquer_traite(base, numero, "editrice", "n" * 2001)
    assert [s.statut for s in file_ddfe(base, statut=None)] == ["ouvert"]


def test_fiche_inconnue_ou_archivee_refusee(base: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(SignalementRefuse, match="n'existe pas ou n'est plus publiée"):
        deposer(base, "pas-de-fiche", "faux")
    acteur = un_acteur(base)
    base.execute("UPDATE acteur SET statut = 'archive' WHERE id = ?", [acteur])
    with pytest.raises(SignalementRefuse, match="n'est plus publiée"):
        deposer(base, acteur, "faux")


def test_html_garde_comme_texte(base: duckdb.DuckDBPyConnection) -> None:
    piege = "<script>alert(1)</script>"
    deposer(base, un_acteur(base), piege, piege, piege)
    (s,) = file_ddfe(base)
    assert (s.probleme, s.correction, s.contact) == (piege, piege, piege)


def test_traiter_un_numero_inconnu(base: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(SignalementRefuse, match="n° 999 n'existe pas"):
        marquer_traite(base, 999, "x")
