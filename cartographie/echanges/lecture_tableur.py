"""Lire un tableur tel que les partenaires le produisent : CSV (UTF-8 ou Windows-1252, `,` ou `;`)
ou XLSX, en-têtes écrits à la main.

Rien n'est validé ici au-delà de la forme du fichier : chaque ligne ressort en champs texte,
rangés sous les noms de `COLONNES_CSV`, pour passer ensuite par la validation unique
(`chargement.acteur_depuis_champs`).

Un fichier déposé peut être hostile : quelques Ko de XLSX se déplient en centaines de Mo, une
feuille peut déclarer un million de lignes. La lecture tient donc un `Budget` (texte déplié,
octets décompressés, temps) et des bornes fixes (32 767 caractères par cellule comme Excel,
`COLONNES_MAX` colonnes) ; au-delà, `FichierRefuse` nomme la limite.
"""

from __future__ import annotations

import csv
import io
import re
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from cartographie.modele import COLONNES_CSV

# Un export de tableur protège parfois une cellule qui commence par ces caractères avec une
# apostrophe (c'est ce que fait notre propre export CSV) : à la relecture, on la retire.
CARACTERES_FORMULE = ("=", "+", "-", "@", "\t", "\r")
# Colonne que seul l'export public contient (hors `COLONNES_CSV`) : un en-tête survit à Excel,
# contrairement à un nom de fichier ou à une mention dans une cellule.
COLONNE_VERSION_PUBLIQUE = "version_publique"
REFUS_EXPORT_PUBLIC = (
    "Ce fichier est un export public : les adresses confidentielles y sont masquées."
    " Importez l'export complet ou un fichier de partenaire."
)
_DATE_FRANCAISE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_NON_ALPHANUMERIQUE = re.compile(r"[^0-9a-z]+")
_CONTROLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Quelques intitulés que les gens écrivent à la place des noms techniques.
_SYNONYMES = {
    "identifiant": "id",
    "code_commune": "code_insee",
    "insee": "code_insee",
    "cp": "code_postal",
    "tel": "telephone",
    "email": "courriel",
    "mail": "courriel",
    "site": "site_web",
    "site_internet": "site_web",
    "horaires": "horaires_accueil",
    "precision": "precision_localisation",
    "confidentiel": "adresse_confidentielle",
    "complement_d_adresse": "complement_adresse",
    "date_de_mise_a_jour": "date_maj",
}


# Le maximum d'une cellule dans Excel (et LibreOffice) : aucun tableur ne produit plus long.
CARACTERES_PAR_CELLULE = 32_767
# Colonnes lues par ligne : 24 sont connues, le reste est ignoré ; un en-tête plus large est
# refusé, une cellule de données au-delà est ignorée sans être lue en entier.
COLONNES_MAX = 200
TAILLE_DEPLIEE_MAX = 200_000_000  # octets décompressés d'un XLSX (CARTOGRAPHIE_IMPORT_…)
DELAI_LECTURE_S = 60.0  # secondes de lecture au plus (CARTOGRAPHIE_IMPORT_DELAI_LECTURE_S)
_LONGUEUR_ENTETE_AFFICHE = 80


class FichierRefuse(ValueError):
    """Le fichier entier est illisible ou hors limites ; le message dit quoi faire."""


def nombre_fr(n: float) -> str:
    """32767 → « 32 767 » (séparateur de milliers français)."""
    return f"{n:,.0f}".replace(",", " ")


@dataclass(slots=True)
class Budget:
    """Ce que la lecture d'un fichier a le droit de consommer ; chaque dépassement lève
    `FichierRefuse` avec la limite, pendant la lecture (jamais après coup)."""

    texte_max: int
    deplie_max: int
    delai_s: float
    echeance: float = field(init=False)
    texte: int = 0
    deplie: int = 0

    def __post_init__(self) -> None:
        self.echeance = time.monotonic() + self.delai_s

    def verifier_delai(self) -> None:
        """Un fichier hostile ne garde pas un fil du serveur occupé au-delà du délai."""
        if time.monotonic() > self.echeance:
            raise FichierRefuse(
                f"Lecture arrêtée au bout de {self.delai_s:g} s (durée maximale de lecture d'un"
                " fichier) : le fichier est trop gros ou abîmé. Découpez-le, ou enregistrez-le à"
                " nouveau depuis le tableur."
            )

    def compter_texte(self, caracteres: int) -> None:
        """Le texte de toutes les cellules, une fois déplié : pas plus qu'un CSV admis."""
        self.texte += caracteres
        if self.texte > self.texte_max:
            raise self.trop_de_texte()

    def trop_de_texte(self) -> FichierRefuse:
        """Le refus d'un fichier qui se déplie en plus de texte que `texte_max`."""
        return FichierRefuse(
            f"Le fichier contient plus de {nombre_fr(self.texte_max)} caractères de texte une"
            f" fois déplié (au plus {nombre_fr(self.texte_max)}, autant qu'un CSV de"
            f" {self.texte_max / 1e6:g} Mo). Découpez-le en plusieurs fichiers."
        )

    def compter_deplie(self, octets: int) -> None:
        """Octets décompressés d'un classeur : un zip de 100 Ko peut en cacher des centaines de Mo."""
        self.deplie += octets
        if self.deplie > self.deplie_max:
            raise self.trop_deplie()

    def trop_deplie(self) -> FichierRefuse:
        """Le refus d'un classeur qui se décompresse en plus de `deplie_max` octets."""
        return FichierRefuse(
            f"Classeur trop volumineux une fois décompressé (plus de"
            f" {self.deplie_max / 1e6:g} Mo ; au plus {self.deplie_max / 1e6:g} Mo)."
            " Découpez-le en plusieurs fichiers ou enregistrez-le en CSV."
        )


