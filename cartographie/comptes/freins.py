"""Freins aux essais de mot de passe : ralentir qui devine, sans qu'un inconnu bloque un compte.

L'ancien blocage (5 échecs, puis 1 à 60 min sur le compte) laissait n'importe qui fermer
n'importe quel compte, celui de l'administrateur compris, et son message disait quels
identifiants existent. Ici, deux compteurs d'échecs consécutifs, en mémoire du processus :

- **par session de navigateur** : au-delà de `SEUIL` échecs, attendre 1 s, 2 s, 4 s… jusqu'à
  `PLAFOND_SESSION` avant l'essai suivant. Seule la session qui se trompe le subit : un inconnu
  ne peut l'imposer qu'à lui-même.
- **par identifiant**, qu'il existe ou non, à l'identique (rien ne dit qui existe) : au-delà de
  `SEUIL` échecs, attendre 1 s, 2 s, 4 s… plafonné à `PLAFOND_IDENTIFIANT`. C'est ce qui arrête
  un robot qui ouvre une session neuve à chaque essai : au plus deux essais par minute et par
  compte (~2 900 par jour face à des phrases de passe de 12 caractères au moins), et c'est tout
  ce qu'un inconnu peut faire subir à une collègue : quelques secondes d'attente, jamais une
  heure. Un administrateur l'efface (« Débloquer », page « Comptes »), comme tout changement de
  mot de passe ; chaque échec reste au journal des comptes.

Un essai refusé pour attendre n'est ni vérifié ni compté : s'impatienter n'allonge rien. Rien
n'est écrit en base, et l'identifiant n'est gardé que sous une empreinte à clé tirée au
démarrage : un mot de passe tapé dans le champ « Identifiant » ne se retrouve nulle part.
Les compteurs meurent avec le processus (un redémarrage les remet à zéro) et s'oublient après
`OUBLI` sans échec.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

SEUIL = 5
PLAFOND_SESSION = timedelta(minutes=15)
PLAFOND_IDENTIFIANT = timedelta(seconds=30)
OUBLI = timedelta(hours=1)
# Au-delà, les compteurs les plus anciens sont oubliés : un robot qui invente des identifiants
# ne fait pas grossir la mémoire sans fin.
TAILLE_MAX = 10_000


@dataclass(slots=True)
class _Compteur:
    echecs: int
    dernier: datetime


@dataclass(frozen=True, slots=True)
class EtatFreins:
    """Ce que l'administrateur voit d'un identifiant : échecs consécutifs, attente en cours."""

    echecs: int
    attente: timedelta


def attente_apres(echecs: int, plafond: timedelta) -> timedelta:
    """L'attente imposée après `echecs` échecs consécutifs : nulle jusqu'au seuil, puis doublée."""
    if echecs < SEUIL:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(echecs - SEUIL, 30)), plafond)


def texte_attente(attente: timedelta) -> str:
    """« 12 s », « 3 min » : arrondi au-dessus, pour que réessayer à l'heure dite passe."""
    secondes = math.ceil(attente.total_seconds())
    return f"{secondes} s" if secondes < 60 else f"{math.ceil(secondes / 60)} min"


class Freins:
    """Les compteurs d'un processus, sûrs entre fils (une session Streamlit = un fil)."""

    def __init__(self) -> None:
        self._cle = secrets.token_bytes(32)
        self._identifiants: dict[bytes, _Compteur] = {}
        self._sessions: dict[str, _Compteur] = {}
        self._verrou = threading.Lock()

    def attente(self, identifiant: str, session: str, quand: datetime) -> timedelta:
        """Combien de temps attendre avant que cet essai soit examiné (zéro : tout de suite)."""
        with self._verrou:
            return max(
                self._reste(self._identifiants.get(self._empreinte(identifiant)), quand, True),
                self._reste(self._sessions.get(session), quand, False),
            )

    def noter_echec(self, identifiant: str, session: str, quand: datetime) -> None:
        """Un mauvais mot de passe (ou un identifiant inconnu) de plus."""
        with self._verrou:
            for table, cle in (
                (self._identifiants, self._empreinte(identifiant)),
                (self._sessions, session),
            ):
                compteur = table.get(cle)
                if compteur is None or quand - compteur.dernier > OUBLI:
                    compteur = table[cle] = _Compteur(0, quand)
                compteur.echecs += 1
                compteur.dernier = quand
                if len(table) > TAILLE_MAX:
                    self._elaguer(table, quand)

    def noter_succes(self, identifiant: str, session: str) -> None:
        """Le bon mot de passe : les deux compteurs repartent de zéro."""
        with self._verrou:
            self._identifiants.pop(self._empreinte(identifiant), None)
            self._sessions.pop(session, None)

    def debloquer(self, identifiant: str) -> None:
        """Geste d'administrateur (ou nouveau mot de passe) : l'identifiant n'attend plus."""
        with self._verrou:
            self._identifiants.pop(self._empreinte(identifiant), None)

    def etat(self, identifiant: str, quand: datetime) -> EtatFreins:
        """Les échecs consécutifs de l'identifiant et l'attente qu'ils imposent maintenant."""
        with self._verrou:
            compteur = self._identifiants.get(self._empreinte(identifiant))
            if compteur is None or quand - compteur.dernier > OUBLI:
                return EtatFreins(0, timedelta(0))
            return EtatFreins(compteur.echecs, self._reste(compteur, quand, True))

    def effacer(self) -> None:
        """Tout oublier (tests)."""
        with self._verrou:
            self._identifiants.clear()
            self._sessions.clear()

    def _empreinte(self, identifiant: str) -> bytes:
        return hashlib.blake2b(identifiant.encode(), key=self._cle, digest_size=16).digest()

    @staticmethod
    def _reste(compteur: _Compteur | None, quand: datetime, par_identifiant: bool) -> timedelta:
        if compteur is None or quand - compteur.dernier > OUBLI:
            return timedelta(0)
        plafond = PLAFOND_IDENTIFIANT if par_identifiant else PLAFOND_SESSION
        fin = compteur.dernier + attente_apres(compteur.echecs, plafond)
        return max(fin - quand, timedelta(0))

    @staticmethod
    def _elaguer(table: dict, quand: datetime) -> None:
        for cle in [c for c, v in table.items() if quand - v.dernier > OUBLI]:
            del table[cle]
        while len(table) > TAILLE_MAX:
            del table[min(table, key=lambda c: table[c].dernier)]


FREINS = Freins()
"""Les freins du processus (l'application) ; les tests en créent d'autres ou les effacent."""
