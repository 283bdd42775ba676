"""Les langues de la fiche à remettre et leurs catalogues de traduction.

Le texte fixe de la fiche est écrit en français dans le code, toujours passé à une
`Traduction` nommée `t` (`t("Contacts utiles")`, ce que `pybabel extract -k t` retrouve) ; chaque autre langue a
son catalogue gettext `catalogues/<code>.po`, lu par Babel. Les noms et adresses des lieux ne se
traduisent pas. Les noms des jours et des langues viennent du CLDR (Babel) : rien à traduire à
la main. Une chaîne absente d'un catalogue reste en français (un test vérifie qu'il n'en manque
aucune).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po

from cartographie.modele.referentiels import Referentiel

DOSSIER_CATALOGUES = Path(__file__).with_name("catalogues")

# Contrôles bidirectionnels d'Unicode. Dans une ligne arabe, un numéro entre LRI et PDI garde
# son ordre de gauche à droite (sans eux, « 04 76 11 22 33 » s'afficherait « 33 22 11 76 04 ») ;
# un texte tel quel (nom, adresse) entre FSI et PDI prend le sens de sa première lettre (sans
# eux, « 3 rue du Test » s'afficherait « rue du Test 3 »).
LRI = "\u2066"
FSI = "\u2068"
PDI = "\u2069"
CONTROLES_BIDI = str.maketrans("", "", "\u2066\u2067\u2068\u2069")


def sans_controles(texte: str) -> str:
    """Le texte sans les contrôles d'isolement (texte d'un SMS, comparaisons des tests)."""
    return texte.translate(CONTROLES_BIDI)


class LangueFiche(Referentiel):
    """Une langue proposée pour la fiche ; le code est celui des statistiques et du lien."""

    FRANCAIS = ("fr", "Français")
    ANGLAIS = ("en", "Anglais")
    ARABE = ("ar", "Arabe")
    ESPAGNOL = ("es", "Espagnol")
    PORTUGAIS = ("pt", "Portugais")
    TURC = ("tr", "Turc")
    UKRAINIEN = ("uk", "Ukrainien")
    DARI = ("prs", "Dari (persan d'Afghanistan)")


class FormeFiche(Referentiel):
    """La forme de la fiche, choisie par la professionnelle pour cette remise (jamais gardée)."""

    STANDARD = ("standard", "Standard")
    DISCRETE = ("discrete", "Discrète (sans mot qui évoque les violences)")


@dataclass(frozen=True, slots=True)
class Parametres:
    """Ce qu'il faut savoir d'une langue pour l'écrire : locale CLDR, balise HTML, sens."""

    locale: str
    balise: str
    nom_natif: str
    droite_a_gauche: bool = False


PARAMETRES: dict[LangueFiche, Parametres] = {
    LangueFiche.FRANCAIS: Parametres("fr", "fr", "Français"),
    LangueFiche.ANGLAIS: Parametres("en", "en", "English"),
    LangueFiche.ARABE: Parametres("ar", "ar", "العربية", droite_a_gauche=True),
    LangueFiche.ESPAGNOL: Parametres("es", "es", "Español"),
    LangueFiche.PORTUGAIS: Parametres("pt", "pt", "Português"),
    LangueFiche.TURC: Parametres("tr", "tr", "Türkçe"),
    LangueFiche.UKRAINIEN: Parametres("uk", "uk", "Українська"),
    LangueFiche.DARI: Parametres("fa_AF", "fa-AF", "دری", droite_a_gauche=True),
}


def libelle_langue(langue: LangueFiche) -> str:
    """« Arabe — العربية » : le nom français pour la professionnelle, le nom natif pour la personne."""
    natif = PARAMETRES[langue].nom_natif
    return langue.libelle if natif == langue.libelle else f"{langue.libelle} — {natif}"


def chemin_catalogue(langue: LangueFiche) -> Path:
    """Le catalogue `.po` d'une langue (le français n'en a pas : c'est la langue du code)."""
    return DOSSIER_CATALOGUES / f"{langue.value}.po"


@cache
def _messages(langue: LangueFiche) -> dict[str, str]:
    if langue is LangueFiche.FRANCAIS:
        return {}
    with chemin_catalogue(langue).open("rb") as fichier:
        catalogue = read_po(fichier, locale=PARAMETRES[langue].locale)
    return {
        str(m.id): str(m.string)
        for m in catalogue
        if m.id and m.string and not m.fuzzy and isinstance(m.id, str)
    }


@dataclass(frozen=True, slots=True)
class Traduction:
    """Le texte fixe de la fiche dans une langue."""

    langue: LangueFiche

    @property
    def droite_a_gauche(self) -> bool:
        """Vrai pour l'arabe et le dari."""
        return PARAMETRES[self.langue].droite_a_gauche

    @property
    def locale(self) -> Locale:
        """La locale CLDR (jours, noms des langues)."""
        return Locale.parse(PARAMETRES[self.langue].locale)

    def __call__(self, message: str, **valeurs: object) -> str:
        """Le message traduit, ses `{champs}` remplis (sinon le français)."""
        traduit = _messages(self.langue).get(message, message)
        return traduit.format(**valeurs) if valeurs else traduit

    @property
    def virgule(self) -> str:
        """Le séparateur d'une liste : la virgule arabe « ، » de droite à gauche."""
        return "، " if self.droite_a_gauche else ", "

    def isoler(self, texte: str) -> str:
        """Un numéro, une heure ou une date qui doit se lire de gauche à droite, même en arabe."""
        return f"{LRI}{texte}{PDI}" if self.droite_a_gauche and texte else texte

    def tel_quel(self, texte: str) -> str:
        """Un texte de la fiche d'un lieu (nom, adresse), isolé dans une ligne de droite à gauche."""
        return f"{FSI}{texte}{PDI}" if self.droite_a_gauche and texte else texte
