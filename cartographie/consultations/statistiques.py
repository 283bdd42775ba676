"""Les statistiques de consultation que présente la DDFE, et les indicateurs de l'objectif 22.

Chaque fonction rend un tableau (liste de dictionnaires aux clés françaises) prêt à montrer et à
exporter. Tout compte publié passe par `masquer` : en dessous de 5, on écrit « < 5 », pour qu'un
chiffre ne désigne jamais une personne (« la seule recherche faite depuis telle commune »).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from cartographie.consultations.evenements import FormatFichier, TypeEvenement
from cartographie.edition import fraicheur
from cartographie.modele import Axe, Public, Statut, TypeActeur
from cartographie.remise.langues import FormeFiche, LangueFiche
from cartographie.stockage import acteurs as depot_acteurs
from cartographie.stockage import communes as depot_communes
from cartographie.stockage import consultations as depot
from cartographie.stockage import indicateurs as depot_indicateurs

SEUIL_MASQUAGE = 5
MENTION_MASQUEE = "< 5"

Lignes = list[dict[str, object]]
"""Un tableau de statistiques : une ligne par dict, colonnes aux en-têtes français (export CSV)."""

# Événements que rien ne note : les compter donnerait un faux zéro. Le type reste dans le modèle
# pour le jour où un export public suivi existera.
NON_MESURES = frozenset({TypeEvenement.EXPORT})
MENTION_NON_MESURE = "non mesuré"
RAISON_EXPORTS_NON_MESUREES = (
    "les exports sont faits par la DDFE, dont les visites ne sont pas comptées"
)
RAISON_NON_MESURE = RAISON_EXPORTS_NON_MESUREES


def masquer(nombre: int) -> str:
    """Un compte tel qu'on peut le publier : « < 5 » en dessous du seuil, sinon le nombre."""
    return MENTION_MASQUEE if nombre < SEUIL_MASQUAGE else str(nombre)


def masquer_tableau(tableau: Lignes, colonnes: Iterable[str]) -> Lignes:
    """Le tableau avec les comptes de `colonnes` masqués (les autres colonnes inchangées)."""
    a_masquer = set(colonnes)
    return [
        {k: masquer(v) if k in a_masquer and isinstance(v, int) else v for k, v in ligne.items()}
        for ligne in tableau
    ]


def en_csv(tableau: Lignes) -> str:
    """Le tableau en CSV (séparateur « ; », celui qu'ouvre un tableur français)."""
    sortie = io.StringIO()
    if tableau:
        ecrivain = csv.DictWriter(sortie, fieldnames=list(tableau[0]), delimiter=";")
        ecrivain.writeheader()
        ecrivain.writerows(tableau)
    return sortie.getvalue()


@dataclass(frozen=True, slots=True)
class Periode:
    """Une période de jours (heure de Paris), bornes incluses."""

    debut: date
    fin: date

    def __post_init__(self) -> None:
        if self.fin < self.debut:
            raise ValueError("la fin de la période précède son début")

    @classmethod
    def annee(cls, annee: int) -> Periode:
        """L'année civile."""
        return cls(date(annee, 1, 1), date(annee, 12, 31))


def annees_disponibles(con: duckdb.DuckDBPyConnection, aujourd_hui: date) -> list[int]:
    """Les années qui ont des consultations, de la plus récente à la plus ancienne."""
    premier = depot.premier_jour(con)
    debut = aujourd_hui.year if premier is None else min(premier.year, aujourd_hui.year)
    return list(range(aujourd_hui.year, debut - 1, -1))


def _compter(
    con: duckdb.DuckDBPyConnection,
    periode: Periode,
    evenements: Sequence[TypeEvenement | str],
    **options: object,
) -> list[depot.Compte]:
    return depot.compter(
        con, periode.debut, periode.fin, evenements=[str(e) for e in evenements], **options
    )


