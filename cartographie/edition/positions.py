"""La position des fiches : le seul point où une fiche est géocodée, le regéocodage par lots et
le contrôle pour la DDFE.

Une position n'est jamais dégradée (une fiche placée à la rue ne retombe pas au centre de la
commune parce que le service est injoignable ce jour-là) ni déplacée en silence : tout
changement est rapporté, toute position douteuse est signalée plutôt que corrigée.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from cartographie.communes import commune_contenant, dans_commune
from cartographie.edition.ecritures import ConflitEdition, repositionner
from cartographie.geocodage.chaine import Geocodeur, demande_acteur
from cartographie.geocodage.demande import Position, Progression
from cartographie.modele import Acteur, Precision, Statut
from cartographie.stockage import acteurs as depot_acteurs
from cartographie.validation import ErreurDonnees

RANG_PRECISION = {
    Precision.MANUELLE: 0,
    Precision.ADRESSE: 1,
    Precision.RUE: 2,
    Precision.COMMUNE: 3,
    Precision.NON_LOCALISE: 4,
}
"""Du plus précis (0) au moins précis."""


@dataclass(frozen=True, slots=True)
class Changement:
    """Ce que le géocodage a fait (ou pas) d'une fiche."""

    id: str
    nom: str
    avant: Precision
    apres: Precision
    deplacement_m: float | None
    applique: bool
    message: str = ""


@dataclass(frozen=True, slots=True)
class AnomalieLocalisation:
    """Une fiche dont la position est à vérifier par la DDFE."""

    id: str
    nom: str
    commune: str
    precision: Precision
    probleme: str


_ADRESSE = ("adresse", "code_postal", "code_insee", "adresse_confidentielle")


def localiser(
    acteur: Acteur,
    existant: Acteur | None,
    geocodeur: Geocodeur,
) -> Acteur:
    """La position d'une fiche qu'on enregistre : LE point de branchement du géocodage.

    Chargement du CSV, import et formulaire passent ici, une fois par fiche :
    - des coordonnées données (saisies à la main, ou lues dans un fichier) sont gardées : une
      position hors de sa commune est signalée à la DDFE, jamais déplacée ;
    - une fiche dont l'adresse n'a pas changé garde sa position ;
    - sinon la chaîne de géocodage (adresse si le service est joignable, sinon centre de la
      commune ; hors ligne par défaut).
    """
    if acteur.latitude is not None and acteur.longitude is not None:
        return acteur
    if (
        existant is not None
        and existant.latitude is not None
        and all(getattr(existant, c) == getattr(acteur, c) for c in _ADRESSE)
    ):
        return replace(
            acteur,
            latitude=existant.latitude,
            longitude=existant.longitude,
            precision_localisation=existant.precision_localisation,
        )
    position = geocodeur.geocoder(demande_acteur(acteur))
    return replace(
        acteur,
        latitude=position.latitude,
        longitude=position.longitude,
        precision_localisation=position.precision,
    )


def verifier_position_manuelle(acteur: Acteur, chemin_communes: Path | str) -> None:
    """Une position saisie dans le formulaire doit tomber dans la commune ; `ErreurDonnees`."""
    if acteur.latitude is None or acteur.longitude is None:
        raise ErreurDonnees(0, "latitude", "position à la main : latitude et longitude requises")
    if not dans_commune(acteur.code_insee, acteur.latitude, acteur.longitude, chemin_communes):
        raise ErreurDonnees(
            0,
            "latitude",
            f"({acteur.latitude}, {acteur.longitude}) n'est pas dans la commune de"
            f" {acteur.commune} : vérifiez la position (latitude et longitude inversées ?)",
        )


def a_geocoder(acteur: Acteur) -> bool:
    """Vrai si la position est moins précise que l'adresse (manuelle, adresse : on garde)."""
    return RANG_PRECISION[acteur.precision_localisation] > RANG_PRECISION[Precision.ADRESSE]


def meilleure(acteur: Acteur, position: Position) -> bool:
    """Vrai si `position` améliore (ou met à jour, à précision égale) celle de la fiche."""
    if not position.localisee:
        return False
    rang_avant = RANG_PRECISION[acteur.precision_localisation]
    rang_apres = RANG_PRECISION[position.precision]
    if rang_apres != rang_avant:
        return rang_apres < rang_avant
    return (position.latitude, position.longitude) != (acteur.latitude, acteur.longitude)


AUTEUR_AUTOMATIQUE = "geocodage"
"""Auteur inscrit à l'historique quand personne n'a lancé le regéocodage depuis l'interface."""


