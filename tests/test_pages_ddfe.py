"""Pages de l'espace DDFE dans AppTest : accès refusé sans le bon rôle, corrections, historique,
fraîcheur, comptes ; textes piégés affichés tels quels."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from cartographie import comptes, edition, horloge
from cartographie.comptes import Compte, Role
from cartographie.comptes.freins import FREINS
from cartographie.echanges.chargement import initialiser_base
from cartographie.stockage.connexion import ouvrir
from tests.conftest import COMMUNES, CSV_ACTEURS
from tests.fabrique import HOSTILE, SECRET_ADRESSE, ajouter, confidentiel, hostile
from ui.formulaire_acteur import cle
from ui.garde import CLE_ACTIVITE, CLE_COMPTE

RACINE = Path(__file__).resolve().parents[1]
MOT_DE_PASSE = "une phrase assez longue"
PAGES = ("ecrans/acteurs_edition.py", "ecrans/fraicheur.py", "ecrans/comptes.py")


@pytest.fixture
def con(env_appli: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """La base de l'application (vraies données + une fiche piégée) et trois comptes."""
    connexion = ouvrir(env_appli)
    initialiser_base(connexion, CSV_ACTEURS, COMMUNES)
    ajouter(connexion, hostile())
    for identifiant, role in (
        ("admin", Role.ADMINISTRATEUR),
        ("claire", Role.EDITEUR),
        ("sami", Role.STATISTIQUES),
    ):
        comptes.creer_compte(connexion, identifiant, MOT_DE_PASSE, role)
    yield connexion
    connexion.close()


def compte(con: duckdb.DuckDBPyConnection, identifiant: str) -> Compte:
    trouve = comptes.compte_actif(con, identifiant)
    assert trouve is not None
    return trouve


def ouvrir_page(chemin: str, qui: Compte | None) -> AppTest:
    at = AppTest.from_file(str(RACINE / chemin), default_timeout=60)
    if qui is not None:
        at.session_state[CLE_COMPTE] = qui
    return at.run()


# --- Accès ---------------------------------------------------------------------------------


@pytest.mark.parametrize("chemin", PAGES)
def test_page_ddfe_refusee_sans_compte(con, chemin: str) -> None:
    at = ouvrir_page(chemin, None)
    assert "connectez-vous" in texte(at.error[0])
    assert not at.title  # la page s'est arrêtée avant son contenu
    assert not at.text_input
    assert not at.button


@pytest.mark.parametrize(
    ("chemin", "identifiant"),
    [
        ("ecrans/acteurs_edition.py", "sami"),
        ("ecrans/fraicheur.py", "sami"),
        ("ecrans/comptes.py", "claire"),
        ("ecrans/comptes.py", "sami"),
    ],
)
def test_page_ddfe_refusee_sans_le_role(con, chemin: str, identifiant: str) -> None:
    at = ouvrir_page(chemin, compte(con, identifiant))
    assert "n'a pas accès à cette page" in texte(at.error[0])
    assert not at.title


def test_compte_desactive_perd_l_acces_au_clic_suivant(con) -> None:
    at = ouvrir_page("ecrans/fraicheur.py", compte(con, "claire"))
    assert at.title[0].value == "Fiches à vérifier"
    comptes.changer_activation(con, "claire", False, auteur="admin")
    at.run()
    assert not at.title
    assert "connectez-vous" in texte(at.error[0])


@pytest.mark.parametrize(
    ("identifiant", "servies"),
    [
        (None, set()),
        ("sami", set()),
        ("claire", {"ecrans/acteurs_edition.py", "ecrans/fraicheur.py"}),
        ("admin", set(PAGES)),
    ],
)
def test_la_navigation_ne_sert_que_les_pages_du_role(con, identifiant, servies) -> None:
    at = AppTest.from_file(str(RACINE / "app.py"), default_timeout=60)
    if identifiant:
        at.session_state[CLE_COMPTE] = compte(con, identifiant)
    at.run()
    # Ni lien ni adresse : une page non enregistrée n'existe pas pour cette session.
    for chemin in set(PAGES) - servies:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(chemin)
    for chemin in sorted(servies):
        at.switch_page(chemin).run()
        assert not at.exception
        assert at.title, chemin


# --- Fiches --------------------------------------------------------------------------------


def texte(element) -> str:
    """Le texte d'un message tel que la personne le lit (sans les échappements Markdown)."""
    return element.value.replace("\\", "")


