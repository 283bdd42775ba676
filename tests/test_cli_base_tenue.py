"""Chaque commande, la base tenue par un autre programme (l'application qui tourne) : un message
en français qui dit qui la tient et quoi faire, un code de sortie non nul, rien d'écrit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cartographie.__main__ import SORTIE_BASE_OCCUPEE
from cartographie.config import RACINE

MOT_DE_PASSE = "une phrase assez longue"


@pytest.mark.parametrize(
    ("commande", "geste"),
    [
        (["initialiser"], "crée et remplit la base d'elle-même"),
        (["geocoder"], "« Positions des fiches »"),
        (["consultations", "purger"], "« Statistiques »"),
        (["comptes", "creer", "ddfe.admin"], "« Comptes »"),
        (["comptes", "lister"], "« Comptes »"),
        (["comptes", "mot-de-passe", "ddfe.admin"], "« Comptes »"),
        (["couverture", "--format", "json"], "« Couverture du territoire »"),
        (["sauvegarder"], "chaque import copie d'abord la base"),
        (["restaurer", "copie.duckdb"], "arrêtez l'application le temps de remettre la copie"),
    ],
)
def test_commande_refusee_en_francais_quand_la_base_est_tenue(
    chemin_base: Path, base_tenue, commande: list[str], geste: str
) -> None:
    resultat = subprocess.run(
        [sys.executable, "-m", "cartographie", *commande],
        input=MOT_DE_PASSE + "\n",
        capture_output=True,
        text=True,
        cwd=RACINE,
        env={**os.environ, "CARTOGRAPHIE_BASE": str(chemin_base)},
        timeout=120,
        check=False,
    )
    assert resultat.returncode == SORTIE_BASE_OCCUPEE, resultat.stderr
    assert resultat.stdout == ""
    erreur = resultat.stderr
    assert f"(processus {base_tenue.pid})" in erreur  # qui tient la base
    assert "arrêtez-la" in erreur  # quoi faire
    assert geste in erreur  # où faire le même geste sans arrêter l'application
    assert "Traceback" not in erreur
    assert "lock" not in erreur.lower()  # rien d'anglais de DuckDB
