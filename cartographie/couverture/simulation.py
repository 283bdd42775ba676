"""« Et si… » : ce que changerait une ressource de plus, ouverte au centre d'une commune.

Calculé en mémoire à partir de la table : ni la base, ni la table ne changent (ses tableaux
sont en lecture seule). La nouvelle ressource est placée au point représentatif de la commune
choisie, sans zone couverte ; les distances restent à vol d'oiseau.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cartographie.communes import Commune
from cartographie.couverture.calcul import TableCouverture, km_entre
from cartographie.couverture.synthese import SEUILS_KM, centile_pondere, population_au_dela
from cartographie.couverture.types_d_aide import Aide


@dataclass(frozen=True, slots=True)
class Simulation:
    """Avant / après l'ouverture d'une ressource de l'aide `aide` dans `commune`."""

    commune: Commune
    aide: Aide
    rapprochees: int  # communes dont la ressource la plus proche serait la nouvelle
    gagnants: dict[int, int]  # seuil (km) → habitants qui passeraient à moins de ce seuil
    p90_territoire: tuple[float | None, float | None]  # (avant, après), km
    p90_departement: tuple[float | None, float | None]
    mediane_territoire: tuple[float | None, float | None]


def simuler(table: TableCouverture, code_insee: str, aide: Aide) -> Simulation:
    """Ce que changerait une ressource `aide` au point représentatif de la commune `code_insee`."""
    i = table.rang(code_insee)
    j = table.colonne(aide)
    commune = table.communes[i]
    avant = table.distances[:, j]
    depuis_nouvelle = km_entre(table.vecteurs, table.vecteurs[i])
    apres = np.where(np.isnan(avant), depuis_nouvelle, np.fmin(avant, depuis_nouvelle))
    poids = table.populations
    territoire = np.array([c.territoire == commune.territoire for c in table.communes])
    return Simulation(
        commune=commune,
        aide=aide,
        rapprochees=int(np.sum(np.isnan(avant) | (depuis_nouvelle < avant))),
        gagnants={
            s: population_au_dela(avant, poids, s) - population_au_dela(apres, poids, s)
            for s in SEUILS_KM
        },
        p90_territoire=(
            centile_pondere(avant[territoire], poids[territoire], 0.9),
            centile_pondere(apres[territoire], poids[territoire], 0.9),
        ),
        p90_departement=(centile_pondere(avant, poids, 0.9), centile_pondere(apres, poids, 0.9)),
        mediane_territoire=(
            centile_pondere(avant[territoire], poids[territoire], 0.5),
            centile_pondere(apres[territoire], poids[territoire], 0.5),
        ),
    )
