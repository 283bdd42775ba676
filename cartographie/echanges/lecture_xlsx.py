"""Lire la première feuille d'un classeur XLSX au fil de l'eau, sans croire ce qu'il déclare.

Un XLSX est un zip de XML. openpyxl complétait chaque ligne à la taille que la feuille
déclare (`<dimension ref="A1:XFD1048576"/>` : 17 milliards de cellules vides) et s'arrêtait à
la dernière ligne déclarée (des lignes réelles perdues sans un mot). Ici, seules les cellules
présentes sont lues, le XML est analysé par morceaux (expat) et chaque morceau est compté dans
le `Budget` de la lecture : octets décompressés, texte déplié, temps ; une cellule plus longue
que ce qu'Excel sait écrire est refusée dès qu'elle le devient, sans la lire jusqu'au bout.

On ne garde d'openpyxl que ses règles de formats de date (quels formats sont des dates, et
le calendrier 1900/1904 d'Excel), pour lire les dates comme avant.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from datetime import datetime
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from cartographie.echanges.lecture_tableur import (
    CARACTERES_PAR_CELLULE,
    COLONNES_MAX,
    Budget,
    FichierRefuse,
    cellule_trop_longue,
    entete_trop_large,
)

_MORCEAU = 64 * 1024
_ECHAPPEMENT = re.compile(r"_x([0-9A-Fa-f]{4})_")
_LIGNES_EXCEL = 1_048_576
_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELATIONS_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"

Gestionnaire = Callable[[str, dict[str, str]], None]


def rangees_xlsx(contenu: bytes, budget: Budget) -> Iterator[tuple[int, list[object]]]:
    """Les lignes de la première feuille, `(numéro, valeurs)`, la ligne 1 toujours en premier."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(contenu))
    except (zipfile.BadZipFile, OSError, ValueError) as erreur:
        raise _illisible(erreur.__class__.__name__) from None
    return _Classeur(archive, budget).rangees()


def _illisible(pourquoi: str) -> FichierRefuse:
    return FichierRefuse(
        f"Classeur XLSX illisible ({pourquoi}) : ouvrez-le dans le tableur et enregistrez-le à"
        " nouveau, ou exportez-le en CSV."
    )


def _indice_colonne(lettres: str) -> int:
    indice = 0
    for lettre in lettres:
        indice = indice * 26 + ord(lettre) - 64
    return indice


def _desechapper(texte: str) -> str:
    """`_x000D_` (ce qu'Excel écrit pour un retour chariot) → le caractère."""
    if "_x" not in texte:
        return texte
    return _ECHAPPEMENT.sub(lambda m: chr(int(m.group(1), 16)), texte)


def _nombre(texte: str) -> int | float | str:
    try:
        return float(texte) if any(c in texte for c in ".eE") else int(texte)
    except ValueError:
        return texte