def fiche_ordinaire(con: duckdb.DuckDBPyConnection):
    """Une fiche du vrai CSV, non confidentielle, avec un téléphone."""
    return next(
        a
        for a in edition.fiches(con)
        if a.id != "fiche-hostile" and a.telephone and not a.adresse_confidentielle
    )


def selection(at: AppTest, libelle: str):
    return next(s for s in at.selectbox if s.label == libelle)


def ouvrir_fiche(at: AppTest, acteur_id: str) -> AppTest:
    at.selectbox(key="fiche_choisie").set_value(acteur_id)
    return at.run()


def enregistrer(at: AppTest) -> AppTest:
    (bouton,) = [b for b in at.button if b.label == "Enregistrer"]
    bouton.click()
    return at.run()


def test_corriger_un_telephone_puis_voir_qui_et_restaurer(con) -> None:
    fiche = fiche_ordinaire(con)
    at = ouvrir_fiche(ouvrir_page("ecrans/acteurs_edition.py", compte(con, "claire")), fiche.id)
    at.text_input(key=cle("telephone", fiche)).input("+33 4.76.99.88.77")
    enregistrer(at)
    assert not at.exception
    assert "Fiche enregistrée (version 2)" in texte(at.success[0])
    en_base = edition.fiche(con, fiche.id)
    assert (en_base.telephone, en_base.version) == ("04 76 99 88 77", 2)
    assert (en_base.latitude, en_base.longitude) == (fiche.latitude, fiche.longitude)
    # Le formulaire montre la nouvelle version, l'historique dit qui et quoi.
    assert at.text_input(key=cle("telephone", en_base)).value == "04 76 99 88 77"
    assert "Modification par claire" in at.expander[0].label
    assert at.expander[0].dataframe[0].value.iloc[0].tolist() == [
        "Téléphone",
        fiche.telephone,
        "04 76 99 88 77",
    ]
    # Retour à la version 1.
    selection(at, "Revenir à la version").set_value(1).run()
    next(b for b in at.button if b.label == "Restaurer cette version").click()
    at.run()
    assert "Version 1 restaurée" in texte(at.success[0])
    assert edition.fiche(con, fiche.id).telephone == fiche.telephone
    assert edition.historique(con, fiche.id)[0].action == "restauration_version"


def test_deux_personnes_en_meme_temps_la_seconde_est_refusee(con) -> None:
    fiche = fiche_ordinaire(con)
    at = ouvrir_fiche(ouvrir_page("ecrans/acteurs_edition.py", compte(con, "claire")), fiche.id)
    # Pendant que Claire a la fiche ouverte, un collègue change l'adresse et enregistre.
    edition.modifier(con, replace(fiche, horaires_accueil="Mo 09:00-12:00"), fiche.version, "admin")
    at.text_input(key=cle("telephone", fiche)).input("04 76 11 22 33")
    enregistrer(at)
    message = texte(at.error[0])
    assert "Enregistrement refusé" in message
    assert "Mo 09:00" in message
    assert "par admin" in message
    en_base = edition.fiche(con, fiche.id)
    assert en_base.horaires_accueil == "Mo 09:00-12:00"  # rien d'écrasé
    assert en_base.telephone == fiche.telephone


def test_saisie_invalide_message_francais_et_rien_d_ecrit(con) -> None:
    fiche = fiche_ordinaire(con)
    at = ouvrir_fiche(ouvrir_page("ecrans/acteurs_edition.py", compte(con, "claire")), fiche.id)
    at.text_input(key=cle("courriel", fiche)).input("pas-un-courriel")
    enregistrer(at)
    assert texte(at.error[0]).startswith("Courriel :")
    assert edition.fiche(con, fiche.id) == fiche


