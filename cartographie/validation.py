"""Normalisation des coordonnées de contact : téléphone, courriel, site web.

Une seule écriture de ces règles, partagée par le chargement du CSV, l'import et le formulaire
de la DDFE. Chaque fonction rend la forme stockée ou lève `ValueError` avec un message
français qui dit quoi corriger. Une valeur vide reste vide (le champ n'est pas obligatoire).
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
