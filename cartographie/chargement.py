"""Lecture et validation de `data/acteurs.csv`, premier remplissage de la base.

Une seule ligne fausse arrête tout le chargement avec un message qui nomme la ligne et la
colonne : mieux vaut une carte qui ne démarre pas qu'une carte qui a perdu un acteur en silence.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TypeVar

import duckdb

from cartographie.geocodage import Demande, Geocodeur, Progression
from cartographie.modele import (
    COLONNES_CSV,
    SEPARATEUR_MULTI,
    Acteur,
    Axe,
    Precision,
    Public,
    Statut,
    TypeActeur,
)
from cartographie.referentiel import Commune, commune_par_code, normaliser
from cartographie.stockage import acteurs as depot_acteurs
from cartographie.stockage import communes as depot_communes
from cartographie.stockage.transaction import transaction
from cartographie.validation import (
    LONGUEURS_MAX,
    normaliser_courriel,
    normaliser_site_web,
    normaliser_telephone,
    verifier_longueur,
)

OBLIGATOIRES = ("id", "nom", "type", "commune", "code_insee")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
_VRAI = {"true", "vrai", "oui", "1", "x"}
_FAUX = {"false", "faux", "non", "0", ""}
E = TypeVar("E", TypeActeur, Axe, Public, Precision, Statut)


@dataclass(frozen=True, slots=True)
class ErreurDonnees(ValueError):
    """Une valeur refusée, située précisément pour que la personne puisse la corriger."""

    ligne: int
    colonne: str
    message: str

    def __str__(self) -> str:
        return f"Ligne {self.ligne}, colonne « {self.colonne} » : {self.message}"


def acteur_depuis_champs(
    champs: Mapping[str, str],
    ligne: int,
    chemin_communes: Path,
    geocodeur: Geocodeur | None = None,
) -> Acteur:
    """Valide les champs texte d'une ligne et en fait un `Acteur` géocodé (hors ligne par défaut)."""

    def texte(colonne: str) -> str:
        return (champs.get(colonne) or "").strip()

    for colonne in champs:  # d'abord : un texte géant n'entre dans aucun autre message
        if colonne in LONGUEURS_MAX:
            _contact(partial(verifier_longueur, colonne), texte(colonne), ligne, colonne)
    for colonne in OBLIGATOIRES:
        if not texte(colonne):
            raise ErreurDonnees(ligne, colonne, "valeur obligatoire manquante")
    identifiant = texte("id")
    if not _ID.match(identifiant):
        raise ErreurDonnees(
            ligne, "id", f"« {identifiant} » : minuscules, chiffres et tirets seulement"
        )

    commune = _commune(texte("code_insee"), texte("commune"), ligne, chemin_communes)
    code_postal = texte("code_postal")
    if code_postal and code_postal not in commune.codes_postaux:
        raise ErreurDonnees(
            ligne,
            "code_postal",
            f"{code_postal} n'est pas un code postal de {commune.nom}"
            f" ({', '.join(commune.codes_postaux)})",
        )

    latitude, longitude = _coordonnees(texte("latitude"), texte("longitude"), ligne)
    if latitude is not None:
        # Coordonnées données : gardées telles quelles (une position hors de sa commune est
        # signalée à la DDFE, pas déplacée) ; la précision annoncée survit à un export/import.
        precision = _enum(
            Precision,
            texte("precision_localisation") or "manuelle",
            ligne,
            "precision_localisation",
        )
        if precision is Precision.NON_LOCALISE:
            raise ErreurDonnees(
                ligne,
                "precision_localisation",
                "non_localise alors que des coordonnées sont données",
            )
    else:
        # Sinon la chaîne de géocodage : adresse si le service est joignable, sinon centre de
        # la commune ; jamais un point par défaut, jamais un acteur perdu.
        position = (geocodeur or Geocodeur(chemin_communes)).geocoder(
            Demande(
                adresse=texte("adresse"),
                code_postal=code_postal,
                commune=commune.nom,
                code_insee=commune.code_insee,
                confidentielle=_booleen(texte("adresse_confidentielle"), ligne),
            )
        )
        latitude, longitude, precision = position.latitude, position.longitude, position.precision

    return Acteur(
        id=identifiant,
        nom=texte("nom"),
        structure=texte("structure"),
        type=_enum(TypeActeur, texte("type"), ligne, "type"),
        description=texte("description"),
        adresse=texte("adresse"),
        complement_adresse=texte("complement_adresse"),
        code_postal=code_postal,
        commune=commune.nom,
        code_insee=commune.code_insee,
        latitude=latitude,
        longitude=longitude,
        telephone=_contact(normaliser_telephone, texte("telephone"), ligne, "telephone"),
        courriel=_contact(normaliser_courriel, texte("courriel"), ligne, "courriel"),
        site_web=_contact(normaliser_site_web, texte("site_web"), ligne, "site_web"),
        horaires_accueil=texte("horaires_accueil"),
        axes=tuple(_enum(Axe, v, ligne, "axes") for v in _multi(texte("axes"))),
        publics=tuple(_enum(Public, v, ligne, "publics") for v in _multi(texte("publics"))),
        territoire=commune.territoire,
        precision_localisation=precision,
        adresse_confidentielle=_booleen(texte("adresse_confidentielle"), ligne),
        statut=_enum(Statut, texte("statut") or "actif", ligne, "statut"),
        date_maj=_date(texte("date_maj"), ligne, "date_maj"),
        source=texte("source"),
        date_verification=_date(texte("date_maj"), ligne, "date_maj"),
    )


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
        acteur = acteur_depuis_champs(champs, numero, chemin_communes, geocodeur)
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


