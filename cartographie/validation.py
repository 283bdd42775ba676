"""Longueurs maximales des champs texte ; normalisation des contacts (téléphone, courriel, site).

Une seule écriture de ces règles, partagée par le chargement du CSV, l'import, le formulaire
de la DDFE et les signalements. Chaque fonction rend la forme stockée ou lève `ValueError` avec
un message français qui dit quoi corriger. Une valeur vide reste vide (le champ n'est pas
obligatoire).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

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

# Longueur maximale de chaque champ texte, en caractères : la seule déclaration. Les colonnes
# d'une fiche passent par `chargement.acteur_depuis_champs` (CSV initial, import, formulaire) ;
# les textes d'un signalement par `signalements`. Bien au-delà des valeurs réelles (nom : 105,
# description : 336, source : 488 dans data/acteurs.csv), bien en deçà d'un texte qui
# alourdirait les pages, les exports et les messages d'erreur qui le citent.
LONGUEURS_MAX: dict[str, int] = {
    "id": 100,  # comme la règle de forme de l'identifiant
    "nom": 200,
    "structure": 200,
    "type": 100,
    "description": 5000,
    "adresse": 300,
    "complement_adresse": 300,
    "code_postal": 10,
    "commune": 100,
    "code_insee": 10,
    "latitude": 30,
    "longitude": 30,
    "telephone": 200,
    "courriel": 254,  # RFC 5321
    "site_web": 2000,
    "horaires_accueil": 1000,
    "axes": 1000,
    "publics": 1000,
    "territoire": 100,
    "precision_localisation": 100,
    "adresse_confidentielle": 20,
    "statut": 20,
    "date_maj": 20,
    "source": 1000,
    # Signalement d'erreur (public, sans compte) et note interne de la DDFE.
    "probleme": 2000,
    "correction": 2000,
    "contact": 200,
    "note": 2000,
}
# Ce que nomme le message : le libellé d'une colonne de fiche (celui de
# `edition.LIBELLES_CHAMPS`, vérifié par les tests), ou la question du formulaire public.
_LIBELLES_FICHE = {
    "id": "Identifiant",
    "nom": "Nom",
    "structure": "Structure",
    "type": "Type",
    "description": "Description",
    "adresse": "Adresse",
    "complement_adresse": "Complément d'adresse",
    "code_postal": "Code postal",
    "commune": "Commune",
    "code_insee": "Code INSEE",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "telephone": "Téléphone",
    "courriel": "Courriel",
    "site_web": "Site web",
    "horaires_accueil": "Horaires d'accueil",
    "axes": "Axes du protocole",
    "publics": "Publics",
    "territoire": "Territoire",
    "precision_localisation": "Précision de la position",
    "adresse_confidentielle": "Adresse confidentielle",
    "statut": "Statut",
    "date_maj": "Date de mise à jour",
    "source": "Source",
}
SUJETS: dict[str, str] = {
    **{champ: f"Le champ « {libelle} »" for champ, libelle in _LIBELLES_FICHE.items()},
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
