"""Les pages calculées à tour de rôle : au plus N à la fois par processus, les autres attendent
leur tour dans l'ordre d'arrivée.

Pourquoi : le verrou global de Python ne laisse avancer qu'un fil d'exécution à la fois. Sans
file, 200 onglets ouverts ensemble se partagent le processeur par tranches de 5 ms et finissent
tous ensemble, au bout du même long silence, en plus lents encore (chaque bascule entre fils
vide les caches). À tour de rôle, la première page répond aussitôt, les suivantes l'une après
l'autre, et le travail total baisse (bench/bench_charge.py).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache


class TourDeRole:
    """Un sémaphore équitable : une place libérée passe au plus ancien qui attend.

    (`threading.Semaphore` laisse un nouvel arrivant passer devant ceux qui attendent.)
    """

    def __init__(self, places: int) -> None:
        if places < 1:
            raise ValueError(f"Au moins une place : {places}")
        self._verrou = threading.Lock()
        self._libres = places
        self._attente: deque[threading.Lock] = deque()

    @contextmanager
    def tour(self) -> Iterator[None]:
        """Attend son tour, puis le garde jusqu'à la sortie du bloc (exception comprise)."""
        with self._verrou:
            if self._libres and not self._attente:
                self._libres -= 1
                moi = None
            else:
                moi = threading.Lock()
                moi.acquire()
                self._attente.append(moi)
        if moi is not None:
            moi.acquire()  # libéré par `_rendre`, qui nous passe sa place
        try:
            yield
        finally:
            self._rendre()

    def _rendre(self) -> None:
        with self._verrou:
            if self._attente:
                self._attente.popleft().release()
            else:
                self._libres += 1

    @property
    def en_attente(self) -> int:
        """Combien attendent leur tour."""
        return len(self._attente)


@cache
def du_processus(places: int) -> TourDeRole:
    """Le tour de rôle partagé par toutes les sessions du processus."""
    return TourDeRole(places)
