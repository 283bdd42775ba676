"""L'horloge : une heure UTC avec fuseau, des jours à Paris, un seul calcul des mois."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from cartographie import horloge


@pytest.mark.parametrize(
    ("jour", "mois", "attendu"),
    [
        # fraîcheur des fiches (12 mois par défaut)
        (date(2026, 11, 26), 12, date(2025, 11, 26)),
        (date(2026, 1, 31), 1, date(2025, 12, 31)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2028, 2, 29), 12, date(2027, 2, 28)),
        (date(2026, 11, 26), 6, date(2026, 5, 26)),
        # conservation des consultations (13 mois par défaut)
        (date(2027, 2, 15), 13, date(2026, 1, 15)),
        (date(2027, 3, 31), 1, date(2027, 2, 28)),
        (date(2028, 3, 31), 1, date(2028, 2, 29)),
        (date(2026, 1, 10), 13, date(2024, 12, 10)),
    ],
)
def test_mois_avant(jour: date, mois: int, attendu: date) -> None:
    assert horloge.mois_avant(jour, mois) == attendu


def test_maintenant_est_en_utc_avec_fuseau() -> None:
    instant = horloge.maintenant()
    assert instant.tzinfo is UTC
    assert abs(instant - datetime.now(UTC)) < timedelta(seconds=5)


def test_aller_retour_par_la_base() -> None:
    a_paris = datetime(2026, 7, 14, 23, 30, tzinfo=horloge.PARIS)  # 21:30 UTC
    en_base = horloge.pour_la_base(a_paris)
    assert (en_base.tzinfo, en_base.hour) == (None, 21)
    assert horloge.depuis_la_base(en_base) == a_paris
    assert horloge.pour_la_base(datetime(2026, 1, 1, 8)) == datetime(2026, 1, 1, 8)  # déjà UTC


@pytest.mark.parametrize(
    ("instant", "jour"),
    [
        # 23 h 30 UTC en été : déjà le lendemain à Paris
        (datetime(2026, 7, 14, 23, 30, tzinfo=UTC), date(2026, 7, 15)),
        # 22 h 59 UTC en hiver : encore le jour même à Paris
        (datetime(2026, 12, 31, 22, 59, tzinfo=UTC), date(2026, 12, 31)),
        (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), date(2027, 1, 1)),
        # un instant sans fuseau est de l'UTC
        (datetime(2026, 7, 14, 23, 30), date(2026, 7, 15)),
        # un instant dans un autre fuseau
        (datetime(2026, 7, 14, 20, 0, tzinfo=timezone(timedelta(hours=-5))), date(2026, 7, 15)),
    ],
)
def test_jour_a_paris(instant: datetime, jour: date) -> None:
    assert horloge.jour_a_paris(instant) == jour
