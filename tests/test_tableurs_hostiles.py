"""Tableurs hostiles ou abîmés : refusés vite, avec un message en français qui nomme la limite.

Les classeurs sont écrits à la main (`tests/classeurs_hostiles.py`) : aucun tableur honnête ne
les produit. Les temps et la mémoire avant/après sont mesurés par
`bench/bench_tableurs_hostiles.py` (pas d'assertion de durée ici).
"""

from __future__ import annotations

import tracemalloc
from datetime import datetime

import pytest

from cartographie.echanges.lecture_tableur import FichierRefuse, lire_tableur
from tests import classeurs_hostiles as hostiles
from tests.classeurs_hostiles import ENTETE, LIGNE_VALIDE, cellule, classeur, rangee

MAX = 20_000_000


def lire(contenu: bytes, nom: str = "partenaires.xlsx", **limites):
    limites.setdefault("taille_max", MAX)
    limites.setdefault("lignes_max", 50_000)
    return lire_tableur(contenu, nom, **limites)


def test_cellule_de_cent_millions_de_caracteres_refusee_sans_etre_assemblee() -> None:
    contenu = hostiles.cellule_geante(100_000_000)
    assert len(contenu) < 150_000
    tracemalloc.start()
    try:
        with pytest.raises(FichierRefuse) as refus:
            lire(contenu)
        _, pic = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "cellule de plus de 32 767 caractères, le maximum d'une cellule de tableur" in str(
        refus.value
    )
    # Lu par morceaux de 64 Ko, arrêté au 32 768e caractère : la chaîne n'existe jamais.
    assert pic < 10_000_000


def test_deux_mille_noms_de_32_000_caracteres_refuses_au_dela_du_texte_d_un_csv() -> None:
    contenu = hostiles.noms_geants(2001, 32_000)
    assert len(contenu) < 200_000
    with pytest.raises(
        FichierRefuse,
        match=r"plus de 20 000 000 caractères de texte une fois déplié \(au plus 20 000 000,"
        r" autant qu'un CSV de 20 Mo\)",
    ):
        lire(contenu)


def test_feuille_declaree_a1_xfd1048576_lue_par_ses_seules_cellules() -> None:
    tableau = lire(hostiles.dimension_geante())
    assert [(ligne.numero, ligne.champs["id"]) for ligne in tableau.lignes] == [(2, "leao-hostile")]


def test_dimension_plus_petite_que_la_feuille_aucune_ligne_perdue() -> None:
    tableau = lire(hostiles.dimension_trop_petite(5))
    assert [ligne.champs["id"] for ligne in tableau.lignes] == [f"leao-cache-{i}" for i in range(5)]
    assert [ligne.numero for ligne in tableau.lignes] == [2, 3, 4, 5, 6]


def test_cellule_isolee_tout_au_bout_de_la_feuille_ignoree() -> None:
    tableau = lire(hostiles.cellule_lointaine())
    assert [ligne.champs["id"] for ligne in tableau.lignes] == ["leao-hostile"]


def test_en_tete_de_plus_de_200_colonnes_refuse() -> None:
    contenu = classeur([rangee(1, [*ENTETE, *(f"c{i}" for i in range(300))])])
    with pytest.raises(FichierRefuse, match=r"Cellule GS1 : l'en-tête a plus de 200 colonnes"):
        lire(contenu)
    texte = ";".join([*ENTETE, *(f"c{i}" for i in range(300))]) + "\n" + ";".join(LIGNE_VALIDE)
    with pytest.raises(FichierRefuse, match=r"Ligne 1 : l'en-tête a plus de 200 colonnes"):
        lire(texte.encode(), "partenaires.csv")


def test_decompresse_au_dela_de_la_limite_refuse_avant_lecture() -> None:
    lignes = [rangee(1, ENTETE)] + [f'<row r="{i}"><c r="A{i}"/></row>' for i in range(2, 60_000)]
    contenu = classeur(lignes)
    with pytest.raises(
        FichierRefuse, match=r"Classeur trop volumineux une fois décompressé \(plus de 1 Mo"
    ):
        lire(contenu, taille_depliee_max=1_000_000)


def test_doctype_et_entites_refuses() -> None:
    rires = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    contenu = classeur([rangee(1, ENTETE), rangee(2, LIGNE_VALIDE)])
    contenu = _remplacer_feuille(contenu, lambda xml: rires + xml.replace("leao-hostile", "&lol2;"))
    with pytest.raises(FichierRefuse, match="DOCTYPE interdite"):
        lire(contenu)


