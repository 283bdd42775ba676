"""Durée de conservation des événements bruts : passé ce délai, ils ne survivent qu'en comptes.

Par défaut 13 mois, la règle française usuelle pour la mesure d'audience. Les agrégats
(comptes par jour, sans session) sont gardés sans limite : ce sont eux qui font les rapports
annuels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from cartographie.stockage import consultations as depot


@dataclass(frozen=True, slots=True)
class Purge:
    """Ce qu'une purge a fait."""

    limite: date
    agregats: int
    effaces: int

    def __str__(self) -> str:
        return (
            f"{self.effaces} événement(s) antérieur(s) au {self.limite:%d/%m/%Y} agrégé(s)"
            f" en {self.agregats} ligne(s) puis effacé(s)"
        )


def limite_conservation(aujourd_hui: date, mois: int) -> date:
    """Premier jour conservé : même quantième `mois` mois plus tôt (borné à la fin du mois)."""
    if mois < 1:
        raise ValueError("la durée de conservation se compte en mois, au moins 1")
    annee, index = divmod(aujourd_hui.year * 12 + aujourd_hui.month - 1 - mois, 12)
    for jour in range(aujourd_hui.day, 0, -1):
        try:
            return date(annee, index + 1, jour)
        except ValueError:
            continue  # 31 mars - 1 mois : pas de 31 février, on prend le dernier jour
    raise AssertionError("inatteignable")  # pragma: no cover


def purger(con: duckdb.DuckDBPyConnection, aujourd_hui: date, mois: int) -> Purge:
    """Agrège puis efface les événements bruts plus vieux que `mois` mois."""
    limite = limite_conservation(aujourd_hui, mois)
    agregats, effaces = depot.agreger_et_supprimer(con, limite)
    return Purge(limite, agregats, effaces)
