"""Fraîcheur des fiches : lesquelles n'ont pas été vérifiées depuis longtemps.

Une fiche vérifiée il y a plus de `mois` mois (réglage `CARTOGRAPHIE_FRAICHEUR_MOIS`, 12 par
défaut) ou jamais vérifiée est « à vérifier ». Seules les fiches actives comptent : une fiche
archivée n'est plus montrée à personne. Fonctions pures, réutilisées par les statistiques.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from cartographie import config
from cartographie.horloge import mois_avant
from cartographie.modele import Acteur, Statut

TRIS: dict[str, str] = {
    "territoire": "Territoire",
    "type": "Type d'acteur",
    "anciennete": "Vérifiée il y a le plus longtemps",
}
"""Ordres proposés pour la liste des fiches à vérifier (code → libellé)."""


MOIS_COORDONNEES = 24
"""Au-delà, des coordonnées sont « à confirmer » (DDFE) et montrées avec leur année (public)."""


def coordonnees_anciennes(acteur: Acteur, aujourd_hui: date) -> bool:
    """Vrai si la page la plus récente qui donne les coordonnées a plus de 24 mois."""
    return acteur.date_source is not None and acteur.date_source < mois_avant(
        aujourd_hui, MOIS_COORDONNEES
    )


def mois_fraicheur() -> int:
    """Le seuil configuré, en mois."""
    return config.lire_entier("FRAICHEUR_MOIS")


def est_a_jour(acteur: Acteur, aujourd_hui: date, mois: int) -> bool:
    """Vraie si la fiche a été vérifiée dans les `mois` derniers mois."""
    verification = acteur.date_verification
    return verification is not None and verification >= mois_avant(aujourd_hui, mois)


def a_verifier(
    acteurs: Iterable[Acteur], aujourd_hui: date, mois: int, tri: str = "territoire"
) -> list[Acteur]:
    """Les fiches actives à vérifier, triées par territoire, par type ou par ancienneté."""
    if tri not in TRIS:
        raise ValueError(f"Tri inconnu : {tri} ({', '.join(TRIS)})")
    jamais = date.min
    cles = {
        "territoire": lambda a: (a.territoire, a.type.libelle, a.nom.casefold()),
        "type": lambda a: (a.type.libelle, a.territoire, a.nom.casefold()),
        "anciennete": lambda a: (a.date_verification or jamais, a.nom.casefold()),
    }
    return sorted(
        (a for a in acteurs if a.statut is Statut.ACTIF and not est_a_jour(a, aujourd_hui, mois)),
        key=cles[tri],
    )


def part_verifiee(acteurs: Iterable[Acteur], aujourd_hui: date, mois: int) -> float | None:
    """Part (0 à 1) des fiches actives vérifiées dans les `mois` derniers mois ; None sans fiche."""
    actifs = [a for a in acteurs if a.statut is Statut.ACTIF]
    if not actifs:
        return None
    return sum(est_a_jour(a, aujourd_hui, mois) for a in actifs) / len(actifs)