def frequentation(con: duckdb.DuckDBPyConnection, periode: Periode, pas: str) -> Lignes:
    """Consultations, sessions et recherches par jour, semaine ou mois (périodes vides à 0)."""
    consultations = {
        c.periode: c.nombre for c in _compter(con, periode, [TypeEvenement.CONSULTATION], pas=pas)
    }
    recherches = {
        c.periode: c.nombre for c in _compter(con, periode, [TypeEvenement.RECHERCHE], pas=pas)
    }
    sessions = {
        c.periode: c.sessions for c in _compter(con, periode, [depot.TOUS_EVENEMENTS], pas=pas)
    }
    return [
        {
            "Période": p,
            "Consultations": consultations.get(p, 0),
            "Sessions": sessions.get(p, 0),
            "Recherches": recherches.get(p, 0),
        }
        for p in _periodes(periode, pas)
    ]


def _periodes(periode: Periode, pas: str) -> list[date]:
    """Débuts des jours, semaines (lundi) ou mois qui touchent la période."""
    if pas == "jour":
        return [
            periode.debut + timedelta(days=i) for i in range((periode.fin - periode.debut).days + 1)
        ]
    if pas == "semaine":
        courant = periode.debut - timedelta(days=periode.debut.weekday())
        pas_semaine = timedelta(weeks=1)
        resultat = []
        while courant <= periode.fin:
            resultat.append(courant)
            courant += pas_semaine
        return resultat
    if pas == "mois":
        resultat, (a, m) = [], (periode.debut.year, periode.debut.month)
        while date(a, m, 1) <= periode.fin:
            resultat.append(date(a, m, 1))
            a, m = (a + 1, 1) if m == 12 else (a, m + 1)
        return resultat
    raise ValueError(f"pas inconnu : {pas!r}")


def recherches_par_territoire(con: duckdb.DuckDBPyConnection, periode: Periode) -> Lignes:
    """Recherches filtrées sur un territoire, par territoire."""
    comptes = _compter(con, periode, [TypeEvenement.RECHERCHE], dimension="territoire")
    return [{"Territoire": c.valeur, "Recherches": c.nombre} for c in comptes]


def recherches_par_commune(con: duckdb.DuckDBPyConnection, periode: Periode) -> Lignes:
    """Recherches autour d'un point, par commune de ce point (jamais l'adresse tapée)."""
    communes = depot_communes.noms_et_territoires(con)
    comptes = _compter(con, periode, [TypeEvenement.RECHERCHE], dimension="code_insee")
    return [
        {
            "Code INSEE": c.valeur,
            "Commune": communes.get(c.valeur, ("?", ""))[0],
            "Territoire": communes.get(c.valeur, ("?", ""))[1],
            "Recherches": c.nombre,
        }
        for c in comptes
    ]


_FILTRES: tuple[tuple[str, str, type | None], ...] = (
    ("type", "Type d'acteur", TypeActeur),
    ("axe", "Axe du protocole", Axe),
    ("public", "Public", Public),
    ("territoire", "Territoire", None),
    ("rayon_km", "Rayon (km)", None),
)


def filtres_utilises(con: duckdb.DuckDBPyConnection, periode: Periode) -> Lignes:
    """Combien de recherches ont utilisé chaque valeur de chaque filtre, les plus fréquentes d'abord."""
    tableau: Lignes = []
    for dimension, libelle, enum in _FILTRES:
        for c in _compter(con, periode, [TypeEvenement.RECHERCHE], dimension=dimension):
            valeur = _libelle(enum, c.valeur)
            if dimension == "rayon_km":
                valeur = f"{c.valeur} km"
            tableau.append({"Filtre": libelle, "Valeur": valeur, "Recherches": c.nombre})
    return sorted(tableau, key=lambda ligne: -int(ligne["Recherches"]))


def _libelle(enum: type | None, code: str) -> str:
    if enum is None:
        return code
    try:
        return enum(code).libelle
    except ValueError:
        return code  # code retiré du référentiel depuis : on le montre tel quel


