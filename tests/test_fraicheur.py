"""Fraîcheur : fiches à vérifier et part des fiches vérifiées (fonctions pures)."""

from __future__ import annotations

from datetime import date

import pytest

from cartographie.edition.fraicheur import a_verifier, part_verifiee
from cartographie.modele import Acteur, Statut, TypeActeur

pytestmark = pytest.mark.deux_bases  # stockage et métier : DuckDB puis PostgreSQL

AUJOURD_HUI = date(2026, 11, 26)


def acteur(id_: str, verification: date | None, **autres) -> Acteur:
    return Acteur(
        id=id_,
        nom=id_,
        type=autres.pop("type", TypeActeur.LEAO),
        code_insee="38185",
        commune="Grenoble",
        date_verification=verification,
        **autres,
    )


def test_a_verifier_et_part() -> None:
    fiches = [
        acteur("a-jour", date(2025, 11, 26), territoire="Grésivaudan"),  # pile 12 mois : à jour
        acteur("vieille", date(2025, 11, 25), territoire="Voironnais"),
        acteur("jamais", None, territoire="Bièvre", type=TypeActeur.SANTE),
        acteur("archivee", None, statut=Statut.ARCHIVE),
    ]
    assert [a.id for a in a_verifier(fiches, AUJOURD_HUI, 12)] == ["jamais", "vieille"]
    assert [a.id for a in a_verifier(fiches, AUJOURD_HUI, 12, "anciennete")] == [
        "jamais",
        "vieille",
    ]
    assert [a.id for a in a_verifier(fiches, AUJOURD_HUI, 12, "type")] == ["vieille", "jamais"]
    assert part_verifiee(fiches, AUJOURD_HUI, 12) == pytest.approx(1 / 3)
    assert part_verifiee(fiches, AUJOURD_HUI, 24) == pytest.approx(2 / 3)
    assert part_verifiee([], AUJOURD_HUI, 12) is None
    with pytest.raises(ValueError, match="Tri inconnu"):
        a_verifier(fiches, AUJOURD_HUI, 12, "nom")
