"""Comprendre une saisie libre de la page de recherche : adresse, commune, code postal, point.

« 12 rue Mainssieux, Voiron », « 38500 », « ST EGREVE », « 45.36, 5.59 » : on en tire une
`Demande` que la chaîne de géocodage sait placer. Rien n'est écrit ni gardé.
"""

from __future__ import annotations

import re
from pathlib import Path

from cartographie.communes import communes_nommees, est_nom_de_commune
from cartographie.geocodage.demande import Demande
from cartographie.texte import normaliser

_CODE_POSTAL = re.compile(r"\b(\d{5})\b")
_COORDONNEES = re.compile(r"^\s*(-?\d{1,2}[.,]\d+)\s*[;, ]\s*(-?\d{1,3}[.,]\d+)\s*$")


def ressemble_a_une_adresse(texte: str) -> bool:
    """Vrai pour « 12 rue X, Voiron » ou « 45.36, 5.59 » ; faux pour « Voiron » ou « 38500 ».

    Les noms et codes postaux gardent les suggestions de communes ; le reste passe par la
    chaîne de géocodage.
    """
    if _COORDONNEES.match(texte):
        return True
    sans_code_postal = _CODE_POSTAL.sub(" ", texte)
    return "," in texte.strip(" ,") or any(c.isdigit() for c in sans_code_postal)


def comprendre_saisie(texte: str, chemin: Path | str) -> Demande:
    """Découpe une saisie libre (« 12 rue X, 38500 Voiron », « ST EGREVE », « 45.36, 5.59 »)."""
    coordonnees = _COORDONNEES.match(texte)
    if coordonnees:
        lat, lon = (float(v.replace(",", ".")) for v in coordonnees.groups())
        return Demande(latitude=lat, longitude=lon)
    codes = _CODE_POSTAL.findall(texte)
    code_postal = codes[-1] if codes else ""
    reste = _CODE_POSTAL.sub(" ", texte)
    segments = [s.strip() for s in reste.split(",") if s.strip()]
    # Un segment qui est en entier un nom de commune (le dernier d'abord) : « 12 rue X, Voiron ».
    for i in reversed(range(len(segments))):
        if communes_nommees(segments[i], chemin) and len(segments) > 1:
            adresse = ", ".join(segments[:i] + segments[i + 1 :])
            return Demande(adresse=adresse, code_postal=code_postal, commune=segments[i])
    # Sinon, la commune termine la saisie : « 12 rue Mainssieux Voiron ».
    mots = " ".join(segments).split()
    for k in range(len(mots), 0, -1):
        candidat = " ".join(mots[-k:])
        if normaliser(candidat) and est_nom_de_commune(candidat, chemin):
            return Demande(adresse=" ".join(mots[:-k]), code_postal=code_postal, commune=candidat)
    # Quelques mots sans chiffre : un nom de commune (abrégé, ou mal orthographié : il sera
    # signalé tel quel) plutôt qu'une adresse sans numéro ni commune.
    if mots and len(mots) <= 3 and not any(c.isdigit() for c in reste):
        return Demande(code_postal=code_postal, commune=" ".join(mots))
    return Demande(adresse=" ".join(mots), code_postal=code_postal)
