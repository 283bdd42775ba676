"""Ce que cherche une professionnelle : un point de départ et des filtres, lisibles dans l'URL.

Pur Python : le point de recherche et les filtres sont des valeurs ; les clauses SQL sont dans
`cartographie.stockage.filtres_index`, le tri par distance dans `cartographie.recherche.index`, la
vue publique dans `cartographie.recherche.annuaire`. Le codage dans l'URL (`vers_parametres` /
`depuis_parametres`) permet de partager une recherche par un lien : il ne porte que la commune
et les filtres, jamais une adresse ni un point cliqué (l'URL reste dans l'historique du
navigateur, que « Quitter rapidement » n'efface pas).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import TypeVar
from urllib.parse import urlencode

from cartographie.communes import Commune
from cartographie.geocodage.demande import Position
from cartographie.modele import Acteur, Axe, Langue, Precision, Public, Referentiel, TypeActeur
from cartographie.texte import sans_accents

RAYONS_KM: tuple[int, ...] = (5, 10, 20, 50)
"""Rayons proposés ; `None` veut dire « tout le département »."""

PARAMETRE_FICHE = "acteur"
"""Paramètre d'URL de la page d'une fiche (`?acteur=<identifiant>`)."""
PARAMETRE_SIGNALER = "signaler"
"""Avec `acteur` : la page de la fiche s'ouvre sur le formulaire « Signaler une erreur »."""

LIMITE_RESULTATS = 500
"""Au-delà, la liste et la carte montrent les plus proches et disent combien il y en a en tout."""

R = TypeVar("R", bound=Referentiel)


@dataclass(frozen=True, slots=True)
class PointRecherche:
    """D'où l'on cherche : une commune, un clic sur la carte ou (plus tard) une adresse.

    `precision` dit d'où vient le point (commune, adresse, position manuelle) pour que l'écran
    puisse l'annoncer ; `code_insee` rattache toujours le point à une commune de l'Isère.
    """

    latitude: float
    longitude: float
    code_insee: str
    libelle: str
    precision: Precision = Precision.COMMUNE

    @classmethod
    def de_commune(cls, commune: Commune) -> PointRecherche:
        """Le point de recherche d'une commune : son point représentatif."""
        return cls(
            commune.latitude, commune.longitude, commune.code_insee, commune.nom, Precision.COMMUNE
        )


@dataclass(frozen=True, slots=True)
class Filtres:
    """Les filtres de la recherche : à l'intérieur d'un critère « ou », entre critères « et »."""

    types: tuple[TypeActeur, ...] = ()
    axes: tuple[Axe, ...] = ()
    publics: tuple[Public, ...] = ()
    territoire: str = ""
    texte: str = ""
    rayon_km: int | None = None
    langues: tuple[Langue, ...] = ()
    ouvert_maintenant: bool = False
    partenaires: bool = False
    """Montrer aussi les partenaires du protocole (sans accueil direct) : non par défaut."""

    def actifs(self) -> dict[str, str]:
        """Critère → valeur lisible, pour annoncer les filtres en cours et proposer de les ôter."""
        actifs: dict[str, str] = {}
        if self.types:
            actifs["types"] = "Type : " + ", ".join(t.libelle for t in self.types)
        if self.axes:
            actifs["axes"] = "Axe : " + ", ".join(f"{a.value}. {a.libelle}" for a in self.axes)
        if self.publics:
            actifs["publics"] = "Public : " + ", ".join(p.libelle for p in self.publics)
        if self.territoire:
            actifs["territoire"] = f"Territoire : {self.territoire}"
        if self.texte.strip():
            actifs["texte"] = f"Texte : « {self.texte.strip()} »"
        if self.rayon_km is not None:
            actifs["rayon_km"] = f"Rayon : {self.rayon_km} km"
        if self.langues:
            actifs["langues"] = "Langue parlée : " + ", ".join(x.libelle for x in self.langues)
        if self.ouvert_maintenant:
            actifs["ouvert_maintenant"] = "Ouvert maintenant"
        if self.partenaires:
            actifs["partenaires"] = "Avec les partenaires du protocole"
        return actifs


@dataclass(frozen=True, slots=True)
class Resultat:
    """Un acteur (déjà dans sa version publique) et sa distance au point de recherche."""

    acteur: Acteur
    distance_km: float | None
    couvre_la_commune: bool = False
    """Un service avec un lieu et une zone qui couvre la commune cherchée."""


@dataclass(frozen=True, slots=True)
class Resultats:
    """Les résultats affichés, du plus proche au plus loin, et le nombre total trouvé."""

    resultats: tuple[Resultat, ...]
    total: int
    point: PointRecherche | None = None
    filtres: Filtres = field(default_factory=Filtres)
    couvrants: tuple[Acteur, ...] = ()
    """Les services de zone sans lieu qui couvrent la commune cherchée, montrés à part."""

    @property
    def tronques(self) -> bool:
        """Vrai si seuls les plus proches sont montrés."""
        return self.total > len(self.resultats)


def point_de_position(position: Position) -> PointRecherche | None:
    """Le point de départ d'un lieu géocodé (adresse tapée) ; None s'il n'est pas en Isère."""
    if position.latitude is None or position.longitude is None or not position.code_insee:
        return None
    libelle = position.commune if position.precision is Precision.COMMUNE else position.libelle
    return PointRecherche(
        position.latitude, position.longitude, position.code_insee, libelle, position.precision
    )


