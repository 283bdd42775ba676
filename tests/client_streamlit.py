"""Un client du protocole de Streamlit, sans navigateur : une session par WebSocket, comme l'onglet.

Sert à vérifier ce qu'une session voit une fois ses témoins posés (connexion par
l'authentification de l'État) : la page rendue, les pages de la navigation, les redirections
demandées (`st.login`, `st.logout`). On envoie ce qu'envoie le navigateur : témoin XSRF
dans le sous-protocole, en-tête Origin, témoins de la session ; puis un « rerun » de la page
voulue ; on lit les éléments jusqu'à la fin du script.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field

import httpx
from google.protobuf.json_format import MessageToDict
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import ClientConnection

from scripts.flux_streamlit import ouvrir_flux, temoins_de

_FIN = ForwardMsg.ScriptFinishedStatus


@dataclass
class Rendu:
    """Ce qu'une exécution du script a envoyé à l'onglet."""

    textes: list[str] = field(default_factory=list)
    boutons: dict[str, str] = field(default_factory=dict)  # libellé → identifiant du widget
    pages: list[str] = field(default_factory=list)  # titres servis par la navigation
    redirection: str = ""  # st.login / st.logout : l'adresse où le navigateur irait

    @property
    def texte(self) -> str:
        return "\n".join(self.textes).replace("\\", "")


class Onglet:
    """Une session Streamlit ouverte avec les témoins d'un client httpx (le « navigateur »)."""

    def __init__(self, base: str, navigateur: httpx.Client) -> None:
        self.base = base
        navigateur.get(f"{base}/_stcore/health").raise_for_status()  # pose le témoin XSRF
        self._pile = ExitStack()
        self._ws: ClientConnection = self._pile.enter_context(
            ouvrir_flux(base, temoins_de(navigateur, base), 30)
        )
        self._page_hash = ""

    def ouvrir(self, page: str) -> Rendu:
        """Affiche la page (son chemin d'URL, ex. « connexion »)."""
        return self._executer(page_name=page)

    def cliquer(self, rendu: Rendu, libelle: str) -> Rendu:
        """Clique le bouton de ce libellé dans le rendu précédent."""
        message = BackMsg()
        etat = message.rerun_script
        etat.page_script_hash = self._page_hash
        widget = etat.widget_states.widgets.add()
        widget.id = rendu.boutons[libelle]
        widget.trigger_value = True
        return self._envoyer(message)

    def fermer(self) -> None:
        self._pile.close()

    def _executer(self, page_name: str) -> Rendu:
        message = BackMsg()
        message.rerun_script.page_name = page_name
        return self._envoyer(message)

    def _envoyer(self, message: BackMsg) -> Rendu:
        self._ws.send(message.SerializeToString())
        rendu = Rendu()
        for recu in self._messages():
            genre = recu.WhichOneof("type")
            if genre == "new_session":
                self._page_hash = recu.new_session.page_script_hash
            elif genre == "navigation":
                self._page_hash = recu.navigation.page_script_hash
                rendu.pages = [p.page_name for p in recu.navigation.app_pages]
            elif genre == "auth_redirect":
                rendu.redirection = recu.auth_redirect.url
            elif genre == "delta" and recu.delta.WhichOneof("type") == "new_element":
                element = recu.delta.new_element
                if element.WhichOneof("type") == "button":
                    rendu.boutons[element.button.label] = element.button.id
                rendu.textes.extend(_chaines(MessageToDict(element)))
            elif (
                genre == "script_finished" and recu.script_finished != _FIN.FINISHED_EARLY_FOR_RERUN
            ):
                return rendu
        return rendu

    def _messages(self) -> Iterator[ForwardMsg]:
        while True:
            recu = ForwardMsg()
            recu.ParseFromString(self._ws.recv(timeout=60))
            yield recu


def _chaines(donnees: object) -> Iterator[str]:
    if isinstance(donnees, str):
        yield donnees
    elif isinstance(donnees, Mapping):
        for valeur in donnees.values():
            yield from _chaines(valeur)
    elif isinstance(donnees, list):
        for valeur in donnees:
            yield from _chaines(valeur)
