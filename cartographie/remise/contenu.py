"""Ce que dit la fiche à remettre, écrit une fois pour le PDF, la page à imprimer et le SMS.

Deux formes :
- **standard** : titre « Où trouver de l'aide en Isère », encadré « En cas d'urgence », le 3919
  nommé « Violences Femmes Info » avec la mention qu'il n'apparaît pas sur les factures ;
- **discrète** : une fiche qu'un conjoint violent peut trouver sans qu'elle trahisse rien. Titre
  « Contacts utiles », aucun mot qui nomme les violences (dans aucune langue : voir
  `MOTS_QUI_NOMMENT_LES_VIOLENCES`), ni type de structure, ni organisme, ni site, ni distance,
  ni pied de page ; les numéros nationaux y sont décrits par ce qu'ils offrent.

Rien ne vient de la personne : la fiche ne dit pas d'où la recherche est partie (une adresse
tapée pourrait être la sienne). Les lieux sont déjà en version publique (`version_publique`) :
une adresse confidentielle n'y est jamais.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from cartographie.confidentialite import adresse_lisible
from cartographie.modele import Acteur
from cartographie.modele.referentiels import Frais, ModeOrientation
from cartographie.recherche.filtres import Resultat
from cartographie.remise.horaires import horaires_ecrits
from cartographie.remise.langues import PARAMETRES, FormeFiche, LangueFiche, Traduction

# Mots qui nomment les violences, par langue (minuscules, sans accents pour les langues latines) :
# aucun ne doit paraître dans une fiche discrète. Un radical suffit (« violen » couvre
# violence, violences, violent…).
MOTS_QUI_NOMMENT_LES_VIOLENCES: dict[LangueFiche, tuple[str, ...]] = {
    LangueFiche.FRANCAIS: (
        "violen",
        "victime",
        "conjugal",
        "agress",
        "viol ",
        "abus",
        "maltrait",
        "harcel",
        "battue",
        "emprise",
        "femmes info",
    ),
    LangueFiche.ANGLAIS: ("violen", "victim", "domestic", "abuse", "assault", "rape", "battered"),
    LangueFiche.ARABE: ("عنف", "ضحي", "ضحايا", "زوجي", "اعتداء", "إساءة", "تحرش", "اغتصاب"),
    LangueFiche.ESPAGNOL: ("violen", "victima", "conyugal", "maltrato", "agresion", "abuso"),
    LangueFiche.PORTUGAIS: (
        "violen",
        "vitima",
        "conjugal",
        "maus-tratos",
        "agressao",
        "abuso",
    ),
    LangueFiche.TURC: ("siddet", "magdur", "kurban", "istismar", "taciz", "tecavuz"),
    LangueFiche.UKRAINIEN: (
        "насильств",
        "насилл",
        "жертв",
        "постражд",
        "кривд",
        "домашн",
    ),
    LangueFiche.DARI: ("خشونت", "قربانی", "آزار", "تجاوز", "زناشویی"),
}


def sans_marques(texte: str) -> str:
    """Minuscules sans accents ni signes diacritiques, pour chercher un mot sensible."""
    decompose = unicodedata.normalize("NFKD", texte.casefold())
    return "".join(c for c in decompose if not unicodedata.combining(c))


def mots_sensibles(texte: str) -> list[str]:
    """Les mots de `MOTS_QUI_NOMMENT_LES_VIOLENCES` (toutes langues) présents dans `texte`."""
    normalise = sans_marques(texte) + " "
    return sorted(
        {
            mot.strip()
            for mots in MOTS_QUI_NOMMENT_LES_VIOLENCES.values()
            for mot in mots
            if sans_marques(mot) in normalise
        }
    )


@dataclass(frozen=True, slots=True)
class Numero:
    """Un numéro national, décrit selon la forme de la fiche."""

    numero: str
    libelle: str
    precision: str


@dataclass(frozen=True, slots=True)
class Contact:
    """Un lieu choisi, tel que la fiche l'écrit ; le nom et l'adresse restent tels quels."""

    nom: str
    telephone: str
    sous_titre: str = ""
    ligne_telephone: str = ""
    lieu: str = ""
    horaires: str = ""
    precisions: str = ""
    infos: str = ""
    site: str = ""

    def lignes(self) -> list[tuple[str, bool]]:
        """Les lignes (texte, gras) du lieu, vides omises."""
        lignes = [
            (self.nom, True),
            (self.sous_titre, False),
            (self.ligne_telephone, True),
            (self.lieu, False),
            (self.horaires, False),
            (self.precisions, False),
            (self.infos, False),
            (self.site, False),
        ]
        return [(texte, gras) for texte, gras in lignes if texte]


@dataclass(frozen=True, slots=True)
class Fiche:
    """Tout le texte de la fiche, déjà dans sa langue et sa forme."""

    langue: LangueFiche
    forme: FormeFiche
    titre: str
    date: str
    titre_numeros: str
    sous_titre_numeros: str
    numeros: tuple[Numero, ...]
    titre_contacts: str
    contacts: tuple[Contact, ...]
    aucun_contact: str
    lien: str | None
    legende_lien: str
    pied: str

    @property
    def droite_a_gauche(self) -> bool:
        """Vrai pour l'arabe et le dari."""
        return PARAMETRES[self.langue].droite_a_gauche

    @property
    def balise_langue(self) -> str:
        """La balise BCP 47 de la langue (attribut `lang` de la page)."""
        return PARAMETRES[self.langue].balise

    def texte(self) -> str:
        """Tout le texte de la fiche, une ligne par élément (tests, recherche de mots)."""
        lignes = [self.titre, self.date, self.titre_numeros, self.sous_titre_numeros]
        for n in self.numeros:
            lignes.append(f"{n.numero} {n.libelle} {n.precision}")
        lignes.append(self.titre_contacts)
        for c in self.contacts:
            lignes.extend(texte for texte, _ in c.lignes())
        lignes.extend([self.aucun_contact, self.legende_lien, self.pied])
        return "\n".join(x for x in lignes if x)


