"""Chaque champ des fiches enrichies fait l'aller-retour : formulaire, import, base, historique,
restauration, exports ; les horaires et la zone refusés en français quand ils sont faux."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import duckdb
import pytest

from cartographie import edition
from cartographie.communes import commune_par_code
from cartographie.echanges.exportation import csv_tableur, data_inclusion, geojson
from cartographie.echanges.importation import appliquer_import, preparer_apercu
from cartographie.echanges.lecture_tableur import lire_tableur
from cartographie.edition.formulaire import POSITION_MANUELLE, saisie_de
from cartographie.modele import (
    Accessibilite,
    Acteur,
    Frais,
    Langue,
    ModeAccueil,
    ModeOrientation,
    Nature,
    TypeActeur,
)
from cartographie.modele.champs import vers_textes
from cartographie.validation import ErreurDonnees
from tests.conftest import COMMUNES

VOIRON = commune_par_code("38563", COMMUNES)
ENRICHIS = {
    "nature": Nature.RESSOURCE,
    "horaires_accueil": "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
    "horaires_precisions": "Permanence juridique le mercredi sur rendez-vous",
    "modes_accueil": (ModeAccueil.SUR_PLACE, ModeAccueil.TELEPHONE),
    "modes_orientation": (ModeOrientation.SANS_RENDEZ_VOUS, ModeOrientation.PROFESSIONNEL),
    "conditions_acces": "Femmes majeures, avec ou sans enfants",
    "frais": Frais.GRATUIT_SOUS_CONDITIONS,
    "langues": (Langue.FR, Langue.AR, Langue.UK),
    "accessibilite_fauteuil": Accessibilite.OUI,
    "lien_acceslibre": "https://acceslibre.beta.gouv.fr/app/38-voiron/a/lieu/erp/x/",
    "capacite": 12,
    "capacite_date": date(2024, 3, 1),
    "zone_eligibilite": ("38563", VOIRON.epci_code),
    "date_source": date(2024, 5, 2),
}


def _formulaire(**valeurs: object) -> dict[str, object]:
    base = Acteur(
        id="a-venir",
        nom="Lieu d'accueil de Voiron",
        type=TypeActeur.LEAO,
        commune="Voiron",
        code_insee="38563",
        code_postal="38500",
        adresse="12 rue Mainssieux",
    )
    return saisie_de(base, COMMUNES) | {POSITION_MANUELLE: False} | valeurs


def test_formulaire_base_historique_et_restauration(base: duckdb.DuckDBPyConnection) -> None:
    cree = edition.enregistrer_formulaire(base, _formulaire(**ENRICHIS), None, "claire", COMMUNES)
    relue = edition.fiche(base, cree.id)
    for champ, valeur in ENRICHIS.items():
        assert getattr(relue, champ) == valeur, champ
    assert relue.date_verification is None  # créer une fiche ne la vérifie pas

    autres = {
        "horaires_accueil": "24/7",
        "langues": (Langue.ES,),
        "frais": Frais.GRATUIT,
        "capacite": None,
        "zone_eligibilite": ("38",),
        "nature": Nature.PARTENAIRE,
    }
    modifiee = edition.enregistrer_formulaire(
        base, saisie_de(relue, COMMUNES) | autres, relue, "sami", COMMUNES
    )
    (version, _) = edition.historique(base, cree.id)
    assert set(autres) <= set(version.changements)
    assert version.changements["langues"] == (["fr", "ar", "uk"], ["es"])
    assert version.changements["capacite"] == (12, None)

    restauree = edition.restaurer_version(
        base, cree.id, 1, auteur="claire", version_attendue=modifiee.version
    )
    for champ, valeur in ENRICHIS.items():
        assert getattr(restauree, champ) == valeur, champ


def _fichier(lignes: list[dict[str, str]]) -> bytes:
    colonnes = list(lignes[0])
    tampon = io.StringIO(newline="")
    ecrivain = csv.DictWriter(tampon, fieldnames=colonnes, delimiter=";")
    ecrivain.writeheader()
    ecrivain.writerows(lignes)
    return tampon.getvalue().encode()


def _importer(base: duckdb.DuckDBPyConnection, contenu: bytes):
    tableau = lire_tableur(contenu, "partenaires.csv", taille_max=10**7, lignes_max=1000)
    return preparer_apercu(base, tableau, COMMUNES, aujourd_hui=date(2026, 11, 29))


def test_import_puis_export_puis_reimport_inchange(base: duckdb.DuckDBPyConnection) -> None:
    enrichie = Acteur(
        id="lieu-voiron",
        nom="Lieu d'accueil de Voiron",
        type=TypeActeur.LEAO,
        commune="Voiron",
        code_insee="38563",
        code_postal="38500",
        **ENRICHIS,
    )
    ligne = vers_textes(enrichie)
    assert ligne["langues"] == "fr|ar|uk"
    assert ligne["zone_eligibilite"] == f"38563|{VOIRON.epci_code}"
    apercu = _importer(base, _fichier([ligne]))
    assert not apercu.erreurs, apercu.erreurs
    appliquer_import(base, apercu, auteur="ddfe", nom_fichier="partenaires.csv")
    en_base = edition.fiche(base, "lieu-voiron")
    for champ, valeur in ENRICHIS.items():
        assert getattr(en_base, champ) == valeur, champ
    assert en_base.date_verification is None  # un import ne vérifie rien

    exporte = csv_tableur([en_base]).decode("utf-8-sig")
    ligne_exportee = next(csv.DictReader(io.StringIO(exporte), delimiter=";"))
    assert ligne_exportee["horaires_accueil"] == ENRICHIS["horaires_accueil"]
    reimport = _importer(base, exporte.encode())
    assert (reimport.inchanges, reimport.modifies, reimport.erreurs) == (1, (), ())

    service = json.loads(data_inclusion([en_base]))["services"][0]
    assert service["horaires_accueil"] == ENRICHIS["horaires_accueil"]
    assert service["modes_accueil"] == ["a-distance", "en-presentiel"]
    assert service["modes_mobilisation"] == ["se-presenter"]
    assert service["mobilisable_par"] == ["professionnels", "usagers"]
    assert service["frais"] == "gratuit"
    assert service["frais_precisions"] == "Gratuit sous conditions"
    assert service["zone_eligibilite"] == ["38563", VOIRON.epci_code]
    assert service["conditions_acces"] == ENRICHIS["conditions_acces"]
    proprietes = json.loads(geojson([en_base]))["features"][0]["properties"]
    assert proprietes["langues"] == "fr|ar|uk"


@pytest.mark.parametrize(
    ("colonne", "valeur", "extrait"),
    [
        ("horaires_accueil", "lundi 9h-17h", "n'est pas au format OpenStreetMap"),
        ("zone_eligibilite", "38|69123", "« 69123 » n'est ni 38"),
        ("langues", "fr|klingon", "n'est pas une valeur admise"),
        ("frais", "offert", "n'est pas une valeur admise"),
        ("capacite", "douze", "nombre entier attendu"),
        ("lien_acceslibre", "javascript:alert(1)", "n'est pas l'adresse d'un site web"),
    ],
)
def test_valeurs_fausses_refusees_ligne_par_ligne(
    base: duckdb.DuckDBPyConnection, colonne: str, valeur: str, extrait: str
) -> None:
    ligne = {
        "id": "lieu-faux",
        "nom": "Lieu faux",
        "type": "leao",
        "commune": "Voiron",
        "code_insee": "38563",
        colonne: valeur,
    }
    apercu = _importer(base, _fichier([ligne]))
    (erreur,) = apercu.erreurs
    assert (erreur.ligne, erreur.colonne) == (2, colonne)
    assert extrait in erreur.message


def test_formulaire_horaires_faux_refuses(base: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ErreurDonnees) as refus:
        edition.enregistrer_formulaire(
            base, _formulaire(horaires_accueil="Mo-Fr 9h-12h"), None, "claire", COMMUNES
        )
    assert refus.value.colonne == "horaires_accueil"
    assert "caractère 7" in refus.value.message