class _Classeur:
    """Un classeur ouvert : ses parties sont lues une à une, toutes sous le même budget."""

    def __init__(self, archive: zipfile.ZipFile, budget: Budget) -> None:
        self.archive = archive
        self.budget = budget
        self.partagees: list[str] = []
        self.styles_dates: set[int] = set()
        self.styles_durees: set[int] = set()
        self.calendrier = CALENDAR_WINDOWS_1900

    def rangees(self) -> Iterator[tuple[int, list[object]]]:
        feuille, partagees, styles = self._parties()
        self._verifier_tailles_declarees([feuille, partagees, styles])
        if styles:
            self._lire_styles(styles)
        if partagees:
            self._lire_partagees(partagees)
        yield from _Feuille(self).rangees(feuille)

    # --- Où sont les parties : _rels/.rels → classeur → ses relations -----------------------

    def _parties(self) -> tuple[str, str | None, str | None]:
        relations = self._relations("_rels/.rels", "")
        classeur = next(
            (cible for type_, cible in relations.values() if type_ == "officeDocument"),
            "xl/workbook.xml",
        )
        dossier = posixpath.dirname(classeur)
        feuilles: list[str] = []

        def element(nom: str, attributs: dict[str, str]) -> None:
            if nom == "sheet":
                feuilles.append(
                    attributs.get(f"{_RELATION}}}id")
                    or attributs.get(f"{_RELATIONS_STRICT}}}id", "")
                )
            elif nom == "workbookPr" and attributs.get("date1904") in ("1", "true"):
                self.calendrier = CALENDAR_MAC_1904

        self._analyser(classeur, element)
        liens = self._relations(
            posixpath.join(dossier, "_rels", posixpath.basename(classeur) + ".rels"), dossier
        )
        # La première feuille de calcul dans l'ordre du classeur (pas une feuille graphique).
        feuille = next(
            (liens[i][1] for i in feuilles if i in liens and liens[i][0] == "worksheet"), None
        )
        if feuille is None:
            raise _illisible("aucune feuille de calcul")
        partagees = next((c for t, c in liens.values() if t == "sharedStrings"), None)
        styles = next((c for t, c in liens.values() if t == "styles"), None)
        return feuille, partagees, styles

    def _relations(self, chemin: str, dossier: str) -> dict[str, tuple[str, str]]:
        """Identifiant → (type court, chemin dans l'archive) ; partie absente : aucune relation."""
        if chemin not in self.archive.NameToInfo:
            return {}
        relations: dict[str, tuple[str, str]] = {}

        def element(nom: str, attributs: dict[str, str]) -> None:
            if nom == "Relationship" and attributs.get("TargetMode") != "External":
                cible = attributs.get("Target", "")
                cible = (
                    cible.lstrip("/") if cible.startswith("/") else posixpath.join(dossier, cible)
                )
                type_ = attributs.get("Type", "").rsplit("/", 1)[-1]
                relations[attributs.get("Id", "")] = (type_, posixpath.normpath(cible))

        self._analyser(chemin, element)
        return relations

    def _verifier_tailles_declarees(self, parties: list[str | None]) -> None:
        """Avant de lire : ce que le zip annonce une fois décompressé (il peut mentir en moins,
        d'où le décompte pendant la lecture)."""
        annonce = sum(self.archive.getinfo(p).file_size for p in parties if p and self._existe(p))
        if self.budget.deplie + annonce > self.budget.deplie_max:
            raise self.budget.trop_deplie()

    def _existe(self, chemin: str) -> bool:
        return chemin in self.archive.NameToInfo

    # --- Styles (quels numéros de style sont des dates) et chaînes partagées ---------------

    def _lire_styles(self, chemin: str) -> None:
        formats: dict[int, str] = {}
        styles: list[int] = []
        pile: list[str] = []

        def debut(nom: str, attributs: dict[str, str]) -> None:
            if nom == "numFmt":
                formats[int(attributs.get("numFmtId", "0") or 0)] = attributs.get("formatCode", "")
            elif nom == "xf" and pile and pile[-1] == "cellXfs":
                styles.append(int(attributs.get("numFmtId", "0") or 0))
            pile.append(nom)

        def fin(nom: str) -> None:
            pile.pop()

        self._analyser(chemin, debut, fin)
        for indice, numero in enumerate(styles):
            code = formats.get(numero, BUILTIN_FORMATS.get(numero))
            if is_date_format(code):
                self.styles_dates.add(indice)
            if is_timedelta_format(code):
                self.styles_durees.add(indice)

    def _lire_partagees(self, chemin: str) -> None:
        texte = _Texte("Chaîne partagée")
        pile: list[str] = []
        total = 0

        def debut(nom: str, attributs: dict[str, str]) -> None:
            pile.append(nom)
            if nom == "si":
                texte.commencer(f"Chaîne partagée n° {len(self.partagees) + 1}")
            elif nom == "t" and "rPh" not in pile:  # rPh : lecture phonétique, pas du texte
                texte.capter = True

        def fin(nom: str) -> None:
            nonlocal total
            pile.pop()
            if nom == "t":
                texte.capter = False
            elif nom == "si":
                valeur = texte.valeur()
                # En mémoire tant que la feuille est lue : bornées comme le texte des cellules
                # (chaque cellule qui y renvoie compte en plus, une fois dépliée) ; une chaîne
                # vide compte pour un, sinon des millions de `<si/>` ne coûteraient rien.
                total += len(valeur) + 1
                if total > self.budget.texte_max:
                    raise self.budget.trop_de_texte()
                self.partagees.append(valeur)

        self._analyser(chemin, debut, fin, texte.ajouter)

    # --- Analyse XML par morceaux, sous budget ---------------------------------------------

    def _analyser(
        self,
        chemin: str,
        debut: Gestionnaire,
        fin: Callable[[str], None] | None = None,
        caracteres: Callable[[str], None] | None = None,
    ) -> None:
        """Analyse toute la partie `chemin` (voir `morceaux`)."""
        for _ in self.morceaux(chemin, debut, fin, caracteres):
            pass

    def morceaux(
        self,
        chemin: str,
        debut: Gestionnaire,
        fin: Callable[[str], None] | None = None,
        caracteres: Callable[[str], None] | None = None,
    ) -> Iterator[None]:
        """Passe la partie `chemin` à expat par morceaux de 64 Ko et rend la main après chacun,
        en comptant chaque octet décompressé et le temps ; un DOCTYPE (entités, « billion
        laughs ») est refusé."""
        analyseur = expat.ParserCreate(namespace_separator="}")
        # Texte regroupé par tranches de 8 Ko au plus : moins d'appels, mémoire bornée.
        analyseur.buffer_text = True
        locaux: dict[str, str] = {}

        def local(nom: str) -> str:
            try:
                return locaux[nom]
            except KeyError:
                locaux[nom] = court = nom.rsplit("}", 1)[-1]
                return court

        def refuser_dtd(*_: object) -> None:
            raise _illisible("déclaration DOCTYPE interdite")

        analyseur.StartDoctypeDeclHandler = refuser_dtd
        analyseur.EntityDeclHandler = refuser_dtd
        analyseur.StartElementHandler = lambda nom, attributs: debut(local(nom), attributs)
        if fin is not None:
            analyseur.EndElementHandler = lambda nom: fin(local(nom))
        if caracteres is not None:
            analyseur.CharacterDataHandler = caracteres
        try:
            with self.archive.open(chemin) as partie:
                while morceau := partie.read(_MORCEAU):
                    self.budget.compter_deplie(len(morceau))
                    self.budget.verifier_delai()
                    analyseur.Parse(morceau, False)
                    yield
                analyseur.Parse(b"", True)
                yield
        except FichierRefuse:
            raise
        except KeyError:
            raise _illisible(f"partie {chemin} absente") from None
        except expat.ExpatError as erreur:
            raise _illisible(f"XML incorrect dans {chemin}, ligne {erreur.lineno}") from None
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, ValueError) as e:
            # Archive tronquée, CRC faux, compression inconnue, chiffrement…
            raise _illisible(e.__class__.__name__) from None


