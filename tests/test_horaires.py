"""Horaires au format OpenStreetMap, à horloge fixe : jour ouvré, férié, changement d'heure,
plage qui passe minuit, 24/7, valeur refusée."""

from __future__ import annotations

from datetime import datetime

import pytest

from cartographie import horaires
from cartographie.horaires import Etat
from cartographie.horloge import PARIS

BUREAU = "Mo-Fr 09:00-12:00,14:00-17:00; PH off"


def a(texte: str) -> datetime:
    return datetime.fromisoformat(texte).replace(tzinfo=PARIS)


@pytest.mark.parametrize(
    ("valeur", "instant", "etat", "phrase"),
    [
        # un mardi ordinaire
        (BUREAU, "2026-12-01 10:00", Etat.OUVERT, "Ouvert · ferme à 12 h"),
        (BUREAU, "2026-12-01 12:30", Etat.FERME, "Fermé · ouvre à 14 h"),
        (BUREAU, "2026-12-01 18:00", Etat.FERME, "Fermé · ouvre demain à 9 h"),
        # vendredi soir : rouvre lundi
        (BUREAU, "2026-12-04 18:00", Etat.FERME, "Fermé · ouvre lundi à 9 h"),
        # jour férié (Noël, un vendredi) : fermé, et le lundi suivant
        (BUREAU, "2026-12-25 10:00", Etat.FERME, "Fermé · ouvre lundi à 9 h"),
        # 14 juillet, un mardi
        (BUREAU, "2026-07-14 10:00", Etat.FERME, "Fermé · ouvre demain à 9 h"),
        # la nuit du passage à l'heure d'été (29 mars 2026, 2 h → 3 h) : plage de nuit
        ("Sa 22:00-04:00", "2026-03-29 01:30", Etat.OUVERT, "Ouvert · ferme à 4 h"),
        ("Sa 22:00-04:00", "2026-03-29 04:30", Etat.FERME, "Fermé · ouvre samedi à 22 h"),
        # une plage qui passe minuit, vue après minuit
        ("Fr 22:00-02:00", "2026-12-05 01:00", Etat.OUVERT, "Ouvert · ferme à 2 h"),
        ("24/7", "2026-12-25 03:00", Etat.OUVERT, "Ouvert 24 h/24"),
        ("Mo,Fr 09:30-17:00", "2026-12-01 18:00", Etat.FERME, "Fermé · ouvre vendredi à 9 h 30"),
        ("Jan 05 09:00-10:00", "2026-12-01 18:00", Etat.FERME, "Fermé · ouvre le 5 janvier à 9 h"),
        ("", "2026-12-01 10:00", Etat.INCONNU, ""),
        ("lundi matin", "2026-12-01 10:00", Etat.INCONNU, ""),
    ],
)
def test_ouverture(valeur: str, instant: str, etat: Etat, phrase: str) -> None:
    assert horaires.ouverture(valeur, a(instant)) == horaires.Ouverture(etat, phrase)


def test_un_instant_en_utc_est_lu_a_l_heure_de_paris() -> None:
    # 8 h 30 UTC en hiver = 9 h 30 à Paris : ouvert.
    instant = datetime.fromisoformat("2026-12-01T08:30:00+00:00")
    assert horaires.ouverture(BUREAU, instant).etat is Etat.OUVERT


@pytest.mark.parametrize(
    ("valeur", "extrait"),
    [
        ("Mo-Fr 9h-12h", "caractère 7, sur « 9h-12h »"),
        ("lundi au vendredi", "caractère 1"),
        ("Mo-Fr 09:00-", "OpenStreetMap"),
    ],
)
def test_valeur_malformee_refusee_en_francais(valeur: str, extrait: str) -> None:
    with pytest.raises(ValueError, match="n'est pas au format OpenStreetMap") as refus:
        horaires.verifier(valeur)
    assert extrait in str(refus.value)
    assert "Précisions sur les horaires" in str(refus.value)


def test_valeur_correcte_gardee() -> None:
    assert horaires.verifier(f"  {BUREAU} ") == BUREAU
    assert horaires.verifier("") == ""
