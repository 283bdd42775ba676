"""La validation d'une fiche, écrite une fois : chargement du CSV, import et formulaire.

Deux entrées : `acteur_depuis_textes` pour une ligne de tableur (chaque cellule lue par le codec
de son champ), `valider` pour une fiche déjà typée (le formulaire). Les deux finissent par les
mêmes règles et lèvent `ErreurDonnees`, qui situe la faute (ligne, colonne) et dit en français
quoi corriger. Rien ici ne géocode : la position se calcule ensuite, en un seul endroit
(`cartographie.edition.positions.localiser`). Les longueurs maximales (celles des champs de la
fiche viennent de sa déclaration) valent aussi pour les textes d'un signalement.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from cartographie import horaires
from cartographie.communes import Commune, commune_par_code
from cartographie.modele import COLONNES_CSV, Acteur, Precision, champs
from cartographie.modele.champs import ErreurChamp, depuis_textes
from cartographie.texte import normaliser
from cartographie.zones import DEPARTEMENT, zone_en_communes

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
# Rectangle large autour de l'Isère : attrape les inversions lat/lon et les oublis de signe.
_LATITUDES, _LONGITUDES = (44.6, 46.0), (4.6, 6.4)

# Numéros courts joignables en France : urgences (15, 17, 18, 112, 114, 115, 119, 196, 191),
# numéros européens 116 xxx (116 006 : aide aux victimes) et numéros à 4 chiffres en 3
# (3919 : Violences Femmes Info, 3114, 3020…).
_NUMEROS_URGENCE = {"15", "17", "18", "112", "114", "115", "119", "191", "196", "197"}
_NUMERO_EUROPEEN = re.compile(r"^116\d{3}$")
_NUMERO_COURT = re.compile(r"^3\d{3}$")
_SEPARATEURS_TELEPHONE = re.compile(r"[\s.\-()/]+")
_SEPARATEURS_LISTE = re.compile(r"\s*(?:;|,|\s/\s|\bou\b)\s*")
_COURRIEL = re.compile(r"^[^@\s<>\"',;]+@([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
_HOTE = re.compile(r"^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
SEPARATEUR_TELEPHONES = " / "

# Longueur maximale de chaque champ, en caractères : celle que déclare le champ de la fiche
# (`cartographie.modele.acteur`) ou, pour un nombre, une date, des codes, celle de son codec —
# vérifiée sur le texte avant de le lire, un texte géant n'entre ainsi dans aucun message — et
# celles des textes d'un signalement (public, sans compte).
LONGUEURS_MAX: dict[str, int] = {
    **{c.nom: c.longueur_max or c.codec.longueur_texte for c in champs(Acteur)},
    "probleme": 2000,
    "correction": 2000,
    "contact": 200,
    "note": 2000,
}
SUJETS: dict[str, str] = {
    **{c.nom: f"Le champ « {c.libelle} »" for c in champs(Acteur)},
    "probleme": "Ce qui est faux",
    "correction": "La correction proposée",
    "contact": "Le contact",
    "note": "La note",
}


def verifier_longueur(champ: str, texte: str) -> str:
    """Rend `texte` s'il tient dans la longueur maximale de `champ` ; sinon `ValueError` qui
    nomme le champ et la limite. `KeyError` pour un champ sans longueur déclarée (oubli)."""
    longueur_max = LONGUEURS_MAX[champ]
    if len(texte) > longueur_max:
        raise ValueError(
            f"{SUJETS[champ]} est trop long ({len(texte)} caractères ; au plus {longueur_max})."
        )
    return texte


def normaliser_telephone(texte: str) -> str:
    """« +33 4.76.12.34.56 » → « 04 76 12 34 56 » ; numéros courts gardés (3919, 115…).

    Plusieurs numéros séparés par « / », « ; » ou « ou » sont normalisés un à un.
    """
    texte = texte.strip()
    if not texte:
        return ""
    morceaux = [m for m in _SEPARATEURS_LISTE.split(texte) if m.strip()]
    return SEPARATEUR_TELEPHONES.join(_un_telephone(m) for m in morceaux)


def _un_telephone(texte: str) -> str:
    chiffres = _SEPARATEURS_TELEPHONE.sub("", texte.strip())
    if chiffres.startswith("+33"):
        chiffres = "0" + chiffres[3:].removeprefix("0")
    elif chiffres.startswith("0033"):
        chiffres = "0" + chiffres[4:].removeprefix("0")
    if not chiffres.isdigit():
        raise ValueError(
            f"« {texte} » n'est pas un numéro de téléphone (chiffres attendus, par exemple"
            " 04 76 12 34 56)"
        )
    if chiffres in _NUMEROS_URGENCE or _NUMERO_COURT.match(chiffres):
        return chiffres
    if _NUMERO_EUROPEEN.match(chiffres):
        return f"{chiffres[:3]} {chiffres[3:]}"
    if len(chiffres) == 10 and chiffres.startswith("0") and chiffres[1] != "0":
        return " ".join(chiffres[i : i + 2] for i in range(0, 10, 2))
    raise ValueError(
        f"« {texte} » n'est pas un numéro français : 10 chiffres commençant par 0"
        " (04 76 12 34 56, +33 4 76 12 34 56) ou un numéro court (3919, 115, 119, 17, 114)"
    )


def normaliser_courriel(texte: str) -> str:
    """Adresse électronique, domaine en minuscules ; refuse ce qui ne peut pas recevoir de message."""
    texte = texte.strip().removeprefix("mailto:")
    if not texte:
        return ""
    local, arobase, domaine = texte.rpartition("@")
    candidat = f"{local}@{domaine.lower()}"
    if not arobase or not local or not _COURRIEL.match(candidat):
        raise ValueError(f"« {texte} » n'est pas une adresse électronique (nom@domaine.fr)")
    return candidat


def normaliser_site_web(texte: str) -> str:
    """Adresse http(s) d'un site ; « www.exemple.fr » devient « https://www.exemple.fr »."""
    texte = texte.strip()
    if not texte:
        return ""
    candidat = texte if "://" in texte else "https://" + texte
    try:
        morceaux = urlsplit(candidat)
        hote = (morceaux.hostname or "").lower()
    except ValueError:
        hote, morceaux = "", None
    if (
        morceaux is None
        or morceaux.scheme.lower() not in ("http", "https")
        or not _HOTE.match(hote)
        or any(c.isspace() or c in "<>\"'" for c in candidat)
    ):
        raise ValueError(
            f"« {texte} » n'est pas l'adresse d'un site web (https://www.exemple.fr attendu)"
        )
    return candidat


