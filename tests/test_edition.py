"""Écriture des fiches sur une vraie base : verrou optimiste, historique, restauration, transactions."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime

import duckdb
import pytest

from cartographie import edition
from cartographie.communes import commune_par_code
from cartographie.edition import Action, ConflitEdition, ErreurEdition
from cartographie.edition.formulaire import POSITION_MANUELLE, saisie_de
from cartographie.modele import Acteur, Precision, Statut, TypeActeur
from cartographie.stockage import acteurs as depot_acteurs
from cartographie.stockage.dialecte import CONFLITS_D_ECRITURE
from cartographie.stockage.transaction import transaction
from cartographie.validation import ErreurDonnees
from tests.conftest import COMMUNES
from tests.fabrique import CHAMPS_TEXTE_LIBRE

pytestmark = pytest.mark.deux_bases  # stockage et métier : DuckDB puis PostgreSQL

T1 = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
T2 = datetime(2026, 11, 26, 11, 0, tzinfo=UTC)
HOSTILE = "<script>alert('x')</script><b>gras</b> & « guillemets » ; DROP TABLE acteur; --"


@pytest.fixture
def premier(base: duckdb.DuckDBPyConnection) -> Acteur:
    """Une fiche du vrai CSV, non confidentielle, telle qu'elle est en base."""
    return next(a for a in depot_acteurs.lister(base) if not a.adresse_confidentielle)


def nouvel_acteur(**champs) -> Acteur:
    valeurs = {
        "id": "lieu-test",
        "nom": "Lieu de test",
        "type": TypeActeur.LEAO,
        "code_insee": "38185",
        "commune": "Grenoble",
        "latitude": 45.18,
        "longitude": 5.72,
    }
    return Acteur(**(valeurs | champs))


def test_modifier_incremente_la_version_et_journalise_avant_apres(base, premier) -> None:
    corrige = replace(premier, telephone="04 76 12 34 56")
    apres = edition.modifier(base, corrige, premier.version, "claire", quand=T1)
    assert (apres.telephone, apres.version, apres.date_maj) == (
        "04 76 12 34 56",
        premier.version + 1,
        T1.date(),
    )
    (version,) = edition.historique(base, premier.id)
    assert (version.version, version.auteur, version.horodatage, version.action) == (
        premier.version + 1,
        "claire",
        T1,
        "modification",
    )
    assert version.changements["telephone"] == (premier.telephone, "04 76 12 34 56")
    assert set(version.changements) <= {"telephone", "date_maj"}


def test_deux_personnes_la_seconde_est_refusee_avec_ce_qui_a_change(base, premier) -> None:
    # Les deux ouvrent la fiche à la même version.
    ouverte_par_claire = ouverte_par_sami = premier
    edition.modifier(
        base, replace(ouverte_par_claire, telephone="04 76 00 00 01"), premier.version, "claire"
    )
    with pytest.raises(ConflitEdition) as refus:
        edition.modifier(
            base,
            replace(ouverte_par_sami, horaires_accueil="Mo 09:00-12:00"),
            ouverte_par_sami.version,
            "sami",
        )
    assert refus.value.changements["telephone"] == "04 76 00 00 01"
    assert refus.value.auteurs == ["claire"]
    assert "Téléphone : maintenant « 04 76 00 00 01 »" in refus.value.message
    assert "par claire" in refus.value.message
    en_base = depot_acteurs.par_id(base, premier.id)
    assert en_base.telephone == "04 76 00 00 01"  # rien d'écrasé
    assert en_base.horaires_accueil == premier.horaires_accueil
    assert len(edition.historique(base, premier.id)) == 1


def test_deux_curseurs_en_meme_temps_un_seul_gagne(base, premier) -> None:
    a, b = base.cursor(), base.cursor()
    a.begin()
    b.begin()
    b.execute("SELECT count(*) FROM acteur").fetchall()  # l'instantané de b précède l'écriture de a
    assert depot_acteurs.remplacer(a, replace(premier, nom="A", version=premier.version + 1), 1)
    with ThreadPoolExecutor(1) as fil:
        # DuckDB refuse b aussitôt ; PostgreSQL le fait attendre le verrou de ligne de a, puis le
        # refuse quand a valide (REPEATABLE READ) : jamais d'écrasement silencieux.
        ecriture_b = fil.submit(
            depot_acteurs.remplacer, b, replace(premier, nom="B", version=premier.version + 1), 1
        )
        a.commit()
        with pytest.raises(CONFLITS_D_ECRITURE):
            ecriture_b.result(timeout=60)
    b.rollback()
    assert depot_acteurs.par_id(base, premier.id).nom == "A"