class _Texte:
    """Le texte d'une cellule, accumulé morceau par morceau et refusé dès qu'il dépasse la
    taille d'une cellule de tableur (une cellule de 100 millions de caractères n'est jamais
    assemblée)."""

    def __init__(self, ou: str) -> None:
        self.ou = ou  # « Chaîne partagée n° 3 » ; vide dans une feuille : la cellule en cours
        self.capter = False
        self.morceaux: list[str] = []
        self.longueur = 0
        self.feuille: _Feuille | None = None

    def commencer(self, ou: str) -> None:
        self.ou, self.capter, self.morceaux, self.longueur = ou, False, [], 0

    def ajouter(self, morceau: str) -> None:
        if not self.capter:
            return
        self.longueur += len(morceau)
        if self.longueur > CARACTERES_PAR_CELLULE:
            feuille = self.feuille
            ou = self.ou or (f"Cellule {feuille.ref or feuille.colonne}" if feuille else "")
            raise cellule_trop_longue(ou)
        self.morceaux.append(morceau)

    def valeur(self) -> str:
        return _desechapper("".join(self.morceaux))


class _Feuille:
    """La feuille lue ligne à ligne : les lignes complètes sortent après chaque morceau.

    Chemin chaud (un appel par élément XML) : pas de pile, pas d'expression régulière.
    """

    def __init__(self, classeur: _Classeur) -> None:
        self.classeur = classeur
        self.budget = classeur.budget
        self.pretes: list[tuple[int, list[object]]] = []
        self.numero = 0
        self.colonne = 0
        self.cellules: dict[int, object] = {}
        self.type = "n"
        self.style = 0
        self.ref = ""
        self.texte = _Texte("")
        self.texte.feuille = self
        self.dans_is = False  # texte en ligne <is>…</is>
        self.dans_rph = 0  # lecture phonétique <rPh> : pas du texte de la cellule
        self.colonnes: dict[str, int] = {}

    def rangees(self, chemin: str) -> Iterator[tuple[int, list[object]]]:
        premiere = True
        for _ in self.classeur.morceaux(chemin, self._debut, self._fin, self.texte.ajouter):
            pretes, self.pretes = self.pretes, []
            for numero, valeurs in pretes:
                if premiere and numero != 1:
                    yield 1, []  # pas de ligne 1 : l'en-tête est vide, comme dans le tableur
                premiere = False
                yield numero, valeurs
        if premiere:
            yield 1, []

    def _debut(self, nom: str, attributs: dict[str, str]) -> None:
        if nom == "c":
            self.ref = ref = attributs.get("r", "")
            lettres = ref.rstrip("0123456789")
            if lettres:
                colonne = self.colonnes.get(lettres)
                if colonne is None:
                    colonne = self.colonnes[lettres] = _indice_colonne(lettres)
                self.colonne = colonne
            else:
                self.colonne += 1
            self.type = attributs.get("t", "n")
            style = attributs.get("s")
            self.style = int(style) if style and style.isdigit() else 0
            texte = self.texte
            texte.capter, texte.morceaux, texte.longueur = False, [], 0
        elif nom == "v" or (nom == "t" and self.dans_is and not self.dans_rph):
            self.texte.capter = True
        elif nom == "row":
            numero = attributs.get("r", "")
            self.numero = int(numero) if numero.isdigit() else self.numero + 1
            if not 1 <= self.numero <= _LIGNES_EXCEL:
                raise _illisible(f"numéro de ligne {self.numero} hors d'une feuille")
            self.colonne = 0
            self.cellules = {}
        elif nom == "is":
            self.dans_is = True
        elif nom == "rPh":
            self.dans_rph += 1

    def _fin(self, nom: str) -> None:
        if nom == "v" or nom == "t":
            self.texte.capter = False
        elif nom == "c":
            self._cellule()
        elif nom == "row":
            if self.cellules:
                largeur = max(self.cellules)
                valeurs: list[object] = [None] * largeur
                for colonne, valeur in self.cellules.items():
                    valeurs[colonne - 1] = valeur
                self.pretes.append((self.numero, valeurs))
            self.budget.verifier_delai()
        elif nom == "is":
            self.dans_is = False
        elif nom == "rPh":
            self.dans_rph -= 1

    def _cellule(self) -> None:
        brut = "".join(self.texte.morceaux)
        if not brut:
            return  # cellule vide (mise en forme seule) : rien à lire
        if self.colonne > COLONNES_MAX:
            if self.numero == 1:
                raise entete_trop_large(f"Cellule {self.ref}")
            return  # au-delà de l'en-tête : aucune colonne ne la lira
        valeur = self._valeur(brut)
        if isinstance(valeur, str):
            self.budget.compter_texte(len(valeur))
        self.cellules[self.colonne] = valeur

    def _valeur(self, brut: str) -> object:
        """La valeur typée, comme openpyxl la rendait (`data_only`)."""
        match self.type:
            case "s":
                try:
                    return self.classeur.partagees[int(brut)]
                except (ValueError, IndexError):
                    raise _illisible(
                        f"cellule {self.ref} : chaîne partagée n° {brut} introuvable"
                    ) from None
            case "inlineStr":
                return _desechapper(brut)
            case "b":
                return brut.strip() in ("1", "true")
            case "str" | "e":
                return _desechapper(brut)
            case "d":
                try:
                    return datetime.fromisoformat(brut.strip().removesuffix("Z"))
                except ValueError:
                    return brut
        nombre = _nombre(brut.strip())
        if isinstance(nombre, str) or self.style not in self.classeur.styles_dates:
            return nombre
        try:
            return from_excel(
                nombre,
                self.classeur.calendrier,
                timedelta=self.style in self.classeur.styles_durees,
            )
        except (OverflowError, ValueError):
            return nombre
