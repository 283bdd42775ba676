"""Lecture des tableurs tels que les partenaires les envoient : encodages, séparateurs, en-têtes."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from cartographie.echanges.lecture_tableur import FichierRefuse, lire_tableur, nom_colonne

MAX = 20_000_000


def lire(contenu: bytes, nom: str = "acteurs.csv", lignes_max: int = 1000):
    return lire_tableur(contenu, nom, taille_max=MAX, lignes_max=lignes_max)


def test_windows_1252_et_point_virgule_comme_excel_en_francais() -> None:
    texte = "Identifiant;Nom;Commune\r\nleao-1;Écoute Sœur été;Saint-Égrève\r\n"
    tableau = lire(texte.encode("cp1252"))
    assert tableau.format == "CSV Windows-1252, séparateur point-virgule"
    assert tableau.lignes[0].champs == {
        "id": "leao-1",
        "nom": "Écoute Sœur été",
        "commune": "Saint-Égrève",
    }
    assert tableau.lignes[0].numero == 2


@pytest.mark.parametrize(
    ("octets", "format_attendu"),
    [
        ("id,nom\nleao-1,Été\n".encode("utf-8-sig"), "CSV UTF-8 avec BOM, séparateur virgule"),
        ("id,nom\nleao-1,Été\n".encode(), "CSV UTF-8, séparateur virgule"),
        ("id\tnom\nleao-1\tÉté\n".encode("utf-16"), "CSV UTF-16, séparateur tabulation"),
    ],
)
def test_encodages_reconnus(octets: bytes, format_attendu: str) -> None:
    tableau = lire(octets)
    assert tableau.format == format_attendu
    assert tableau.lignes[0].champs["nom"] == "Été"  # le BOM ne colle pas au premier en-tête
    assert tableau.colonnes == ("id", "nom")


@pytest.mark.parametrize(
    ("entete", "colonne"),
    [
        ("  Code INSEE ", "code_insee"),
        ("CODE_POSTAL", "code_postal"),
        ("Téléphone", "telephone"),
        ("Précision localisation", "precision_localisation"),
        ("Adresse confidentielle", "adresse_confidentielle"),
        ("complément d'adresse", "complement_adresse"),
        ("Date de mise à jour", "date_maj"),
        ("E-mail", "e_mail"),
        ("Courriel", "courriel"),
    ],
)
def test_entetes_sans_casse_ni_accents_ni_espaces(entete: str, colonne: str) -> None:
    assert nom_colonne(entete) == colonne


def test_colonnes_en_trop_signalees_et_ignorees_colonnes_absentes_connues() -> None:
    tableau = lire(b"id;nom;Remarques internes;\nleao-1;A;voir Paul;\n")
    assert tableau.colonnes == ("id", "nom")
    assert tableau.colonnes_ignorees == ("Remarques internes",)
    assert tableau.lignes[0].champs == {"id": "leao-1", "nom": "A"}


def test_colonne_en_double_refusee() -> None:
    with pytest.raises(FichierRefuse, match=r"« nom » apparaît deux fois .*colonnes 2 et 3"):
        lire(b"id;Nom;NOM\nleao-1;A;B\n")


def test_lignes_vides_sautees_numeros_conserves() -> None:
    tableau = lire(b"id;nom\n\nleao-1;A\n;\nleao-2;B\n")
    assert [(ligne.numero, ligne.champs["id"]) for ligne in tableau.lignes] == [
        (3, "leao-1"),
        (5, "leao-2"),
    ]


def test_ligne_courte_completee_par_des_vides() -> None:
    tableau = lire(b"id;nom;commune\nleao-1\n")
    assert tableau.lignes[0].champs == {"id": "leao-1", "nom": "", "commune": ""}


def test_apostrophe_anti_formule_retiree_et_date_francaise_convertie() -> None:
    tableau = lire(b"id;telephone;date_maj;nom\nleao-1;'+33 4 76 00 00 00;05/03/2026;'Nom\n")
    champs = tableau.lignes[0].champs
    assert champs["telephone"] == "+33 4 76 00 00 00"
    assert champs["date_maj"] == "2026-03-05"
    assert champs["nom"] == "'Nom"  # une apostrophe ordinaire reste


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        (b"", "vide"),
        (b"   \n", "vide"),
        (b"id nom\nx\n", "Une seule colonne"),
        (b"\x81\x8d\x8f\x90\x9d;a\n", "Encodage du fichier non reconnu"),
    ],
)
def test_fichiers_illisibles(contenu: bytes, message: str) -> None:
    with pytest.raises(FichierRefuse, match=message):
        lire(contenu)


def test_guillemet_non_ferme_donne_un_message_et_pas_un_plantage() -> None:
    contenu = b'id;nom\nleao-1;"' + b"x" * 200_000 + b"\n"
    with pytest.raises(FichierRefuse, match="illisible"):
        lire(contenu)


def test_fichier_de_50_mo_refuse_aussitot(tmp_path) -> None:
    chemin = tmp_path / "gros.csv"
    ligne = b"leao-x;" + b"a" * 1000 + b"\n"
    with chemin.open("wb") as f:
        f.write(b"id;nom\n")
        for _ in range(50_000):
            f.write(ligne)
    contenu = chemin.read_bytes()
    assert len(contenu) > 50_000_000
    with pytest.raises(
        FichierRefuse, match=r"Fichier trop volumineux \(50\.4 Mo ; maximum 20 Mo\)"
    ):
        lire(contenu)


def test_trop_de_lignes_refuse() -> None:
    contenu = b"id;nom\n" + b"".join(b"leao-%d;A\n" % i for i in range(11))
    with pytest.raises(FichierRefuse, match="au plus 10 acteurs par import"):
        lire(contenu, lignes_max=10)


def classeur(lignes: list[list[object]]) -> bytes:
    wb = Workbook()
    feuille = wb.active
    for ligne in lignes:
        feuille.append(ligne)
    tampon = io.BytesIO()
    wb.save(tampon)
    return tampon.getvalue()


def test_xlsx_cellules_typees_ramenees_au_texte() -> None:
    contenu = classeur(
        [
            [" ID ", "Code INSEE", "Latitude", "Adresse confidentielle", "Notes", "date_maj"],
            ["leao-1", 38185, 45.18, True, "x", datetime(2026, 3, 5, 0, 0)],
            ["leao-2", 38185.0, None, False, "x", date(2026, 1, 2)],
        ]
    )
    tableau = lire(contenu, "partenaires.xlsx")
    assert tableau.format == "XLSX"
    assert tableau.colonnes_ignorees == ("Notes",)
    assert [ligne.champs for ligne in tableau.lignes] == [
        {
            "id": "leao-1",
            "code_insee": "38185",
            "latitude": "45.18",
            "adresse_confidentielle": "true",
            "date_maj": "2026-03-05",
        },
        {
            "id": "leao-2",
            "code_insee": "38185",
            "latitude": "",
            "adresse_confidentielle": "false",
            "date_maj": "2026-01-02",
        },
    ]


def test_xlsx_abime_ou_xls_refuses_avec_un_message() -> None:
    with pytest.raises(FichierRefuse, match="Classeur XLSX illisible"):
        lire(b"PK\x03\x04 pas vraiment un zip", "a.xlsx")
    with pytest.raises(FichierRefuse, match="Excel 97-2003"):
        lire(b"\xd0\xcf\x11\xe0", "a.xls")


@pytest.mark.parametrize("entete", ["version_publique", "Version publique", " VERSION-PUBLIQUE "])
def test_export_public_refuse_meme_retouche_par_un_tableur(entete: str) -> None:
    with pytest.raises(FichierRefuse, match="Ce fichier est un export public"):
        lire(f"id;nom;{entete}\nleao-1;Écoute;oui\n".encode())
