"""Écrire pour des lecteurs français : dates, heures de Paris.

Pas de Streamlit ici : les pages, le PDF et les exports s'en servent pareil.
"""

from __future__ import annotations

from datetime import date, datetime

from cartographie.horloge import a_paris


def horodatage(quand: datetime | None) -> str:
    """Un instant (UTC) en heure de Paris : « 26/11/2026 à 10:05 », ou « jamais »."""
    if quand is None:
        return "jamais"
    return a_paris(quand).strftime("%d/%m/%Y à %H:%M")


def jour(valeur: date | None) -> str:
    """Une date à la française, ou « jamais »."""
    return valeur.strftime("%d/%m/%Y") if valeur else "jamais"
