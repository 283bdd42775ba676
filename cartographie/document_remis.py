"""La fiche PDF d'une page qu'une professionnelle imprime ou remet à une victime.

Elle reprend la sélection en cours (déjà en version publique : une adresse confidentielle n'y
est jamais), les numéros d'urgence et la date d'impression. Police DejaVu Sans livrée avec le
code (`cartographie/polices/`) : accents, « œ », tirets et apostrophes s'impriment partout.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from cartographie import horloge
from cartographie.confidentialite import adresse_lisible
from cartographie.recherche.filtres import Resultat, Resultats
from cartographie.urgences import NUMEROS_URGENCE

DOSSIER_POLICES = Path(__file__).with_name("polices")
_POLICE = "DejaVu"
_BLEU_FRANCE = (0, 0, 145)
_ROUGE_MARIANNE = (225, 0, 15)
_BAS_DE_PAGE_MM = 272


def _document() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(14, 12, 14)
    pdf.add_font(_POLICE, "", DOSSIER_POLICES / "DejaVuSans.ttf")
    pdf.add_font(_POLICE, "B", DOSSIER_POLICES / "DejaVuSans-Bold.ttf")
    pdf.set_title("Où trouver de l'aide en Isère")
    pdf.set_creator("Cartographie des acteurs — Isère")
    pdf.add_page()
    return pdf


def _ligne(
    pdf: FPDF, texte: str, taille: float = 9, gras: bool = False, hauteur: float = 4.4
) -> None:
    pdf.set_font(_POLICE, "B" if gras else "", taille)
    pdf.multi_cell(0, hauteur, texte, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def lignes_acteur(resultat: Resultat) -> list[tuple[str, bool]]:
    """Les lignes (texte, gras) d'un acteur sur la fiche ; l'acteur est en version publique."""
    a = resultat.acteur
    lignes = [(a.nom, True)]
    sous_titre = a.type.libelle + (f" — {a.structure}" if a.structure else "")
    lignes.append((sous_titre, False))
    if a.telephone:
        lignes.append((f"Téléphone : {a.telephone}", True))
    lieu = adresse_lisible(a)
    if resultat.distance_km is not None:
        lieu += f" — à {resultat.distance_km:.1f} km".replace(".", ",")
    lignes.append((lieu, False))
    if a.horaires_accueil:
        lignes.append((f"Accueil : {a.horaires_accueil}", False))
    if a.site_web:
        lignes.append((a.site_web, False))
    return lignes


def _hauteur(pdf: FPDF, lignes: list[tuple[str, bool]]) -> float:
    total = 0.0
    for texte, gras in lignes:
        pdf.set_font(_POLICE, "B" if gras else "", 9)
        total += pdf.multi_cell(0, 4.4, texte, dry_run=True, output=MethodReturnValue.HEIGHT)
    return total + 2.5


def fiche_pdf(resultats: Resultats, imprime_le: date | None = None) -> bytes:
    """Une page A4 : urgences, puis les acteurs du plus proche au plus loin tant qu'ils tiennent."""
    imprime_le = imprime_le or horloge.aujourd_hui()
    pdf = _document()
    pdf.set_text_color(*_BLEU_FRANCE)
    _ligne(pdf, "Où trouver de l'aide en Isère", taille=16, gras=True, hauteur=8)
    pdf.set_text_color(0, 0, 0)
    contexte = []
    if resultats.point is not None:
        contexte.append(f"Autour de : {resultats.point.libelle}")
    contexte.extend(resultats.filtres.actifs().values())
    _ligne(pdf, " · ".join(contexte) or "Tout le département", taille=9)
    _ligne(pdf, f"Fiche imprimée le {imprime_le.strftime('%d/%m/%Y')}", taille=8)
    pdf.ln(2)

    # Encadré des urgences : toujours en tête, avant la liste.
    haut = pdf.get_y()
    pdf.set_draw_color(*_ROUGE_MARIANNE)
    pdf.set_line_width(0.6)
    pdf.set_x(pdf.l_margin + 3)
    pdf.set_text_color(*_ROUGE_MARIANNE)
    _ligne(pdf, "En cas d'urgence", taille=11, gras=True, hauteur=6)
    pdf.set_text_color(0, 0, 0)
    for numero in NUMEROS_URGENCE:
        pdf.set_x(pdf.l_margin + 3)
        _ligne(pdf, f"{numero.numero} — {numero.libelle} ({numero.precision})", taille=9)
    pdf.rect(pdf.l_margin, haut - 1, pdf.epw, pdf.get_y() - haut + 2)
    pdf.ln(4)

    pdf.set_draw_color(200, 200, 200)
    pdf.set_line_width(0.2)
    imprimes = 0
    for resultat in resultats.resultats:
        lignes = lignes_acteur(resultat)
        if pdf.get_y() + _hauteur(pdf, lignes) > _BAS_DE_PAGE_MM - 10:
            break
        for texte, gras in lignes:
            _ligne(pdf, texte, gras=gras)
        pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.l_margin + pdf.epw, pdf.get_y() + 1)
        pdf.ln(2.5)
        imprimes += 1
    if not resultats.resultats:
        _ligne(pdf, "Aucun acteur ne correspond à cette recherche.")
    restants = resultats.total - imprimes
    pdf.set_y(_BAS_DE_PAGE_MM - 8)
    if restants > 0:
        _ligne(pdf, f"{restants} autre(s) acteur(s) sur la carte en ligne.", taille=8)
    _ligne(
        pdf,
        "Cartographie des acteurs de la lutte contre les violences faites aux femmes — Isère.",
        taille=7,
    )
    return bytes(pdf.output())
