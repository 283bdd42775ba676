"""L'heure et les jours : une seule horloge, un seul fuseau pour les jours, un seul calcul des mois.

- Un instant est un `datetime` en UTC, avec son fuseau (`maintenant()`) ; un instant reçu sans
  fuseau (un test, une valeur ancienne) est compris comme de l'UTC (`utc`).
- La base stocke des TIMESTAMP sans fuseau, en UTC : `pour_la_base` / `depuis_la_base` aux
  frontières du stockage, et nulle part ailleurs.
- Un jour est un jour à Paris (`aujourd_hui`, `jour_a_paris`) : la date de mise à jour d'une fiche,
  les seuils de fraîcheur et de conservation, les statistiques par jour. Le SQL qui range des
  horodatages par jour utilise `JOUR_A_PARIS_SQL`, la même règle.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
JOUR_A_PARIS_SQL = "CAST(({colonne} AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Paris' AS DATE)"
"""Le jour à Paris d'une colonne TIMESTAMP (UTC sans fuseau), en SQL DuckDB."""


def maintenant() -> datetime:
    """L'instant présent, en UTC, avec son fuseau."""
    return datetime.now(UTC)


def utc(quand: datetime) -> datetime:
    """Un instant en UTC avec fuseau ; sans fuseau, il est compris comme déjà en UTC."""
    return quand.replace(tzinfo=UTC) if quand.tzinfo is None else quand.astimezone(UTC)


def pour_la_base(quand: datetime) -> datetime:
    """Un instant tel que la base le stocke : UTC, sans fuseau."""
    return utc(quand).replace(tzinfo=None)


def depuis_la_base(valeur: datetime | None) -> datetime | None:
    """Un TIMESTAMP lu en base (UTC sans fuseau) en instant avec fuseau."""
    return None if valeur is None else valeur.replace(tzinfo=UTC)


def a_paris(quand: datetime) -> datetime:
    """L'instant à l'heure de Paris (pour l'afficher)."""
    return utc(quand).astimezone(PARIS)


def jour_a_paris(quand: datetime) -> date:
    """Le jour, à Paris, d'un instant."""
    return a_paris(quand).date()


def aujourd_hui() -> date:
    """Le jour qu'il est à Paris."""
    return jour_a_paris(maintenant())


def mois_avant(jour: date, mois: int) -> date:
    """Le même quantième `mois` mois plus tôt, borné à la fin du mois (31 mars - 1 mois = 28/29 février)."""
    annee, index = divmod(jour.year * 12 + jour.month - 1 - mois, 12)
    dernier = calendar.monthrange(annee, index + 1)[1]
    return date(annee, index + 1, min(jour.day, dernier))
