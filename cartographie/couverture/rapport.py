"""Le bilan annuel de l'objectif 22, en un clic : un PDF à lire et un classeur XLSX à reprendre.

Il rassemble, pour une période choisie et daté de sa production :
1. la consultation de la cartographie (indicateurs de l'objectif 22, fréquentation par mois,
   recherches par territoire) — tout compte inférieur à 5 écrit « < 5 », comme sur la page
   « Statistiques » ;
2. la qualité des fiches (vérification depuis moins de N mois, précision des positions) ;
3. la couverture du territoire (distances à vol d'oiseau par territoire, cartes, zones blanches)
   et les normes du Conseil de l'Europe.
Les chiffres des parties 2 et 3 décrivent des fiches et des populations du recensement, pas des
personnes : ils sont donnés tels quels. Rien n'est écrit en base.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.drawing.image import Image as ImageXlsx
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cartographie.affichage import horodatage
from cartographie.consultations import statistiques as stats
from cartographie.couverture import normes as normes_ce
from cartographie.couverture.calcul import MESURE, MESURE_DETAIL, couverture_de_la_base
from cartographie.couverture.carte_image import carte_png
from cartographie.couverture.synthese import (
    DEPARTEMENT,
    synthese,
    tableau_synthese,
    tableau_zones_blanches,
    zones_blanches,
)
from cartographie.couverture.types_d_aide import Aide
from cartographie.edition import fraicheur
from cartographie.edition.positions import repartition_precisions
from cartographie.modele import Statut
from cartographie.stockage import acteurs as depot_acteurs

_POLICES = Path(__file__).resolve().parents[1] / "polices"
_POLICE = "DejaVu"
_BLEU_FRANCE = (0, 0, 145)
ZONES_BLANCHES_DANS_LE_PDF = 30
TITRE = "Cartographie des acteurs — bilan annuel de l'objectif 22"


@dataclass(frozen=True, slots=True)
class Bilan:
    """Tout ce que contient le bilan, calculé une fois pour le PDF et le classeur."""

    periode: stats.Periode
    produit_le: datetime
    indicateurs: stats.Lignes
    frequentation: stats.Lignes
    recherches_par_territoire: stats.Lignes
    qualite: stats.Lignes
    synthese: stats.Lignes  # par territoire et département, toutes aides
    par_commune: list[dict[str, object]]
    zones_blanches: stats.Lignes
    normes: stats.Lignes
    cartes: dict[Aide, bytes]  # PNG

    @property
    def libelle_periode(self) -> str:
        """« du 01/01/2026 au 31/12/2026 »."""
        return f"du {self.periode.debut:%d/%m/%Y} au {self.periode.fin:%d/%m/%Y}"


def preparer_bilan(
    con: duckdb.DuckDBPyConnection,
    periode: stats.Periode,
    produit_le: datetime,
    chemin_communes: Path | str,
) -> Bilan:
    """Lit la base (sans rien y écrire) et calcule tout le bilan de la période."""
    aujourd_hui = produit_le.date()
    consultations = ("Consultations", "Sessions", "Recherches")
    table = couverture_de_la_base(con, chemin_communes)
    return Bilan(
        periode=periode,
        produit_le=produit_le,
        indicateurs=stats.tableau_indicateurs(
            stats.indicateurs_de_la_periode(con, periode, aujourd_hui)
        ),
        frequentation=stats.masquer_tableau(
            [
                {**ligne, "Période": f"{ligne['Période']:%m/%Y}"}
                for ligne in stats.frequentation(con, periode, "mois")
            ],
            consultations,
        ),
        recherches_par_territoire=stats.masquer_tableau(
            stats.recherches_par_territoire(con, periode), ["Recherches"]
        ),
        qualite=_qualite(con, min(aujourd_hui, periode.fin)),
        synthese=tableau_synthese(synthese(table)),
        par_commune=table.lignes(),
        zones_blanches=tableau_zones_blanches(zones_blanches(table)),
        normes=normes_ce.tableau_normes(normes_ce.comparer(table)),
        cartes={aide: carte_png(table, aide, chemin_communes) for aide in table.aides},
    )


def _qualite(con: duckdb.DuckDBPyConnection, reference) -> stats.Lignes:
    """Fraîcheur et précision des fiches actives à la date de référence."""
    actives = depot_acteurs.lister(con, statut=Statut.ACTIF)
    mois = fraicheur.mois_fraicheur()
    a_jour = sum(fraicheur.est_a_jour(a, reference, mois) for a in actives)
    part = f"{round(100 * a_jour / len(actives))} %" if actives else "—"
    lignes: stats.Lignes = [
        {"Mesure": "Fiches actives", "Valeur": len(actives)},
        {"Mesure": f"Fiches vérifiées depuis moins de {mois} mois", "Valeur": a_jour},
        {"Mesure": f"Part des fiches vérifiées depuis moins de {mois} mois", "Valeur": part},
        {
            "Mesure": "Fiches à vérifier (jamais ou il y a plus longtemps)",
            "Valeur": len(actives) - a_jour,
        },
        {"Mesure": "Fiches sans téléphone", "Valeur": sum(not a.telephone for a in actives)},
    ]
    for precision, nombre in repartition_precisions(actives).items():
        lignes.append({"Mesure": f"Position : {precision.libelle.lower()}", "Valeur": nombre})
    return [{**ligne, "Au": f"{reference:%d/%m/%Y}"} for ligne in lignes]


def nom_fichier(periode: stats.Periode, extension: str) -> str:
    """« bilan-objectif-22_2026-01-01_2026-12-31.pdf »."""
    return f"bilan-objectif-22_{periode.debut.isoformat()}_{periode.fin.isoformat()}.{extension}"


# --- PDF ------------------------------------------------------------------------------------


class _Document(FPDF):
    """A4, DejaVu, pied de page daté et numéroté."""

    def __init__(self, bilan: Bilan) -> None:
        super().__init__(format="A4")
        self.bilan = bilan
        self.set_margins(14, 14, 14)
        self.set_auto_page_break(True, margin=16)
        self.add_font(_POLICE, "", _POLICES / "DejaVuSans.ttf")
        self.add_font(_POLICE, "B", _POLICES / "DejaVuSans-Bold.ttf")
        self.set_title(f"Bilan de l'objectif 22 — {bilan.libelle_periode}")
        self.set_creator("Cartographie des acteurs — Isère")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(_POLICE, "", 7)
        self.set_text_color(90, 90, 90)
        self.cell(
            0,
            5,
            f"Bilan de l'objectif 22, {self.bilan.libelle_periode} — produit le"
            f" {horodatage(self.bilan.produit_le)} — page {self.page_no()}/{{nb}}",
            align="C",
        )
        self.set_text_color(0, 0, 0)


def _texte(pdf: FPDF, texte: str, taille: float = 9, gras: bool = False, h: float = 4.6) -> None:
    pdf.set_font(_POLICE, "B" if gras else "", taille)
    pdf.multi_cell(0, h, texte, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _titre(pdf: FPDF, texte: str, taille: float = 13) -> None:
    pdf.ln(2)
    pdf.set_text_color(*_BLEU_FRANCE)
    _texte(pdf, texte, taille=taille, gras=True, h=7)
    pdf.set_text_color(0, 0, 0)


def _tableau(
    pdf: FPDF,
    lignes: stats.Lignes,
    colonnes: list[str] | None = None,
    largeurs: tuple[float, ...] | None = None,
    taille: float = 7.5,
) -> None:
    if not lignes:
        _texte(pdf, "Aucune donnée sur la période.", taille=8)
        return
    colonnes = colonnes or list(lignes[0])
    pdf.set_font(_POLICE, "", taille)
    with pdf.table(
        col_widths=largeurs,
        text_align="LEFT",
        line_height=taille * 0.5,
        headings_style=_entetes(),
        first_row_as_headings=True,
    ) as tableau:
        entete = tableau.row()
        for colonne in colonnes:
            entete.cell(colonne)
        for ligne in lignes:
            rangee = tableau.row()
            for colonne in colonnes:
                valeur = ligne.get(colonne, "")
                rangee.cell(_francais(valeur))
    pdf.ln(2)


def _entetes():
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", fill_color=(232, 232, 245))


def _francais(valeur: object) -> str:
    """Un nombre comme on l'écrit en français (espace fine des milliers, virgule décimale)."""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, int):
        return f"{valeur:,}".replace(",", "\u202f")
    if isinstance(valeur, float):
        return f"{valeur:,.1f}".replace(",", "\u202f").replace(".", ",")
    return "" if valeur is None else str(valeur)


