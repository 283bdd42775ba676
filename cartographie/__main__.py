"""Ligne de commande : `python -m cartographie <commande>`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb

from cartographie import config, edition, horloge
from cartographie.communes import charger_communes
from cartographie.comptes import cli as cli_comptes
from cartographie.consultations.conservation import purger
from cartographie.couverture import export as export_couverture
from cartographie.couverture.calcul import MESURE_DETAIL, couverture_de_la_base
from cartographie.echanges.chargement import ErreurDonnees, initialiser_base
from cartographie.edition import qualite
from cartographie.edition.fraicheur import mois_fraicheur
from cartographie.edition.positions import acteurs_a_verifier_en_base, rapport_geocodage, regeocoder
from cartographie.geocodage.chaine import Geocodeur
from cartographie.stockage import sauvegardes
from cartographie.stockage.connexion import BaseIndisponible, ouvrir
from cartographie.stockage.dialecte import est_url_postgresql

T = TypeVar("T")


def _initialiser(_: argparse.Namespace) -> int:
    chemin = config.lire_base()
    con = ouvrir(chemin)
    try:
        n = initialiser_base(
            con, config.lire_chemin("ACTEURS_CSV"), config.lire_chemin("COMMUNES_GEOJSON")
        )
    except ErreurDonnees as erreur:
        print(f"Chargement de data/acteurs.csv refusé : {erreur}", file=sys.stderr)
        return 1
    finally:
        con.close()
    if n:
        print(f"Base {chemin} créée : {n} acteurs chargés.")
    else:
        print(f"Base {chemin} prête (déjà initialisée).")
    return 0


def _consultations(args: argparse.Namespace) -> int:
    mois = config.lire_entier("CONSULTATIONS_CONSERVATION_MOIS")
    con = ouvrir(config.lire_base())
    try:
        purge = purger(con, horloge.aujourd_hui(), mois)
    finally:
        con.close()
    print(f"Consultations conservées {mois} mois : {purge}.")
    return 0


_REFUS = object()


def _sur_la_base(lecture: Callable[[duckdb.DuckDBPyConnection, Path], T]) -> T | object:
    """Ouvre la base (créée depuis data/acteurs.csv si vide), y fait `lecture`, la referme.

    Rend `_REFUS` (message en français déjà écrit) si data/acteurs.csv est refusé.
    """
    chemin_communes = config.lire_chemin("COMMUNES_GEOJSON")
    con = ouvrir(config.lire_base())
    try:
        initialiser_base(con, config.lire_chemin("ACTEURS_CSV"), chemin_communes)
        return lecture(con, chemin_communes)
    except ErreurDonnees as erreur:
        print(f"Chargement de data/acteurs.csv refusé : {erreur}", file=sys.stderr)
        return _REFUS
    finally:
        con.close()


def _geocoder(_: argparse.Namespace) -> int:
    def regeocoder_tout(con: duckdb.DuckDBPyConnection, chemin_communes: Path) -> str:
        geocodeur = Geocodeur.depuis_reglages(con)
        if geocodeur.client is None:
            print(
                "Géocodage en ligne désactivé (CARTOGRAPHIE_GEOCODAGE_EN_LIGNE=non) : seules les"
                " adresses déjà en cache peuvent gagner en précision."
            )
        changements = regeocoder(con, geocodeur, _afficher_progression)
        return rapport_geocodage(changements, acteurs_a_verifier_en_base(con, chemin_communes))

    rapport = _sur_la_base(regeocoder_tout)
    if rapport is _REFUS:
        return 1
    print(rapport)
    return 0


def _couverture(args: argparse.Namespace) -> int:
    table = _sur_la_base(couverture_de_la_base)
    if table is _REFUS:
        return 1
    if args.format == "json":
        sys.stdout.write(export_couverture.en_json(table, horloge.aujourd_hui()) + "\n")
    else:
        sys.stdout.write(export_couverture.en_csv(table))
        print(f"Note : {MESURE_DETAIL}.", file=sys.stderr)
    return 0


def _qualite(_: argparse.Namespace) -> int:
    fiches = _sur_la_base(lambda con, _communes: edition.fiches(con))
    if fiches is _REFUS:
        return 1
    chemin_communes = config.lire_chemin("COMMUNES_GEOJSON")
    rapport = qualite.rapport(
        fiches, charger_communes(chemin_communes), horloge.aujourd_hui(), mois_fraicheur()
    )
    print(qualite.en_texte(rapport))
    return 0


def _sauvegarder(args: argparse.Namespace) -> int:
    con = ouvrir(config.lire_base())
    try:
        copie = sauvegardes.copier(con, args.dossier, "sauvegarde")
    finally:
        con.close()
    print(f"Copie de toute la base : {copie}")
    return 0


def _restaurer(args: argparse.Namespace) -> int:
    cible = config.lire_base()
    if not est_url_postgresql(cible):
        # DuckDB : refusé (code 75) si l'application tient le fichier, avant de rien toucher.
        ouvrir(cible).close()
    try:
        sauvegardes.restaurer(cible, args.fichier)
    except sauvegardes.SauvegardeImpossible as erreur:
        print(f"Restauration refusée : {erreur}", file=sys.stderr)
        return 1
    print(f"Base restaurée depuis {args.fichier}.")
    return 0


def _afficher_progression(faits: int, total: int) -> None:
    # Au terminal, une ligne qui se met à jour ; dans un journal, seulement la ligne finale.
    if sys.stderr.isatty():
        print(f"\rGéocodage : {faits}/{total} fiches", end="", file=sys.stderr)
    if faits == total:
        print(f"\rGéocodage : {faits}/{total} fiches", file=sys.stderr)


COMMANDES = {
    "initialiser": (_initialiser, "crée la base depuis data/acteurs.csv si elle est vide"),
    "geocoder": (_geocoder, "regéocode les fiches moins précises que l'adresse, dit ce qui change"),
    "consultations": (
        _consultations,
        "purger : agrège puis efface les consultations plus vieilles que la durée de conservation",
    ),
    "comptes": (cli_comptes.executer, "comptes de la DDFE : creer, lister, mot-de-passe"),
    "couverture": (
        _couverture,
        "table par commune et par aide : distance à vol d'oiseau de la ressource la plus proche",
    ),
    "qualite": (_qualite, "qualité des fiches : contacts, horaires, adresses, sources, manques"),
    "sauvegarder": (_sauvegarder, "copie cohérente de toute la base (DuckDB ou pg_dump)"),
    "restaurer": (_restaurer, "remet la base dans l'état d'une copie faite par sauvegarder"),
}

# Où faire le même geste sans arrêter l'application (dit quand la base est tenue).
GESTE_DANS_L_APPLICATION = {
    "initialiser": "inutile, elle crée et remplit la base d'elle-même au démarrage.",
    "geocoder": "espace DDFE, page « Positions des fiches », bouton « Regéocoder les fiches"
    " moins précises que l'adresse ».",
    "consultations": "espace DDFE, page « Statistiques » (administrateur), bouton « Purger les"
    " consultations anciennes » ; l'application purge aussi à chaque démarrage.",
    "comptes": "espace DDFE, page « Comptes » (administrateur) : créer un compte, changer un mot"
    " de passe, débloquer.",
    "couverture": "espace DDFE, page « Couverture du territoire », onglet « Territoires »,"
    " bouton « Exporter la table par commune (CSV) ».",
    "qualite": "espace DDFE, page « Fiches à vérifier », section « Qualité des fiches ».",
    "sauvegarder": "espace DDFE, page « Importer / exporter » : chaque import copie d'abord la"
    " base ; avec PostgreSQL, la commande marche aussi application lancée.",
    "restaurer": "aucun : arrêtez l'application le temps de remettre la copie (avec PostgreSQL,"
    " la restauration se fait application lancée).",
}
# Code de sortie quand la base est occupée : « réessayez plus tard » (EX_TEMPFAIL de sysexits).
SORTIE_BASE_OCCUPEE = 75

# Arguments propres à une commande (les autres n'en ont pas).
ARGUMENTS = {
    "consultations": lambda p: p.add_argument("action", choices=["purger"]),
    "comptes": cli_comptes.configurer,
    "couverture": lambda p: p.add_argument(
        "--format", choices=export_couverture.FORMATS, default="csv", help="csv (défaut) ou json"
    ),
    "sauvegarder": lambda p: p.add_argument(
        "--dossier", type=Path, default=None, help="où écrire la copie (CARTOGRAPHIE_SAUVEGARDES)"
    ),
    "restaurer": lambda p: p.add_argument("fichier", type=Path, help="copie (.duckdb ou .dump)"),
}


def main(argv: list[str] | None = None) -> int:
    """Point d'entrée de la ligne de commande."""
    analyseur = argparse.ArgumentParser(prog="python -m cartographie")
    sous = analyseur.add_subparsers(dest="commande", required=True)
    for nom, (_, aide) in COMMANDES.items():
        sous_analyseur = sous.add_parser(nom, help=aide)
        if nom in ARGUMENTS:
            ARGUMENTS[nom](sous_analyseur)
    args = analyseur.parse_args(argv)
    try:
        return COMMANDES[args.commande][0](args)
    except BaseIndisponible as erreur:
        # DuckDB n'admet qu'un programme à la fois (PostgreSQL : serveur injoignable) : ni trace
        # anglaise, ni rien d'écrit.
        print(
            f"{erreur}\nLe même geste depuis l'application : {GESTE_DANS_L_APPLICATION[args.commande]}",
            file=sys.stderr,
        )
        return SORTIE_BASE_OCCUPEE


if __name__ == "__main__":
    sys.exit(main())
