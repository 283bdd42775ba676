"""La déclaration d'un champ de fiche, et les codecs qui en dérivent tout le reste.

Un champ se déclare une fois, dans la classe de la fiche (`Acteur`), par `champ(...)` : son
libellé français, ses règles (obligatoire, longueur, confidentiel…) et ses usages (colonne du
CSV, de la table, de l'historique, du formulaire, nom data·inclusion). Son codec, déduit de
l'annotation de type, sait lire le texte d'un tableur, l'écrire, le stocker et le mettre en
JSON. Le CSV, le stockage, l'historique, le formulaire et les exports lisent `champs(classe)` :
ajouter un champ, c'est une ligne dans la classe (et une migration SQL pour sa colonne).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, ClassVar, Generic, TypeVar

import pyarrow as pa

from cartographie.modele.referentiels import Referentiel

SEPARATEUR_MULTI = "|"
"""Séparateur des champs à valeurs multiples (axes, publics…) dans les CSV et tableurs."""

_VRAI = frozenset({"true", "vrai", "oui", "1", "x"})
_FAUX = frozenset({"false", "faux", "non", "0", ""})
_CLE = "cartographie.champ"

Valeur = str | float | int | bool | list[str] | None
"""Valeur d'un champ telle qu'elle s'écrit en JSON (historique, exports)."""

T = TypeVar("T")
R = TypeVar("R", bound=Referentiel)


class Codec(Generic[T]):
    """Passage d'une valeur Python à ses autres formes : texte de tableur, colonne, JSON.

    `lire` lève `ValueError` avec un message français qui dit quoi corriger.
    """

    sql: ClassVar[str] = "VARCHAR"
    arrow: pa.DataType = pa.string()
    identite_en_stockage: ClassVar[bool] = True
    """Vrai si la valeur lue en base est déjà la valeur Python (aucune conversion à la lecture)."""
    longueur_texte: ClassVar[int] = 1000
    """Au plus, en caractères, le texte d'une cellule lue par ce codec (sauf longueur déclarée)."""
    vide: T

    def lire(self, texte: str) -> T:
        """Le texte d'une cellule (déjà sans espaces autour) en valeur."""
        raise NotImplementedError

    def ecrire(self, valeur: T) -> str:
        """La valeur en texte de cellule (l'inverse de `lire`)."""
        return "" if valeur is None else str(valeur)

    def vers_stockage(self, valeur: T) -> object:
        """La valeur telle qu'on la passe à DuckDB (paramètre ou colonne Arrow)."""
        return valeur

    def depuis_stockage(self, valeur: object) -> T:
        """L'inverse de `vers_stockage`, appliqué à chaque ligne lue : doit rester rapide."""
        return valeur  # type: ignore[return-value]

    def vers_json(self, valeur: T) -> Valeur:
        """La valeur en JSON (historique) ; par défaut comme en base."""
        return self.vers_stockage(valeur)  # type: ignore[return-value]

    def depuis_json(self, valeur: Valeur) -> T:
        """L'inverse de `vers_json`."""
        return self.depuis_stockage(valeur)


class Texte(Codec[str]):
    """Texte libre, vide quand il n'est pas connu."""

    vide = ""

    def lire(self, texte: str) -> str:
        return texte


class Reel(Codec[float | None]):
    """Nombre décimal (virgule ou point), vide = inconnu."""

    longueur_texte = 30

    sql = "DOUBLE"
    arrow = pa.float64()
    vide = None

    def lire(self, texte: str) -> float | None:
        if not texte:
            return None
        try:
            return float(texte.replace(",", "."))
        except ValueError:
            raise ValueError(f"« {texte} » : nombre attendu (par exemple 45,1885)") from None


class Entier(Codec[int | None]):
    """Nombre entier (facultatif : vide = inconnu)."""

    longueur_texte = 20

    sql = "INTEGER"
    arrow = pa.int32()
    vide = 0

    def __init__(self, *, facultatif: bool = False) -> None:
        self.facultatif = facultatif
        self.vide = None if facultatif else 0

    def lire(self, texte: str) -> int | None:
        if not texte:
            return self.vide
        try:
            return int(texte)
        except ValueError:
            raise ValueError(f"« {texte} » : nombre entier attendu") from None


