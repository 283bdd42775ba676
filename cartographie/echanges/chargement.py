"""Lecture et validation de `data/acteurs.csv`, premier remplissage de la base.

Une seule ligne fausse arrête tout le chargement avec un message qui nomme la ligne et la
colonne : mieux vaut une carte qui ne démarre pas qu'une carte qui a perdu un acteur en silence.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from cartographie.edition.positions import localiser
from cartographie.geocodage.chaine import Geocodeur
from cartographie.geocodage.demande import Progression
from cartographie.modele import COLONNES_CSV, Acteur
from cartographie.stockage import acteurs as depot_acteurs
from cartographie.stockage import communes as depot_communes
from cartographie.stockage.transaction import transaction
from cartographie.validation import ErreurDonnees, acteur_depuis_textes

__all__ = ["ErreurDonnees", "initialiser_base", "lire_csv"]


def lire_csv(
    chemin: Path,
    chemin_communes: Path,
    geocodeur: Geocodeur | None = None,
    progression: Progression | None = None,
) -> list[Acteur]:
    """Lit, valide et géocode tout le fichier ; lève `ErreurDonnees` à la première ligne fausse."""
    with chemin.open(encoding="utf-8-sig", newline="") as fichier:
        lecteur = csv.DictReader(fichier)
        entetes = [e.strip() for e in lecteur.fieldnames or []]
        manquantes = [c for c in COLONNES_CSV if c not in entetes]
        if manquantes:
            raise ErreurDonnees(1, manquantes[0], "colonne absente de l'en-tête")
        lignes = list(lecteur)
    geocodeur = geocodeur or Geocodeur(chemin_communes)
    acteurs: list[Acteur] = []
    vus: dict[str, int] = {}
    for numero, champs in enumerate(lignes, start=2):
        acteur = localiser(acteur_depuis_textes(champs, numero, chemin_communes), None, geocodeur)
        if acteur.id in vus:
            raise ErreurDonnees(
                numero, "id", f"« {acteur.id} » déjà utilisé ligne {vus[acteur.id]}"
            )
        vus[acteur.id] = numero
        acteurs.append(acteur)
        if progression:
            progression(numero - 1, len(lignes))
    return acteurs


def initialiser_base(
    con: duckdb.DuckDBPyConnection,
    chemin_csv: Path,
    chemin_communes: Path,
    geocodeur: Geocodeur | None = None,
    progression: Progression | None = None,
) -> int:
    """Prépare la base au démarrage ; charge le CSV si elle n'a encore aucun acteur.

    Renvoie le nombre d'acteurs chargés (0 si la base en avait déjà : un redémarrage ne duplique
    ni ne perd rien). Le CSV est entièrement validé avant la moindre écriture.
    """
    depot_communes.synchroniser(con, chemin_communes)
    if depot_acteurs.compter(con) > 0:
        return 0
    # Par défaut hors ligne mais avec le cache : une adresse déjà trouvée garde sa précision.
    geocodeur = geocodeur or Geocodeur(chemin_communes, con=con)
    acteurs = lire_csv(chemin_csv, chemin_communes, geocodeur, progression)
    with transaction(con):
        return depot_acteurs.inserer(con, acteurs)