def test_delai_de_lecture_depasse_refuse_avec_la_limite() -> None:
    with pytest.raises(FichierRefuse, match=r"Lecture arrêtée au bout de 0 s"):
        lire(hostiles.dimension_trop_petite(5), delai_s=0)
    with pytest.raises(FichierRefuse, match=r"Lecture arrêtée au bout de 0 s"):
        lire(b"id;nom\nleao-1;A\n", "a.csv", delai_s=0)


def test_texte_riche_phonetique_echappements_et_cellules_sans_reference() -> None:
    partagees = [
        '<r><t>Écoute</t></r><r><rPr><b/></rPr><t xml:space="preserve"> Sud</t></r>'
        '<rPh sb="0" eb="1"><t>ECOUTE</t></rPh>',
        "ligne 1_x000D_ligne 2",
    ]
    feuille = [
        rangee(1, ENTETE),
        # Ni `r` sur la ligne ni sur les cellules : positions déduites de l'ordre.
        '<row><c t="inlineStr"><is><t>leao-riche</t></is></c><c t="s"><v>0</v></c>'
        '<c t="str"><v>leao</v></c><c t="s"><v>1</v></c><c><v>38563</v></c></row>',
    ]
    tableau = lire(classeur(feuille, partagees=partagees))
    assert tableau.lignes[0].numero == 2
    assert tableau.lignes[0].champs == {
        "id": "leao-riche",
        "nom": "Écoute Sud",
        "type": "leao",
        "commune": "ligne 1\rligne 2",
        "code_insee": "38563",
    }


def test_reference_a_une_chaine_partagee_absente_refusee() -> None:
    feuille = [rangee(1, ENTETE), '<row r="2"><c r="A2" t="s"><v>7</v></c></row>']
    with pytest.raises(FichierRefuse, match=r"cellule A2 : chaîne partagée n° 7 introuvable"):
        lire(classeur(feuille))


def test_feuille_sans_ligne_1_en_tete_vide() -> None:
    tableau = lire(classeur([rangee(3, LIGNE_VALIDE)]))
    assert tableau.colonnes == ()


def test_dates_du_calendrier_1904_et_booleens() -> None:
    styles = (
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>'
    )
    feuille = [
        rangee(1, ("id", "date_maj", "adresse_confidentielle")),
        f'<row r="2">{cellule(2, 1, "leao-1")}<c r="B2" s="1"><v>44989</v></c>'
        '<c r="C2" t="b"><v>1</v></c></row>',
    ]
    contenu = _avec_styles(classeur(feuille), styles, date1904=True)
    (ligne,) = lire(contenu).lignes
    # 44989 jours après le 1er janvier 1904.
    attendu = datetime(1904, 1, 1).toordinal() + 44989
    assert ligne.champs["date_maj"] == datetime.fromordinal(attendu).date().isoformat()
    assert ligne.champs["adresse_confidentielle"] == "true"


# --- CSV -----------------------------------------------------------------------------------


def test_csv_cellule_de_10_mo_nomme_la_bonne_ligne_en_francais() -> None:
    contenu = b"id;nom;type\r\nleao-1;" + b"N" * 10_000_000 + b";leao\r\n"
    with pytest.raises(FichierRefuse) as refus:
        lire(contenu, "partenaires.csv")
    message = str(refus.value)
    assert message.startswith("Ligne 2 illisible : une cellule dépasse 32 767 caractères")
    assert "field" not in message


def test_csv_cellule_plus_longue_qu_une_cellule_de_tableur() -> None:
    contenu = b"id;nom;type\r\nleao-0;A;leao\r\nleao-1;" + b"N" * 40_000 + b";leao\r\n"
    with pytest.raises(
        FichierRefuse,
        match=r"^Ligne 3, colonne « nom » : cellule de plus de 32 767 caractères, le maximum",
    ):
        lire(contenu, "partenaires.csv")


@pytest.mark.parametrize(
    ("encodage", "format_attendu"),
    [("utf-16-le", "CSV UTF-16 sans BOM"), ("utf-16-be", "CSV UTF-16 sans BOM")],
)
def test_csv_utf16_sans_bom_reconnu(encodage: str, format_attendu: str) -> None:
    texte = "id;nom;commune\r\nleao-1;Écoute Sœur;Saint-Égrève\r\n"
    tableau = lire(texte.encode(encodage), "partenaires.csv")
    assert tableau.format == f"{format_attendu}, séparateur point-virgule"
    assert tableau.lignes[0].champs == {
        "id": "leao-1",
        "nom": "Écoute Sœur",
        "commune": "Saint-Égrève",
    }