def test_enregistrer_sans_changement_ne_cree_pas_de_version(base, premier) -> None:
    assert edition.modifier(base, premier, premier.version, "claire") == premier
    assert edition.historique(base, premier.id) == []


def test_archiver_restaurer_verifier_sont_des_versions(base, premier) -> None:
    edition.archiver(base, premier.id, "claire", quand=T1)
    assert depot_acteurs.par_id(base, premier.id).statut is Statut.ARCHIVE
    assert premier.id not in {a.id for a in depot_acteurs.lister(base)}  # plus public
    edition.restaurer(base, premier.id, "claire", quand=T2)
    verifie = edition.marquer_verifie(base, premier.id, "sami", jour=date(2026, 12, 1))
    assert (verifie.statut, verifie.date_verification, verifie.version) == (
        Statut.ACTIF,
        date(2026, 12, 1),
        premier.version + 3,
    )
    actions = [v.action for v in edition.historique(base, premier.id)]
    assert actions == ["verification", "restauration", "archivage"]
    assert depot_acteurs.compter(base) > 0  # rien n'a été supprimé


def test_restaurer_une_version_ancienne_est_elle_meme_journalisee(base, premier) -> None:
    v2 = edition.modifier(base, replace(premier, telephone="04 76 00 00 02"), 1, "claire")
    v3 = edition.modifier(base, replace(v2, nom="Nom faux", telephone="115"), v2.version, "sami")
    # Retour à la version 1, celle du CSV, qui n'a pas de ligne propre dans l'historique.
    retour = edition.restaurer_version(base, premier.id, 1, "claire", quand=T2)
    assert (retour.nom, retour.telephone, retour.version) == (
        premier.nom,
        premier.telephone,
        v3.version + 1,
    )
    (derniere, *_) = edition.historique(base, premier.id)
    assert (derniere.action, derniere.auteur) == ("restauration_version", "claire")
    assert derniere.changements["nom"] == ("Nom faux", premier.nom)
    # Puis retour à la version 3 : son état complet est dans l'historique.
    assert edition.restaurer_version(base, premier.id, 3, "claire").nom == "Nom faux"
    with pytest.raises(ErreurEdition, match="version 99"):
        edition.restaurer_version(base, premier.id, 99, "claire")


def test_creer_puis_identifiant_deja_pris(base) -> None:
    cree = edition.creer(base, nouvel_acteur(), "claire", quand=T1)
    assert (cree.version, cree.territoire != "", cree.date_maj) == (1, True, T1.date())
    (version,) = edition.historique(base, "lieu-test")
    assert version.action == "creation"
    assert version.changements["nom"] == (None, "Lieu de test")
    with pytest.raises(ErreurEdition, match="déjà utilisé"):
        edition.creer(base, nouvel_acteur(), "claire")


def test_ecritures_dans_la_transaction_de_l_appelant_tout_ou_rien(base, premier) -> None:
    avant = depot_acteurs.compter(base)

    def importer_avec_doublon() -> None:
        with transaction(base):
            edition.creer(base, nouvel_acteur(id="a-1"), "import", action=Action.IMPORT)
            edition.modifier(base, replace(premier, nom="Changé"), premier.version, "import")
            edition.creer(base, nouvel_acteur(id="a-1"), "import")  # doublon : tout s'annule

    with pytest.raises(ErreurEdition):
        importer_avec_doublon()
    assert depot_acteurs.compter(base) == avant
    assert depot_acteurs.par_id(base, premier.id).nom == premier.nom
    assert base.execute("SELECT count(*) FROM historique_acteur").fetchone()[0] == 0
    with transaction(base):
        edition.creer(base, nouvel_acteur(id="a-1"), "import", action=Action.IMPORT)
        edition.creer(base, nouvel_acteur(id="a-2"), "import", action=Action.IMPORT)
    assert depot_acteurs.compter(base) == avant + 2


def test_texte_hostile_stocke_tel_quel_dans_chaque_champ(base) -> None:
    champs = dict.fromkeys(CHAMPS_TEXTE_LIBRE, HOSTILE)
    cree = edition.creer(base, nouvel_acteur(**champs), "claire")
    for champ in CHAMPS_TEXTE_LIBRE:
        assert getattr(cree, champ) == HOSTILE, champ
    (version,) = edition.historique(base, cree.id)
    assert version.changements["description"] == (None, HOSTILE)


# --- Formulaire ---------------------------------------------------------------------------


