"""Coût d'une connexion (argon2id) et d'une correction de fiche (verrou + historique).

Références mesurées dans la même exécution : argon2 aux paramètres par défaut d'argon2-cffi,
et un UPDATE nu de la même fiche, sans verrou ni historique.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from argon2 import PasswordHasher

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cartographie import config, edition
from cartographie.comptes import HACHEUR
from cartographie.echanges.chargement import initialiser_base
from cartographie.stockage.connexion import ouvrir

MOT_DE_PASSE = "une phrase assez longue"


def mediane_ms(action, n: int) -> float:
    durees = []
    for _ in range(n):
        debut = time.perf_counter()
        action()
        durees.append((time.perf_counter() - debut) * 1000)
    return statistics.median(durees)


def main() -> None:
    defaut = PasswordHasher()
    empreinte, empreinte_defaut = HACHEUR.hash(MOT_DE_PASSE), defaut.hash(MOT_DE_PASSE)
    ours = mediane_ms(lambda: HACHEUR.verify(empreinte, MOT_DE_PASSE), 20)
    ref = mediane_ms(lambda: defaut.verify(empreinte_defaut, MOT_DE_PASSE), 20)
    print(
        f"argon2id vérification : {ours:.1f} ms (défaut argon2-cffi {ref:.1f} ms, ×{ref / ours:.1f})"
    )

    with tempfile.TemporaryDirectory() as dossier:
        con = ouvrir(Path(dossier) / "bench.duckdb")
        initialiser_base(
            con, config.lire_chemin("ACTEURS_CSV"), config.lire_chemin("COMMUNES_GEOJSON")
        )
        fiche = edition.fiches(con)[0]
        compteur = iter(range(10**6))

        def corriger() -> None:
            actuelle = edition.fiche(con, fiche.id)
            n = next(compteur)
            edition.modifier(
                con, replace(actuelle, horaires_accueil=f"essai {n}"), actuelle.version, "bench"
            )

        def update_nu() -> None:
            con.execute(
                "UPDATE acteur SET horaires_accueil = ? WHERE id = ?",
                [f"nu {next(compteur)}", fiche.id],
            )

        avec = mediane_ms(corriger, 200)
        nu = mediane_ms(update_nu, 200)
        print(
            f"correction d'une fiche (lecture, verrou, écriture, historique) : {avec:.2f} ms"
            f" (UPDATE nu {nu:.2f} ms, ×{avec / nu:.1f}) ; "
            f"{len(edition.historique(con, fiche.id))} versions en historique"
        )
        con.close()


if __name__ == "__main__":
    main()
