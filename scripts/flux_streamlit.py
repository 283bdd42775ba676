"""Le flux WebSocket d'un onglet Streamlit, ouvert comme le navigateur l'ouvre.

Partagé par les bancs (bench_charge, bench_reexecution) et le client des tests
(tests/client_streamlit.py) : témoin XSRF dans le sous-protocole, en-tête Origin, témoins de
la session. Sans lui, Streamlit refuse la connexion.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Mapping
from urllib.parse import urlsplit

import httpx
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import ClientConnection, connect

_FIN = ForwardMsg.ScriptFinishedStatus


def temoins_de(navigateur: httpx.Client, base: str) -> dict[str, str]:
    """Les témoins que le navigateur enverrait à `base` (ceux de son hôte)."""
    hote = urlsplit(base).hostname or ""
    return {
        c.name: c.value or ""
        for c in navigateur.cookies.jar
        if c.domain.lstrip(".").removesuffix(".local") == hote
    }


def ouvrir_flux(base: str, temoins: Mapping[str, str], delai_s: float) -> ClientConnection:
    """Le flux `/_stcore/stream` de `base` (http://hôte:port), avec ces témoins."""
    return connect(
        f"ws://{urlsplit(base).netloc}/_stcore/stream",
        subprotocols=["streamlit", temoins.get("_streamlit_xsrf", "")],
        origin=base,
        additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in temoins.items())},
        open_timeout=delai_s,
        max_size=None,
    )


def premiers_temoins(
    base: str, delai_s: float, verify: ssl.SSLContext | bool = True
) -> dict[str, str]:
    """Les témoins d'un onglet neuf : la page de santé pose le témoin XSRF."""
    with httpx.Client(timeout=delai_s, verify=verify) as navigateur:
        navigateur.get(f"{base}/_stcore/health").raise_for_status()
        return temoins_de(navigateur, base)


def attendre_fin(ws: ClientConnection, delai_s: float) -> tuple[dict[str, str], str]:
    """Lit jusqu'à la fin du script ; rend (libellé → id des champs texte, hash de la page)."""
    champs: dict[str, str] = {}
    page = ""
    limite = time.monotonic() + delai_s
    while True:
        recu = ForwardMsg()
        recu.ParseFromString(ws.recv(timeout=max(0.1, limite - time.monotonic())))
        genre = recu.WhichOneof("type")
        if genre == "new_session":
            page = recu.new_session.page_script_hash
        elif genre == "navigation":
            page = recu.navigation.page_script_hash
        elif genre == "delta" and recu.delta.WhichOneof("type") == "new_element":
            element = recu.delta.new_element
            if element.WhichOneof("type") == "text_input":
                champs[element.text_input.label] = element.text_input.id
        elif genre == "script_finished" and recu.script_finished != _FIN.FINISHED_EARLY_FOR_RERUN:
            return champs, page
