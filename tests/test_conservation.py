"""La purge : les événements bruts trop vieux deviennent des comptes par jour, puis disparaissent."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from cartographie.__main__ import main
from cartographie.consultations.conservation import purger
from cartographie.consultations.evenements import evenement
from cartographie.stockage import consultations as depot
from cartographie.stockage.connexion import ouvrir
from tests.exemple_consultations import a, semer

pytestmark = pytest.mark.deux_bases  # stockage et métier : DuckDB puis PostgreSQL


def totaux(con: duckdb.DuckDBPyConnection, dimension: str = "") -> list:
    return depot.compter(
        con,
        date(2025, 1, 1),
        date(2027, 12, 31),
        evenements=["consultation", "recherche", "acteur_consulte", "fiche_imprimee", "*"],
        dimension=dimension,
        pas="mois",
    )


def test_purge_agrege_puis_efface_sans_changer_les_chiffres(
    base: duckdb.DuckDBPyConnection,
) -> None:
    semer(base, datetime(2025, 11, 20), jours=20)  # à cheval sur la limite du 1er décembre
    avant = {d: totaux(base, d) for d in depot.DIMENSIONS}
    bruts = depot.compter_bruts(base)

    purge = purger(base, date(2027, 1, 1), 13)

    assert purge.limite == date(2025, 12, 1)
    restants = base.execute("SELECT count(*), min(horodatage) FROM consultation").fetchone()
    assert purge.effaces + restants[0] == bruts
    assert purge.effaces > 0
    assert restants[1] >= datetime(2025, 11, 30, 23)  # minuit à Paris = 23 h UTC en hiver
    assert purge.agregats == base.execute("SELECT count(*) FROM consultation_agregat").fetchone()[0]
    # Les agrégats n'ont pas de session : on ne peut plus suivre personne.
    colonnes = {
        c
        for (c,) in base.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'consultation_agregat'"
        ).fetchall()
    }
    assert "session" not in colonnes
    # Les comptes, sessions comprises, sont les mêmes avant et après la purge.
    assert {d: totaux(base, d) for d in depot.DIMENSIONS} == avant
    # Une seconde purge ne trouve rien à faire.
    assert purger(base, date(2027, 1, 1), 13).effaces == 0
    assert {d: totaux(base, d) for d in depot.DIMENSIONS} == avant


def test_evenement_retardataire_s_ajoute_a_l_agregat(base: duckdb.DuckDBPyConnection) -> None:
    quand = datetime(2025, 3, 3, 10)
    depot.inserer(base, [a(quand, evenement("consultation", "carte", uuid.uuid4()))] * 2)
    purger(base, date(2027, 1, 1), 13)
    depot.inserer(base, [a(quand, evenement("consultation", "carte", uuid.uuid4()))])
    purger(base, date(2027, 1, 1), 13)
    assert base.execute(
        "SELECT nombre FROM consultation_agregat WHERE evenement = 'consultation'"
    ).fetchall() == [(3,)]


def test_commande_purger(
    env_appli: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARTOGRAPHIE_CONSULTATIONS_CONSERVATION_MOIS", "2")
    con = ouvrir(env_appli)
    depot.inserer(
        con, [a(datetime(2020, 1, 1, 8), evenement("consultation", "carte", uuid.uuid4()))]
    )
    con.close()
    assert main(["consultations", "purger"]) == 0
    assert "1 événement(s)" in capsys.readouterr().out
    con = ouvrir(env_appli)
    assert depot.compter_bruts(con) == 0