@pytest.mark.parametrize(
    "contenu",
    [
        b"id;nom\nleao-1;A\x00B\n",  # un octet nul isolé
        "id;nom\r\nleao;É\r\n".encode("utf-32-le"),  # ni UTF-8, ni Windows-1252, ni UTF-16
        b"\x00\x01\x02\x03" * 100,
        b"\xff\xfeid;nom\n",  # BOM UTF-16 mais nombre impair d'octets : plantait la page
        b"\xef\xbb\xbfid;nom\n\xff\n",  # BOM UTF-8 mais octets invalides : idem
    ],
)
def test_octets_nuls_encodage_non_reconnu_plutot_que_colonne_absente(contenu: bytes) -> None:
    with pytest.raises(FichierRefuse, match="Encodage du fichier non reconnu"):
        lire(contenu, "partenaires.csv")


# --- Fabrication ---------------------------------------------------------------------------


def _remplacer_feuille(contenu: bytes, changer) -> bytes:
    import io
    import zipfile

    entree = zipfile.ZipFile(io.BytesIO(contenu))
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as sortie:
        for info in entree.infolist():
            donnees = entree.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                donnees = changer(donnees.decode()).encode()
            sortie.writestr(info.filename, donnees)
    return tampon.getvalue()


def _avec_styles(contenu: bytes, styles: str, *, date1904: bool) -> bytes:
    import io
    import zipfile

    entree = zipfile.ZipFile(io.BytesIO(contenu))
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as sortie:
        for info in entree.infolist():
            donnees = entree.read(info).decode()
            if info.filename == "xl/_rels/workbook.xml.rels":
                donnees = donnees.replace(
                    "</Relationships>",
                    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                    "</Relationships>",
                )
            if info.filename == "xl/workbook.xml" and date1904:
                donnees = donnees.replace("<sheets>", '<workbookPr date1904="1"/><sheets>')
            sortie.writestr(info.filename, donnees)
        sortie.writestr("xl/styles.xml", styles)
    return tampon.getvalue()


# --- Réglages ------------------------------------------------------------------------------


def test_reglages_par_defaut_ceux_de_la_lecture() -> None:
    from cartographie import config
    from cartographie.echanges import lecture_tableur

    assert config.lire_entier("IMPORT_TAILLE_DEPLIEE_MAX_MO", {}) * 1_000_000 == (
        lecture_tableur.TAILLE_DEPLIEE_MAX
    )
    assert config.lire_reel("IMPORT_DELAI_LECTURE_S", {}) == lecture_tableur.DELAI_LECTURE_S


def test_l_apercu_applique_les_reglages_de_lecture(base, monkeypatch) -> None:
    from cartographie.echanges.importation import apercu_fichier
    from tests.conftest import COMMUNES

    lignes = [rangee(1, ENTETE)] + [f'<row r="{i}"><c r="A{i}"/></row>' for i in range(2, 60_000)]
    monkeypatch.setenv("CARTOGRAPHIE_IMPORT_TAILLE_DEPLIEE_MAX_MO", "1")
    with pytest.raises(FichierRefuse, match=r"au plus 1 Mo"):
        apercu_fichier(base, classeur(lignes), "p.xlsx", COMMUNES)
    monkeypatch.setenv("CARTOGRAPHIE_IMPORT_DELAI_LECTURE_S", "0")
    with pytest.raises(FichierRefuse, match=r"Lecture arrêtée au bout de 0 s"):
        apercu_fichier(base, hostiles.dimension_trop_petite(), "p.xlsx", COMMUNES)


def test_cinquante_mille_fois_le_meme_identifiant_messages_bornes(base) -> None:
    from cartographie.echanges.importation import preparer_apercu
    from tests.conftest import COMMUNES

    texte = "id;nom;type;commune;code_insee\n" + "leao-x;A;leao;Voiron;38563\n" * 50_000
    tableau = lire(texte.encode(), "p.csv")
    apercu = preparer_apercu(base, tableau, COMMUNES)
    assert len(apercu.erreurs) == 50_000
    assert apercu.erreurs[0].message == (
        "« leao-x » apparaît aussi ligne 3, 4, 5, 6, 7 et 49994 autres : aucune de ces lignes"
        " n'est importée"
    )
    assert max(len(e.message) for e in apercu.erreurs) < 200