def cellule_trop_longue(ou: str) -> FichierRefuse:
    """Le refus d'une cellule plus longue que ce qu'un tableur sait écrire."""
    return FichierRefuse(
        f"{ou} : cellule de plus de {nombre_fr(CARACTERES_PAR_CELLULE)} caractères, le maximum"
        " d'une cellule de tableur. Le fichier est abîmé ou n'a pas été produit par un tableur."
    )


def entete_trop_large(ou: str) -> FichierRefuse:
    """Le refus d'un en-tête de plus de `COLONNES_MAX` colonnes."""
    return FichierRefuse(
        f"{ou} : l'en-tête a plus de {COLONNES_MAX} colonnes (au plus {COLONNES_MAX}). Supprimez"
        " les colonnes inutiles."
    )


@dataclass(frozen=True, slots=True)
class LigneLue:
    """Une ligne de données, numérotée comme dans le tableur (l'en-tête est la ligne 1)."""

    numero: int
    champs: dict[str, str]


@dataclass(frozen=True, slots=True)
class Tableau:
    """Le contenu d'un fichier, colonnes ramenées aux noms de `COLONNES_CSV`."""

    format: str
    colonnes: tuple[str, ...]
    colonnes_ignorees: tuple[str, ...]
    lignes: tuple[LigneLue, ...]


def nom_colonne(entete: object) -> str:
    """Forme canonique d'un en-tête : sans accents, sans casse, espaces et tirets en `_`."""
    texte = unicodedata.normalize("NFKD", str(entete or "").casefold())
    sans_accents = "".join(c for c in texte if not unicodedata.combining(c))
    canonique = _NON_ALPHANUMERIQUE.sub("_", sans_accents).strip("_")
    return _SYNONYMES.get(canonique, canonique)


def decoder(contenu: bytes) -> tuple[str, str]:
    """Texte et encodage d'un CSV : UTF-8 (avec ou sans BOM), UTF-16 (avec ou sans BOM), ou
    Windows-1252 ; sinon `FichierRefuse` (jamais un texte mal décodé qui perdrait l'en-tête)."""
    if contenu.startswith(b"\xef\xbb\xbf"):
        texte, encodage = _decoder(contenu[3:], "utf-8"), "UTF-8 avec BOM"
    elif contenu.startswith((b"\xff\xfe", b"\xfe\xff")):
        texte, encodage = _decoder(contenu, "utf-16"), "UTF-16"
    elif b"\x00" in contenu:
        # Aucun texte UTF-8 ou Windows-1252 ne contient d'octet nul : de l'UTF-16 sans BOM
        # (« Texte Unicode » de certains outils), ou autre chose qu'un CSV.
        texte, encodage = _utf16_sans_bom(contenu), "UTF-16 sans BOM"
    else:
        try:
            return contenu.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            # Excel français enregistre « CSV (séparateur : point-virgule) » en Windows-1252.
            return _decoder(contenu, "cp1252"), "Windows-1252"
    if "\x00" in texte:
        raise FichierRefuse(ENCODAGE_NON_RECONNU)
    return texte, encodage


def _decoder(contenu: bytes, encodage: str) -> str:
    try:
        return contenu.decode(encodage)
    except UnicodeDecodeError:
        raise FichierRefuse(ENCODAGE_NON_RECONNU) from None


ENCODAGE_NON_RECONNU = (
    "Encodage du fichier non reconnu : enregistrez-le en « CSV UTF-8 » depuis le tableur."
)