def test_creer_archiver_restaurer(con) -> None:
    at = ouvrir_page("ecrans/acteurs_edition.py", compte(con, "claire"))
    nouvelle = None
    at.text_input(key=cle("nom", nouvelle)).input("Permanence juridique de test")
    at.selectbox(key=cle("type", nouvelle)).set_value(edition.fiches(con)[0].type)
    communes = at.selectbox(key=cle("commune", nouvelle)).options
    assert any(o.startswith("Vienne (") for o in communes)
    at.selectbox(key=cle("commune", nouvelle)).select_index(
        next(i for i, o in enumerate(communes) if o.startswith("Vienne ("))
    )
    enregistrer(at)
    assert not at.error, at.error[0].value if at.error else ""
    cree = edition.fiche(con, "permanence-juridique-de-test-vienne")
    assert cree is not None
    assert cree.territoire
    assert at.selectbox(key="fiche_choisie").value == cree.id
    next(b for b in at.button if b.label == "Archiver la fiche").click()
    at.run()
    assert edition.fiche(con, cree.id).statut.value == "archive"
    next(b for b in at.button if b.label.startswith("Restaurer la fiche")).click()
    at.run()
    assert edition.fiche(con, cree.id).statut.value == "actif"
    actions = [v.action for v in edition.historique(con, cree.id)]
    assert actions == ["restauration", "archivage", "creation"]


def test_texte_piege_montre_tel_quel_et_rien_perdu(con) -> None:
    at = ouvrir_fiche(
        ouvrir_page("ecrans/acteurs_edition.py", compte(con, "claire")), "fiche-hostile"
    )
    fiche = edition.fiche(con, "fiche-hostile")
    for champ in ("nom", "structure", "adresse", "source"):
        assert at.text_input(key=cle(champ, fiche)).value == getattr(fiche, champ)
    assert at.text_area(key=cle("description", fiche)).value == HOSTILE
    # Aucun élément n'autorise le HTML brut.
    assert all(not getattr(m.proto, "allow_html", False) for m in at.markdown)
    # Téléphone, site et horaires (syntaxe OpenStreetMap) piégés ne passent pas la validation :
    # on les corrige pour enregistrer ; le texte libre des précisions, lui, est gardé tel quel.
    at.text_input(key=cle("telephone", fiche)).input("3919")
    at.text_input(key=cle("site_web", fiche)).input("https://www.exemple.fr")
    at.text_area(key=cle("horaires_accueil", fiche)).input("Mo-Fr 09:00-17:00")
    at.text_area(key=cle("horaires_precisions", fiche)).input(HOSTILE + " lundi")
    enregistrer(at)
    assert not at.error, texte(at.error[0])
    apres = edition.fiche(con, "fiche-hostile")
    assert (apres.nom, apres.description, apres.telephone) == (HOSTILE, HOSTILE, "3919")
    assert apres.horaires_precisions == HOSTILE + " lundi"


# --- Fraîcheur -----------------------------------------------------------------------------


def test_fraicheur_liste_et_marquer_verifiee(con) -> None:
    anciennes = [a for a in edition.fiches(con) if a.date_verification is None] or edition.fiches(
        con
    )[:2]
    for a in anciennes[:2]:
        edition.marquer_verifie(con, a.id, "admin", jour=date(2020, 1, 1))
    at = ouvrir_page("ecrans/fraicheur.py", compte(con, "claire"))
    assert at.metric[0].value.endswith(" %")
    cible = anciennes[0]
    bouton = at.button(key=f"verifier-{cible.id}")
    bouton.click()
    at.run()
    assert "marquée comme vérifiée" in texte(at.success[0])
    assert edition.fiche(con, cible.id).date_verification == date.today()
    assert edition.historique(con, cible.id)[0].auteur == "claire"
    assert f"verifier-{cible.id}" not in [b.key for b in at.button]
    selection(at, "Trier par").set_value("type").run()
    assert not at.exception


# --- Comptes -------------------------------------------------------------------------------


def test_administrateur_cree_change_le_role_et_desactive(con) -> None:
    at = ouvrir_page("ecrans/comptes.py", compte(con, "admin"))
    at.text_input(key="nouveau_identifiant").input("lea.b")
    at.text_input(key="nouveau_nom").input("<b>Léa</b>")
    at.selectbox(key="nouveau_role").set_value(Role.STATISTIQUES)
    at.text_input(key="nouveau_mdp").input(MOT_DE_PASSE)
    at.text_input(key="nouveau_mdp2").input(MOT_DE_PASSE)
    next(b for b in at.button if b.label == "Créer le compte").click()
    at.run()
    assert "« lea.b » créé" in texte(at.success[0])
    lea = comptes.authentifier(con, "lea.b", MOT_DE_PASSE)
    assert (lea.role, lea.nom) == (Role.STATISTIQUES, "<b>Léa</b>")

    at.selectbox(key="compte_choisi").set_value("lea.b").run()
    at.selectbox(key="role-lea.b").set_value(Role.EDITEUR).run()
    next(b for b in at.button if b.label == "Changer le rôle").click()
    at.run()
    assert compte(con, "lea.b").role is Role.EDITEUR
    next(b for b in at.button if b.label == "Désactiver le compte").click()
    at.run()
    assert comptes.compte_actif(con, "lea.b") is None
    evenements = [e.evenement for e in comptes.journal(con)]
    assert evenements[:4] == ["compte_desactive", "role_change", "connexion_reussie", "compte_cree"]


