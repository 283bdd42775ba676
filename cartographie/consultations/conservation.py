"""Durée de conservation des événements bruts : passé ce délai, ils ne survivent qu'en comptes.

Par défaut 13 mois, la règle française usuelle pour la mesure d'audience. Les agrégats
(comptes par jour, sans session) sont gardés sans limite : ce sont eux qui font les rapports
annuels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from cartographie.horloge import mois_avant
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


def purger(con: duckdb.DuckDBPyConnection, aujourd_hui: date, mois: int) -> Purge:
    """Agrège puis efface les événements bruts plus vieux que `mois` mois.

    Premier jour conservé : le même quantième `mois` mois plus tôt (`horloge.mois_avant`).
    """
    if mois < 1:
        raise ValueError("la durée de conservation se compte en mois, au moins 1")
    limite = mois_avant(aujourd_hui, mois)
    agregats, effaces = depot.agreger_et_supprimer(con, limite)
    return Purge(limite, agregats, effaces)
