"""`python -m cartographie comptes …` : créer le premier administrateur, lister, changer un mot de passe.

Le mot de passe n'est jamais un argument (il finirait dans l'historique du shell) : il est
demandé au clavier (getpass, deux fois) ou lu sur l'entrée standard quand elle n'est pas un
terminal (première ligne), pour les scripts de déploiement.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TextIO

from cartographie import config
from cartographie.comptes import (
    ErreurCompte,
    Role,
    changer_mot_de_passe,
    creer_compte,
    lister_comptes,
)
from cartographie.stockage.connexion import ouvrir


def configurer(analyseur: argparse.ArgumentParser) -> None:
    """Sous-commandes de `comptes`."""
    sous = analyseur.add_subparsers(dest="action", required=True)
    creer = sous.add_parser("creer", help="crée un compte (mot de passe demandé)")
    creer.add_argument("identifiant")
    creer.add_argument("--role", choices=[r.value for r in Role], default=Role.ADMINISTRATEUR.value)
    creer.add_argument("--nom", default="", help="nom affiché (prénom nom)")
    sous.add_parser("lister", help="liste les comptes et leur rôle")
    mdp = sous.add_parser("mot-de-passe", help="change un mot de passe (et débloque le compte)")
    mdp.add_argument("identifiant")


def executer(args: argparse.Namespace, entree: TextIO | None = None) -> int:
    """Exécute l'action demandée sur la base configurée."""
    entree = entree or sys.stdin
    con = ouvrir(config.lire_base())
    try:
        if args.action == "lister":
            for compte in lister_comptes(con):
                etat = "actif" if compte.actif else "désactivé"
                print(f"{compte.identifiant}\t{compte.role}\t{etat}\t{compte.nom}")
            return 0
        mot_de_passe = _lire_mot_de_passe(entree)
        if args.action == "creer":
            compte = creer_compte(
                con, args.identifiant, mot_de_passe, Role(args.role), args.nom, auteur="console"
            )
            print(f"Compte « {compte.identifiant} » créé ({compte.role.libelle}).")
        else:
            changer_mot_de_passe(con, args.identifiant, mot_de_passe, auteur="console")
            print(f"Mot de passe de « {args.identifiant} » changé.")
        return 0
    except ErreurCompte as erreur:
        print(str(erreur), file=sys.stderr)
        return 1
    finally:
        con.close()


def _lire_mot_de_passe(entree: TextIO) -> str:
    if not entree.isatty():
        return entree.readline().rstrip("\r\n")
    premier = getpass.getpass("Mot de passe : ")
    if getpass.getpass("Mot de passe (encore) : ") != premier:
        raise ErreurCompte("Les deux saisies diffèrent : rien n'a été changé.")
    return premier
