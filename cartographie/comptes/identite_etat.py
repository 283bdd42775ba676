"""Connexion par l'authentification de l'État (ProConnect, OpenID Connect) : de l'identité
vérifiée par le fournisseur au compte local, qui seul donne un rôle.

Streamlit (`st.login`, bibliothèque Authlib) vérifie le jeton d'identité au retour du
fournisseur : signature (clés publiées par le fournisseur), émetteur, audience, expiration,
nonce. Un jeton falsifié, signé d'une autre clé ou expiré n'ouvre donc aucune session
(tests/test_authentification_etat.py). Ici, ce que l'application fait de l'identité reçue :

- le rôle vient du compte local dont l'identifiant est le courriel (en minuscules) ; un agent
  inconnu n'a aucun rôle : sa demande est notée au journal et la page « Comptes » la montre à
  l'administrateur, qui lui accorde un rôle (`accorder_role`) ou l'ignore ;
- un compte désactivé n'entre pas ;
- l'identité vaut `OIDC_DUREE_HEURES` heures à partir de sa délivrance (`iat`) : le témoin de
  connexion de Streamlit, lui, dure 30 jours ; au-delà, l'agent repasse par le fournisseur, qui
  sait si elle fait toujours partie de l'administration.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import duckdb

from cartographie.comptes import Compte, ErreurCompte, Role, normaliser_identifiant
from cartographie.horloge import maintenant, utc
from cartographie.stockage import comptes as depot

DEMANDE = "demande_role_etat"
# Un compte de l'État n'a pas de mot de passe local : cette empreinte ne vérifie aucun mot de
# passe (argon2 la refuse comme mal formée), la connexion par formulaire lui est fermée.
EMPREINTE_SANS_MOT_DE_PASSE = "!authentification-de-l-etat"
_COURRIEL = re.compile(r"^[a-z0-9][a-z0-9._+-]*@[a-z0-9-]+(\.[a-z0-9-]+)+$")


@dataclass(frozen=True, slots=True)
class Issue:
    """Ce que devient une identité de l'État : un compte, ou un refus expliqué en français.

    `reconnecter` : l'identité ne vaut plus rien (trop ancienne, incomplète) ; la session de
    Streamlit doit être fermée pour que l'agent repasse par le fournisseur. `fin` : jusqu'à
    quand (UTC) l'identité ouvre la session.
    """

    compte: Compte | None
    courriel: str = ""
    message: str = ""
    reconnecter: bool = False
    fin: datetime | None = None


@dataclass(frozen=True, slots=True)
class Demande:
    """Un agent de l'État qui s'est connecté sans avoir de compte (en attente d'un rôle)."""

    courriel: str
    nom: str
    derniere: datetime


def courriel_de(identite: Mapping[str, object]) -> str:
    """Le courriel de l'identité, en minuscules ; vide s'il manque ou n'en est pas un."""
    courriel = normaliser_identifiant(str(identite.get("email") or ""))
    return courriel if _COURRIEL.match(courriel) and len(courriel) <= 100 else ""


def nom_de(identite: Mapping[str, object]) -> str:
    """« Prénom Nom » d'après les revendications usuelles (ProConnect : given_name, usual_name)."""
    prenom = str(identite.get("given_name") or "").strip()
    nom = str(identite.get("usual_name") or identite.get("family_name") or "").strip()
    return (f"{prenom} {nom}".strip() or str(identite.get("name") or "").strip())[:100]


def compte_pour_identite(
    con: duckdb.DuckDBPyConnection,
    identite: Mapping[str, object],
    duree_max: timedelta,
    quand: datetime | None = None,
) -> Issue:
    """Le compte local de l'agent identifié par l'État, ou pourquoi il n'entre pas.

    Appelée au début de chaque session de navigateur (puis le compte est relu à chaque page,
    comme un compte local) ; une connexion réussie est journalisée, une demande de rôle notée
    une fois.
    """
    quand = utc(quand or maintenant())
    delivree = _instant(identite.get("iat"))
    if delivree is None or quand - delivree > duree_max:
        return Issue(
            None,
            message="Votre connexion par le compte de l'État est trop ancienne : reconnectez-vous.",
            reconnecter=True,
        )
    courriel = courriel_de(identite)
    if not courriel or identite.get("email_verified") is False:
        return Issue(
            None,
            message="Le fournisseur d'identité n'a pas transmis de courriel vérifié : la"
            " connexion est impossible. Adressez-vous à la DDFE.",
            reconnecter=True,
        )
    compte = depot.par_identifiant(con, courriel)
    if compte is None:
        if courriel not in {d.courriel for d in demandes_en_attente(con)}:
            depot.journaliser(con, quand, courriel, DEMANDE, nom_de(identite))
        return Issue(
            None,
            courriel,
            f"Vous êtes identifié·e par l'État ({courriel}), mais vous n'avez pas encore de"
            " rôle dans cette application. Votre demande est enregistrée : un administrateur"
            " de la DDFE doit vous en accorder un.",
        )
    if not compte.actif:
        return Issue(
            None,
            courriel,
            "Votre compte est désactivé dans cette application : adressez-vous à un"
            " administrateur de la DDFE.",
        )
    depot.noter_succes(con, courriel, quand)
    depot.journaliser(con, quand, courriel, "connexion_reussie", "authentification de l'État")
    return Issue(depot.par_identifiant(con, courriel) or compte, courriel, fin=delivree + duree_max)


def demandes_en_attente(con: duckdb.DuckDBPyConnection) -> list[Demande]:
    """Les agents qui se sont connectés sans compte, le plus récent d'abord."""
    return [Demande(*ligne) for ligne in depot.demandes_sans_compte(con, DEMANDE)]


def accorder_role(
    con: duckdb.DuckDBPyConnection,
    courriel: str,
    role: Role,
    auteur: str,
    nom: str = "",
    quand: datetime | None = None,
) -> Compte:
    """Crée le compte d'un agent de l'État (sans mot de passe local) avec ce rôle."""
    courriel = normaliser_identifiant(courriel)
    if not _COURRIEL.match(courriel):
        raise ErreurCompte(f"« {courriel} » n'est pas un courriel.")
    if depot.par_identifiant(con, courriel) is not None:
        raise ErreurCompte(f"L'identifiant « {courriel} » est déjà utilisé.")
    quand = utc(quand or maintenant())
    compte = Compte(courriel, nom.strip(), Role(role), True, quand, None)
    depot.inserer(con, compte, EMPREINTE_SANS_MOT_DE_PASSE)
    depot.journaliser(
        con, quand, courriel, "compte_cree", f"rôle {role}, authentification de l'État", auteur
    )
    return compte


def _instant(valeur: object) -> datetime | None:
    """Un horodatage JWT (secondes depuis 1970, UTC) en instant UTC."""
    if isinstance(valeur, bool) or not isinstance(valeur, int | float):
        return None
    return datetime.fromtimestamp(valeur, UTC)