def _utf16_sans_bom(contenu: bytes) -> str:
    """UTF-16 reconnu à ses octets nuls : derrière chaque lettre latine (LE) ou devant (BE)."""
    echantillon = contenu[:4096]
    pairs, impairs = echantillon[0::2], echantillon[1::2]
    nuls_pairs, nuls_impairs = pairs.count(0), impairs.count(0)
    ordre = None
    if len(contenu) % 2 == 0 and impairs and pairs:
        if nuls_impairs > 0.3 * len(impairs) and nuls_pairs < 0.05 * len(pairs):
            ordre = "utf-16-le"
        elif nuls_pairs > 0.3 * len(pairs) and nuls_impairs < 0.05 * len(impairs):
            ordre = "utf-16-be"
    if ordre is None:
        raise FichierRefuse(ENCODAGE_NON_RECONNU)
    texte = _decoder(contenu, ordre)
    if _CONTROLE.search(texte):
        raise FichierRefuse(ENCODAGE_NON_RECONNU)  # des octets au hasard, pas du texte
    return texte


def deviner_separateur(premiere_ligne: str) -> str:
    """Le séparateur le plus fréquent dans l'en-tête (les noms de colonnes n'en contiennent pas)."""
    comptes = {sep: premiere_ligne.count(sep) for sep in (";", ",", "\t")}
    separateur = max(comptes, key=lambda s: comptes[s])
    if comptes[separateur] == 0:
        raise FichierRefuse(
            "Une seule colonne trouvée : le fichier doit séparer ses colonnes par « ; » ou « , »."
        )
    return separateur


def lire_tableur(
    contenu: bytes,
    nom_fichier: str,
    *,
    taille_max: int,
    lignes_max: int,
    taille_depliee_max: int = TAILLE_DEPLIEE_MAX,
    delai_s: float = DELAI_LECTURE_S,
) -> Tableau:
    """Lit un CSV ou un XLSX ; lève `FichierRefuse` si le fichier ne peut pas être importé.

    Un classeur ne peut pas contenir plus de texte qu'un CSV admis (`taille_max` caractères),
    ni se décompresser en plus de `taille_depliee_max` octets ; la lecture s'arrête au bout de
    `delai_s` secondes.
    """
    if len(contenu) > taille_max:
        raise FichierRefuse(
            f"Fichier trop volumineux ({len(contenu) / 1e6:.1f} Mo ; maximum"
            f" {taille_max / 1e6:.0f} Mo). Découpez-le en plusieurs fichiers."
        )
    if not contenu.strip():
        raise FichierRefuse("Le fichier est vide.")
    budget = Budget(texte_max=taille_max, deplie_max=taille_depliee_max, delai_s=delai_s)
    rangees: Iterator[tuple[int, Sequence[object]]]
    if nom_fichier.lower().endswith(".xlsx") or contenu.startswith(b"PK\x03\x04"):
        from cartographie.echanges.lecture_xlsx import (
            rangees_xlsx,  # importe openpyxl : à la demande
        )

        format_lu, rangees = "XLSX", rangees_xlsx(contenu, budget)
    elif nom_fichier.lower().endswith(".xls"):
        raise FichierRefuse(
            "Format .xls (Excel 97-2003) non pris en charge : enregistrez le fichier en .xlsx ou en CSV."
        )
    else:
        texte, encodage = decoder(contenu)
        premiere_ligne = texte.split("\n", 1)[0]
        separateur = deviner_separateur(premiere_ligne)
        nom_sep = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}[separateur]
        format_lu = f"CSV {encodage}, séparateur {nom_sep}"
        rangees = _rangees_csv(texte, separateur)
    return _tableau(format_lu, rangees, lignes_max, budget)


def _rangees_csv(texte: str, separateur: str) -> Iterator[tuple[int, Sequence[object]]]:
    """Les enregistrements numérotés comme dans le tableur ; une erreur du module `csv` (en
    anglais) devient un refus en français qui nomme la bonne ligne."""
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
    numero = 0
    while True:
        try:
            rangee = next(lecteur)
        except StopIteration:
            return
        except csv.Error as erreur:
            raise FichierRefuse(f"Ligne {numero + 1} illisible : {_erreur_csv(erreur)}.") from None
        numero += 1
        yield numero, rangee


def _erreur_csv(erreur: csv.Error) -> str:
    message = str(erreur)
    if "field larger than field limit" in message:
        return (
            f"une cellule dépasse {nombre_fr(CARACTERES_PAR_CELLULE)} caractères, le maximum"
            " d'une cellule de tableur (un guillemet « \" » jamais refermé ?)"
        )
    if "new-line character seen in unquoted field" in message:
        return "retour à la ligne inattendu dans une cellule sans guillemets"
    return (
        "structure du CSV incorrecte ; enregistrez-le à nouveau en « CSV UTF-8 » depuis le tableur"
    )