class Booleen(Codec[bool]):
    """Oui / non ; accepte true/false, vrai/faux, oui/non, 1/0, x."""

    longueur_texte = 20

    sql = "BOOLEAN"
    arrow = pa.bool_()
    vide = False

    def lire(self, texte: str) -> bool:
        valeur = texte.lower()
        if valeur in _VRAI:
            return True
        if valeur in _FAUX:
            return False
        raise ValueError(f"« {texte} » : true ou false attendu (ou oui / non)")

    def ecrire(self, valeur: bool) -> str:
        return "true" if valeur else "false"


class Jour(Codec[date | None]):
    """Date AAAA-MM-JJ (un tableur en JJ/MM/AAAA est converti à sa lecture)."""

    longueur_texte = 20

    sql = "DATE"
    arrow = pa.date32()
    vide = None

    def lire(self, texte: str) -> date | None:
        if not texte:
            return None
        try:
            return date.fromisoformat(texte)
        except ValueError:
            raise ValueError(f"« {texte} » : date AAAA-MM-JJ attendue") from None

    def ecrire(self, valeur: date | None) -> str:
        return valeur.isoformat() if valeur else ""

    def vers_json(self, valeur: date | None) -> Valeur:
        return valeur.isoformat() if valeur else None

    def depuis_json(self, valeur: Valeur) -> date | None:
        return date.fromisoformat(valeur) if isinstance(valeur, str) and valeur else None


class Code(Codec[R]):
    """Un membre d'un référentiel, stocké par son code ; accepte le code ou le libellé.

    Facultatif (`Frais | None`) : une cellule vide, une colonne NULL.
    """

    identite_en_stockage = False
    longueur_texte = 100

    def __init__(self, referentiel: type[R], *, facultatif: bool = False) -> None:
        self.referentiel = referentiel
        self.facultatif = facultatif
        self._par_code: dict[str | None, R | None] = {m.value: m for m in referentiel}
        if facultatif:
            self._par_code[None] = None
        self.vide = None if facultatif else next(iter(referentiel))

    def lire(self, texte: str) -> R:
        if not texte and self.facultatif:
            return None  # type: ignore[return-value]
        return self.referentiel.depuis(texte)  # type: ignore[return-value]

    def vers_stockage(self, valeur: R) -> object:
        return None if valeur is None else str(valeur)

    def depuis_stockage(self, valeur: object) -> R:
        return self._par_code[valeur]  # type: ignore[index,return-value]


class Codes(Codec[tuple[R, ...]]):
    """Plusieurs membres d'un référentiel, séparés par `|` dans un tableur."""

    identite_en_stockage = False

    sql = "VARCHAR[]"
    arrow = pa.list_(pa.string())
    vide = ()

    def __init__(self, referentiel: type[R]) -> None:
        self.referentiel = referentiel
        self._par_code: dict[str, R] = {m.value: m for m in referentiel}

    def lire(self, texte: str) -> tuple[R, ...]:
        return tuple(self.referentiel.depuis(v) for v in _morceaux(texte))  # type: ignore[misc]

    def ecrire(self, valeur: tuple[R, ...]) -> str:
        return SEPARATEUR_MULTI.join(str(v) for v in valeur)

    def vers_stockage(self, valeur: tuple[R, ...]) -> object:
        return [str(v) for v in valeur]

    def depuis_stockage(self, valeur: object) -> tuple[R, ...]:
        return tuple(self._par_code[c] for c in valeur)  # type: ignore[union-attr]


