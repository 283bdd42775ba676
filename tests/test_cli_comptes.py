"""`python -m cartographie comptes creer` : le premier administrateur, sans mot de passe par défaut."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cartographie.comptes import Role, authentifier
from cartographie.config import RACINE
from cartographie.stockage.connexion import ouvrir

pytestmark = pytest.mark.deux_bases  # stockage et métier : DuckDB puis PostgreSQL


def lancer(chemin_base: Path, *args: str, entree: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cartographie", "comptes", *args],
        input=entree,
        capture_output=True,
        text=True,
        cwd=RACINE,
        env={"CARTOGRAPHIE_BASE": str(chemin_base), "PATH": "/usr/bin:/bin"},
        check=False,
    )


def test_creer_le_premier_administrateur_lit_le_mot_de_passe_sur_l_entree(chemin_base) -> None:
    resultat = lancer(
        chemin_base, "creer", "ddfe.admin", "--nom", "Admin DDFE", entree="phrase de passe longue\n"
    )
    assert resultat.returncode == 0, resultat.stderr
    assert "phrase de passe longue" not in resultat.stdout + resultat.stderr
    con = ouvrir(chemin_base)
    compte = authentifier(con, "ddfe.admin", "phrase de passe longue")
    assert (compte.role, compte.nom) == (Role.ADMINISTRATEUR, "Admin DDFE")
    con.close()
    liste = lancer(chemin_base, "lister", entree="")
    assert "ddfe.admin\tadministrateur\tactif" in liste.stdout


def test_mot_de_passe_vide_refuse(chemin_base) -> None:
    resultat = lancer(chemin_base, "creer", "ddfe.admin", entree="\n")
    assert resultat.returncode == 1
    assert "trop court" in resultat.stderr
