"""L'écriture des événements hors du chemin d'affichage : une file et un fil d'écriture.

La page ne fait que déposer l'événement dans une file (quelques microsecondes) ; un fil de fond,
avec son propre curseur DuckDB, les écrit par lots (tous les `taille_lot` événements ou toutes les
`delai_s` secondes) et vide la file à l'arrêt. Si la base est occupée ou en panne, la page n'en
sait rien : le lot est retenté, et la perte éventuelle est bornée (`capacite`) et journalisée.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import duckdb

from cartographie.consultations.evenements import Evenement
from cartographie.stockage import consultations as depot
from cartographie.stockage.transaction import transaction

journal = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Exclusion:
    session: uuid.UUID


@dataclass(frozen=True, slots=True)
class _Vidage:
    fait: threading.Event = field(default_factory=threading.Event)


@dataclass(frozen=True, slots=True)
class _Tache:
    """Un travail à faire dans le fil d'écriture (ex. la purge au démarrage)."""

    action: Callable[[duckdb.DuckDBPyConnection], object]
    nom: str


_ARRET = object()


class Enregistreur:
    """File d'événements + fil d'écriture par lots ; `noter` ne bloque jamais."""

    def __init__(
        self,
        fabrique_curseur: Callable[[], duckdb.DuckDBPyConnection],
        *,
        taille_lot: int = 200,
        delai_s: float = 2.0,
        capacite: int = 50_000,
        tentatives: int = 3,
    ) -> None:
        self._fabrique = fabrique_curseur
        self._taille_lot = taille_lot
        self._delai_s = delai_s
        self._capacite = capacite
        self._tentatives = tentatives
        self._file: queue.Queue = queue.Queue(maxsize=capacite)
        self._verrou = threading.Lock()
        self._fil: threading.Thread | None = None
        self._arrete = False
        self._perdus = 0
        self._ecrits = 0
        self._exclues: set[uuid.UUID] = set()

    # --- côté page -------------------------------------------------------------------------

    def noter(self, evenement: Evenement) -> bool:
        """Dépose l'événement ; False s'il est perdu (file pleine ou enregistreur arrêté)."""
        if self._fil is None:
            self._demarrer()
        if self._arrete:
            self._perdre(1, "enregistreur arrêté")
            return False
        try:
            self._file.put_nowait(evenement)
        except queue.Full:
            self._perdre(1, "file pleine")
            return False
        return True

    def exclure_session(self, session: uuid.UUID) -> None:
        """Efface la session et ignore ses événements à venir (visite de la DDFE)."""
        if self._fil is None:
            self._demarrer()
        # Bloquant mais borné : une exclusion ne doit pas se perdre comme un événement.
        try:
            self._file.put(_Exclusion(session), timeout=1.0)
        except queue.Full:
            journal.error("Exclusion de session non transmise : file pleine")

    def planifier(self, action: Callable[[duckdb.DuckDBPyConnection], object], nom: str) -> None:
        """Fait exécuter `action(curseur)` par le fil d'écriture, hors du chemin de la page."""
        if self._fil is None:
            self._demarrer()
        self._file.put(_Tache(action, nom))

    # --- contrôle --------------------------------------------------------------------------

    def vider(self, delai_max: float = 10.0) -> bool:
        """Écrit tout ce qui est en file maintenant ; dit si c'est fait dans le délai."""
        if self._fil is None or not self._fil.is_alive():
            return True
        vidage = _Vidage()
        self._file.put(vidage)
        return vidage.fait.wait(delai_max)

    def arreter(self, delai_max: float = 10.0) -> None:
        """Vide la file et arrête le fil (appelé à la sortie du processus par atexit)."""
        with self._verrou:
            if self._arrete:
                return
            self._arrete = True
        if self._fil is not None and self._fil.is_alive():
            self._file.put(_ARRET)
            self._fil.join(delai_max)
            if self._fil.is_alive():
                journal.error(
                    "Arrêt de l'enregistreur : écriture non terminée en %.0f s", delai_max
                )

    @property
    def perdus(self) -> int:
        """Événements perdus depuis le démarrage."""
        return self._perdus

    @property
    def ecrits(self) -> int:
        """Événements écrits en base depuis le démarrage."""
        return self._ecrits

    # --- fil d'écriture --------------------------------------------------------------------

    def _demarrer(self) -> None:
        with self._verrou:
            if self._fil is None:
                self._fil = threading.Thread(
                    target=self._boucle, name="enregistreur-consultations", daemon=True
                )
                self._fil.start()

    def _perdre(self, n: int, raison: str) -> None:
        with self._verrou:
            avant = self._perdus
            self._perdus += n
        # Journal sans inonder : la première perte, puis une ligne par millier.
        if avant == 0 or avant // 1000 != self._perdus // 1000:
            journal.warning(
                "Suivi des consultations : %d événement(s) perdu(s) au total (%s)",
                self._perdus,
                raison,
            )

    def _boucle(self) -> None:
        lot: list[Evenement] = []
        exclusions: list[uuid.UUID] = []
        echecs = 0
        curseur: duckdb.DuckDBPyConnection | None = None
        echeance: float | None = None
        while True:
            attente = None if echeance is None else max(0.0, echeance - time.monotonic())
            try:
                element = self._file.get(timeout=attente)
            except queue.Empty:
                element = None
            forcer = False
            fin = False
            vidage: _Vidage | None = None
            if element is _ARRET:
                forcer = fin = True
            elif isinstance(element, _Vidage):
                forcer, vidage = True, element
            elif isinstance(element, _Exclusion):
                self._exclues.add(element.session)
                exclusions.append(element.session)
                lot = [e for e in lot if e.session != element.session]
                forcer = True
            elif isinstance(element, _Tache):
                curseur = self._executer(element, curseur)
            elif isinstance(element, Evenement) and element.session not in self._exclues:
                lot.append(element)
                if echeance is None:
                    echeance = time.monotonic() + self._delai_s
            echu = echeance is not None and time.monotonic() >= echeance
            if (lot or exclusions) and (forcer or echu or len(lot) >= self._taille_lot):
                curseur, ok = self._ecrire(curseur, lot, exclusions)
                if ok:
                    lot, exclusions, echecs = [], [], 0
                else:
                    echecs += 1
                    if echecs >= self._tentatives or fin:
                        self._perdre(len(lot), f"base indisponible après {echecs} essai(s)")
                        lot, exclusions, echecs = [], [], 0
                    elif len(lot) > self._capacite:
                        self._perdre(len(lot) - self._capacite, "trop d'événements en attente")
                        lot = lot[-self._capacite :]
                echeance = time.monotonic() + self._delai_s if lot else None
            elif not lot:
                echeance = None
            if vidage is not None:
                vidage.fait.set()
            if fin:
                if curseur is not None:
                    curseur.close()
                return

    def _ouvrir(self, curseur: duckdb.DuckDBPyConnection | None) -> duckdb.DuckDBPyConnection:
        return curseur if curseur is not None else self._fabrique()

    def _ecrire(
        self,
        curseur: duckdb.DuckDBPyConnection | None,
        lot: list[Evenement],
        exclusions: list[uuid.UUID],
    ) -> tuple[duckdb.DuckDBPyConnection | None, bool]:
        try:
            curseur = self._ouvrir(curseur)
            a_ecrire = _filtrer(lot, depot.references(curseur)) if lot else []
            with transaction(curseur):
                depot.inserer(curseur, a_ecrire)
                depot.supprimer_sessions(curseur, exclusions)
        except Exception:
            journal.exception(
                "Suivi des consultations : écriture de %d événement(s) échouée", len(lot)
            )
            # Un curseur qui a échoué peut être inutilisable : on en reprendra un neuf.
            return None, False
        with self._verrou:
            self._ecrits += len(a_ecrire)
        return curseur, True

    def _executer(
        self, tache: _Tache, curseur: duckdb.DuckDBPyConnection | None
    ) -> duckdb.DuckDBPyConnection | None:
        try:
            curseur = self._ouvrir(curseur)
            resultat = tache.action(curseur)
            journal.info("Suivi des consultations : %s → %s", tache.nom, resultat)
            return curseur
        except Exception:
            journal.exception("Suivi des consultations : %s a échoué", tache.nom)
            return None


def _filtrer(lot: list[Evenement], refs: depot.References) -> list[Evenement]:
    """Efface les codes inconnus de la base : seul un code du référentiel peut être stocké."""
    propres = []
    for e in lot:
        corrections = {}
        if e.territoire is not None and e.territoire not in refs.territoires:
            corrections["territoire"] = None
        if e.code_insee is not None and e.code_insee not in refs.communes:
            corrections["code_insee"] = None
        if e.acteur_id is not None and e.acteur_id not in refs.acteurs:
            corrections["acteur_id"] = None
        propres.append(replace(e, **corrections) if corrections else e)
    return propres