def bilan_pdf(bilan: Bilan) -> bytes:
    """Le bilan en PDF : consultation, qualité, couverture (cartes et tableaux), normes."""
    pdf = _Document(bilan)
    pdf.add_page()
    pdf.set_text_color(*_BLEU_FRANCE)
    _texte(pdf, TITRE, taille=16, gras=True, h=8)
    pdf.set_text_color(0, 0, 0)
    _texte(pdf, f"Période : {bilan.libelle_periode}", taille=11, gras=True)
    _texte(pdf, f"Produit le {horodatage(bilan.produit_le)} (heure de Paris).", taille=9)
    _texte(
        pdf,
        "Protocole départemental de prévention et de lutte contre les violences faites aux"
        " femmes et intrafamiliales de l'Isère, objectif 22 : tenir à jour une cartographie des"
        " acteurs, accessible en ligne, et suivre sa consultation.",
        taille=8,
    )

    _titre(pdf, "1. Consultation de la cartographie")
    _texte(
        pdf,
        "Aucune donnée personnelle n'est collectée ; les visites de l'équipe DDFE connectée ne"
        " sont pas comptées. Tout nombre inférieur à 5 est écrit « < 5 ».",
        taille=8,
    )
    _tableau(pdf, bilan.indicateurs, largeurs=(80, 22, 80))
    _texte(pdf, f"« {stats.MENTION_NON_MESURE} » : {stats.RAISON_NON_MESURE}.", taille=7)
    _texte(pdf, "Fréquentation par mois", taille=10, gras=True)
    _tableau(pdf, bilan.frequentation)
    _texte(pdf, "Recherches filtrées sur un territoire", taille=10, gras=True)
    _tableau(pdf, bilan.recherches_par_territoire)

    _titre(pdf, "2. Qualité des fiches")
    _tableau(pdf, bilan.qualite, largeurs=(110, 35, 35))

    pdf.add_page()
    _titre(pdf, "3. Couverture du territoire")
    _texte(
        pdf,
        f"Pour chaque commune et chaque aide : {MESURE_DETAIL}. Une commune comprise dans la zone"
        " couverte déclarée par une ressource est à 0 km. Seules comptent les fiches actives de"
        " nature « ressource », à leur position publique (un hébergement confidentiel est compté"
        " au centre de sa commune). Médiane et 90e centile sont pondérés par la population"
        " (INSEE) : « 90 % des habitants sont à moins de … km ».",
        taille=8,
    )
    departement = [ligne for ligne in bilan.synthese if ligne["Territoire"] == DEPARTEMENT]
    colonnes = [c for c in departement[0] if c not in ("Territoire", "Population")]
    _texte(pdf, "Département", taille=10, gras=True)
    _tableau(pdf, departement, colonnes, taille=7)
    for aide in Aide:
        pdf.add_page()
        _titre(pdf, aide.libelle, taille=12)
        pdf.image(io.BytesIO(bilan.cartes[aide]), w=86, x=(pdf.w - 86) / 2)
        lignes = [ligne for ligne in bilan.synthese if ligne["Aide"] == aide.libelle]
        colonnes = [c for c in lignes[0] if c != "Aide" and not c.startswith("Part ")]
        _tableau(pdf, lignes, colonnes, (40, 17, 21, 24, 20, 20, 15, 25), taille=6.5)

    pdf.add_page()
    _titre(pdf, f"4. Zones blanches : communes à plus de 30 km ({MESURE})")
    total = len(bilan.zones_blanches)
    _texte(
        pdf,
        f"{total} couple(s) commune × aide au-delà de 30 km, la population concernée la plus"
        f" grande d'abord ; les {min(total, ZONES_BLANCHES_DANS_LE_PDF)} premiers ci-dessous,"
        " la liste complète dans le classeur.",
        taille=8,
    )
    _tableau(
        pdf,
        bilan.zones_blanches[:ZONES_BLANCHES_DANS_LE_PDF],
        largeurs=(30, 15, 30, 16, 35, 18, 38),
        taille=7,
    )

    _titre(pdf, "5. Normes minimales du Conseil de l'Europe")
    colonnes = [
        "Service",
        "Norme (Conseil de l'Europe)",
        "Texte cité",
        "Requis en Isère",
        "Existant (fiches actives)",
        "Constat",
        "Données manquantes",
    ]
    _tableau(pdf, bilan.normes, colonnes, (26, 28, 30, 20, 24, 16, 38), taille=6.5)
    _texte(pdf, "Sources", taille=9, gras=True)
    for reference in normes_ce.references():
        _texte(pdf, reference, taille=7)
    return bytes(pdf.output())