def _tableau(
    format_lu: str,
    rangees: Iterator[tuple[int, Sequence[object]]],
    lignes_max: int,
    budget: Budget,
) -> Tableau:
    try:
        _, entetes = next(rangees)
    except StopIteration:
        raise FichierRefuse("Le fichier est vide.") from None
    entetes = list(entetes)
    while entetes and not _texte(entetes[-1]):
        entetes.pop()  # cellules vides en fin d'en-tête : pas des colonnes
    if len(entetes) > COLONNES_MAX:
        raise entete_trop_large("Ligne 1")
    _verifier_cellules(1, entetes, ("",) * len(entetes))
    noms = [nom_colonne(e) for e in entetes]
    if COLONNE_VERSION_PUBLIQUE in noms:
        # Le réimporter effacerait l'adresse exacte des hébergements confidentiels.
        raise FichierRefuse(REFUS_EXPORT_PUBLIC)
    connues = set(COLONNES_CSV)
    vues: dict[str, int] = {}
    for position, nom in enumerate(noms):
        if nom in connues and nom in vues:
            raise FichierRefuse(
                f"La colonne « {nom} » apparaît deux fois dans l'en-tête"
                f" (colonnes {vues[nom] + 1} et {position + 1})."
            )
        vues.setdefault(nom, position)
    positions = {nom: pos for nom, pos in vues.items() if nom in connues}
    ignorees = tuple(
        _abrege(str(e).strip()) for e, n in zip(entetes, noms, strict=True) if n not in connues
    )
    ignorees = tuple(e for e in ignorees if e)

    lignes: list[LigneLue] = []
    for numero, rangee in rangees:
        budget.verifier_delai()
        # Au-delà de l'en-tête, une cellule n'a pas de colonne : ignorée sans être convertie.
        valeurs = [_texte(v) for v in rangee[: len(entetes)]]
        if not any(valeurs):
            continue  # ligne vide : les tableurs en laissent souvent en fin de fichier
        _verifier_cellules(numero, valeurs, noms)
        if len(lignes) >= lignes_max:
            raise FichierRefuse(
                f"Trop de lignes : au plus {lignes_max} acteurs par import."
                " Découpez le fichier en plusieurs morceaux."
            )
        champs = {nom: valeurs[pos] if pos < len(valeurs) else "" for nom, pos in positions.items()}
        if "date_maj" in champs:
            champs["date_maj"] = _date_iso(champs["date_maj"])
        lignes.append(LigneLue(numero, champs))
    return Tableau(
        format=format_lu,
        colonnes=tuple(c for c in COLONNES_CSV if c in positions),
        colonnes_ignorees=ignorees,
        lignes=tuple(lignes),
    )


def _verifier_cellules(numero: int, valeurs: Sequence[object], noms: Sequence[str]) -> None:
    """Une cellule plus longue que ce qu'un tableur sait écrire rend le fichier suspect."""
    for position, valeur in enumerate(valeurs):
        if isinstance(valeur, str) and len(valeur) > CARACTERES_PAR_CELLULE:
            colonne = f", colonne « {noms[position]} »" if noms[position] else ""
            raise cellule_trop_longue(f"Ligne {numero}{colonne}")


def _abrege(texte: str) -> str:
    """Un en-tête inconnu tel qu'on l'affiche : assez pour le reconnaître."""
    if len(texte) <= _LONGUEUR_ENTETE_AFFICHE:
        return texte
    return texte[: _LONGUEUR_ENTETE_AFFICHE - 1] + "…"


def _texte(valeur: object) -> str:
    """Une cellule en texte, comme si elle venait d'un CSV."""
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "true" if valeur else "false"
    if isinstance(valeur, datetime):
        return valeur.date().isoformat()
    if isinstance(valeur, date):
        return valeur.isoformat()
    if isinstance(valeur, float) and valeur.is_integer() and abs(valeur) < 1e15:
        return str(int(valeur))  # un code INSEE saisi comme nombre : 38185.0 → 38185
    texte = str(valeur).strip()
    if len(texte) > 1 and texte[0] == "'" and texte[1] in CARACTERES_FORMULE:
        texte = texte[1:]
    return texte


def _date_iso(texte: str) -> str:
    """JJ/MM/AAAA (ce qu'écrit un tableur français) en AAAA-MM-JJ ; le reste tel quel."""
    correspondance = _DATE_FRANCAISE.match(texte)
    if not correspondance:
        return texte
    jour, mois, annee = correspondance.groups()
    return f"{annee}-{int(mois):02d}-{int(jour):02d}"
