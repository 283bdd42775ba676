"""Classeurs XLSX écrits à la main (zipfile + XML) : ceux qu'aucun tableur honnête ne produit.

Chaque fabrique rend les octets d'un fichier .xlsx minimal (sans styles ni propriétés) : c'est
ce qu'un outil malveillant ou abîmé peut déposer. Partagé par les tests et le banc
`bench/bench_tableurs_hostiles.py`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

ENTETE = ("id", "nom", "type", "commune", "code_insee")
LIGNE_VALIDE = ("leao-hostile", "Lieu d'écoute", "leao", "Voiron", "38563")

_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_CLASSEUR = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Acteurs" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_CLASSEUR_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def colonne(index: int) -> str:
    """1 → A, 27 → AA, 16384 → XFD."""
    lettres = ""
    while index:
        index, reste = divmod(index - 1, 26)
        lettres = chr(65 + reste) + lettres
    return lettres


def cellule(numero: int, index: int, valeur: str) -> str:
    """Une cellule texte en ligne (`inlineStr`), comme l'écrivent beaucoup d'outils."""
    return f'<c r="{colonne(index)}{numero}" t="inlineStr"><is><t>{escape(valeur)}</t></is></c>'


def rangee(numero: int, valeurs: Iterable[str]) -> str:
    """Une ligne `<row>` de cellules texte."""
    cellules = "".join(cellule(numero, i, v) for i, v in enumerate(valeurs, start=1))
    return f'<row r="{numero}">{cellules}</row>'


def classeur(
    rangees: Iterable[str],
    *,
    dimension: str | None = None,
    partagees: Iterable[str] = (),
) -> bytes:
    """Un .xlsx dont la feuille contient `rangees` (XML déjà écrit), écrit au fil de l'eau.

    Les morceaux sont compressés à mesure : un classeur qui se déplie en centaines de Mo se
    fabrique sans les tenir en mémoire.
    """
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _CLASSEUR)
        archive.writestr("xl/_rels/workbook.xml.rels", _CLASSEUR_RELS)
        _ecrire(
            archive,
            "xl/sharedStrings.xml",
            [f"<sst {_NS}>", *(f"<si><t>{s}</t></si>" for s in partagees), "</sst>"],
        )
        debut = f"<worksheet {_NS}>"
        if dimension:
            debut += f'<dimension ref="{dimension}"/>'
        _ecrire(
            archive,
            "xl/worksheets/sheet1.xml",
            [debut, "<sheetData>", *rangees, "</sheetData></worksheet>"],
        )
    return tampon.getvalue()


def _ecrire(archive: zipfile.ZipFile, nom: str, morceaux: Iterable[str]) -> None:
    with archive.open(nom, "w", force_zip64=True) as sortie:
        for morceau in morceaux:
            sortie.write(morceau.encode())


def _repete(motif: str, fois: int) -> Iterator[str]:
    """`motif * fois` par tranches d'un million de caractères."""
    tranche = 1_000_000 // max(len(motif), 1) or 1
    while fois > 0:
        yield motif * min(tranche, fois)
        fois -= tranche


def cellule_geante(caracteres: int = 100_000_000) -> bytes:
    """Une chaîne partagée de `caracteres` caractères, nom de l'unique ligne (~100 Ko compressé)."""
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _CLASSEUR)
        archive.writestr("xl/_rels/workbook.xml.rels", _CLASSEUR_RELS)
        _ecrire(
            archive,
            "xl/sharedStrings.xml",
            [f"<sst {_NS}><si><t>", *_repete("x", caracteres), "</t></si></sst>"],
        )
        id_, _, type_, commune, code = LIGNE_VALIDE
        ligne2 = (
            f'<row r="2">{cellule(2, 1, id_)}<c r="B2" t="s"><v>0</v></c>'
            f"{cellule(2, 3, type_)}{cellule(2, 4, commune)}{cellule(2, 5, code)}</row>"
        )
        _ecrire(
            archive,
            "xl/worksheets/sheet1.xml",
            [
                f"<worksheet {_NS}><sheetData>",
                rangee(1, ENTETE),
                ligne2,
                "</sheetData></worksheet>",
            ],
        )
    return tampon.getvalue()


def noms_geants(lignes: int = 2001, caracteres: int = 32_000) -> bytes:
    """`lignes` acteurs valides dont le nom fait `caracteres` caractères (~130 Ko compressé)."""
    nom = "N" * caracteres

    def rangees() -> Iterator[str]:
        yield rangee(1, ENTETE)
        for i in range(lignes):
            yield rangee(i + 2, (f"leao-geant-{i}", nom, "leao", "Voiron", "38563"))

    return classeur(rangees())


def dimension_geante() -> bytes:
    """Deux lignes réelles et une dernière ligne vide, dans une feuille déclarée A1:XFD1048576.

    Un lecteur qui croit la dimension complète chaque ligne manquante à 16 384 colonnes :
    un million de lignes vides, 17 milliards de cellules (~2 Ko compressé).
    """
    return classeur(
        [rangee(1, ENTETE), rangee(2, LIGNE_VALIDE), '<row r="1048576"/>'],
        dimension="A1:XFD1048576",
    )


def dimension_trop_petite(lignes: int = 5) -> bytes:
    """Une feuille déclarée A1:E2 qui contient pourtant `lignes` lignes de données."""
    return classeur(
        [rangee(1, ENTETE)]
        + [
            rangee(i + 2, (f"leao-cache-{i}", "Lieu d'écoute", "leao", "Voiron", "38563"))
            for i in range(lignes)
        ],
        dimension="A1:E2",
    )


def cellule_lointaine() -> bytes:
    """Une ligne valide, plus une cellule isolée en XFD1048576 (la dernière de la feuille)."""
    return classeur(
        [
            rangee(1, ENTETE),
            rangee(2, LIGNE_VALIDE),
            f'<row r="1048576">{cellule(1048576, 16384, "perdu")}</row>',
        ]
    )
