"""`python -m cartographie couverture` : la table par commune en CSV ou JSON (la base tenue par
l'application : tests/test_cli_base_tenue.py, comme chaque commande)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cartographie.__main__ import main
from cartographie.couverture.types_d_aide import Aide
from cartographie.echanges.chargement import initialiser_base
from cartographie.stockage.connexion import ouvrir
from tests.conftest import COMMUNES, CSV_ACTEURS


@pytest.fixture(scope="module")
def env_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Une base créée une fois pour le module (la commande la remplirait sinon à chaque test)."""
    chemin = tmp_path_factory.mktemp("couverture") / "base.duckdb"
    con = ouvrir(chemin)
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
    con.close()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CARTOGRAPHIE_BASE", str(chemin))
        yield chemin


def test_csv_une_ligne_par_commune_et_par_aide(env_base: Path, capsys) -> None:
    assert main(["couverture", "--format", "csv"]) == 0
    sortie = capsys.readouterr()
    lignes = list(csv.DictReader(io.StringIO(sortie.out)))
    assert len(lignes) == 512 * len(Aide)
    assert {"code_insee", "type", "distance_km", "acteur_id"} <= set(lignes[0])
    grenoble = {x["type"]: x for x in lignes if x["code_insee"] == "38185"}
    assert set(grenoble) == {a.value for a in Aide}
    assert all(float(x["distance_km"]) >= 0 for x in grenoble.values())
    assert {x["mesure"] for x in lignes} == {"vol_d_oiseau"}
    assert "vol d'oiseau" in sortie.err  # la mesure dite aussi à qui lit le terminal


def test_json_dit_sa_mesure(env_base: Path, capsys) -> None:
    assert main(["couverture", "--format", "json"]) == 0
    donnees = json.loads(capsys.readouterr().out)
    assert "vol d'oiseau" in donnees["mesure"]
    assert len(donnees["lignes"]) == 512 * len(Aide)
    premiere = donnees["lignes"][0]
    assert premiere["code_insee"] == "38001"
    assert isinstance(premiere["distance_km"], float)


def test_format_inconnu_refuse(env_base: Path) -> None:
    with pytest.raises(SystemExit):
        main(["couverture", "--format", "xml"])