def regeocoder(
    con: duckdb.DuckDBPyConnection,
    geocodeur: Geocodeur,
    progression: Progression | None = None,
    auteur: str = AUTEUR_AUTOMATIQUE,
) -> list[Changement]:
    """Regéocode toutes les fiches moins précises que l'adresse ; rapporte chaque fiche vue.

    Chaque déplacement est une version de la fiche (historique, verrou optimiste).
    """
    acteurs = [a for a in depot_acteurs.lister(con, statut=None) if a_geocoder(a)]
    changements = []
    for i, acteur in enumerate(acteurs, start=1):
        position = geocodeur.geocoder(demande_acteur(acteur))
        changements.append(_appliquer(con, acteur, position, auteur))
        if progression:
            progression(i, len(acteurs))
    return changements


def _appliquer(
    con: duckdb.DuckDBPyConnection, acteur: Acteur, position: Position, auteur: str
) -> Changement:
    if not meilleure(acteur, position):
        return Changement(
            acteur.id,
            acteur.nom,
            acteur.precision_localisation,
            acteur.precision_localisation,
            None,
            False,
            position.message or "position inchangée",
        )
    try:
        repositionner(con, acteur.id, acteur.version, position, auteur)
        applique = True
    except ConflitEdition:
        applique = False
    deplacement = None
    if acteur.latitude is not None and acteur.longitude is not None:
        deplacement = distance_m(
            acteur.latitude, acteur.longitude, position.latitude, position.longitude
        )
    return Changement(
        acteur.id,
        acteur.nom,
        acteur.precision_localisation,
        position.precision,
        deplacement,
        applique,
        position.libelle if applique else "fiche modifiée entre-temps : non touchée",
    )


def acteurs_a_verifier(
    acteurs: Iterable[Acteur], chemin_communes: Path | str
) -> list[AnomalieLocalisation]:
    """Les fiches non localisées, hors de l'Isère ou hors de leur commune : à voir par la DDFE."""
    anomalies = []
    for acteur in acteurs:
        probleme = _probleme(acteur, chemin_communes)
        if probleme:
            anomalies.append(
                AnomalieLocalisation(
                    acteur.id, acteur.nom, acteur.commune, acteur.precision_localisation, probleme
                )
            )
    return anomalies


def acteurs_a_verifier_en_base(
    con: duckdb.DuckDBPyConnection, chemin_communes: Path | str
) -> list[AnomalieLocalisation]:
    """`acteurs_a_verifier` sur les fiches actives de la base."""
    return acteurs_a_verifier(depot_acteurs.lister(con, statut=Statut.ACTIF), chemin_communes)


def _probleme(acteur: Acteur, chemin_communes: Path | str) -> str:
    if acteur.latitude is None or acteur.longitude is None:
        return "Non localisée : indiquer une adresse, une commune reconnue ou des coordonnées."
    if dans_commune(acteur.code_insee, acteur.latitude, acteur.longitude, chemin_communes):
        return ""
    ailleurs = commune_contenant(acteur.latitude, acteur.longitude, chemin_communes)
    if ailleurs is None:
        return f"Position ({acteur.latitude:.5f}, {acteur.longitude:.5f}) hors de l'Isère."
    return (
        f"Position dans la commune de {ailleurs.nom}, pas dans celle de la fiche"
        f" ({acteur.commune})."
    )


def repartition_precisions(acteurs: Iterable[Acteur]) -> dict[Precision, int]:
    """Nombre de fiches par précision, de la plus précise à la moins précise (zéros compris)."""
    comptes = dict.fromkeys(RANG_PRECISION, 0)
    for acteur in acteurs:
        comptes[acteur.precision_localisation] += 1
    return comptes


def repartition_en_base(con: duckdb.DuckDBPyConnection) -> dict[Precision, int]:
    """`repartition_precisions` des fiches actives de la base."""
    return repartition_precisions(depot_acteurs.lister(con, statut=Statut.ACTIF))


def rapport_geocodage(
    changements: Sequence[Changement], anomalies: Sequence[AnomalieLocalisation]
) -> str:
    """Compte rendu lisible d'un regéocodage (ligne de commande, journal d'administration)."""
    appliques = [c for c in changements if c.applique]
    lignes = [
        f"{len(changements)} fiche(s) moins précises que l'adresse examinées,"
        f" {len(appliques)} repositionnée(s)."
    ]
    for c in appliques:
        deplacement = "" if c.deplacement_m is None else f", déplacée de {c.deplacement_m:.0f} m"
        lignes.append(f"  - {c.nom} ({c.id}) : {c.avant.libelle} → {c.apres.libelle}{deplacement}")
    for c in changements:
        if not c.applique and c.message != "position inchangée":
            lignes.append(f"  · {c.nom} ({c.id}) : inchangée — {c.message}")
    if anomalies:
        lignes.append(f"{len(anomalies)} fiche(s) à vérifier :")
        lignes.extend(f"  ! {a.nom} ({a.id}) : {a.probleme}" for a in anomalies)
    else:
        lignes.append("Aucune position à vérifier.")
    return "\n".join(lignes)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance à vol d'oiseau (haversine), en mètres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))
