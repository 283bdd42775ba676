"""Authentification de l'État (OpenID Connect) de bout en bout : la vraie application (`streamlit
run`, `CARTOGRAPHIE_AUTHENTIFICATION=oidc`) face à un vrai fournisseur local (oidc-provider-mock).

Le « navigateur » est un client httpx qui suit les redirections à la main (page de connexion du
fournisseur remplie comme par l'agent), puis une session Streamlit par WebSocket
(tests/client_streamlit.py) avec les témoins obtenus. Entre l'application et le point de
jeton du fournisseur, un relais local peut altérer le jeton d'identité : falsifié, signé
d'une autre clé, sans signature. Un second fournisseur délivre des jetons déjà expirés.
"""

from __future__ import annotations

import base64
import http.server
import json
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import oidc_provider_mock
import pytest
from joserfc import jwk
from joserfc import jwt as joserfc_jwt

from cartographie import comptes
from cartographie.comptes import Role
from cartographie.comptes.identite_etat import accorder_role
from cartographie.echanges.chargement import initialiser_base
from cartographie.stockage.connexion import ouvrir
from tests.client_streamlit import Onglet, Rendu
from tests.conftest import COMMUNES, CSV_ACTEURS
from tests.serveur import application, port_libre

CLAIRE = "claire.martin@isere.gouv.fr"
INCONNU = "agent.inconnu@isere.gouv.fr"
ADMIN = "admin.ddfe@isere.gouv.fr"
AGENTS = {
    "claire": {"email": CLAIRE, "given_name": "Claire", "usual_name": "Martin"},
    "inconnu": {"email": INCONNU, "given_name": "Agent", "usual_name": "Inconnu"},
}
CONNECTE = "Vous êtes connecté·e"
BOUTON_ETAT = "Se connecter avec le compte de l'État"


def _utilisateurs() -> list:
    return [oidc_provider_mock.User(sub=sub, claims=claims) for sub, claims in AGENTS.items()]


class Relais(http.server.ThreadingHTTPServer):
    """Entre l'application et le fournisseur : la découverte et le point de jeton passent ici."""

    amont: str = ""
    alteration: Callable[[str], str] | None = None


class _Relayer(http.server.BaseHTTPRequestHandler):
    server: Relais

    def do_GET(self) -> None:
        metadonnees = httpx.get(f"{self.server.amont}{self.path}").json()
        if "token_endpoint" in metadonnees:
            hote, port = self.server.server_address[:2]
            metadonnees["token_endpoint"] = f"http://{hote}:{port}/oauth2/token"
        self._repondre(200, metadonnees)

    def do_POST(self) -> None:
        corps = self.rfile.read(int(self.headers["Content-Length"]))
        entetes = {
            k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")
        }
        reponse = httpx.post(f"{self.server.amont}/oauth2/token", content=corps, headers=entetes)
        jeton = reponse.json()
        if self.server.alteration is not None and "id_token" in jeton:
            jeton["id_token"] = self.server.alteration(jeton["id_token"])
        self._repondre(reponse.status_code, jeton)

    def _repondre(self, statut: int, donnees: dict) -> None:
        contenu = json.dumps(donnees).encode()
        self.send_response(statut)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(contenu)))
        self.end_headers()
        self.wfile.write(contenu)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture(scope="module")
def fournisseurs() -> Iterator[dict[str, str]]:
    """Deux vrais fournisseurs OpenID Connect : l'ordinaire, et un qui délivre des jetons expirés."""
    with (
        oidc_provider_mock.run_server_in_thread(user_claims=_utilisateurs()) as bon,
        oidc_provider_mock.run_server_in_thread(
            user_claims=_utilisateurs(), access_token_max_age=timedelta(minutes=-10)
        ) as perime,
    ):
        yield {
            "bon": f"http://localhost:{bon.server_port}",
            "perime": f"http://localhost:{perime.server_port}",
        }