def test_creation_refusee_si_mots_de_passe_differents(con) -> None:
    at = ouvrir_page("ecrans/comptes.py", compte(con, "admin"))
    at.text_input(key="nouveau_identifiant").input("lea.b")
    at.text_input(key="nouveau_mdp").input(MOT_DE_PASSE)
    at.text_input(key="nouveau_mdp2").input(MOT_DE_PASSE + "x")
    next(b for b in at.button if b.label == "Créer le compte").click()
    at.run()
    assert "diffèrent" in texte(at.error[0])
    assert comptes.compte_actif(con, "lea.b") is None


def bouton(at: AppTest, debut: str):
    return next(b for b in at.button if b.label.startswith(debut))


def test_administrateur_debloque_un_compte_freine(con) -> None:
    # Un robot a essayé dix fois le compte de Claire : elle devrait attendre 30 s.
    for i in range(10):
        FREINS.noter_echec("claire", f"robot-{i}", horloge.maintenant())
    at = ouvrir_page("ecrans/comptes.py", compte(con, "admin"))
    tableau = at.dataframe[0].value.set_index("Identifiant")
    assert tableau.loc["claire", "Essais en échec"] == 10
    assert tableau.loc["sami", "Essais en échec"] == 0
    at.selectbox(key="compte_choisi").set_value("claire").run()
    assert "10 essai(s) de connexion en échec" in texte(at.warning[0])
    bouton(at, "Débloquer").click()
    at.run()
    assert "« claire » débloqué" in texte(at.success[0])
    assert comptes.etat_freins("claire").echecs == 0
    assert (
        comptes.authentifier(con, "claire", MOT_DE_PASSE, session="claire").identifiant == "claire"
    )
    entree = next(e for e in comptes.journal(con) if e.evenement == "compte_debloque")
    assert (entree.identifiant, entree.auteur) == ("claire", "admin")
    assert bouton(at, "Débloquer").disabled  # plus rien à débloquer


def test_administrateur_change_le_mot_de_passe_depuis_la_page(con) -> None:
    at = ouvrir_page("ecrans/comptes.py", compte(con, "admin"))
    at.selectbox(key="compte_choisi").set_value("claire").run()
    (champ,) = [t for t in at.text_input if t.label.startswith("Nouveau mot de passe")]
    champ.input("une toute nouvelle phrase")
    bouton(at, "Changer le mot de passe").click()
    at.run()
    assert "Mot de passe de « claire » changé" in texte(at.success[0])
    assert comptes.authentifier(con, "claire", "une toute nouvelle phrase").identifiant == "claire"


# --- Onglet resté ouvert : chaque geste revérifie le compte ---------------------------------
# Les rappels de boutons s'exécutent avant la page (donc avant `exiger_role`) et un
# téléchargement différé est produit au clic sans relancer la page : ni l'un ni l'autre ne
# doit agir pour un compte désactivé, expiré ou changé de rôle depuis l'affichage.


def refus_affiche(at: AppTest) -> str:
    """Le message de refus du geste (une notification), tel que la personne le lit."""
    return " ".join(texte(t) for t in at.toast)


def test_administrateur_desactive_ne_cree_pas_de_compte(con) -> None:
    comptes.creer_compte(con, "autre", MOT_DE_PASSE, Role.ADMINISTRATEUR)
    at = ouvrir_page("ecrans/comptes.py", compte(con, "admin"))
    # Un autre administrateur la désactive pendant que son onglet reste ouvert.
    comptes.changer_activation(con, "admin", False, auteur="autre")
    at.text_input(key="nouveau_identifiant").input("intrus")
    at.selectbox(key="nouveau_role").set_value(Role.ADMINISTRATEUR)
    at.text_input(key="nouveau_mdp").input(MOT_DE_PASSE)
    at.text_input(key="nouveau_mdp2").input(MOT_DE_PASSE)
    next(b for b in at.button if b.label == "Créer le compte").click()
    at.run()
    assert "intrus" not in [c.identifiant for c in comptes.lister_comptes(con)]
    assert "Action refusée" in refus_affiche(at)
    assert not at.title
    assert "connectez-vous" in texte(at.error[0])