class Textes(Codec[tuple[str, ...]]):
    """Plusieurs textes courts (codes officiels…), séparés par `|` dans un tableur."""

    identite_en_stockage = False

    sql = "VARCHAR[]"
    arrow = pa.list_(pa.string())
    vide = ()

    def lire(self, texte: str) -> tuple[str, ...]:
        return tuple(_morceaux(texte))

    def ecrire(self, valeur: tuple[str, ...]) -> str:
        return SEPARATEUR_MULTI.join(valeur)

    def vers_stockage(self, valeur: tuple[str, ...]) -> object:
        return list(valeur)

    def depuis_stockage(self, valeur: object) -> tuple[str, ...]:
        return tuple(valeur)  # type: ignore[arg-type]


def _morceaux(texte: str) -> list[str]:
    return [v.strip() for v in texte.split(SEPARATEUR_MULTI) if v.strip()]


@dataclass(frozen=True, slots=True)
class Champ:
    """Un champ de fiche et tout ce qu'on en dérive."""

    nom: str
    libelle: str
    codec: Codec
    obligatoire: bool = False
    csv: bool = True
    """Colonne de `data/acteurs.csv`, des imports et de l'export CSV."""
    stocke: bool = True
    """Colonne de la table (sinon déduit à la lecture, comme le territoire)."""
    suivi: bool = True
    """L'historique garde son avant/après."""
    saisi: bool = True
    """Se saisit dans le formulaire de la DDFE."""
    multiligne: bool = False
    """Texte long, saisi dans une zone de plusieurs lignes."""
    confidentiel: bool = False
    """Masqué dans toute vue publique quand l'adresse de la fiche est confidentielle."""
    longueur_max: int | None = None
    data_inclusion: str | None = None
    """Nom du champ équivalent dans le schéma data·inclusion (v1)."""
    aide: str = ""
    """Ce que le champ veut dire, pour data/README.md et l'aide du formulaire."""
    defaut: Any = None
    """Valeur d'un champ non renseigné, si `a_defaut`."""
    a_defaut: bool = False
    """Faux pour un champ qui doit être donné (identifiant, nom, type, commune)."""


def champ(libelle: str, *, defaut: Any = dataclasses.MISSING, **options: Any) -> Any:
    """Déclare un champ dans la classe d'une fiche (voir `Champ` pour les options)."""
    return dataclasses.field(default=defaut, metadata={_CLE: {"libelle": libelle, **options}})


@cache
def champs(classe: type) -> tuple[Champ, ...]:
    """Les champs déclarés d'une classe de fiche, dans l'ordre de la déclaration."""
    annotations = typing.get_type_hints(classe)
    return tuple(
        Champ(
            nom=f.name,
            codec=_codec(annotations[f.name]),
            defaut=None if f.default is dataclasses.MISSING else f.default,
            a_defaut=f.default is not dataclasses.MISSING,
            **f.metadata[_CLE],
        )
        for f in dataclasses.fields(classe)
    )


def champ_nomme(classe: type, nom: str) -> Champ:
    """Un champ par son nom ; `KeyError` s'il n'existe pas."""
    for c in champs(classe):
        if c.nom == nom:
            return c
    raise KeyError(nom)


def _codec(annotation: Any) -> Codec:
    """Le codec d'une annotation : str, float | None, int, bool, date | None, référentiel(s)."""
    origine, arguments = typing.get_origin(annotation), typing.get_args(annotation)
    facultatif = False
    if origine in (typing.Union, types.UnionType):
        (annotation,) = [a for a in arguments if a is not type(None)]
        origine, arguments = typing.get_origin(annotation), typing.get_args(annotation)
        facultatif = True
    if origine is tuple:
        element = arguments[0]
        if isinstance(element, type) and issubclass(element, Referentiel):
            return Codes(element)
        return Textes()
    if isinstance(annotation, type) and issubclass(annotation, Referentiel):
        return Code(annotation, facultatif=facultatif)
    if annotation is int:
        return Entier(facultatif=facultatif)
    simples: dict[Any, type[Codec]] = {
        str: Texte,
        float: Reel,
        bool: Booleen,
        date: Jour,
    }
    return simples[annotation]()