# --- XLSX -----------------------------------------------------------------------------------


def _feuille(classeur: Workbook, titre: str, lignes: list[dict[str, object]]) -> None:
    """Une feuille écrite au fil de l'eau (mode `write_only`)."""
    feuille = classeur.create_sheet(titre)
    if not lignes:
        feuille.append(["Aucune donnée sur la période."])
        return
    colonnes = list(lignes[0])
    for rang, colonne in enumerate(colonnes, start=1):
        largeur = max(len(colonne), *(len(str(ligne.get(colonne) or "")) for ligne in lignes[:200]))
        feuille.column_dimensions[get_column_letter(rang)].width = min(max(largeur + 2, 10), 60)
    feuille.freeze_panes = "A2"
    entete = []
    for colonne in colonnes:
        cellule = WriteOnlyCell(feuille, colonne)
        cellule.font = Font(bold=True)
        entete.append(cellule)
    feuille.append(entete)
    for ligne in lignes:
        feuille.append([_cellule(feuille, ligne.get(c)) for c in colonnes])


def _cellule(feuille, valeur: object) -> object:
    """Oui/non pour un booléen ; un texte qui commence par « = » reste un texte (jamais une
    formule exécutée : un nom de fiche peut venir du tableur d'un partenaire)."""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, str) and valeur.startswith("="):
        cellule = WriteOnlyCell(feuille, valeur)
        cellule.data_type = "s"
        return cellule
    return valeur