def test_administrateur_devenu_editeur_ne_change_pas_de_role(con) -> None:
    comptes.creer_compte(con, "autre", MOT_DE_PASSE, Role.ADMINISTRATEUR)
    at = ouvrir_page("ecrans/comptes.py", compte(con, "admin"))
    at.selectbox(key="compte_choisi").set_value("sami").run()
    at.selectbox(key="role-sami").set_value(Role.ADMINISTRATEUR).run()
    comptes.changer_role(con, "admin", Role.EDITEUR, auteur="autre")
    next(b for b in at.button if b.label == "Changer le rôle").click()
    at.run()
    assert compte(con, "sami").role is Role.STATISTIQUES
    assert "Action refusée" in refus_affiche(at)
    assert "n'a pas accès à cette page" in texte(at.error[0])


def test_editeur_dont_la_session_a_expire_n_archive_pas(con) -> None:
    fiche = fiche_ordinaire(con)
    at = ouvrir_fiche(ouvrir_page("ecrans/acteurs_edition.py", compte(con, "claire")), fiche.id)
    bouton = next(b for b in at.button if b.label == "Archiver la fiche")
    # Cinq heures sans rien faire, l'onglet ouvert, puis un clic.
    at.session_state[CLE_ACTIVITE] = at.session_state[CLE_ACTIVITE] - timedelta(hours=5)
    bouton.click()
    at.run()
    assert edition.fiche(con, fiche.id) == fiche
    assert "Action refusée" in refus_affiche(at)
    assert "session a expiré" in texte(at.warning[0])


def test_editeur_desactive_n_enregistre_pas_la_fiche(con) -> None:
    fiche = fiche_ordinaire(con)
    at = ouvrir_fiche(ouvrir_page("ecrans/acteurs_edition.py", compte(con, "claire")), fiche.id)
    at.text_input(key=cle("telephone", fiche)).input("04 76 11 22 33")
    comptes.changer_activation(con, "claire", False, auteur="admin")
    enregistrer(at)
    assert edition.fiche(con, fiche.id) == fiche
    assert "Action refusée" in refus_affiche(at)


def test_editeur_passe_aux_statistiques_ne_marque_pas_verifiee(con) -> None:
    at = ouvrir_page("ecrans/fraicheur.py", compte(con, "claire"))
    cible = at.button[0].key.removeprefix("verifier-")
    avant = edition.fiche(con, cible)
    comptes.changer_role(con, "claire", Role.STATISTIQUES, auteur="admin")
    at.button(key=f"verifier-{cible}").click()
    at.run()
    assert edition.fiche(con, cible) == avant
    assert "Action refusée" in refus_affiche(at)


