"""Un faux service BAN local (127.0.0.1, port libre) qui répond comme api-adresse.data.gouv.fr.

Le scénario se lit dans la requête `q` : « Mainssieux » (bonne adresse à Voiron), « Faible »
(score bas), « Ailleurs » (point à Grenoble), « Seule » (rue), « Jean-Pain » (bonne adresse à Grenoble), « Mairie » (commune seulement),
« Lente » (plus lent que le délai du client), « Panne » (HTTP 500), autre chose (aucun résultat).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from cartographie import config
from cartographie.communes import commune_par_code

COMMUNES = config.DOSSIER_DONNEES / "isere_communes.geojson"
VOIRON = commune_par_code("38563", COMMUNES)
GRENOBLE = commune_par_code("38185", COMMUNES)


def entite(lat: float, lon: float, score: float, type_: str, label: str, commune=VOIRON) -> dict:
    """Une entité telle que la renvoie api-adresse.data.gouv.fr/search/."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "label": label,
            "score": score,
            "housenumber": "12",
            "id": f"{commune.code_insee}_1234_00012",
            "name": label.split(" 38")[0],
            "postcode": commune.codes_postaux[0],
            "citycode": commune.code_insee,
            "x": 900000.0,
            "y": 6500000.0,
            "city": commune.nom,
            "context": "38, Isère, Auvergne-Rhône-Alpes",
            "type": type_,
            "importance": 0.6,
            "street": "Rue Mainssieux",
        },
    }


def _reponse(q: str) -> tuple[int, dict | None, float]:
    """Le scénario se lit dans la requête : (statut HTTP, corps, attente avant de répondre)."""
    lat, lon = VOIRON.latitude, VOIRON.longitude
    if "Lente" in q:
        # Un service pendu : seul le délai du client l'interrompt (aucun test n'attend la fin).
        return 200, {"type": "FeatureCollection", "features": []}, 30
    if "Panne" in q:
        return 500, None, 0
    if "Faible" in q:
        entites = [entite(lat, lon, 0.31, "housenumber", "2 Rue Faible 38500 Voiron")]
    elif "Ailleurs" in q:
        entites = [
            entite(
                GRENOBLE.latitude,
                GRENOBLE.longitude,
                0.95,
                "housenumber",
                "12 Rue Ailleurs 38000 Grenoble",
                GRENOBLE,
            )
        ]
    elif "Seule" in q:
        entites = [entite(lat + 0.0004, lon, 0.82, "street", "Rue Seule 38500 Voiron")]
    elif "Mairie" in q:
        entites = [entite(lat, lon, 0.9, "municipality", "Voiron")]
    elif "Jean-Pain" in q:  # une vraie adresse de data/acteurs.csv, à Grenoble
        entites = [
            entite(
                GRENOBLE.latitude + 0.001,
                GRENOBLE.longitude,
                0.91,
                "housenumber",
                "16 Boulevard Jean Pain 38000 Grenoble",
                GRENOBLE,
            )
        ]
    elif "Mainssieux" in q.title():
        entites = [
            entite(
                lat + 0.0003, lon + 0.0002, 0.93, "housenumber", "12 Rue Mainssieux 38500 Voiron"
            )
        ]
    else:
        entites = []
    corps = {
        "type": "FeatureCollection",
        "version": "draft",
        "features": entites,
        "attribution": "BAN",
        "licence": "ETALAB-2.0",
        "query": q,
        "limit": 5,
    }
    return 200, corps, 0


class FauxBan(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        parametres = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
        self.server.requetes.append((time.monotonic(), parametres))
        statut, corps, attente = _reponse(parametres.get("q", ""))
        time.sleep(attente)
        contenu = json.dumps(corps).encode() if corps is not None else b"Internal Server Error"
        try:
            self.send_response(statut)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(contenu)))
            self.end_headers()
            self.wfile.write(contenu)
        except (BrokenPipeError, ConnectionResetError):
            pass  # le client a abandonné (délai dépassé) : c'est le scénario

    def log_message(self, *args) -> None:
        pass


@contextmanager
def faux_ban() -> Iterator[ThreadingHTTPServer]:
    """Démarre le faux service dans un fil ; `serveur.requetes` garde (instant, paramètres)."""
    serveur = ThreadingHTTPServer(("127.0.0.1", 0), FauxBan)
    serveur.daemon_threads = True
    serveur.requetes = []
    fil = threading.Thread(target=serveur.serve_forever, daemon=True)
    fil.start()
    try:
        yield serveur
    finally:
        serveur.shutdown()
        serveur.server_close()


def url(serveur: ThreadingHTTPServer) -> str:
    """L'URL de recherche du faux service."""
    return f"http://127.0.0.1:{serveur.server_address[1]}/search/"