@pytest.fixture(scope="module")
def relais(fournisseurs: dict[str, str]) -> Iterator[Relais]:
    serveur = Relais(("127.0.0.1", 0), _Relayer)
    fil = threading.Thread(target=serveur.serve_forever, daemon=True)
    fil.start()
    yield serveur
    serveur.shutdown()
    serveur.server_close()


@pytest.fixture(scope="module")
def appli(tmp_path_factory: pytest.TempPathFactory, relais: Relais) -> Iterator[tuple[str, Path]]:
    """L'application réglée pour l'État ; le secrets.toml qu'un déploiement écrirait."""
    dossier = tmp_path_factory.mktemp("etat")
    base = dossier / "base.duckdb"
    con = ouvrir(base)
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
    comptes.creer_compte(con, "admin", "une phrase assez longue", Role.ADMINISTRATEUR)
    accorder_role(con, CLAIRE, Role.EDITEUR, auteur="admin", nom="Claire Martin")
    accorder_role(con, ADMIN, Role.ADMINISTRATEUR, auteur="admin")
    con.close()
    port = port_libre()
    hote, port_relais = relais.server_address[:2]
    secrets_toml = dossier / "secrets.toml"
    secrets_toml.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "cartographie-isere"\n'
        'client_secret = "secret-de-test"\n'
        f'server_metadata_url = "http://{hote}:{port_relais}/.well-known/openid-configuration"\n'
    )
    env = {
        "CARTOGRAPHIE_BASE": str(base),
        "CARTOGRAPHIE_AUTHENTIFICATION": "oidc",
        "CARTOGRAPHIE_TUILES_URL": "",
        "PATH": os.environ.get("PATH", ""),
    }
    with application(env, port=port, options=["--secrets.files", str(secrets_toml)]) as url:
        yield url, base


@pytest.fixture
def fournisseur(relais: Relais, fournisseurs: dict[str, str]) -> Iterator[Relais]:
    """Le relais remis sur le bon fournisseur, sans altération, à chaque test."""
    relais.amont, relais.alteration = fournisseurs["bon"], None
    yield relais
    relais.amont, relais.alteration = fournisseurs["bon"], None


def page_connexion(base: str, navigateur: httpx.Client) -> Rendu:
    onglet = Onglet(base, navigateur)
    try:
        return onglet.ouvrir("connexion")
    finally:
        onglet.fermer()


def se_connecter(base: str, navigateur: httpx.Client, sub: str) -> httpx.Response:
    """Clic sur « Se connecter avec le compte de l'État », formulaire du fournisseur, retour."""
    onglet = Onglet(base, navigateur)
    try:
        rendu = onglet.cliquer(onglet.ouvrir("connexion"), BOUTON_ETAT)
    finally:
        onglet.fermer()
    assert rendu.redirection.startswith("/auth/login?provider=")
    vers_fournisseur = navigateur.get(base + rendu.redirection)
    assert vers_fournisseur.status_code in (302, 303, 307), vers_fournisseur.text
    autorisation = vers_fournisseur.headers["location"]
    assert "/oauth2/authorize?" in autorisation
    assert "code_challenge=" in autorisation or "nonce=" in autorisation
    retour = navigateur.post(autorisation, data={"sub": sub})
    assert retour.status_code in (302, 303), retour.text
    assert retour.headers["location"].startswith(f"{base}/oauth2callback?code=")
    return navigateur.get(retour.headers["location"])