def mots_recherches(texte: str) -> list[str]:
    """Les mots d'une saisie libre, sans accents ni majuscules ; chacun doit être dans la fiche.

    Pas `referentiel.normaliser` : sa ponctuation devient espace et « st » devient « saint »,
    alors qu'un « % » ou un « st » tapé doit être cherché tel quel.
    """
    return sans_accents(texte).split()


def texte_cherche(acteur: Acteur) -> str:
    """Le texte où la saisie libre est cherchée, normalisé comme elle (`mots_recherches`)."""
    return sans_accents(f"{acteur.nom} {acteur.structure} {acteur.description}")


def intitule(resultats: Resultats) -> str:
    """Le titre de la liste : combien d'acteurs, et autour de quoi (texte brut, non échappé)."""
    point, rayon_km = resultats.point, resultats.filtres.rayon_km
    if point is not None and rayon_km is not None:
        portee = f"à moins de {rayon_km} km de {point.libelle}"
    elif point is not None:
        portee = f"autour de {point.libelle}, du plus proche au plus loin"
    else:
        portee = "dans tout le département (choisissez une commune pour trier par distance)"
    return f"{resultats.total} {accorder(resultats.total)} {portee}"


def accorder(nombre: int) -> str:
    """« acteur » ou « acteurs » selon le nombre (0 et 1 au singulier, comme en français)."""
    return "acteurs" if nombre > 1 else "acteur"


def sans_filtre(filtres: Filtres, critere: str) -> Filtres:
    """Les mêmes filtres moins un critère : pour proposer d'élargir une recherche vide."""
    return replace(filtres, **{critere: getattr(Filtres(), critere)})


@dataclass(frozen=True, slots=True)
class Elargissement:
    """Un filtre qu'on peut ôter à une recherche vide, et combien d'acteurs on trouverait alors."""

    critere: str
    libelle: str
    total: int


# --- URL partageable -------------------------------------------------------------------------


def vers_parametres(filtres: Filtres, point: PointRecherche | None) -> dict[str, str]:
    """Les paramètres d'URL de cette recherche (vides omis) : commune et filtres seulement.

    Une adresse tapée ou un point cliqué n'y laisse que le code de sa commune : chaque URL reste
    dans l'historique du navigateur, où une adresse trahirait la personne accompagnée.
    """
    parametres: dict[str, str] = {}
    if point is not None:
        parametres["commune"] = point.code_insee
    if filtres.types:
        parametres["type"] = ",".join(t.value for t in filtres.types)
    if filtres.axes:
        parametres["axe"] = ",".join(a.value for a in filtres.axes)
    if filtres.publics:
        parametres["public"] = ",".join(p.value for p in filtres.publics)
    if filtres.territoire:
        parametres["territoire"] = filtres.territoire
    if filtres.texte.strip():
        parametres["q"] = filtres.texte.strip()
    if filtres.rayon_km is not None:
        parametres["rayon"] = str(filtres.rayon_km)
    if filtres.langues:
        parametres["langue"] = ",".join(x.value for x in filtres.langues)
    if filtres.ouvert_maintenant:
        parametres["ouvert"] = "1"
    if filtres.partenaires:
        parametres["partenaires"] = "1"
    return parametres


def lien_fiche(acteur_id: str, filtres: Filtres, point: PointRecherche | None) -> str:
    """Le lien de la page d'une fiche, qui garde la recherche en cours pour y revenir."""
    return "?" + urlencode({**vers_parametres(filtres, point), PARAMETRE_FICHE: acteur_id})


def lien_signalement(lien: str) -> str:
    """Le lien de la page d'une fiche (`lien_fiche`), ouverte sur « Signaler une erreur »."""
    return f"{lien}&{urlencode({PARAMETRE_SIGNALER: '1'})}"


def depuis_parametres(
    parametres: Mapping[str, str],
    point_de_commune: Callable[[str], PointRecherche | None],
    territoires: Collection[str] = (),
) -> tuple[Filtres, PointRecherche | None]:
    """Relit une URL partagée ; une valeur inconnue (lien ancien ou abîmé) est ignorée.

    Les paramètres `point`, `lieu` et `precision` de liens plus anciens sont ignorés : la
    recherche rouvre sur la commune, et aucun texte arbitraire du lien n'atteint la page.

    `point_de_commune` transforme un code INSEE en point (référentiel des communes) ; `territoires`
    liste les territoires admis (vide : tout est admis).
    """
    rayon = parametres.get("rayon", "")
    filtres = Filtres(
        types=_codes(TypeActeur, parametres.get("type", "")),
        axes=_codes(Axe, parametres.get("axe", "")),
        publics=_codes(Public, parametres.get("public", "")),
        territoire=_territoire(parametres.get("territoire", ""), territoires),
        texte=parametres.get("q", "").strip()[:200],
        rayon_km=int(rayon) if rayon.isdigit() and int(rayon) in RAYONS_KM else None,
        langues=_codes(Langue, parametres.get("langue", "")),
        ouvert_maintenant=parametres.get("ouvert", "") == "1",
        partenaires=parametres.get("partenaires", "") == "1",
    )
    return filtres, _point(parametres, point_de_commune)


def _codes(enum: type[R], valeur: str) -> tuple[R, ...]:
    admis = {m.value: m for m in enum}
    vus = [admis[v.strip()] for v in valeur.split(",") if v.strip() in admis]
    return tuple(dict.fromkeys(vus))


def _territoire(valeur: str, territoires: Collection[str]) -> str:
    valeur = valeur.strip()
    return valeur if not territoires or valeur in territoires else ""


def _point(
    parametres: Mapping[str, str], point_de_commune: Callable[[str], PointRecherche | None]
) -> PointRecherche | None:
    return point_de_commune(parametres.get("commune", "").strip())
