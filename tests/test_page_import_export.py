"""Pages « Importer et exporter » et « Signalements » dans AppTest : rôles, aperçu, confirmation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cartographie.comptes import Role, creer_compte
from cartographie.config import RACINE
from cartographie.echanges.chargement import initialiser_base
from cartographie.edition.signalements import deposer, file_ddfe
from cartographie.modele import StatutSignalement
from cartographie.stockage.connexion import ouvrir
from tests.conftest import COMMUNES, CSV_ACTEURS
from ui.garde import CLE_COMPTE

MOT_DE_PASSE = "une phrase assez longue"
APP = str(RACINE / "app.py")
IMPORT = "ecrans/import_export.py"
SIGNALEMENTS = "ecrans/signalements.py"
PIEGE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def comptes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    chemin = tmp_path_factory.mktemp("import") / "base.duckdb"
    con = ouvrir(chemin)
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
    trouves = {
        role: creer_compte(con, f"compte-{role.value}", MOT_DE_PASSE, role)
        for role in (Role.EDITEUR, Role.ADMINISTRATEUR, Role.STATISTIQUES)
    }
    acteur = con.execute("SELECT min(id) FROM acteur").fetchone()[0]
    deposer(con, acteur, PIEGE + " téléphone faux", "04 76 00 00 00", "claire@example.org")
    con.close()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CARTOGRAPHIE_BASE", str(chemin))
        yield {"chemin": chemin, **trouves}


def page(fichier: str, compte=None) -> AppTest:
    """L'application entière (navigation et garde comprises), ouverte sur `fichier`."""
    at = AppTest.from_file(APP, default_timeout=60)
    if compte is not None:
        at.session_state[CLE_COMPTE] = compte
    at.run()
    at.switch_page(fichier)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("fichier", [IMPORT, SIGNALEMENTS])
@pytest.mark.parametrize("role", [None, Role.STATISTIQUES])
def test_refus_sans_compte_ou_sans_role(comptes, fichier: str, role: Role | None) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    if role is not None:
        at.session_state[CLE_COMPTE] = comptes[role]
    at.run()
    # La navigation ne sert pas la page : une adresse tapée à la main ne la trouve pas.
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(fichier)
    assert not at.get("file_uploader")
    assert not [
        b
        for b in at.get("download_button")
        if "annuaire public" in b.proto.label or "CONFIDENTIEL" in b.proto.label
    ]


def test_editeur_apercu_puis_confirmation(comptes) -> None:
    from ui.base import curseur

    at = page(IMPORT, comptes[Role.EDITEUR])
    texte = (
        "Identifiant;Nom;Type;Commune;Code INSEE\r\n"
        f"leao-page;{PIEGE};leao;Voiron;38563\r\n"
        "leao-faux;Faux;pas_un_type;Voiron;38563\r\n"
    )
    at.get("file_uploader")[0].upload("partenaires.csv", texte.encode("cp1252"), "text/csv")
    at.run()
    assert not at.exception, at.exception
    compteurs = {m.label: m.value for m in at.metric}
    assert compteurs == {
        "Nouveaux acteurs": "1",
        "Fiches modifiées": "0",
        "Inchangées": "0",
        "Lignes en erreur": "1",
    }
    erreurs = at.dataframe[0].value
    assert list(erreurs["Ligne"]) == [3]
    assert list(erreurs["Colonne"]) == ["Type"]
    assert (
        curseur().execute("SELECT count(*) FROM acteur WHERE id = 'leao-page'").fetchone()[0] == 0
    )

    (confirmer,) = [b for b in at.button if b.label.startswith("Confirmer l'import")]
    assert "1 fiches ; 1 lignes en erreur ignorées" in confirmer.label
    confirmer.click()
    at.run()
    assert not at.exception, at.exception
    assert "Import terminé : 1 acteurs ajoutés" in at.success[0].value
    (nom,) = curseur().execute("SELECT nom FROM acteur WHERE id = 'leao-page'").fetchone()
    assert nom == PIEGE
    assert list((Path(comptes["chemin"]).parent / "sauvegardes").glob("*.duckdb"))


def test_fichier_refuse_message_en_francais(comptes) -> None:
    at = page(IMPORT, comptes[Role.EDITEUR])
    at.get("file_uploader")[0].upload("vide.csv", b"", "text/csv")
    at.run()
    assert "Fichier refusé" in at.error[0].value
    assert not [b for b in at.button if b.label.startswith("Confirmer")]