def _acteurs(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    return {a.id: (a.nom, a.type.libelle) for a in depot_acteurs.lister(con, statut=None)}


def acteurs_consultes(
    con: duckdb.DuckDBPyConnection, periode: Periode, limite: int | None = 20
) -> Lignes:
    """Les fiches les plus consultées (ouvertures de la page d'une fiche, `?acteur=…`)."""
    acteurs = _acteurs(con)
    comptes = _compter(con, periode, [TypeEvenement.ACTEUR_CONSULTE], dimension="acteur_id")
    tableau = [
        {
            "Acteur": acteurs.get(c.valeur, (c.valeur, ""))[0],
            "Type": acteurs.get(c.valeur, ("", "?"))[1],
            "Consultations": c.nombre,
        }
        for c in comptes
    ]
    return tableau if limite is None else tableau[:limite]


def types_consultes(con: duckdb.DuckDBPyConnection, periode: Periode) -> Lignes:
    """Fiches consultées, regroupées par type d'acteur (type actuel de la fiche)."""
    totaux: dict[str, int] = {}
    for ligne in acteurs_consultes(con, periode, limite=None):
        cle = str(ligne["Type"])
        totaux[cle] = totaux.get(cle, 0) + int(ligne["Consultations"])
    return [
        {"Type": t, "Consultations": n}
        for t, n in sorted(totaux.items(), key=lambda item: (-item[1], item[0]))
    ]


def fiches_imprimees(con: duckdb.DuckDBPyConnection, periode: Periode) -> Lignes:
    """Fiches imprimées ou téléchargées, par format, langue et forme, puis par acteur."""
    acteurs = _acteurs(con)
    imprimee = [TypeEvenement.FICHE_IMPRIMEE]
    par_format = _compter(con, periode, imprimee, dimension="format")
    par_langue = _compter(con, periode, imprimee, dimension="langue")
    par_forme = _compter(con, periode, imprimee, dimension="forme")
    par_acteur = _compter(con, periode, imprimee, dimension="acteur_id")
    return (
        [
            {"Détail": "Format", "Valeur": _libelle(FormatFichier, c.valeur), "Fiches": c.nombre}
            for c in par_format
        ]
        + [
            {"Détail": "Langue", "Valeur": _libelle(LangueFiche, c.valeur), "Fiches": c.nombre}
            for c in par_langue
        ]
        + [
            {"Détail": "Forme", "Valeur": _libelle(FormeFiche, c.valeur), "Fiches": c.nombre}
            for c in par_forme
        ]
        + [
            {
                "Détail": "Acteur",
                "Valeur": acteurs.get(c.valeur, (c.valeur, ""))[0],
                "Fiches": c.nombre,
            }
            for c in par_acteur
        ]
    )


def evenements_par_type(con: duckdb.DuckDBPyConnection, periode: Periode) -> Lignes:
    """Nombre d'événements de chaque type sur la période ; « non mesuré » si rien ne le note."""
    tableau: Lignes = []
    for type_evenement in TypeEvenement:
        if type_evenement in NON_MESURES:
            tableau.append(
                {
                    "Événement": type_evenement.libelle,
                    "Nombre": MENTION_NON_MESURE,
                    "Sessions": MENTION_NON_MESURE,
                }
            )
            continue
        comptes = _compter(con, periode, [type_evenement])
        tableau.append(
            {
                "Événement": type_evenement.libelle,
                "Nombre": sum(c.nombre for c in comptes),
                "Sessions": sum(c.sessions for c in comptes),
            }
        )
    return tableau


@dataclass(frozen=True, slots=True)
class Indicateur:
    """Une ligne du tableau de l'objectif 22 ; `valeur` None = pas de donnée (`mesure` False :
    rien ne la relève encore, ce n'est pas un zéro)."""

    libelle: str
    valeur: int | None
    precision: str = ""
    pourcentage: bool = False
    mesure: bool = True


def indicateurs_objectif_22(
    con: duckdb.DuckDBPyConnection, annee: int, aujourd_hui: date
) -> list[Indicateur]:
    """Les indicateurs annuels de l'objectif 22 (« accessibilité… suivi des consultations… »)."""
    return indicateurs_de_la_periode(con, Periode.annee(annee), aujourd_hui)


def indicateurs_de_la_periode(
    con: duckdb.DuckDBPyConnection, periode: Periode, aujourd_hui: date
) -> list[Indicateur]:
    """Les indicateurs de l'objectif 22 sur une période choisie (le bilan annuel la date)."""

    def total(*evenements: TypeEvenement | str) -> tuple[int, int]:
        comptes = _compter(con, periode, list(evenements), pas="annee")
        return sum(c.nombre for c in comptes), sum(c.sessions for c in comptes)

    consultations, _ = total(TypeEvenement.CONSULTATION)
    _, sessions = total(depot.TOUS_EVENEMENTS)
    recherches, _ = total(TypeEvenement.RECHERCHE)
    imprimees, _ = total(TypeEvenement.FICHE_IMPRIMEE)
    consultees, _ = total(TypeEvenement.ACTEUR_CONSULTE)
    reference = min(aujourd_hui, periode.fin)
    mois = fraicheur.mois_fraicheur()
    actives = depot_acteurs.lister(con, statut=Statut.ACTIF)
    verifiees = sum(fraicheur.est_a_jour(a, reference, mois) for a in actives)
    part = round(100 * verifiees / len(actives)) if actives else None
    fiches_maj, versions = depot_indicateurs.fiches_mises_a_jour(con, periode.debut, periode.fin)
    recus, traites = depot_indicateurs.signalements(con, periode.debut, periode.fin)
    return [
        Indicateur("Consultations de la cartographie (pages vues)", consultations),
        Indicateur("Sessions (visites)", sessions, "une session = un onglet ouvert, un jour donné"),
        Indicateur("Recherches effectuées", recherches),
        Indicateur("Fiches d'acteurs consultées", consultees, "pages d'une fiche ouvertes"),
        Indicateur("Fiches imprimées ou téléchargées", imprimees),
        Indicateur("Listes exportées", None, RAISON_EXPORTS_NON_MESUREES, mesure=False),
        Indicateur(
            "Fiches mises à jour (créées, modifiées, vérifiées, archivées ou importées)",
            fiches_maj,
            f"{versions} version(s) enregistrée(s) dans l'historique",
        ),
        Indicateur(
            f"Part des fiches actives vérifiées depuis moins de {mois} mois",
            part,
            f"{verifiees} sur {len(actives)} fiches actives au {reference:%d/%m/%Y}",
            pourcentage=True,
        ),
        Indicateur("Signalements d'erreur reçus", recus),
        Indicateur("Signalements d'erreur traités", traites),
    ]


def tableau_indicateurs(indicateurs: Sequence[Indicateur]) -> Lignes:
    """Le tableau publiable : comptes masqués sous le seuil, pourcentages tels quels."""
    lignes: Lignes = []
    for i in indicateurs:
        if not i.mesure:
            valeur = MENTION_NON_MESURE
        elif i.valeur is None:
            valeur = "non disponible"
        elif i.pourcentage:
            valeur = f"{i.valeur} %"
        else:
            valeur = masquer(i.valeur)
        lignes.append({"Indicateur": i.libelle, "Valeur": valeur, "Précision": i.precision})
    return lignes


def contours_des_zones(con: duckdb.DuckDBPyConnection, niveau: str) -> dict:
    """Les contours des communes ou des territoires, prêts pour une carte Vega.

    D3 (moteur des cartes Vega) veut les anneaux extérieurs dans le sens horaire, à l'inverse
    du GeoJSON standard : sinon un polygone couvre tout le globe sauf lui-même.
    """
    contours = depot_indicateurs.contours(con, niveau)
    return {
        **contours,
        "features": [
            {**f, "geometry": mapping(_orient_horaire(shape(f["geometry"])))}
            for f in contours["features"]
        ],
    }


def recherches_par_zone(
    con: duckdb.DuckDBPyConnection, periode: Periode, niveau: str
) -> dict[str, int]:
    """Nombre de recherches par territoire ou par code INSEE (pour la carte), sans masquage."""
    dimension = {"territoire": "territoire", "commune": "code_insee"}[niveau]
    return {
        c.valeur: c.nombre
        for c in _compter(con, periode, [TypeEvenement.RECHERCHE], dimension=dimension)
    }


def _orient_horaire(geometrie: BaseGeometry) -> BaseGeometry:
    """Le polygone (ou multipolygone) avec ses anneaux extérieurs dans le sens horaire."""
    if isinstance(geometrie, Polygon):
        return orient(geometrie, sign=-1.0)
    if isinstance(geometrie, MultiPolygon):
        return MultiPolygon([orient(p, sign=-1.0) for p in geometrie.geoms])
    return geometrie