def test_agent_connu_connecte_avec_son_role_puis_deconnecte(appli, fournisseur) -> None:
    base, _ = appli
    with httpx.Client() as navigateur:
        assert CONNECTE not in page_connexion(base, navigateur).texte
        rappel = se_connecter(base, navigateur, "claire")
        assert rappel.status_code == 302
        assert "_streamlit_user" in navigateur.cookies

        rendu = page_connexion(base, navigateur)
        assert f"{CONNECTE} : Claire Martin (Éditeur" in rendu.texte
        assert "Fiches des acteurs" in rendu.pages  # la navigation sert l'espace DDFE
        assert "Comptes" not in rendu.pages  # mais seulement les pages de son rôle

        # « Se déconnecter » : st.logout, qui efface le témoin et passe par le fournisseur.
        onglet = Onglet(base, navigateur)
        deconnexion = onglet.cliquer(onglet.ouvrir("connexion"), "Se déconnecter")
        onglet.fermer()
        assert deconnexion.redirection == "/auth/logout"
        sortie = navigateur.get(base + deconnexion.redirection)
        assert sortie.status_code == 302
        assert "/oauth2/end_session" in sortie.headers["location"]
        assert "id_token_hint=" in sortie.headers["location"]
        assert "_streamlit_user" not in navigateur.cookies
        rendu = page_connexion(base, navigateur)
        assert CONNECTE not in rendu.texte
        assert "Fiches des acteurs" not in rendu.pages


def test_agent_inconnu_sans_role(appli, fournisseur) -> None:
    base, _ = appli
    with httpx.Client() as navigateur:
        assert se_connecter(base, navigateur, "inconnu").status_code == 302
        rendu = page_connexion(base, navigateur)
        assert f"identifié·e par l'État ({INCONNU})" in rendu.texte
        assert "pas encore de rôle" in rendu.texte
        assert CONNECTE not in rendu.texte
        assert "Fiches des acteurs" not in rendu.pages
        assert "Se déconnecter du compte de l'État" in rendu.boutons


def falsifier(jeton: str) -> str:
    """Le courriel remplacé par celui de l'administratrice, la signature d'origine gardée."""
    entete, charge, signature = jeton.split(".")
    revendications = json.loads(base64.urlsafe_b64decode(charge + "=" * (-len(charge) % 4)))
    revendications["email"] = ADMIN
    nouvelle = base64.urlsafe_b64encode(json.dumps(revendications).encode()).rstrip(b"=")
    return f"{entete}.{nouvelle.decode()}.{signature}"


def autre_cle(jeton: str) -> str:
    """Les mêmes revendications (courriel de l'administratrice), signées d'une clé étrangère."""
    entete, charge, _ = jeton.split(".")
    en_tete = json.loads(base64.urlsafe_b64decode(entete + "=" * (-len(entete) % 4)))
    revendications = json.loads(base64.urlsafe_b64decode(charge + "=" * (-len(charge) % 4)))
    revendications["email"] = ADMIN
    cle = jwk.RSAKey.generate_key(2048, parameters={"kid": en_tete.get("kid", "")})
    return joserfc_jwt.encode({"alg": "RS256", "kid": en_tete.get("kid", "")}, revendications, cle)


def sans_signature(jeton: str) -> str:
    """« alg: none » : des revendications que personne n'a signées."""
    entete = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    return f"{entete}.{falsifier(jeton).split('.')[1]}."


@pytest.mark.parametrize("alteration", [falsifier, autre_cle, sans_signature])
def test_jeton_altere_refuse(appli, fournisseur, alteration) -> None:
    base, _ = appli
    fournisseur.alteration = alteration
    with httpx.Client() as navigateur:
        rappel = se_connecter(base, navigateur, "claire")
        assert rappel.status_code == 302
        assert "_streamlit_user" not in navigateur.cookies
        rendu = page_connexion(base, navigateur)
        assert CONNECTE not in rendu.texte
        assert BOUTON_ETAT in rendu.boutons


def test_jeton_expire_refuse(appli, fournisseur, fournisseurs) -> None:
    base, _ = appli
    fournisseur.amont = fournisseurs["perime"]
    with httpx.Client() as navigateur:
        rappel = se_connecter(base, navigateur, "claire")
        assert rappel.status_code == 302
        assert "_streamlit_user" not in navigateur.cookies
        assert CONNECTE not in page_connexion(base, navigateur).texte
