"""Ligne de commande : `python -m cartographie <commande>`."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from cartographie import config
from cartographie.chargement import ErreurDonnees, initialiser_base
from cartographie.conservation import purger
from cartographie.stockage.connexion import ouvrir


def _initialiser(_: argparse.Namespace) -> int:
    chemin = config.lire_chemin("BASE")
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
    con = ouvrir(config.lire_chemin("BASE"))
    try:
        purge = purger(con, date.today(), mois)
    finally:
        con.close()
    print(f"Consultations conservées {mois} mois : {purge}.")
    return 0


COMMANDES = {
    "initialiser": (_initialiser, "crée la base depuis data/acteurs.csv si elle est vide"),
    "consultations": (
        _consultations,
        "purger : agrège puis efface les consultations plus vieilles que la durée de conservation",
    ),
}

# Arguments propres à une commande (les autres n'en ont pas).
ARGUMENTS = {
    "consultations": lambda p: p.add_argument("action", choices=["purger"]),
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
    return COMMANDES[args.commande][0](args)


if __name__ == "__main__":
    sys.exit(main())
