"""Client de la Base Adresse Nationale (api-adresse.data.gouv.fr/search/).

Une seule fonction touche le réseau (`_interroger`) ; la conversion de la réponse est pure
(`convertir_reponse`). Être hors ligne est un état normal : une panne donne `None`, un seul
avertissement dans le journal, et le disjoncteur évite de réessayer (et d'attendre le délai)
à chaque ligne pendant `pause_apres_panne` secondes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

journal = logging.getLogger(__name__)

URL_BAN = "https://api-adresse.data.gouv.fr/search/"
LONGUEUR_MAX_REQUETE = 200  # au-delà, le service répond 400
TYPES_BAN = ("housenumber", "street", "locality", "municipality")


class ServiceInjoignable(Exception):
    """Le service ne répond pas, ou répond en panne (délai, connexion, 5xx, 429, JSON illisible)."""


@dataclass(frozen=True, slots=True)
class CandidatBan:
    """Un résultat du service, tel qu'il l'annonce (rien n'est encore vérifié)."""

    latitude: float
    longitude: float
    score: float
    type: str
    code_insee: str
    code_postal: str
    commune: str
    libelle: str


def convertir_reponse(donnees: Mapping[str, Any]) -> list[CandidatBan]:
    """FeatureCollection GeoJSON du service → candidats ; ignore les entités mal formées."""
    candidats = []
    for entite in donnees.get("features") or []:
        try:
            longitude, latitude = entite["geometry"]["coordinates"][:2]
            p = entite["properties"]
            candidats.append(
                CandidatBan(
                    latitude=float(latitude),
                    longitude=float(longitude),
                    score=float(p.get("score", 0.0)),
                    type=str(p.get("type", "")),
                    code_insee=str(p.get("citycode", "")),
                    code_postal=str(p.get("postcode", "")),
                    commune=str(p.get("city", "")),
                    libelle=str(p.get("label", "")),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    return sorted(candidats, key=lambda c: -c.score)


def _interroger(client: httpx.Client, url: str, parametres: Mapping[str, str]) -> dict:
    """Le seul appel réseau : lève `ServiceInjoignable` si le service est absent ou en panne."""
    try:
        reponse = client.get(url, params=dict(parametres))
    except httpx.TransportError as erreur:  # connexion refusée, DNS, délai dépassé…
        raise ServiceInjoignable(type(erreur).__name__) from None
    if reponse.status_code == 429 or reponse.status_code >= 500:
        raise ServiceInjoignable(f"HTTP {reponse.status_code}")
    if reponse.status_code != 200:
        # 400 : requête refusée (trop courte, caractères interdits) ; le service, lui, va bien.
        return {"features": []}
    try:
        return reponse.json()
    except ValueError:
        raise ServiceInjoignable("réponse illisible") from None


class Limiteur:
    """Espace les requêtes d'au moins `intervalle` secondes (politesse envers le service)."""

    def __init__(self, intervalle: float, horloge: Callable[[], float] = time.monotonic) -> None:
        self._intervalle = intervalle
        self._horloge = horloge
        self._prochain = 0.0
        self._verrou = threading.Lock()

    def attendre(self) -> None:
        """Bloque jusqu'à ce que la prochaine requête soit permise."""
        with self._verrou:
            maintenant = self._horloge()
            attente = self._prochain - maintenant
            self._prochain = max(maintenant, self._prochain) + self._intervalle
        if attente > 0:
            time.sleep(attente)


class ClientBan:
    """Client poli et tolérant aux pannes ; un par processus (disjoncteur partagé)."""

    def __init__(
        self,
        url: str = URL_BAN,
        *,
        delai: float = 3.0,
        intervalle: float = 0.1,
        pause_apres_panne: float = 300.0,
        horloge: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self._client = httpx.Client(
            timeout=httpx.Timeout(delai),
            headers={"User-Agent": "cartographie-violences-isere"},
            trust_env=False,  # pas de proxy implicite : l'intranet décide par l'URL
        )
        self._limiteur = Limiteur(intervalle, horloge)
        self._pause = pause_apres_panne
        self._horloge = horloge
        self._verrou = threading.Lock()
        self._coupe_jusqu_a = 0.0
        self._panne_signalee = False

    def disponible(self) -> bool:
        """Faux tant que le disjoncteur est ouvert après une panne."""
        with self._verrou:
            return self._horloge() >= self._coupe_jusqu_a

    def chercher(
        self, texte: str, *, code_insee: str = "", code_postal: str = "", limite: int = 5
    ) -> list[CandidatBan] | None:
        """Candidats du service pour une adresse ; `None` si le service est injoignable."""
        if not self.disponible():
            return None
        parametres = {"q": texte.strip()[:LONGUEUR_MAX_REQUETE], "limit": str(limite)}
        if code_insee:
            parametres["citycode"] = code_insee
        elif code_postal:
            parametres["postcode"] = code_postal
        self._limiteur.attendre()
        try:
            donnees = _interroger(self._client, self.url, parametres)
        except ServiceInjoignable as panne:
            self._couper(str(panne))
            return None
        with self._verrou:
            self._panne_signalee = False  # rétabli : la prochaine panne sera signalée
        return convertir_reponse(donnees)

    def _couper(self, motif: str) -> None:
        with self._verrou:
            self._coupe_jusqu_a = self._horloge() + self._pause
            deja = self._panne_signalee
            self._panne_signalee = True
        if not deja:
            journal.warning(
                "Service national d'adresses injoignable (%s) : géocodage hors ligne (centre"
                " de la commune), nouvel essai dans %d s.",
                motif,
                self._pause,
            )

    def fermer(self) -> None:
        """Ferme les connexions HTTP."""
        self._client.close()