def bilan_xlsx(bilan: Bilan) -> bytes:
    """Le bilan en classeur : une feuille par tableau, les cartes, et une feuille « À lire »."""
    classeur = Workbook(write_only=True)
    lire = classeur.create_sheet("À lire")
    lire.column_dimensions["A"].width = 120
    for rang, texte in enumerate(
        (
            TITRE,
            f"Période : {bilan.libelle_periode}",
            f"Produit le {horodatage(bilan.produit_le)} (heure de Paris)",
            "",
            "Consultation : tout nombre inférieur à 5 est écrit « < 5 » (aucune donnée"
            " personnelle, visites de la DDFE connectée non comptées).",
            f"« {stats.MENTION_NON_MESURE} » : {stats.RAISON_NON_MESURE}.",
            "Qualité et couverture : chiffres sur les fiches et la population (INSEE), donnés"
            " tels quels.",
            f"Distances : {MESURE_DETAIL}. Zone couverte déclarée par une ressource : 0 km.",
            "Positions : publiques (un hébergement confidentiel est compté au centre de sa"
            " commune).",
            "Médiane et 90e centile pondérés par la population des communes.",
            "",
            "Normes minimales du Conseil de l'Europe — sources :",
            *normes_ce.references(),
        )
    ):
        cellule = WriteOnlyCell(lire, texte)
        if rang == 0:
            cellule.font = Font(bold=True, size=14)
        lire.append([cellule])
    _feuille(classeur, "Indicateurs", bilan.indicateurs)
    _feuille(classeur, "Fréquentation par mois", bilan.frequentation)
    _feuille(classeur, "Recherches par territoire", bilan.recherches_par_territoire)
    _feuille(classeur, "Qualité des fiches", bilan.qualite)
    _feuille(classeur, "Couverture par territoire", bilan.synthese)
    _feuille(
        classeur,
        "Couverture par commune",
        [
            {
                "Code INSEE": ligne["code_insee"],
                "Commune": ligne["commune"],
                "Territoire": ligne["territoire"],
                "Population": ligne["population"],
                "Aide": ligne["type_libelle"],
                f"Distance (km, {MESURE})": ligne["distance_km"],
                "Ressource la plus proche": ligne["acteur_nom"] or "aucune ressource",
                "Identifiant de la fiche": ligne["acteur_id"],
                "Zone couverte": ligne["zone_couverte"],
            }
            for ligne in bilan.par_commune
        ],
    )
    _feuille(classeur, "Zones blanches", bilan.zones_blanches)
    _feuille(classeur, "Normes", bilan.normes)
    cartes = classeur.create_sheet("Cartes")
    for rang, aide in enumerate(Aide):
        image = ImageXlsx(io.BytesIO(bilan.cartes[aide]))
        image.width, image.height = image.width // 2, image.height // 2
        colonne = "A" if rang % 2 == 0 else "J"
        cartes.add_image(image, f"{colonne}{1 + (rang // 2) * 29}")
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()
