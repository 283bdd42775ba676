"""La fiche à remettre en PDF : A4, texte fixe dans la langue de la personne, forme standard ou
discrète, numéros nationaux toujours présents, code QR du lien partageable.

Polices livrées avec le code (`cartographie/polices/`, voir son README) : DejaVu Sans pour le
latin et le cyrillique, Noto Sans Arabic en secours pour l'arabe et le dari, mis en forme par
HarfBuzz (`uharfbuzz`) et l'algorithme bidirectionnel d'Unicode. Le texte extrait du PDF est
dans l'ordre logique (celui de la lecture), ce que vérifient les tests.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from cartographie import horloge
from cartographie.recherche.filtres import Resultat, Resultats
from cartographie.remise.contenu import Contact, Fiche, composer, contact
from cartographie.remise.langues import FormeFiche, LangueFiche, Traduction
from cartographie.remise.qr import qr_png
from cartographie.remise.selection import proposees

DOSSIER_POLICES = Path(__file__).resolve().parents[1] / "polices"
_POLICE = "DejaVu"
_ARABE = "NotoSansArabic"
_BLEU_FRANCE = (0, 0, 145)
_ROUGE_MARIANNE = (225, 0, 15)
_NOIR = (0, 0, 0)
_GRIS = (110, 110, 110)
_MARGE_BAS_MM = 14
_QR_MM = 34


class _Document(FPDF):
    """Un PDF A4 aux polices de la fiche, dans le sens d'écriture de sa langue."""

    def __init__(self, fiche: Fiche) -> None:
        super().__init__(format="A4")
        self.fiche = fiche
        self.set_auto_page_break(True, margin=_MARGE_BAS_MM)
        self.set_margins(14, 12, 14)
        self.add_font(_POLICE, "", DOSSIER_POLICES / "DejaVuSans.ttf")
        self.add_font(_POLICE, "B", DOSSIER_POLICES / "DejaVuSans-Bold.ttf")
        self.add_font(_ARABE, "", DOSSIER_POLICES / "NotoSansArabic-Regular.ttf")
        self.add_font(_ARABE, "B", DOSSIER_POLICES / "NotoSansArabic-Bold.ttf")
        self.set_fallback_fonts([_ARABE])
        self.set_text_shaping(
            use_shaping_engine=True, direction="rtl" if fiche.droite_a_gauche else "ltr"
        )
        self.set_title(fiche.titre)
        self.set_lang(fiche.balise_langue)
        if fiche.forme is FormeFiche.STANDARD:
            self.set_creator("Cartographie des acteurs — Isère")
        self.add_page()

    @property
    def alignement(self) -> str:
        return "R" if self.fiche.droite_a_gauche else "L"

    def ligne(
        self,
        texte: str,
        taille: float = 9.5,
        gras: bool = False,
        hauteur: float = 4.8,
        retrait: float = 0,
    ) -> None:
        self.set_font(_POLICE, "B" if gras else "", taille)
        self.set_x(self.l_margin + (0 if self.fiche.droite_a_gauche else retrait))
        self.multi_cell(
            self.epw - retrait,
            hauteur,
            texte,
            align=self.alignement,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def hauteur(self, lignes: list[tuple[str, bool]], taille: float = 9.5) -> float:
        total = 0.0
        for texte, gras in lignes:
            self.set_font(_POLICE, "B" if gras else "", taille)
            total += self.multi_cell(
                self.epw, 4.8, texte, dry_run=True, output=MethodReturnValue.HEIGHT
            )
        return total


def _entete(pdf: _Document, fiche: Fiche) -> None:
    standard = fiche.forme is FormeFiche.STANDARD
    pdf.set_text_color(*(_BLEU_FRANCE if standard else _NOIR))
    pdf.ligne(fiche.titre, taille=17, gras=True, hauteur=9)
    pdf.set_text_color(*_GRIS)
    pdf.ligne(fiche.date, taille=8)
    pdf.set_text_color(*_NOIR)
    pdf.ln(3)


def _numeros(pdf: _Document, fiche: Fiche) -> None:
    """L'encadré des numéros nationaux : rouge et titré « En cas d'urgence » en standard,
    gris et titré « Numéros utiles » en discret."""
    standard = fiche.forme is FormeFiche.STANDARD
    haut = pdf.get_y()
    pdf.set_text_color(*(_ROUGE_MARIANNE if standard else _NOIR))
    pdf.ligne(fiche.titre_numeros, taille=12, gras=True, hauteur=6.5, retrait=3)
    pdf.set_text_color(*_NOIR)
    pdf.ligne(fiche.sous_titre_numeros, taille=8.5, retrait=3)
    pdf.ln(1)
    for numero in fiche.numeros:
        texte = numero.libelle + (f" — {numero.precision}" if numero.precision else "")
        _numero(pdf, numero.numero, texte)
    pdf.set_draw_color(*(_ROUGE_MARIANNE if standard else _GRIS))
    pdf.set_line_width(0.6 if standard else 0.3)
    pdf.rect(pdf.l_margin, haut - 1.5, pdf.epw, pdf.get_y() - haut + 3)
    pdf.ln(6)


def _numero(pdf: _Document, numero: str, texte: str) -> None:
    """Le numéro en gras dans sa colonne (à droite en arabe), sa description à côté."""
    colonne, retrait = 13.0, 3.0
    haut = pdf.get_y()
    largeur = pdf.epw - colonne - 2 * retrait
    droite = pdf.fiche.droite_a_gauche
    pdf.set_font(_POLICE, "", 9.5)
    pdf.set_xy(pdf.l_margin + (retrait if droite else retrait + colonne), haut)
    pdf.multi_cell(largeur, 5, texte, align=pdf.alignement, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    bas = pdf.get_y()
    pdf.set_font(_POLICE, "B", 10.5)
    pdf.set_xy(pdf.l_margin + (pdf.epw - retrait - colonne if droite else retrait), haut)
    pdf.cell(colonne, 5, numero, align=pdf.alignement)
    pdf.set_y(bas + 0.6)


def _contact(pdf: _Document, lieu: Contact) -> None:
    lignes = lieu.lignes()
    # Un lieu ne se coupe pas entre deux pages.
    if pdf.get_y() + pdf.hauteur(lignes) > pdf.h - _MARGE_BAS_MM:
        pdf.add_page()
    for texte, gras in lignes:
        pdf.ligne(texte, taille=10.5 if texte == lieu.nom else 9.5, gras=gras)
    pdf.set_draw_color(200, 200, 200)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, pdf.get_y() + 1.5, pdf.l_margin + pdf.epw, pdf.get_y() + 1.5)
    pdf.ln(4)


def _code_qr(pdf: _Document, fiche: Fiche) -> None:
    if not fiche.lien:
        return
    if pdf.get_y() + _QR_MM + 4 > pdf.h - _MARGE_BAS_MM:
        pdf.add_page()
    haut = pdf.get_y() + 2
    gauche = not fiche.droite_a_gauche
    x_image = pdf.l_margin if gauche else pdf.l_margin + pdf.epw - _QR_MM
    pdf.image(io.BytesIO(qr_png(fiche.lien)), x=x_image, y=haut, w=_QR_MM, h=_QR_MM)
    pdf.set_y(haut + _QR_MM / 2 - 4)
    pdf.set_font(_POLICE, "", 9)
    pdf.set_x(pdf.l_margin + (_QR_MM + 4 if gauche else 0))
    pdf.multi_cell(
        pdf.epw - _QR_MM - 4,
        4.8,
        fiche.legende_lien,
        align=pdf.alignement,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_y(haut + _QR_MM + 2)


def pdf_fiche(fiche: Fiche) -> bytes:
    """Le PDF de la fiche : en-tête, numéros nationaux, lieux choisis, code QR, pied."""
    pdf = _Document(fiche)
    _entete(pdf, fiche)
    _numeros(pdf, fiche)
    if fiche.contacts:
        pdf.set_text_color(*_GRIS)
        pdf.ligne(fiche.titre_contacts, taille=11, gras=True, hauteur=6)
        pdf.set_text_color(*_NOIR)
        pdf.ln(1)
    for lieu in fiche.contacts:
        _contact(pdf, lieu)
    if fiche.aucun_contact:
        pdf.ligne(fiche.aucun_contact)
    _code_qr(pdf, fiche)
    if fiche.pied:
        pdf.set_auto_page_break(False)
        pdf.set_y(pdf.h - _MARGE_BAS_MM + 4)
        pdf.set_text_color(*_GRIS)
        pdf.ligne(fiche.pied, taille=7)
    return bytes(pdf.output())


def fiche_pdf(resultats: Resultats, imprime_le: date | None = None) -> bytes:
    """La fiche standard en français des ressources les plus proches (sans choix)."""
    le = imprime_le or horloge.aujourd_hui()
    return pdf_fiche(composer(proposees(resultats), le=le))


def lignes_acteur(resultat: Resultat) -> list[tuple[str, bool]]:
    """Les lignes (texte, gras) d'un lieu sur la fiche standard en français."""
    t = Traduction(LangueFiche.FRANCAIS)
    return contact(resultat, t, FormeFiche.STANDARD, horloge.aujourd_hui()).lignes()
