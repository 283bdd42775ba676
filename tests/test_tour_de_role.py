"""Le tour de rôle des pages : jamais plus de N à la fois, dans l'ordre d'arrivée, sans fuite."""

from __future__ import annotations

import threading
import time

import pytest

from cartographie.tour_de_role import TourDeRole


def _pages(places: int, nombre: int) -> tuple[list[int], int]:
    """`nombre` pages arrivées l'une après l'autre pendant que les `places` premières tiennent
    leur tour ; rend l'ordre d'entrée et le plus grand nombre de pages dedans à la fois."""
    tour = TourDeRole(places)
    dedans = 0
    plus_haut = 0
    ordre: list[int] = []
    verrou = threading.Lock()
    occupe = threading.Event()

    def page(numero: int) -> None:
        nonlocal dedans, plus_haut
        with tour.tour():
            with verrou:
                dedans += 1
                plus_haut = max(plus_haut, dedans)
                ordre.append(numero)
            if numero < places:
                occupe.wait(5)
            else:
                time.sleep(0.005)
            with verrou:
                dedans -= 1

    fils = []
    for numero in range(nombre):
        fil = threading.Thread(target=page, args=(numero,))
        fil.start()
        fils.append(fil)
        # Chacune arrive après la précédente : entrée, ou rangée dans la file.
        while len(ordre) + tour.en_attente < numero + 1:
            time.sleep(0.001)
    occupe.set()
    for fil in fils:
        fil.join(10)
    assert tour.en_attente == 0
    return ordre, plus_haut


def test_dans_l_ordre_d_arrivee() -> None:
    ordre, plus_haut = _pages(places=1, nombre=12)
    assert ordre == list(range(12))
    assert plus_haut == 1


def test_jamais_plus_de_n_a_la_fois() -> None:
    ordre, plus_haut = _pages(places=3, nombre=20)
    assert sorted(ordre) == list(range(20))
    assert plus_haut == 3


def test_une_page_en_erreur_rend_sa_place() -> None:
    tour = TourDeRole(1)
    with pytest.raises(RuntimeError), tour.tour():
        raise RuntimeError("page en erreur")
    fini = threading.Event()

    def suivante() -> None:
        with tour.tour():
            fini.set()

    threading.Thread(target=suivante).start()
    assert fini.wait(5)


def test_au_moins_une_place() -> None:
    with pytest.raises(ValueError, match="Au moins une place"):
        TourDeRole(0)