@cache
def colonnes(classe: type, usage: str) -> tuple[str, ...]:
    """Les noms des champs qui ont un usage (`csv`, `stocke`, `suivi`, `saisi`), dans l'ordre."""
    return tuple(c.nom for c in champs(classe) if getattr(c, usage))


def libelles(classe: type) -> dict[str, str]:
    """Nom → libellé français de chaque champ."""
    return {c.nom: c.libelle for c in champs(classe)}


def schema_arrow(classe: type, noms: Sequence[str]) -> pa.Schema:
    """Le schéma Arrow des colonnes `noms`, pour les écritures par lots."""
    par_nom = {c.nom: c for c in champs(classe)}
    return pa.schema([(n, par_nom[n].codec.arrow) for n in noms])


class ErreurChamp(ValueError):
    """Une valeur de champ illisible ; `nom` dit lequel, le message dit quoi corriger."""

    def __init__(self, nom: str, message: str) -> None:
        super().__init__(message)
        self.nom = nom
        self.message = message


@cache
def _codecs(classe: type) -> dict[str, Codec]:
    return {c.nom: c.codec for c in champs(classe)}


def vers_textes(fiche: object, noms: Sequence[str] | None = None) -> dict[str, str]:
    """Les champs d'une fiche en textes de tableur (colonnes du CSV par défaut)."""
    codecs = _codecs(type(fiche))
    noms = colonnes(type(fiche), "csv") if noms is None else noms
    return {n: codecs[n].ecrire(getattr(fiche, n)) for n in noms}


def depuis_textes(classe: type, textes: typing.Mapping[str, str]) -> dict[str, Any]:
    """Les textes présents dans `textes` lus par le codec de leur champ ; `ErreurChamp` sinon.

    Une cellule vide d'un champ qui a une valeur par défaut prend cette valeur.
    """
    valeurs: dict[str, Any] = {}
    for c in champs(classe):
        if c.nom not in textes:
            continue
        texte = (textes[c.nom] or "").strip()
        if not texte and c.a_defaut:
            valeurs[c.nom] = c.defaut
            continue
        try:
            valeurs[c.nom] = c.codec.lire(texte)
        except ValueError as erreur:
            raise ErreurChamp(c.nom, str(erreur)) from None
    return valeurs


def vers_json(fiche: object, noms: Sequence[str]) -> dict[str, Valeur]:
    """Les champs `noms` d'une fiche en valeurs JSON (codes des référentiels, dates ISO)."""
    par_nom = {c.nom: c for c in champs(type(fiche))}
    return {n: par_nom[n].codec.vers_json(getattr(fiche, n)) for n in noms}


def depuis_json(classe: type, valeurs: typing.Mapping[str, Valeur]) -> dict[str, Any]:
    """L'inverse de `vers_json` pour les champs présents ; un champ inconnu est ignoré."""
    return {c.nom: c.codec.depuis_json(valeurs[c.nom]) for c in champs(classe) if c.nom in valeurs}


def vers_stockage(fiche: object, noms: Sequence[str]) -> list[object]:
    """Les valeurs des colonnes `noms`, telles qu'on les passe à DuckDB."""
    par_nom = {c.nom: c for c in champs(type(fiche))}
    return [par_nom[n].codec.vers_stockage(getattr(fiche, n)) for n in noms]


def lecteur(classe: type[T], noms: Sequence[str]) -> typing.Callable[[Sequence[object]], T]:
    """Une fonction qui fait d'une ligne de colonnes `noms` une fiche (les autres champs par défaut).

    Seuls les champs dont la forme en base diffère passent par leur codec : l'index de recherche
    convertit toutes les fiches d'un coup.
    """
    par_nom = {c.nom: c for c in champs(classe)}
    conversions = [
        (i, n, None if par_nom[n].codec.identite_en_stockage else par_nom[n].codec.depuis_stockage)
        for i, n in enumerate(noms)
        if n in par_nom
    ]

    def lire(ligne: Sequence[object]) -> T:
        return classe(
            **{n: (ligne[i] if conv is None else conv(ligne[i])) for i, n, conv in conversions}
        )

    return lire