def test_export_complet_reserve_a_l_administration(comptes) -> None:
    editeur = page(IMPORT, comptes[Role.EDITEUR])
    noms = [b.proto.label for b in editeur.get("download_button")]
    assert len(noms) == 3
    assert not [n for n in noms if "CONFIDENTIEL" in n]
    assert not [b for b in editeur.button if "export complet" in b.label]
    admin = page(IMPORT, comptes[Role.ADMINISTRATEUR])
    # Rien de confidentiel n'est prêt avant la demande explicite de l'administrateur.
    assert not [b for b in admin.get("download_button") if "CONFIDENTIEL" in b.proto.label]
    admin.button(key="preparer_export_complet").click()
    admin.run()
    assert not admin.exception, admin.exception
    noms = [b.proto.label for b in admin.get("download_button")]
    assert len([n for n in noms if "COMPLET, CONFIDENTIEL" in n]) == 3
    # Proposés jusqu'au clic suivant seulement.
    admin.run()
    assert not [b for b in admin.get("download_button") if "CONFIDENTIEL" in b.proto.label]


def test_file_des_signalements_traitee(comptes) -> None:
    at = page(SIGNALEMENTS, comptes[Role.EDITEUR])
    textes = [t.value for t in at.text]
    assert PIEGE + " téléphone faux" in textes  # affiché comme texte, jamais interprété
    assert "Contact : claire@example.org" in textes
    (traiter,) = [b for b in at.button if b.label == "Marquer comme traité"]
    traiter.click()
    at.run()
    assert not at.exception, at.exception
    assert "0 signalement(s)." in [m.value for m in at.markdown]


def test_signalement_ouvre_la_fiche_a_corriger(comptes) -> None:
    from ui.base import curseur

    acteur = curseur().execute("SELECT max(id) FROM acteur WHERE statut = 'actif'").fetchone()[0]
    deposer(curseur(), acteur, "adresse fausse")
    at = page(SIGNALEMENTS, comptes[Role.EDITEUR])
    numero = max(s.numero for s in file_ddfe(curseur()))
    at.button(key=f"ouvrir_{numero}").click()
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Fiches des acteurs"
    assert at.selectbox(key="fiche_choisie").value == acteur


def test_classeurs_hostiles_refuses_ou_lus_en_entier_sur_la_page(comptes) -> None:
    from tests import classeurs_hostiles as hostiles

    at = page(IMPORT, comptes[Role.EDITEUR])
    at.get("file_uploader")[0].upload("geant.xlsx", hostiles.cellule_geante(), "application/zip")
    at.run()
    assert not at.exception, at.exception
    assert "Fichier refusé" in at.error[0].value
    assert "cellule de plus de 32 767 caractères" in at.text[0].value
    assert not [b for b in at.button if b.label.startswith("Confirmer")]

    at.get("file_uploader")[0].upload("petite.xlsx", hostiles.dimension_trop_petite(5), "x")
    at.run()
    assert not at.exception, at.exception
    assert "5 lignes de données" in at.caption[0].value
    assert {m.label: m.value for m in at.metric}["Nouveaux acteurs"] == "5"


def test_signalements_groupes_traites_en_bloc(comptes) -> None:
    from ui.base import curseur

    groupe = StatutSignalement.GROUPE

    acteur = curseur().execute("SELECT max(id) FROM acteur WHERE statut = 'actif'").fetchone()[0]
    for i in range(4):
        deposer(curseur(), acteur, f"{PIEGE} spam {i}", limite_acteur=1)
    groupes = len(file_ddfe(curseur(), statut=groupe))
    assert groupes >= 3
    at = page(SIGNALEMENTS, comptes[Role.EDITEUR])
    assert f"{groupes} signalement(s) groupé(s)" in at.info[0].value
    at.segmented_control[0].set_value(groupe)
    at.run()
    assert not at.exception, at.exception
    textes = [t.value for t in at.text]
    assert any(f"{PIEGE} spam 3" in t for t in textes)  # lu comme texte, jamais interprété
    at.button(key=f"traiter_groupes_{acteur}").click()
    at.run()
    assert not at.exception, at.exception
    assert file_ddfe(curseur(), statut=groupe) == []
    assert "0 signalement(s)." in [m.value for m in at.markdown]
