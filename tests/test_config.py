"""Les réglages : valeurs par défaut, surcharge par l'environnement, fautes de frappe refusées."""

from __future__ import annotations

import pytest

from cartographie import config


def test_defaut_sous_var() -> None:
    assert config.lire_chemin("BASE", {}).parts[-2:] == ("var", "cartographie.duckdb")


def test_surcharge_par_variable_d_environnement() -> None:
    assert config.lire("BASE", {"CARTOGRAPHIE_BASE": "/tmp/x.duckdb"}) == "/tmp/x.duckdb"


def test_variable_inconnue_refusee_avec_la_liste_des_reglages() -> None:
    with pytest.raises(ValueError, match=r"CARTOGRAPHIE_BAZE.*CARTOGRAPHIE_BASE"):
        config.lire("BASE", {"CARTOGRAPHIE_BAZE": "/tmp/x.duckdb"})
