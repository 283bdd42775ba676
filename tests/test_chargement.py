"""Chargement de data/acteurs.csv : tout ou rien, erreurs situées à la ligne et à la colonne."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from cartographie.echanges.chargement import initialiser_base, lire_csv
from cartographie.modele import COLONNES_CSV, Precision
from cartographie.stockage import acteurs as depot_acteurs
from cartographie.stockage.connexion import ouvrir
from cartographie.validation import ErreurDonnees
from tests.conftest import COMMUNES, CSV_ACTEURS

pytestmark = pytest.mark.deux_bases  # stockage et métier : DuckDB puis PostgreSQL

VALIDE = {
    "id": "lieu-ecoute-test",
    "nom": "Lieu d'écoute de test",
    "type": "leao",
    "commune": "Grenoble",
    "code_insee": "38185",
    "code_postal": "38000",
    "axes": "1|2",
    "publics": "femmes_victimes|enfants_covictimes",
    "adresse_confidentielle": "false",
    "statut": "actif",
    "date_maj": "2026-11-26",
}


def ecrire_csv(chemin: Path, lignes: list[dict[str, str]], colonnes=COLONNES_CSV) -> Path:
    with chemin.open("w", encoding="utf-8", newline="") as f:
        ecrivain = csv.DictWriter(f, fieldnames=colonnes, extrasaction="ignore")
        ecrivain.writeheader()
        for ligne in lignes:
            ecrivain.writerow({c: ligne.get(c, "") for c in colonnes})
    return chemin


def contenu(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT * FROM acteur ORDER BY id").fetchall()


def test_le_vrai_fichier_se_charge_entierement(base: duckdb.DuckDBPyConnection) -> None:
    with CSV_ACTEURS.open(encoding="utf-8") as f:
        lignes = sum(1 for _ in csv.DictReader(f))
    acteurs = depot_acteurs.lister(base, statut=None)
    assert len(acteurs) == lignes >= 30
    for acteur in acteurs:
        assert acteur.latitude is not None, acteur.id
        assert acteur.territoire, acteur.id
        if acteur.adresse_confidentielle:
            assert acteur.adresse == "", f"{acteur.id} : adresse confidentielle saisie"


def test_redemarrer_ne_duplique_ni_ne_perd(chemin_base: Path) -> None:
    con = ouvrir(chemin_base)
    premier = initialiser_base(con, CSV_ACTEURS, COMMUNES)
    con.close()
    con = ouvrir(chemin_base)
    assert initialiser_base(con, CSV_ACTEURS, COMMUNES) == 0
    assert depot_acteurs.compter(con) == premier > 0


def test_sans_coordonnees_place_au_point_de_la_commune(tmp_path: Path) -> None:
    (acteur,) = lire_csv(ecrire_csv(tmp_path / "a.csv", [VALIDE]), COMMUNES)
    assert acteur.precision_localisation is Precision.COMMUNE
    assert (acteur.latitude, acteur.longitude) != (None, None)
    assert 45.1 < acteur.latitude < 45.3
    assert acteur.territoire


def test_coordonnees_donnees_gardees(tmp_path: Path) -> None:
    ligne = VALIDE | {
        "latitude": "45,1885",
        "longitude": "5.7245",
        "precision_localisation": "manuelle",
    }
    (acteur,) = lire_csv(ecrire_csv(tmp_path / "a.csv", [ligne]), COMMUNES)
    assert (acteur.latitude, acteur.longitude) == (45.1885, 5.7245)
    assert acteur.precision_localisation is Precision.MANUELLE


def test_html_conserve_tel_quel_comme_du_texte(tmp_path: Path) -> None:
    hostile = "<script>alert('x')</script><b>Refuge</b>"
    (acteur,) = lire_csv(ecrire_csv(tmp_path / "a.csv", [VALIDE | {"nom": hostile}]), COMMUNES)
    assert acteur.nom == hostile


@pytest.mark.parametrize(
    ("modification", "colonne", "message"),
    [
        ({"nom": ""}, "nom", "obligatoire"),
        ({"id": "Lieu Écoute"}, "id", "minuscules"),
        ({"type": "refuge"}, "type", "n'est pas une valeur admise"),
        (
            {"code_insee": "69123", "commune": "Lyon"},
            "code_insee",
            "n'est pas une commune de l'Isère",
        ),
        ({"commune": "Voiron"}, "commune", "ne correspond pas au code 38185"),
        ({"code_postal": "38500"}, "code_postal", "n'est pas un code postal de Grenoble"),
        ({"latitude": "5.72", "longitude": "45.18"}, "latitude", "hors de l'Isère"),
        ({"latitude": "quarante-cinq", "longitude": "5"}, "latitude", "illisibles"),
        ({"axes": "1|9"}, "axes", "n'est pas une valeur admise"),
        ({"publics": "femmes"}, "publics", "n'est pas une valeur admise"),
        ({"adresse_confidentielle": "peut-être"}, "adresse_confidentielle", "true ou false"),
        ({"date_maj": "26/11/2026"}, "date_maj", "AAAA-MM-JJ"),
        ({"statut": "supprimé"}, "statut", "n'est pas une valeur admise"),
    ],
)
def test_ligne_fausse_situee(
    tmp_path: Path, modification: dict, colonne: str, message: str
) -> None:
    autre = VALIDE | {"id": "autre-acteur"}
    chemin = ecrire_csv(tmp_path / "a.csv", [autre, VALIDE | modification])
    with pytest.raises(ErreurDonnees, match=message) as erreur:
        lire_csv(chemin, COMMUNES)
    assert (erreur.value.ligne, erreur.value.colonne) == (3, colonne)
    assert str(erreur.value).startswith(f"Ligne 3, colonne « {colonne} »")


def test_identifiant_en_double_refuse(tmp_path: Path) -> None:
    chemin = ecrire_csv(tmp_path / "a.csv", [VALIDE, VALIDE])
    with pytest.raises(ErreurDonnees, match="déjà utilisé ligne 2") as erreur:
        lire_csv(chemin, COMMUNES)
    assert erreur.value.ligne == 3


def test_colonne_manquante_refusee(tmp_path: Path) -> None:
    colonnes = [c for c in COLONNES_CSV if c != "publics"]
    chemin = ecrire_csv(tmp_path / "a.csv", [VALIDE], colonnes=colonnes)
    with pytest.raises(ErreurDonnees, match="publics"):
        lire_csv(chemin, COMMUNES)


def test_ancien_code_2018_rattache_a_la_commune_2026(tmp_path: Path) -> None:
    # Saint-Bernard (38367) fait partie de Plateau-des-Petites-Roches (38395) depuis 2019.
    ligne = VALIDE | {"code_insee": "38367", "commune": "Saint-Bernard", "code_postal": ""}
    (acteur,) = lire_csv(ecrire_csv(tmp_path / "a.csv", [ligne]), COMMUNES)
    assert acteur.code_insee == "38395"
    assert acteur.commune == "Plateau-des-Petites-Roches"


def test_echec_laisse_la_base_telle_quelle(tmp_path: Path, chemin_base: Path) -> None:
    fautif = ecrire_csv(tmp_path / "a.csv", [VALIDE, VALIDE | {"id": "b", "type": "inconnu"}])
    con = ouvrir(chemin_base)
    with pytest.raises(ErreurDonnees):
        initialiser_base(con, fautif, COMMUNES)
    assert depot_acteurs.compter(con) == 0
    # Une base déjà remplie n'est ni vidée ni complétée par un fichier fautif.
    initialiser_base(con, ecrire_csv(tmp_path / "b.csv", [VALIDE]), COMMUNES)
    avant = contenu(con)
    con.execute("DELETE FROM meta")  # force la resynchronisation des communes
    initialiser_base(con, fautif, COMMUNES)
    assert contenu(con) == avant