@dataclass(frozen=True, slots=True)
class ErreurDonnees(ValueError):
    """Une valeur refusée, située précisément pour que la personne puisse la corriger."""

    ligne: int
    colonne: str
    message: str

    def __str__(self) -> str:
        return f"Ligne {self.ligne}, colonne « {self.colonne} » : {self.message}"


OBLIGATOIRES: tuple[str, ...] = tuple(c.nom for c in champs(Acteur) if c.obligatoire)
_CONTACTS: dict[str, Callable[[str], str]] = {
    "telephone": normaliser_telephone,
    "courriel": normaliser_courriel,
    "site_web": normaliser_site_web,
    "lien_acceslibre": normaliser_site_web,
    "horaires_accueil": horaires.verifier,
}


def acteur_depuis_textes(
    textes: Mapping[str, str], ligne: int, chemin_communes: Path | str
) -> Acteur:
    """Une ligne de tableur (colonnes du CSV) en fiche validée, sans position calculée.

    Des coordonnées données sont gardées, avec la précision annoncée (« manuelle » par défaut) :
    elles survivent ainsi à un export suivi d'un import.
    """
    for colonne in COLONNES_CSV:  # d'abord : un texte géant n'entre dans aucun autre message
        _longueur(colonne, (textes.get(colonne) or "").strip(), ligne)
    for colonne in OBLIGATOIRES:
        if not (textes.get(colonne) or "").strip():
            raise ErreurDonnees(ligne, colonne, "valeur obligatoire manquante")
    try:
        valeurs = depuis_textes(Acteur, {c: textes[c] for c in COLONNES_CSV if c in textes})
    except ErreurChamp as erreur:
        if erreur.nom in ("latitude", "longitude"):
            raise ErreurDonnees(
                ligne, "latitude", "coordonnées illisibles (nombres attendus)"
            ) from None
        raise ErreurDonnees(ligne, erreur.nom, erreur.message) from None
    coordonnees = valeurs.get("latitude") is not None or valeurs.get("longitude") is not None
    if coordonnees and not (textes.get("precision_localisation") or "").strip():
        valeurs["precision_localisation"] = Precision.MANUELLE
    valeurs.pop("territoire", None)  # déduit de la commune, jamais lu
    return valider(Acteur(**valeurs), ligne, chemin_communes)


