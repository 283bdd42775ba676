"""Le sigle de chaque type d'acteur, écrit dans son marqueur et dans la légende de la carte.

La couleur seule ne distingue pas les types pour une personne qui voit mal les couleurs (WCAG
1.4.1) : chaque marqueur porte aussi un sigle d'une ou deux lettres, dont la légende donne le
sens. Le texte du sigle est noir ou blanc selon ce qui contraste le plus avec la couleur.
"""

from __future__ import annotations

from cartographie.modele import TypeActeur

SIGLES_TYPE: dict[TypeActeur, str] = {
    TypeActeur.ACCUEIL_DE_JOUR: "A",
    TypeActeur.LEAO: "L",
    TypeActeur.HEBERGEMENT: "H",
    TypeActeur.ERPE: "E",
    TypeActeur.ISCG: "IS",
    TypeActeur.AIDE_VICTIMES: "V",
    TypeActeur.ACCES_DROIT: "D",
    TypeActeur.AUTEURS: "Au",
    TypeActeur.SANTE: "S",
    TypeActeur.PLANNING_FAMILIAL: "P",
    TypeActeur.FORCES_ORDRE: "F",
    TypeActeur.JUSTICE: "J",
    TypeActeur.INSTITUTION: "In",
    TypeActeur.PROSTITUTION: "Pr",
    TypeActeur.LOGEMENT_INSERTION: "Lo",
    TypeActeur.ACTION_SOCIALE: "AS",
    TypeActeur.EDUCATION: "Ed",
}

NOIR = "#000000"
BLANC = "#ffffff"


def luminance(couleur: str) -> float:
    """Luminance relative (WCAG 2.x) d'une couleur « #rrggbb »."""
    canaux = [int(couleur[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lineaires = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in canaux]
    return 0.2126 * lineaires[0] + 0.7152 * lineaires[1] + 0.0722 * lineaires[2]


def contraste(a: str, b: str) -> float:
    """Rapport de contraste WCAG entre deux couleurs (1 à 21)."""
    claire, sombre = sorted((luminance(a), luminance(b)), reverse=True)
    return (claire + 0.05) / (sombre + 0.05)


def couleur_sigle(fond: str) -> str:
    """Noir ou blanc : celui des deux qui se lit le mieux sur `fond`."""
    return NOIR if contraste(NOIR, fond) >= contraste(BLANC, fond) else BLANC
