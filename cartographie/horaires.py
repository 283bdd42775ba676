"""Les horaires d'accueil au format OpenStreetMap : les vérifier, dire si c'est ouvert maintenant.

La syntaxe (`Mo-Fr 09:00-12:00,14:00-17:00; PH off`, `24/7`) est celle de data·inclusion et
d'OpenStreetMap ; elle est lue par une bibliothèque maintenue (`opening-hours-py`), jamais à la
main. Le calcul se fait à l'heure de Paris, avec les jours fériés français (`PH`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from functools import lru_cache

import opening_hours

from cartographie.horloge import PARIS, a_paris, maintenant

EXEMPLE = "Mo-Fr 09:00-12:00,14:00-17:00; PH off"
_POSITION = re.compile(r"-->\s*\d+:(\d+)")
_JOURS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


class Etat(Enum):
    """Ouvert, fermé, ou on ne sait pas (pas d'horaires, ou horaires illisibles)."""

    OUVERT = "ouvert"
    FERME = "ferme"
    INCONNU = "inconnu"


@dataclass(frozen=True, slots=True)
class Ouverture:
    """L'état à un instant et la phrase qui le dit : « Ouvert · ferme à 17 h »."""

    etat: Etat
    phrase: str


def verifier(texte: str) -> str:
    """Les horaires tels quels s'ils sont lisibles ; sinon `ValueError` qui montre la faute."""
    texte = texte.strip()
    if not texte:
        return ""
    try:
        _lire(texte)
    except (opening_hours.ParserError, SyntaxError, ValueError) as erreur:
        position = _POSITION.search(str(erreur))
        ou = ""
        if position:
            rang = int(position.group(1))
            ou = f" : la lecture bute au caractère {rang}, sur « {texte[rang - 1 : rang + 11]} »"
        raise ValueError(
            f"« {texte} » n'est pas au format OpenStreetMap{ou} (exemple : « {EXEMPLE} » ;"
            " ce que la syntaxe ne sait pas dire va dans « Précisions sur les horaires »)"
        ) from None
    return texte


def ouverture(texte: str, quand: datetime | None = None) -> Ouverture:
    """Ouvert ou fermé à `quand` (maintenant par défaut), et jusqu'à quand."""
    try:
        horaires = _lire(texte.strip()) if texte.strip() else None
    except (opening_hours.ParserError, SyntaxError, ValueError):
        horaires = None
    if horaires is None:
        return Ouverture(Etat.INCONNU, "")
    instant = a_paris(quand or maintenant())
    ouvert = horaires.is_open(instant)
    if horaires.is_unknown(instant):
        return Ouverture(Etat.INCONNU, "Horaires à vérifier")
    suivant = horaires.next_change(instant)
    if ouvert:
        if suivant is None:
            return Ouverture(Etat.OUVERT, "Ouvert 24 h/24")
        return Ouverture(Etat.OUVERT, f"Ouvert · ferme {_quand(instant, a_paris(suivant))}")
    if suivant is None:
        return Ouverture(Etat.FERME, "Fermé")
    return Ouverture(Etat.FERME, f"Fermé · ouvre {_quand(instant, a_paris(suivant))}")


@lru_cache(maxsize=4096)
def _lire(texte: str) -> opening_hours.OpeningHours:
    # Un an au plus entre deux changements : au-delà, « jamais » (et un calcul borné).
    return opening_hours.OpeningHours(texte, timezone=PARIS, country="FR", max_interval_days=366)


def _quand(maintenant_: datetime, suivant: datetime) -> str:
    """« à 17 h », « demain à 9 h », « lundi à 9 h », « le 5 janvier à 9 h »."""
    heure = _heure(suivant)
    ecart = (suivant.date() - maintenant_.date()).days
    if ecart == 0:
        return f"à {heure}"
    if ecart == 1:
        return f"demain à {heure}"
    if ecart < 7:
        return f"{_JOURS[suivant.weekday()]} à {heure}"
    return f"le {_date(suivant.date())} à {heure}"


def _heure(instant: datetime) -> str:
    return f"{instant.hour} h" if instant.minute == 0 else f"{instant.hour} h {instant.minute:02d}"


def _date(jour: date) -> str:
    return f"{jour.day}{'er' if jour.day == 1 else ''} {_MOIS[jour.month - 1]}"
