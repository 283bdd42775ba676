"""Lire un tableur tel que les partenaires le produisent : CSV (UTF-8 ou Windows-1252, `,` ou `;`)
ou XLSX, en-têtes écrits à la main.

Rien n'est validé ici au-delà de la forme du fichier : chaque ligne ressort en champs texte,
rangés sous les noms de `COLONNES_CSV`, pour passer ensuite par la validation unique
(`chargement.acteur_depuis_champs`).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
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


class FichierRefuse(ValueError):
    """Le fichier entier est illisible ou hors limites ; le message dit quoi faire."""


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
    """Texte et encodage d'un CSV : UTF-8 (avec ou sans BOM), UTF-16 avec BOM, ou Windows-1252."""
    if contenu.startswith(b"\xef\xbb\xbf"):
        return contenu[3:].decode("utf-8", errors="strict"), "UTF-8 avec BOM"
    if contenu.startswith((b"\xff\xfe", b"\xfe\xff")):
        return contenu.decode("utf-16"), "UTF-16"
    try:
        return contenu.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        # Excel français enregistre « CSV (séparateur : point-virgule) » en Windows-1252.
        return contenu.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise FichierRefuse(
            "Encodage du fichier non reconnu : enregistrez-le en « CSV UTF-8 » depuis le tableur."
        ) from None


def deviner_separateur(premiere_ligne: str) -> str:
    """Le séparateur le plus fréquent dans l'en-tête (les noms de colonnes n'en contiennent pas)."""
    comptes = {sep: premiere_ligne.count(sep) for sep in (";", ",", "\t")}
    separateur = max(comptes, key=lambda s: comptes[s])
    if comptes[separateur] == 0:
        raise FichierRefuse(
            "Une seule colonne trouvée : le fichier doit séparer ses colonnes par « ; » ou « , »."
        )
    return separateur


def lire_tableur(contenu: bytes, nom_fichier: str, *, taille_max: int, lignes_max: int) -> Tableau:
    """Lit un CSV ou un XLSX ; lève `FichierRefuse` si le fichier ne peut pas être importé."""
    if len(contenu) > taille_max:
        raise FichierRefuse(
            f"Fichier trop volumineux ({len(contenu) / 1e6:.1f} Mo ; maximum"
            f" {taille_max / 1e6:.0f} Mo). Découpez-le en plusieurs fichiers."
        )
    if not contenu.strip():
        raise FichierRefuse("Le fichier est vide.")
    if nom_fichier.lower().endswith(".xlsx") or contenu.startswith(b"PK\x03\x04"):
        format_lu, rangees = "XLSX", _rangees_xlsx(contenu)
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
        rangees = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
    return _tableau(format_lu, rangees, lignes_max)


def _tableau(format_lu: str, rangees: Iterator[list[object]], lignes_max: int) -> Tableau:
    try:
        entetes = next(rangees)
    except StopIteration:
        raise FichierRefuse("Le fichier est vide.") from None
    except csv.Error as erreur:
        raise FichierRefuse(f"Ligne 1 illisible : {erreur}.") from None
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
    ignorees = tuple(str(e).strip() for e, n in zip(entetes, noms, strict=True) if n not in connues)
    ignorees = tuple(e for e in ignorees if e)

    lignes: list[LigneLue] = []
    numero = 1
    try:
        for rangee in rangees:
            numero += 1
            valeurs = [_texte(v) for v in rangee]
            if not any(valeurs):
                continue  # ligne vide : les tableurs en laissent souvent en fin de fichier
            if len(lignes) >= lignes_max:
                raise FichierRefuse(
                    f"Trop de lignes : au plus {lignes_max} acteurs par import."
                    " Découpez le fichier en plusieurs morceaux."
                )
            champs = {
                nom: valeurs[pos] if pos < len(valeurs) else "" for nom, pos in positions.items()
            }
            if "date_maj" in champs:
                champs["date_maj"] = _date_iso(champs["date_maj"])
            lignes.append(LigneLue(numero, champs))
    except csv.Error as erreur:
        raise FichierRefuse(f"Ligne {numero} illisible : {erreur}.") from None
    return Tableau(
        format=format_lu,
        colonnes=tuple(c for c in COLONNES_CSV if c in positions),
        colonnes_ignorees=ignorees,
        lignes=tuple(lignes),
    )


def _rangees_xlsx(contenu: bytes) -> Iterator[list[object]]:
    from openpyxl import load_workbook  # lent à importer : seulement pour un XLSX

    try:
        classeur = load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as erreur:
        raise FichierRefuse(
            f"Classeur XLSX illisible ({erreur.__class__.__name__}) : ouvrez-le dans le tableur"
            " et enregistrez-le à nouveau, ou exportez-le en CSV."
        ) from None
    feuille = classeur.worksheets[0]
    return (list(r) for r in feuille.iter_rows(values_only=True))


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
