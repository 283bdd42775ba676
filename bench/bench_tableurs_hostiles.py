"""Tableurs hostiles : temps et mémoire de l'aperçu d'import, chacun dans un processus neuf.

Lancer : `.venv/bin/python bench/bench_tableurs_hostiles.py [--delai 60]`. Pour chaque fichier
(fabriqué par `tests/classeurs_hostiles.py`), un sous-processus ouvre une base jetable,
appelle `importation.apercu_fichier` comme la page « Importer / exporter », puis imprime la
durée, le pic de mémoire (RSS maximal du processus, moins celui mesuré juste avant la lecture)
et ce que l'aperçu dit. Un aperçu qui dépasse `--delai` secondes est interrompu (« > délai »).
Un classeur légitime de 50 000 lignes sert de référence.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE))

from tests import classeurs_hostiles as hostiles  # noqa: E402

ENFANT = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from cartographie import config
from cartographie.echanges.chargement import initialiser_base
from cartographie.validation import ErreurDonnees
from cartographie.echanges.importation import apercu_fichier
from cartographie.echanges.lecture_tableur import FichierRefuse
from cartographie.stockage.connexion import ouvrir
import openpyxl  # importé d'avance : son chargement ne compte pas dans la mesure
from cartographie.echanges import importation

lecture = {}
lire = importation.lire_tableur

def lire_chronometre(*args, **kwargs):
    debut = time.perf_counter()
    try:
        return lire(*args, **kwargs)
    finally:
        lecture["duree"] = time.perf_counter() - debut

importation.lire_tableur = lire_chronometre

chemin, nom, base = sys.argv[2], sys.argv[3], sys.argv[4]
contenu = open(chemin, "rb").read()
con = ouvrir(base)
initialiser_base(con, config.DOSSIER_DONNEES / "acteurs.csv", config.DOSSIER_DONNEES / "isere_communes.geojson")
avant = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
debut = time.perf_counter()
try:
    apercu = apercu_fichier(con, contenu, nom, config.DOSSIER_DONNEES / "isere_communes.geojson")
    issue = (
        f"aperçu : {apercu.nombre_lignes} lignes de données, {len(apercu.nouveaux)} nouveaux,"
        f" {len(apercu.erreurs)} en erreur"
        + (f" (1re : {str(apercu.erreurs[0])[:160]})" if apercu.erreurs else "")
        + (f", nom le plus long {max(len(a.nom) for a in apercu.nouveaux)} car." if apercu.nouveaux else "")
    )
except (FichierRefuse, ErreurDonnees) as refus:
    issue = f"refusé : {refus}"
duree = time.perf_counter() - debut
pic = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"duree": duree, "lecture": lecture.get("duree"), "pic_mo": (pic - avant) / 1024, "issue": issue}))
"""


def legitime(lignes: int) -> bytes:
    """Un classeur ordinaire, écrit par openpyxl (comme Excel) : `lignes` acteurs valides."""
    from openpyxl import Workbook

    classeur = Workbook()
    feuille = classeur.active
    feuille.append(["id", "nom", "type", "commune", "code_insee", "code_postal", "description"])
    for i in range(lignes):
        feuille.append(
            [f"leao-{i}", f"Lieu d'écoute {i}", "leao", "Voiron", 38563, "38500", "x" * 200]
        )
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()


def csv_cellule_de_10_mo() -> bytes:
    return (
        b"id;nom;type;commune;code_insee\r\nleao-1;" + b"N" * 10_000_000 + b";leao;Voiron;38563\r\n"
    )


def csv_utf16_sans_bom() -> bytes:
    return "id;nom;type;commune;code_insee\r\nleao-1;Écoute;leao;Voiron;38563\r\n".encode(
        "utf-16-le"
    )


def csv_meme_identifiant(lignes: int) -> bytes:
    return b"id;nom;type;commune;code_insee\n" + b"leao-x;A;leao;Voiron;38563\n" * lignes


FICHIERS = {
    "cellule de 100 000 000 caractères (xlsx)": (hostiles.cellule_geante, "geant.xlsx"),
    "2 001 noms de 32 000 caractères (xlsx)": (hostiles.noms_geants, "noms.xlsx"),
    "feuille déclarée A1:XFD1048576 (xlsx)": (hostiles.dimension_geante, "dimension.xlsx"),
    "déclarée A1:E2, 5 lignes réelles (xlsx)": (hostiles.dimension_trop_petite, "petite.xlsx"),
    "cellule isolée en XFD1048576 (xlsx)": (hostiles.cellule_lointaine, "lointaine.xlsx"),
    "cellule de 10 Mo (csv)": (csv_cellule_de_10_mo, "cellule.csv"),
    "UTF-16 sans BOM (csv)": (csv_utf16_sans_bom, "utf16.csv"),
    "10 000 lignes au même identifiant (csv)": (lambda: csv_meme_identifiant(10_000), "d.csv"),
    "légitime, 2 000 lignes (xlsx openpyxl)": (lambda: legitime(2_000), "legitime.xlsx"),
    "légitime, 50 000 lignes (xlsx openpyxl)": (lambda: legitime(50_000), "legitime.xlsx"),
}


def mesurer(contenu: bytes, nom: str, delai: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as dossier:
        chemin = Path(dossier) / nom
        chemin.write_bytes(contenu)
        commande = [sys.executable, "-c", ENFANT, str(RACINE), str(chemin), nom]
        commande.append(str(Path(dossier) / "base.duckdb"))
        debut = time.perf_counter()
        try:
            sortie = subprocess.run(
                commande, capture_output=True, text=True, timeout=delai, check=False
            )
        except subprocess.TimeoutExpired:
            return {"duree": None, "pic_mo": None, "issue": f"> {delai:.0f} s, interrompu"}
        if sortie.returncode != 0:
            return {
                "duree": time.perf_counter() - debut,
                "pic_mo": None,
                "issue": "plantage : " + sortie.stderr.strip().splitlines()[-1][:200],
            }
        return json.loads(sortie.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delai", type=float, default=60.0, help="secondes avant interruption")
    parser.add_argument("--seul", help="ne mesurer que les fichiers dont le nom contient ceci")
    options = parser.parse_args()
    for titre, (fabrique, nom) in FICHIERS.items():
        if options.seul and options.seul not in titre:
            continue
        contenu = fabrique()
        r = mesurer(contenu, nom, options.delai)
        duree = "—" if r["duree"] is None else f"{r['duree']:.2f} s"
        if r.get("lecture") is not None:
            duree += f" (lecture {r['lecture']:.2f} s)"
        pic = "—" if r["pic_mo"] is None else f"{r['pic_mo']:.0f} Mo"
        print(f"{titre} [{len(contenu) / 1000:.0f} Ko] : {duree}, +{pic} ; {r['issue']}")


if __name__ == "__main__":
    main()