def saisie(acteur: Acteur, **modifs: object) -> dict[str, object]:
    """Ce que rendraient les widgets du formulaire ouvert sur `acteur`, puis modifiés."""
    valeurs = saisie_de(acteur, COMMUNES) | {POSITION_MANUELLE: False}
    if "code_insee" in modifs:
        modifs["commune"] = commune_par_code(str(modifs.pop("code_insee")), COMMUNES)
    return valeurs | modifs


def test_formulaire_corrige_un_telephone_sans_deplacer_la_fiche(base, premier) -> None:
    apres = edition.enregistrer_formulaire(
        base, saisie(premier, telephone="+33 4.76.12.34.56"), premier, "claire", COMMUNES
    )
    assert apres.telephone == "04 76 12 34 56"
    assert (apres.latitude, apres.longitude, apres.precision_localisation) == (
        premier.latitude,
        premier.longitude,
        premier.precision_localisation,
    )
    assert (apres.date_verification, apres.statut) == (premier.date_verification, premier.statut)


def test_formulaire_nouvelle_commune_replace_au_point_de_la_commune(base, premier) -> None:
    champs = saisie(premier, code_insee="38544", code_postal="38200")
    apres = edition.enregistrer_formulaire(base, champs, premier, "claire", COMMUNES)
    assert apres.precision_localisation is Precision.COMMUNE
    assert 45.4 < apres.latitude < 45.6
    assert apres.territoire != ""


def test_formulaire_position_a_la_main_hors_commune_refusee(base, premier) -> None:
    champs = saisie(premier, code_insee="38185", code_postal="38000", position_manuelle=True)
    with pytest.raises(ErreurDonnees, match="n'est pas dans la commune de Grenoble"):
        edition.enregistrer_formulaire(
            base, champs | {"latitude": "45.52", "longitude": "4.87"}, premier, "c", COMMUNES
        )
    ajuste = edition.enregistrer_formulaire(
        base, champs | {"latitude": "45.1885", "longitude": "5.7245"}, premier, "c", COMMUNES
    )
    assert (ajuste.latitude, ajuste.precision_localisation) == (45.1885, Precision.MANUELLE)


@pytest.mark.parametrize(
    ("modif", "colonne"),
    [
        ({"nom": ""}, "nom"),
        ({"telephone": "12 34"}, "telephone"),
        ({"courriel": "pas-un-courriel"}, "courriel"),
        ({"site_web": "javascript:alert(1)"}, "site_web"),
        ({"code_postal": "38200"}, "code_postal"),  # Grenoble n'est pas en 38200
        ({"type": None}, "type"),
        ({"commune": None}, "commune"),
        ({"latitude": "45,2x", "position_manuelle": True}, "latitude"),
        ({"description": "x" * 5001}, "description"),
        ({"horaires_accueil": "x" * 1001}, "horaires_accueil"),
    ],
)
def test_formulaire_refus_nomme_le_champ(base, premier, modif, colonne) -> None:
    champs = saisie(premier, code_insee="38185", code_postal="38000")
    with pytest.raises(ErreurDonnees) as refus:
        edition.enregistrer_formulaire(base, champs | modif, premier, "claire", COMMUNES)
    assert refus.value.colonne == colonne
    assert depot_acteurs.par_id(base, premier.id) == premier  # rien d'écrit


def test_formulaire_nouvelle_fiche_identifiant_lisible(base) -> None:
    champs = saisie(nouvel_acteur(nom="Écoute Femmes Isère"), code_postal="38000")
    cree = edition.enregistrer_formulaire(base, champs, None, "claire", COMMUNES)
    assert cree.id == "ecoute-femmes-isere-grenoble"
    deuxieme = edition.enregistrer_formulaire(base, champs, None, "claire", COMMUNES)
    assert deuxieme.id == "ecoute-femmes-isere-grenoble-2"
    assert (cree.statut, cree.date_verification) == (Statut.ACTIF, None)


def test_marquer_verifiee_refuse_une_fiche_changee_depuis_son_affichage(base, premier) -> None:
    edition.modifier(base, replace(premier, horaires_accueil="Mo 09:00-12:00"), 1, "admin")
    with pytest.raises(ConflitEdition) as refus:
        edition.marquer_verifie(base, premier.id, "claire", premier.version)
    assert "Mo 09:00-12:00" in refus.value.message
    assert "par admin" in refus.value.message
    en_base = depot_acteurs.par_id(base, premier.id)
    assert (en_base.version, en_base.date_verification) == (2, premier.date_verification)
    verifie = edition.marquer_verifie(base, premier.id, "claire", en_base.version)
    assert verifie.version == 3
