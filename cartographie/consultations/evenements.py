"""Ce qu'on retient d'une consultation : un événement typé, sans rien qui désigne une personne.

Un événement ne porte que des codes (type d'événement, page, filtres des référentiels, code de
commune, identifiant d'acteur) et une session tirée au hasard : jamais de texte saisi, d'adresse,
d'IP, de navigateur ni de compte. L'horodatage est tronqué à l'heure pour qu'un journal d'accès
tenu ailleurs (proxy) ne permette pas de rattacher un événement à une connexion.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from cartographie.horloge import maintenant, utc
from cartographie.modele import Axe, Public, Referentiel, TypeActeur
from cartographie.recherche.filtres import Filtres, PointRecherche
from cartographie.remise.langues import FormeFiche, LangueFiche


class TypeEvenement(Referentiel):
    """Ce qui s'est passé ; le libellé est celui des statistiques."""

    CONSULTATION = ("consultation", "Consultation d'une page")
    RECHERCHE = ("recherche", "Recherche")
    ACTEUR_CONSULTE = ("acteur_consulte", "Fiche d'un acteur consultée")
    FICHE_IMPRIMEE = ("fiche_imprimee", "Fiche imprimée ou téléchargée")
    LIEN_PARTAGE = ("lien_partage", "Arrivée par un lien partagé")
    EXPORT = ("export", "Liste exportée")


class FormatFichier(Referentiel):
    """Forme sous laquelle une fiche ou une liste est sortie de l'application."""

    PDF = ("pdf", "PDF")
    CSV = ("csv", "CSV")
    TABLEUR = ("xlsx", "Tableur (xlsx)")
    IMPRESSION = ("impression", "Impression")


RAYON_MAX_KM = 300
_CODE_PAGE = re.compile(r"^[a-z0-9_-]{1,40}$")
_CODE_INSEE = re.compile(r"^\d[\dAB]\d{3}$")
_ID_ACTEUR = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_TERRITOIRE_MAX = 120


def maintenant_tronque() -> datetime:
    """L'heure UTC courante, sans minutes ni secondes (naïve, comme en base)."""
    return maintenant().replace(minute=0, second=0, microsecond=0)


def nouvelle_session() -> uuid.UUID:
    """Un identifiant de session aléatoire, qui ne dérive de rien (ni IP, ni navigateur)."""
    return uuid.uuid4()


@dataclass(frozen=True, slots=True)
class Evenement:
    """Un événement de consultation, validé à la construction : rien d'autre ne peut y entrer."""

    type: TypeEvenement
    page: str
    session: uuid.UUID
    horodatage: datetime = field(default_factory=maintenant_tronque)
    types: tuple[TypeActeur, ...] = ()
    axes: tuple[Axe, ...] = ()
    publics: tuple[Public, ...] = ()
    territoire: str | None = None
    rayon_km: int | None = None
    code_insee: str | None = None
    acteur_id: str | None = None
    format: FormatFichier | None = None
    langue: LangueFiche | None = None  # fiche à remettre : sa langue et sa forme, en codes
    forme: FormeFiche | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.type, TypeEvenement):
            raise ValueError(f"type d'événement inconnu : {self.type!r}")
        if not isinstance(self.page, str) or not _CODE_PAGE.match(self.page):
            raise ValueError(f"code de page invalide : {self.page!r}")
        if not isinstance(self.session, uuid.UUID):
            raise ValueError("la session doit être un UUID aléatoire")
        # En UTC, tronqué ici aussi : un appelant ne peut pas stocker une heure plus fine.
        object.__setattr__(
            self, "horodatage", utc(self.horodatage).replace(minute=0, second=0, microsecond=0)
        )
        for nom, enum in (("types", TypeActeur), ("axes", Axe), ("publics", Public)):
            valeurs = getattr(self, nom)
            if not all(isinstance(v, enum) for v in valeurs):
                raise ValueError(f"{nom} : valeurs hors référentiel {valeurs!r}")
            object.__setattr__(self, nom, tuple(sorted(set(valeurs))))
        if self.territoire is not None and (
            not isinstance(self.territoire, str) or not 0 < len(self.territoire) <= _TERRITOIRE_MAX
        ):
            raise ValueError("territoire invalide")
        if self.rayon_km is not None and (
            isinstance(self.rayon_km, bool)
            or not isinstance(self.rayon_km, int)
            or not 0 < self.rayon_km <= RAYON_MAX_KM
        ):
            raise ValueError(f"rayon invalide : {self.rayon_km!r}")
        if self.code_insee is not None and not _CODE_INSEE.match(str(self.code_insee)):
            raise ValueError(f"code INSEE invalide : {self.code_insee!r}")
        if self.acteur_id is not None and not _ID_ACTEUR.match(str(self.acteur_id)):
            raise ValueError(f"identifiant d'acteur invalide : {self.acteur_id!r}")
        if self.format is not None and not isinstance(self.format, FormatFichier):
            raise ValueError(f"format inconnu : {self.format!r}")
        if self.langue is not None and not isinstance(self.langue, LangueFiche):
            raise ValueError(f"langue de fiche inconnue : {self.langue!r}")
        if self.forme is not None and not isinstance(self.forme, FormeFiche):
            raise ValueError(f"forme de fiche inconnue : {self.forme!r}")

    def signature(self) -> tuple:
        """Ce qui distingue deux événements d'une même session, heure exceptée (anti-doublon)."""
        return (
            self.type,
            self.page,
            self.types,
            self.axes,
            self.publics,
            self.territoire,
            self.rayon_km,
            self.code_insee,
            self.acteur_id,
            self.format,
            self.langue,
            self.forme,
        )


def evenement(
    type: TypeEvenement | str,
    page: str,
    session: uuid.UUID,
    *,
    types: Iterable[TypeActeur | str] = (),
    axes: Iterable[Axe | str] = (),
    publics: Iterable[Public | str] = (),
    territoire: str | None = None,
    rayon_km: float | None = None,
    code_insee: str | None = None,
    acteur_id: str | None = None,
    format: FormatFichier | str | None = None,
    langue: LangueFiche | str | None = None,
    forme: FormeFiche | str | None = None,
) -> Evenement:
    """Construit un événement depuis des codes ou des membres (ce que tiennent les widgets)."""
    return Evenement(
        type=TypeEvenement.depuis(type) if isinstance(type, str) else type,
        page=page,
        session=session,
        types=tuple(TypeActeur.depuis(t) if isinstance(t, str) else t for t in types),
        axes=tuple(Axe.depuis(a) if isinstance(a, str) else a for a in axes),
        publics=tuple(Public.depuis(p) if isinstance(p, str) else p for p in publics),
        territoire=territoire or None,
        rayon_km=None if rayon_km is None else round(rayon_km),
        code_insee=code_insee or None,
        acteur_id=acteur_id or None,
        format=FormatFichier.depuis(format) if isinstance(format, str) else format,
        langue=LangueFiche.depuis(langue) if isinstance(langue, str) else langue,
        forme=FormeFiche.depuis(forme) if isinstance(forme, str) else forme,
    )


def criteres_de_recherche(filtres: Filtres, point: PointRecherche | None) -> dict[str, object]:
    """Ce qu'on garde d'une recherche : codes des filtres et commune du point.

    Ni le texte libre (`filtres.texte`), ni le libellé ou les coordonnées du point.
    """
    return {
        "types": filtres.types,
        "axes": filtres.axes,
        "publics": filtres.publics,
        "territoire": filtres.territoire or None,
        "rayon_km": filtres.rayon_km,
        "code_insee": None if point is None else point.code_insee,
    }
