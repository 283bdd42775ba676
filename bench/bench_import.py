"""Import de 50 000 lignes : lecture, aperçu, sauvegarde, écriture ; fichier de 50 Mo.

Lancer : `.venv/bin/python bench/bench_import.py` (ou `make bench`). Base jetable dans un
dossier temporaire. Référence mesurée dans le même passage : l'insertion ligne à ligne
(`executemany`) de 2 000 acteurs, le chemin naïf que l'écriture ensembliste remplace.
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cartographie import config
from cartographie.communes import charger_communes
from cartographie.echanges.chargement import initialiser_base
from cartographie.echanges.exportation import csv_tableur
from cartographie.echanges.importation import appliquer_import, preparer_apercu
from cartographie.echanges.lecture_tableur import FichierRefuse, lire_tableur
from cartographie.modele import Acteur, Axe, Public, TypeActeur
from cartographie.stockage import acteurs as depot_acteurs
from cartographie.stockage import imports as depot_imports
from cartographie.stockage.connexion import ouvrir

COMMUNES = config.DOSSIER_DONNEES / "isere_communes.geojson"
N = 50_000


def acteurs_fictifs(n: int, graine: int = 42, longueur_description: int = 200) -> list[Acteur]:
    """Des acteurs valides, répartis dans les vraies communes."""
    rng = random.Random(graine)
    communes = charger_communes(COMMUNES)
    resultat = []
    for i in range(n):
        c = rng.choice(communes)
        resultat.append(
            Acteur(
                id=f"fictif-{i}",
                nom=f"Structure fictive {i}",
                type=rng.choice(list(TypeActeur)),
                code_insee=c.code_insee,
                commune=c.nom,
                code_postal=c.codes_postaux[0],
                latitude=c.latitude,
                longitude=c.longitude,
                description="x" * longueur_description,
                axes=(rng.choice(list(Axe)),),
                publics=(rng.choice(list(Public)),),
            )
        )
    return resultat


def chrono(etiquette: str, fonction, *args, **kwargs):
    debut = time.perf_counter()
    resultat = fonction(*args, **kwargs)
    duree = time.perf_counter() - debut
    print(f"{etiquette:<48} {duree:7.2f} s")
    return resultat, duree


def comparer_sauvegardes(con, dossier: Path) -> None:
    """Les trois façons de copier la base avant import, sur la même base de 50 000 fiches."""
    print("Sauvegarde de la base (choix : COPY FROM DATABASE, instantané transactionnel) :")
    source = con.execute("SELECT current_database()").fetchone()[0]
    fichier = depot_imports.chemin_base(con)

    def checkpoint_copie() -> None:
        con.execute("CHECKPOINT")
        shutil.copyfile(fichier, dossier / "copie.duckdb")

    def copy_from_database() -> None:
        con.execute(f"ATTACH '{dossier / 'attachee.duckdb'}' AS copie_bench")
        con.execute(f'COPY FROM DATABASE "{source}" TO copie_bench')
        con.execute("DETACH copie_bench")

    def export_database() -> None:
        con.execute(f"EXPORT DATABASE '{dossier / 'export'}' (FORMAT parquet)")

    chrono("  CHECKPOINT + copie du fichier", checkpoint_copie)
    chrono("  COPY FROM DATABASE vers une base attachée", copy_from_database)
    chrono("  EXPORT DATABASE (parquet)", export_database)


def main() -> None:
    with tempfile.TemporaryDirectory() as dossier:
        con = ouvrir(Path(dossier) / "bench.duckdb")
        initialiser_base(con, config.DOSSIER_DONNEES / "acteurs.csv", COMMUNES)

        fictifs = acteurs_fictifs(N)
        contenu = csv_tableur(fictifs)
        print(f"Fichier CSV de {N} lignes : {len(contenu) / 1e6:.1f} Mo")
        tableau, t_lecture = chrono(
            "lecture (décodage, en-têtes)",
            lire_tableur,
            contenu,
            "b.csv",
            taille_max=10**9,
            lignes_max=10**6,
        )
        apercu, t_apercu = chrono(
            "aperçu (validation + comparaison)", preparer_apercu, con, tableau, COMMUNES
        )
        print(f"  nouveaux={len(apercu.nouveaux)} erreurs={len(apercu.erreurs)}")
        resultat, _ = chrono(
            "import (sauvegarde + écriture)",
            appliquer_import,
            con,
            apercu,
            auteur="bench",
            nom_fichier="b.csv",
        )
        print(
            f"  dont sauvegarde {resultat.duree_sauvegarde:.2f} s, écriture {resultat.duree_ecriture:.2f} s"
        )

        modifies = [
            a.__class__(**{**{f: getattr(a, f) for f in a.__slots__}, "nom": a.nom + " bis"})
            for a in fictifs
        ]
        tableau2 = lire_tableur(csv_tableur(modifies), "b.csv", taille_max=10**9, lignes_max=10**6)
        apercu2, _ = chrono(
            "aperçu de 50 000 modifications", preparer_apercu, con, tableau2, COMMUNES
        )
        resultat2, _ = chrono(
            "import de 50 000 modifications",
            appliquer_import,
            con,
            apercu2,
            auteur="bench",
            nom_fichier="b2.csv",
        )
        print(
            f"  dont sauvegarde {resultat2.duree_sauvegarde:.2f} s (base de {resultat2.sauvegarde.stat().st_size / 1e6:.0f} Mo)"
        )

        comparer_sauvegardes(con, Path(dossier))

        gros = csv_tableur(acteurs_fictifs(20_000, longueur_description=2_500))
        print(
            f"Fichier de {len(gros) / 1e6:.0f} Mo, limite {config.lire('IMPORT_TAILLE_MAX_MO')} Mo :"
        )
        taille_max = int(config.lire("IMPORT_TAILLE_MAX_MO")) * 1_000_000
        try:
            chrono("  refus", lire_tableur, gros, "gros.csv", taille_max=taille_max, lignes_max=N)
        except FichierRefuse as refus:
            print(f"  refusé : {refus}")

        temoins = fictifs[:2000]
        con.execute("DELETE FROM acteur WHERE id LIKE 'fictif-%'")
        _, t_naif = chrono(
            "référence : executemany de 2 000 acteurs", depot_acteurs.inserer, con, temoins
        )
        par_ligne_naif = t_naif / 2000
        par_ligne = resultat.duree_ecriture / N
        print(
            f"écriture ensembliste : {par_ligne * 1e6:.0f} µs/ligne ; executemany : {par_ligne_naif * 1e6:.0f} µs/ligne (×{par_ligne_naif / par_ligne:.0f})"
        )
        print(
            f"aperçu : {t_apercu / N * 1e6:.0f} µs/ligne ; lecture : {t_lecture / N * 1e6:.0f} µs/ligne"
        )
        con.close()


if __name__ == "__main__":
    main()
