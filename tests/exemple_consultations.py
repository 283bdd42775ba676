"""Des consultations d'exemple, reproductibles, écrites directement en base (tests et AppTest)."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import datetime, timedelta

import duckdb

from cartographie.consultations.evenements import Evenement, evenement
from cartographie.stockage import consultations as depot


def a(horodatage: datetime, e: Evenement) -> Evenement:
    """L'événement, daté."""
    return replace(e, horodatage=horodatage)


def semer(con: duckdb.DuckDBPyConnection, debut: datetime, jours: int, graine: int = 42) -> int:
    """Des sessions réalistes sur `jours` jours : consultation, recherches, fiches, impressions."""
    hasard = random.Random(graine)
    acteurs = [i for (i,) in con.execute("SELECT id FROM acteur ORDER BY id").fetchall()]
    communes = [
        (c, t)
        for c, t in con.execute(
            "SELECT code_insee, territoire FROM commune ORDER BY population DESC LIMIT 30"
        ).fetchall()
    ]
    evenements = []
    for jour in range(jours):
        for _ in range(hasard.randint(3, 12)):
            s = uuid.UUID(int=hasard.getrandbits(128), version=4)
            quand = debut + timedelta(days=jour, hours=hasard.randint(7, 19))
            evenements.append(a(quand, evenement("consultation", "carte", s)))
            code, territoire = hasard.choice(communes)
            evenements.append(
                a(
                    quand,
                    evenement(
                        "recherche",
                        "carte",
                        s,
                        types=hasard.sample(["leao", "accueil_de_jour", "hebergement"], 1),
                        axes=["1"],
                        territoire=territoire if hasard.random() < 0.5 else None,
                        code_insee=code,
                        rayon_km=hasard.choice([5, 10, 20]),
                    ),
                )
            )
            acteur = hasard.choice(acteurs[:15])
            evenements.append(a(quand, evenement("acteur_consulte", "carte", s, acteur_id=acteur)))
            if hasard.random() < 0.3:
                evenements.append(
                    a(
                        quand,
                        evenement("fiche_imprimee", "carte", s, acteur_id=acteur, format="pdf"),
                    )
                )
    return depot.inserer(con, evenements)
