"""Le fil d'écriture : par lots, sans rien perdre quand la base va bien, perte bornée sinon."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import duckdb
import pytest

from cartographie.consultations.enregistreur import Enregistreur
from cartographie.consultations.evenements import TypeEvenement, evenement
from cartographie.stockage import consultations as depot
from cartographie.stockage.connexion import ouvrir

pytestmark = pytest.mark.deux_bases  # stockage et métier : DuckDB puis PostgreSQL


def consultation(session: uuid.UUID | None = None):
    return evenement(TypeEvenement.CONSULTATION, "carte", session or uuid.uuid4())


def test_ecrit_par_lot_des_que_le_lot_est_plein(chemin_base: Path) -> None:
    con = ouvrir(chemin_base)
    enregistreur = Enregistreur(con.cursor, taille_lot=10, delai_s=3600)
    for _ in range(25):
        enregistreur.noter(consultation())
    # Deux lots pleins partent sans attendre le délai ; les 5 derniers attendent.
    limite = time.monotonic() + 5
    while depot.compter_bruts(con) < 20 and time.monotonic() < limite:
        time.sleep(0.01)
    assert depot.compter_bruts(con) == 20
    assert enregistreur.vider()
    assert depot.compter_bruts(con) == 25
    enregistreur.arreter()
    assert (enregistreur.ecrits, enregistreur.perdus) == (25, 0)


def test_lot_incomplet_ecrit_apres_le_delai(chemin_base: Path) -> None:
    con = ouvrir(chemin_base)
    enregistreur = Enregistreur(con.cursor, taille_lot=1000, delai_s=0.2)
    enregistreur.noter(consultation())
    limite = time.monotonic() + 5
    while depot.compter_bruts(con) == 0 and time.monotonic() < limite:
        time.sleep(0.02)
    assert depot.compter_bruts(con) == 1
    enregistreur.arreter()


def test_arret_vide_la_file(chemin_base: Path) -> None:
    con = ouvrir(chemin_base)
    enregistreur = Enregistreur(con.cursor, taille_lot=1000, delai_s=3600)
    for _ in range(300):
        enregistreur.noter(consultation())
    enregistreur.arreter()
    assert depot.compter_bruts(con) == 300
    # Après l'arrêt, un événement est compté perdu, sans lever d'erreur.
    assert enregistreur.noter(consultation()) is False
    assert enregistreur.perdus == 1


def test_session_exclue_effacee_et_ignoree_ensuite(chemin_base: Path) -> None:
    con = ouvrir(chemin_base)
    ddfe, public = uuid.uuid4(), uuid.uuid4()
    enregistreur = Enregistreur(con.cursor, taille_lot=2, delai_s=3600)
    for _ in range(3):  # un lot déjà écrit, un en attente
        enregistreur.noter(consultation(ddfe))
    enregistreur.noter(consultation(public))
    assert enregistreur.vider()
    enregistreur.exclure_session(ddfe)
    enregistreur.noter(consultation(ddfe))
    enregistreur.arreter()
    assert con.execute("SELECT session, count(*) FROM consultation GROUP BY 1").fetchall() == [
        (public, 1)
    ]


def test_base_en_panne_la_page_continue_et_la_perte_est_bornee(tmp_path: Path) -> None:
    # Une base sans nos tables : chaque écriture échoue.
    con = duckdb.connect(str(tmp_path / "sans_schema.duckdb"))
    enregistreur = Enregistreur(con.cursor, taille_lot=5, delai_s=0.05, tentatives=2)
    debut = time.perf_counter()
    for _ in range(50):
        enregistreur.noter(consultation())
    assert time.perf_counter() - debut < 0.5  # noter ne fait qu'empiler
    enregistreur.arreter()
    assert enregistreur.ecrits == 0
    assert enregistreur.perdus == 50


def test_file_pleine_evenements_perdus_comptes(chemin_base: Path) -> None:
    con = ouvrir(chemin_base)
    base_lente = threading.Event()

    def fabrique() -> duckdb.DuckDBPyConnection:
        base_lente.wait(10)  # la base met du temps à répondre
        return con.cursor()

    enregistreur = Enregistreur(fabrique, taille_lot=5, delai_s=0.01, capacite=20)
    acceptes = sum(enregistreur.noter(consultation()) for _ in range(100))
    # La file n'a pas grandi au-delà de sa capacité (+ le lot que tient le fil d'écriture).
    assert 20 <= acceptes <= 20 + 5
    base_lente.set()
    enregistreur.arreter()
    assert enregistreur.ecrits == depot.compter_bruts(con) == acceptes
    assert enregistreur.perdus == 100 - acceptes


def test_tache_planifiee_executee_dans_le_fil(chemin_base: Path) -> None:
    con = ouvrir(chemin_base)
    enregistreur = Enregistreur(con.cursor)
    fils: list[str] = []
    enregistreur.planifier(lambda cur: fils.append(threading.current_thread().name), "essai")
    assert enregistreur.vider()
    enregistreur.arreter()
    assert fils == ["enregistreur-consultations"]