def _commune(code: str, nom: str, ligne: int, chemin_communes: Path) -> Commune:
    commune = commune_par_code(code, chemin_communes)
    if commune is None:
        raise ErreurDonnees(ligne, "code_insee", f"{code} n'est pas une commune de l'Isère")
    noms_admis = {normaliser(commune.nom), *(normaliser(n) for n in commune.anciens_noms)}
    if normaliser(nom) not in noms_admis:
        raise ErreurDonnees(
            ligne, "commune", f"« {nom} » ne correspond pas au code {code} ({commune.nom})"
        )
    return commune


def _coordonnees(lat: str, lon: str, ligne: int) -> tuple[float | None, float | None]:
    if not lat and not lon:
        return None, None
    try:
        latitude, longitude = float(lat.replace(",", ".")), float(lon.replace(",", "."))
    except ValueError:
        raise ErreurDonnees(
            ligne, "latitude", "coordonnées illisibles (nombres attendus)"
        ) from None
    # Rectangle large autour de l'Isère : attrape les inversions lat/lon et les oublis de signe.
    if not (44.6 <= latitude <= 46.0 and 4.6 <= longitude <= 6.4):
        raise ErreurDonnees(
            ligne,
            "latitude",
            f"({latitude}, {longitude}) est hors de l'Isère (lat/lon inversées ?)",
        )
    return latitude, longitude


def _enum(enum: type[E], valeur: str, ligne: int, colonne: str) -> E:
    try:
        return enum.depuis(valeur)
    except ValueError as erreur:
        raise ErreurDonnees(ligne, colonne, str(erreur)) from None


def _contact(normaliser: Callable[[str], str], valeur: str, ligne: int, colonne: str) -> str:
    try:
        return normaliser(valeur)
    except ValueError as erreur:
        raise ErreurDonnees(ligne, colonne, str(erreur)) from None


def _multi(valeur: str) -> list[str]:
    return [v.strip() for v in valeur.split(SEPARATEUR_MULTI) if v.strip()]


def _booleen(valeur: str, ligne: int) -> bool:
    v = valeur.lower()
    if v in _VRAI:
        return True
    if v in _FAUX:
        return False
    raise ErreurDonnees(ligne, "adresse_confidentielle", f"« {valeur} » : true ou false attendu")


def _date(valeur: str, ligne: int, colonne: str) -> date | None:
    if not valeur:
        return None
    try:
        return date.fromisoformat(valeur)
    except ValueError:
        raise ErreurDonnees(ligne, colonne, f"« {valeur} » : date AAAA-MM-JJ attendue") from None