def valider(acteur: Acteur, ligne: int, chemin_communes: Path | str) -> Acteur:
    """Les règles d'une fiche typée ; rend sa forme normalisée (commune officielle, contacts).

    `ligne` situe l'erreur (0 pour le formulaire).
    """
    for c in champs(Acteur):
        valeur = getattr(acteur, c.nom)
        if isinstance(valeur, str):
            _longueur(c.nom, valeur, ligne)
            if c.obligatoire and not valeur.strip():
                raise ErreurDonnees(ligne, c.nom, "valeur obligatoire manquante")
    if not _ID.match(acteur.id):
        raise ErreurDonnees(
            ligne, "id", f"« {acteur.id} » : minuscules, chiffres et tirets seulement"
        )
    commune = _commune(acteur.code_insee, acteur.commune, ligne, chemin_communes)
    if acteur.code_postal and acteur.code_postal not in commune.codes_postaux:
        raise ErreurDonnees(
            ligne,
            "code_postal",
            f"{acteur.code_postal} n'est pas un code postal de {commune.nom}"
            f" ({', '.join(commune.codes_postaux)})",
        )
    _verifier_coordonnees(acteur, ligne)
    _verifier_zone(acteur.zone_eligibilite, ligne, chemin_communes)
    if acteur.capacite is not None and acteur.capacite < 0:
        raise ErreurDonnees(ligne, "capacite", f"{acteur.capacite} : un nombre de places positif")
    contacts = {}
    for colonne, normaliser_contact in _CONTACTS.items():
        try:
            contacts[colonne] = normaliser_contact(getattr(acteur, colonne))
        except ValueError as erreur:
            raise ErreurDonnees(ligne, colonne, str(erreur)) from None
    return replace(
        acteur,
        commune=commune.nom,
        code_insee=commune.code_insee,
        territoire=commune.territoire,
        **contacts,
    )


def _verifier_zone(codes: tuple[str, ...], ligne: int, chemin_communes: Path | str) -> None:
    """Chaque code est le département, une commune ou une intercommunalité de l'Isère."""
    for code in zone_en_communes(codes, chemin_communes)[1]:
        raise ErreurDonnees(
            ligne,
            "zone_eligibilite",
            f"« {code} » n'est ni {DEPARTEMENT} (tout le département), ni le code INSEE d'une commune,"
            " ni le SIREN d'une intercommunalité de l'Isère",
        )


def _longueur(colonne: str, texte: str, ligne: int) -> None:
    try:
        verifier_longueur(colonne, texte)
    except ValueError as erreur:
        raise ErreurDonnees(ligne, colonne, str(erreur)) from None


def _commune(code: str, nom: str, ligne: int, chemin_communes: Path | str) -> Commune:
    commune = commune_par_code(code, chemin_communes)
    if commune is None:
        raise ErreurDonnees(ligne, "code_insee", f"{code} n'est pas une commune de l'Isère")
    noms_admis = {normaliser(commune.nom), *(normaliser(n) for n in commune.anciens_noms)}
    if normaliser(nom) not in noms_admis:
        raise ErreurDonnees(
            ligne, "commune", f"« {nom} » ne correspond pas au code {code} ({commune.nom})"
        )
    return commune


def _verifier_coordonnees(acteur: Acteur, ligne: int) -> None:
    latitude, longitude = acteur.latitude, acteur.longitude
    if latitude is None and longitude is None:
        return
    if latitude is None or longitude is None:
        raise ErreurDonnees(ligne, "latitude", "latitude et longitude vont ensemble")
    if not (
        _LATITUDES[0] <= latitude <= _LATITUDES[1] and _LONGITUDES[0] <= longitude <= _LONGITUDES[1]
    ):
        raise ErreurDonnees(
            ligne,
            "latitude",
            f"({latitude}, {longitude}) est hors de l'Isère (lat/lon inversées ?)",
        )
    if acteur.precision_localisation is Precision.NON_LOCALISE:
        raise ErreurDonnees(
            ligne, "precision_localisation", "non_localise alors que des coordonnées sont données"
        )