def numeros_nationaux(t: Traduction, forme: FormeFiche) -> tuple[Numero, ...]:
    """Les cinq numéros nationaux ; la forme discrète les décrit sans nommer les violences.

    Seule la forme standard dit que le 3919 n'apparaît pas sur les factures : c'est une
    information qu'une fiche discrète n'a pas à donner à qui la trouverait.
    """
    if forme is FormeFiche.STANDARD:
        femmes = Numero(
            "3919",
            t("Violences Femmes Info"),
            t(
                "écoute, information et orientation ; anonyme ;"
                " n'apparaît pas sur les factures de téléphone"
            ),
        )
        enfance = Numero("119", t("Enfance en danger"), "")
    else:
        femmes = Numero("3919", t("Écoute et information, anonyme"), "")
        enfance = Numero("119", t("Écoute enfance"), "")
    return (
        femmes,
        Numero("17", t("Police ou gendarmerie"), t("en cas de danger immédiat")),
        Numero("114", t("Urgence par SMS"), t("si vous ne pouvez pas parler")),
        Numero("115", t("Hébergement d'urgence"), ""),
        enfance,
    )


def _nombre(valeur: float, t: Traduction) -> str:
    texte = f"{valeur:.1f}"
    return texte if t.langue in (LangueFiche.ANGLAIS,) else texte.replace(".", ",")


def _lieu(resultat: Resultat, t: Traduction, forme: FormeFiche) -> str:
    a = resultat.acteur
    if a.adresse_confidentielle:
        mention = (
            t("Adresse confidentielle — joindre le 115 / la structure par téléphone")
            if forme is FormeFiche.STANDARD
            else t("Adresse donnée par téléphone")
        )
        lieu = f"{t.tel_quel(a.commune)} — {mention}"
    else:
        lieu = t.tel_quel(adresse_lisible(a))
    if forme is FormeFiche.STANDARD and resultat.distance_km is not None:
        distance = t.isoler(_nombre(resultat.distance_km, t))
        lieu += " — " + t("à {distance} km", distance=distance)
    return lieu


def _infos(a: Acteur, t: Traduction) -> str:
    infos = []
    if a.frais is Frais.GRATUIT:
        infos.append(t("Gratuit"))
    if ModeOrientation.SANS_RENDEZ_VOUS in a.modes_orientation:
        infos.append(t("Sans rendez-vous"))
    elif ModeOrientation.SUR_RENDEZ_VOUS in a.modes_orientation:
        infos.append(t("Sur rendez-vous"))
    if a.langues:
        noms = t.locale.languages
        langues = t.virgule.join(noms.get(lg.value, lg.value) for lg in a.langues)
        infos.append(t("Langues parlées : {langues}", langues=langues))
    return " · ".join(infos)


def contact(resultat: Resultat, t: Traduction, forme: FormeFiche, le: date) -> Contact:
    """Un lieu de la fiche. En français standard, son type et son organisme ; ailleurs (les
    types sont des catégories françaises du protocole), l'organisme seulement ; en discret,
    rien d'autre que le nom."""
    a = resultat.acteur
    standard = forme is FormeFiche.STANDARD
    sous_titre = ""
    if standard and t.langue is LangueFiche.FRANCAIS:
        sous_titre = a.type.libelle + (f" — {a.structure}" if a.structure else "")
    elif standard:
        sous_titre = t.tel_quel(a.structure)
    horaires = horaires_ecrits(a.horaires_accueil, t, le)
    return Contact(
        nom=t.tel_quel(a.nom),
        telephone=a.telephone,
        sous_titre=sous_titre,
        ligne_telephone=(
            t("Téléphone : {numero}", numero=t.isoler(a.telephone)) if a.telephone else ""
        ),
        lieu=_lieu(resultat, t, forme),
        horaires=t("Horaires : {horaires}", horaires=horaires) if horaires else "",
        precisions=t.tel_quel(a.horaires_precisions.strip()),
        infos=_infos(a, t),
        site=t.tel_quel(a.site_web) if standard else "",
    )


def composer(
    lieux: Sequence[Resultat],
    langue: LangueFiche = LangueFiche.FRANCAIS,
    forme: FormeFiche = FormeFiche.STANDARD,
    *,
    le: date,
    lien: str | None = None,
) -> Fiche:
    """La fiche de ces lieux, dans cette langue et cette forme, datée du jour `le`."""
    t = Traduction(langue)
    standard = forme is FormeFiche.STANDARD
    return Fiche(
        langue=langue,
        forme=forme,
        titre=t("Où trouver de l'aide en Isère") if standard else t("Contacts utiles"),
        date=t("Imprimée le {date}", date=t.isoler(le.strftime("%d/%m/%Y"))),
        titre_numeros=t("En cas d'urgence") if standard else t("Numéros utiles"),
        sous_titre_numeros=t("Appels gratuits, 24 h/24, 7 j/7"),
        numeros=numeros_nationaux(t, forme),
        titre_contacts=t("Où vous adresser"),
        contacts=tuple(contact(r, t, forme, le) for r in lieux),
        aucun_contact=(
            "" if lieux else t("Aucun lieu n'a été choisi : appelez l'un des numéros gratuits.")
        ),
        lien=lien,
        legende_lien=(
            t("Scannez ce code pour retrouver ces contacts sur votre téléphone.") if lien else ""
        ),
        pied=(
            t("Cartographie des acteurs de la lutte contre les violences faites aux femmes — Isère")
            if standard
            else ""
        ),
    )
