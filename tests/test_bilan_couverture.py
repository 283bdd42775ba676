"""Le bilan annuel de l'objectif 22 (PDF et XLSX) : période et date, comptes de consultation
masqués sous 5, qualité des fiches, couverture, normes ; un nom de fiche n'y devient jamais une
formule."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from cartographie.consultations import statistiques as stats
from cartographie.couverture.rapport import bilan_pdf, bilan_xlsx, nom_fichier, preparer_bilan
from cartographie.couverture.types_d_aide import Aide
from cartographie.echanges.chargement import initialiser_base
from cartographie.modele import TypeActeur
from cartographie.stockage.connexion import ouvrir
from tests.conftest import COMMUNES, CSV_ACTEURS
from tests.exemple_consultations import semer
from tests.fabrique import acteur, ajouter

FORMULE = '=HYPERLINK("https://exemple.invalid","clic")'
PERIODE = stats.Periode(date(2026, 1, 1), date(2026, 6, 30))
PRODUIT_LE = datetime(2026, 7, 2, 8, 30, tzinfo=ZoneInfo("UTC"))


@pytest.fixture(scope="module")
def bilan_et_attendus(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    """Un bilan du premier semestre 2026, consultations semées en janvier, une fiche dont
    le nom est une formule (lieu d'écoute aux Deux Alpes : le plus proche de l'Oisans)."""
    con = ouvrir(tmp_path_factory.mktemp("bilan") / "base.duckdb")
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
    semer(con, datetime(2026, 1, 5), jours=10)
    ajouter(
        con,
        acteur(
            "formule",
            nom=FORMULE,
            type=TypeActeur.LEAO,
            code_insee="38253",
            commune="Les Deux Alpes",
            latitude=44.98837,
            longitude=6.11689,
        ),
    )
    bilan = preparer_bilan(con, PERIODE, PRODUIT_LE, COMMUNES)
    indicateurs = stats.tableau_indicateurs(
        stats.indicateurs_de_la_periode(con, PERIODE, PRODUIT_LE.date())
    )
    con.close()
    return bilan, indicateurs


@pytest.fixture(scope="module")
def classeur(bilan_et_attendus):
    """Le classeur du bilan, produit et relu une fois pour le module."""
    return load_workbook(io.BytesIO(bilan_xlsx(bilan_et_attendus[0])))


def test_classeur_date_periode_et_comptes_masques(bilan_et_attendus, classeur) -> None:
    _, indicateurs = bilan_et_attendus
    assert classeur.sheetnames == [
        "À lire",
        "Indicateurs",
        "Fréquentation par mois",
        "Recherches par territoire",
        "Qualité des fiches",
        "Couverture par territoire",
        "Couverture par commune",
        "Zones blanches",
        "Normes",
        "Cartes",
    ]
    lire = [c.value for c in classeur["À lire"]["A"]]
    assert "Période : du 01/01/2026 au 30/06/2026" in lire
    assert "Produit le 02/07/2026 à 10:30 (heure de Paris)" in lire
    assert any("https://femcities.at/" in (t or "") for t in lire)
    feuille = list(classeur["Indicateurs"].values)
    assert [dict(zip(feuille[0], ligne, strict=True)) for ligne in feuille[1:]] == [
        {k: v or None for k, v in ligne.items()} for ligne in indicateurs
    ]
    assert "< 5" in {ligne["Valeur"] for ligne in indicateurs}  # signalements : aucun
    mois = list(classeur["Fréquentation par mois"].values)[1:]
    assert [m[0] for m in mois] == [
        "01/2026",
        "02/2026",
        "03/2026",
        "04/2026",
        "05/2026",
        "06/2026",
    ]
    assert int(mois[0][1]) >= 5  # janvier : des consultations semées, en clair
    assert mois[4][1:] == ("< 5", "< 5", "< 5")  # mai : rien, écrit « < 5 », jamais 0
    communes = list(classeur["Couverture par commune"].values)
    assert len(communes) == 1 + 512 * len(Aide)
    assert "vol d'oiseau" in communes[0][5]
    assert len(classeur["Cartes"]._images) == len(Aide)


def test_un_nom_de_fiche_n_est_jamais_une_formule(classeur) -> None:
    feuille = classeur["Couverture par commune"]
    cellules = [c for (c,) in feuille.iter_rows(min_col=7, max_col=7) if c.value == FORMULE]
    assert cellules  # l'Oisans a ce lieu d'écoute pour plus proche
    assert {c.data_type for c in cellules} == {"s"}


def test_pdf_une_page_par_aide_avec_sa_carte(bilan_et_attendus) -> None:
    bilan, _ = bilan_et_attendus
    pdf = bilan_pdf(bilan)
    assert pdf.startswith(b"%PDF-")
    assert pdf.count(b"/Subtype /Image") == len(Aide)
    assert pdf.count(b"/Type /Page\n") >= 3 + len(Aide)
    assert nom_fichier(PERIODE, "pdf") == "bilan-objectif-22_2026-01-01_2026-06-30.pdf"