@pytest.fixture
def telechargements(monkeypatch: pytest.MonkeyPatch) -> list:
    """Chaque fichier qu'un onglet peut encore faire télécharger : prêt, ou produit au clic."""
    produits: list = []
    ajouter_fichier, ajouter_differe = MediaFileManager.add, MediaFileManager.add_deferred

    def fichier(self, donnees, *args, **kwargs):
        produits.append(lambda: donnees)
        return ajouter_fichier(self, donnees, *args, **kwargs)

    def differe(self, produire, *args, **kwargs):
        produits.append(produire)
        return ajouter_differe(self, produire, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", fichier)
    monkeypatch.setattr(MediaFileManager, "add_deferred", differe)
    return produits


def contenus(produits: list) -> list[bytes]:
    """Ce que chaque téléchargement donnerait maintenant ; un refus ne donne rien."""
    obtenus = []
    for produire in produits:
        try:
            donnees = produire()
        except Exception:  # un téléchargement refusé ne livre aucun octet
            continue
        obtenus.append(donnees if isinstance(donnees, bytes) else str(donnees).encode())
    return obtenus


def test_export_complet_prepare_a_la_demande_de_l_administrateur(con, telechargements) -> None:
    ajouter(con, confidentiel())
    at = ouvrir_page("ecrans/import_export.py", compte(con, "admin"))
    assert not [c for c in contenus(telechargements) if SECRET_ADRESSE.encode() in c]
    at.button(key="preparer_export_complet").click()
    at.run()
    complets = [c for c in contenus(telechargements) if SECRET_ADRESSE.encode() in c]
    assert len(complets) == 3  # CSV, GeoJSON, data·inclusion


def test_export_complet_indisponible_apres_changement_de_role(con, telechargements) -> None:
    ajouter(con, confidentiel())
    comptes.creer_compte(con, "autre", MOT_DE_PASSE, Role.ADMINISTRATEUR)
    at = ouvrir_page("ecrans/import_export.py", compte(con, "admin"))
    assert at.title
    # Un autre administrateur lui donne le rôle « statistiques » ; l'onglet reste ouvert.
    comptes.changer_role(con, "admin", Role.STATISTIQUES, auteur="autre")
    for bouton in [b for b in at.button if "export complet" in b.label]:
        bouton.click()
        at.run()
        assert "n'a pas accès à cette page" in texte(at.error[0])
    assert not [b for b in at.get("download_button") if "CONFIDENTIEL" in b.proto.label]
    assert not [c for c in contenus(telechargements) if SECRET_ADRESSE.encode() in c]


def test_export_public_refuse_apres_desactivation(con, telechargements) -> None:
    ajouter(con, confidentiel())
    at = ouvrir_page("ecrans/import_export.py", compte(con, "claire"))
    publics = contenus(telechargements)
    assert len(publics) == 3
    assert all(b"hebergement-secret" in c for c in publics)
    assert not [c for c in publics if SECRET_ADRESSE.encode() in c]
    comptes.changer_activation(con, "claire", False, auteur="admin")
    assert contenus(telechargements) == []
    assert at.title


# --- « Marquer comme vérifiée » : seulement la version que la personne a sous les yeux -------


def test_marquer_verifiee_refuse_si_la_fiche_a_change_depuis_l_ouverture(con) -> None:
    fiche = fiche_ordinaire(con)
    at = ouvrir_fiche(ouvrir_page("ecrans/acteurs_edition.py", compte(con, "claire")), fiche.id)
    edition.modifier(con, replace(fiche, horaires_accueil="Mo 09:00-12:00"), fiche.version, "admin")
    next(b for b in at.button if b.label == "Marquer comme vérifiée").click()
    at.run()
    message = texte(at.error[0])
    assert "Enregistrement refusé" in message
    assert "Mo 09:00" in message
    en_base = edition.fiche(con, fiche.id)
    assert (en_base.version, en_base.date_verification) == (2, fiche.date_verification)


def test_fraicheur_refuse_une_fiche_changee_depuis_l_affichage(con) -> None:
    at = ouvrir_page("ecrans/fraicheur.py", compte(con, "claire"))
    cible = edition.fiche(con, at.button[0].key.removeprefix("verifier-"))
    edition.modifier(con, replace(cible, horaires_accueil="Mo 09:00-12:00"), cible.version, "admin")
    at.button(key=f"verifier-{cible.id}").click()
    at.run()
    assert "Mo 09:00" in texte(at.error[0])
    assert edition.fiche(con, cible.id).date_verification == cible.date_verification


# --- Téléchargements : sans relancer la page, et l'export complet ne survit pas à son usage ---


def boutons_export(at: AppTest, mot: str) -> list:
    return [b for b in at.get("download_button") if mot in b.proto.label]


def test_exports_produits_au_clic_sans_relancer_la_page(con) -> None:
    at = ouvrir_page("ecrans/import_export.py", compte(con, "admin"))
    at.button(key="preparer_export_complet").click()
    at.run()
    boutons = boutons_export(at, "annuaire public") + boutons_export(at, "CONFIDENTIEL")
    assert len(boutons) == 6
    for bouton in boutons:
        # Produit au clic (aucune adresse /media/… avant), et le clic ne relance pas la page :
        # une relance remplaçait le bouton, et le téléchargement demandé par l'ancien se perdait.
        assert bouton.proto.deferred_file_id
        assert not bouton.proto.url
        assert bouton.proto.ignore_rerun


@pytest.fixture
def media_servis(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[MediaFileManager, str]]:
    """Le vrai point d'accès /media/… de Streamlit, servi en HTTP sur un port local, branché
    sur le gestionnaire de médias que les pages (AppTest) remplissent."""
    import threading

    import uvicorn
    from starlette.applications import Starlette
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.testing.v1 import app_test
    from streamlit.web.server.starlette.starlette_routes import create_media_routes

    from tests.serveur import port_libre

    stockage = MemoryMediaFileStorage("/media")
    gestionnaire = MediaFileManager(stockage)
    monkeypatch.setattr(app_test, "MediaFileManager", lambda _stockage: gestionnaire)
    port = port_libre()
    serveur = uvicorn.Server(
        uvicorn.Config(
            Starlette(routes=create_media_routes(stockage, None)),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    fil = threading.Thread(target=serveur.run, daemon=True)
    fil.start()
    while not serveur.started:
        fil.join(0.05)
    yield gestionnaire, f"http://127.0.0.1:{port}"
    serveur.should_exit = True
    fil.join(10)


def test_export_complet_efface_du_serveur_apres_le_telechargement(
    con, media_servis, monkeypatch
) -> None:
    import time

    import httpx

    from ui import import_export

    monkeypatch.setattr(import_export, "DUREE_DE_VIE_S", 1.0)
    gestionnaire, base_url = media_servis
    ajouter(con, confidentiel())
    at = ouvrir_page("ecrans/import_export.py", compte(con, "admin"))
    at.button(key="preparer_export_complet").click()
    at.run()
    (csv_complet,) = [b for b in boutons_export(at, "CONFIDENTIEL") if "CSV" in b.proto.label]
    # Ce que fait Streamlit au clic : produire le fichier, rendre son adresse au navigateur.
    adresse = gestionnaire.execute_deferred(csv_complet.proto.deferred_file_id)
    reponse = httpx.get(base_url + adresse)
    assert reponse.status_code == 200
    assert SECRET_ADRESSE in reponse.text
    # Puis l'adresse, recopiée sans session, ne rend plus rien : 404 en quelques secondes
    # (attente bornée, pas une mesure de durée).
    limite = time.monotonic() + 30
    while httpx.get(base_url + adresse).status_code == 200 and time.monotonic() < limite:
        time.sleep(0.2)
    apres = httpx.get(base_url + adresse)
    assert (apres.status_code, apres.text) == (404, "File not found")
    assert SECRET_ADRESSE not in apres.text


def test_session_verifiee_sans_etre_prolongee(con) -> None:
    from ui.garde import session_encore_valide

    def script() -> None:
        import streamlit as st

        from cartographie.comptes import Role
        from ui.garde import session_encore_valide

        st.text(str(session_encore_valide(Role.EDITEUR, Role.ADMINISTRATEUR)))

    assert session_encore_valide  # importé ici pour le lien vers le code testé
    at = AppTest.from_function(script, default_timeout=30)
    at.session_state[CLE_COMPTE] = compte(con, "claire")
    at.session_state[CLE_ACTIVITE] = horloge.maintenant()
    assert at.run().text[0].value == "True"
    depuis = horloge.maintenant() - timedelta(minutes=31)
    at.session_state[CLE_ACTIVITE] = depuis
    assert at.run().text[0].value == "False"
    assert at.session_state[CLE_ACTIVITE] == depuis  # une vérification n'est pas une activité
    at.session_state[CLE_ACTIVITE] = horloge.maintenant()
    comptes.changer_role(con, "claire", Role.STATISTIQUES, auteur="admin")
    assert at.run().text[0].value == "False"


def test_zone_couverte_saisie_comme_dans_un_tableur(con) -> None:
    """Les codes de la zone se lisent et se tapent séparés par « | », et s'enregistrent en liste."""
    fiche = fiche_ordinaire(con)
    at = ouvrir_fiche(ouvrir_page("ecrans/acteurs_edition.py", compte(con, "claire")), fiche.id)
    champ = at.text_input(key=cle("zone_eligibilite", fiche))
    assert champ.value == "|".join(fiche.zone_eligibilite)
    champ.input("38185 | 200040111")
    enregistrer(at)
    assert not at.error, [texte(e) for e in at.error]
    assert edition.fiche(con, fiche.id).zone_eligibilite == ("38185", "200040111")
    at.text_input(key=cle("zone_eligibilite", edition.fiche(con, fiche.id))).input("38185|(")
    enregistrer(at)
    assert "Zone couverte : « ( »" in texte(at.error[0])
    assert edition.fiche(con, fiche.id).zone_eligibilite == ("38185", "200040111")
