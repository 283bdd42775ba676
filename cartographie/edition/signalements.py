"""« Signaler une erreur » : n'importe qui peut signaler qu'une fiche est fausse, sans compte.

Pour éviter qu'un formulaire public serve à inonder la DDFE sans faire taire personne :
- par navigateur, quelques envois par heure (l'appelant tient la liste des envois de sa
  session ; rien n'est stocké sur la personne). Un robot contourne cette limite en ouvrant un
  nouvel onglet : elle ne sert qu'à freiner les doubles clics et les envois en rafale ;
- par fiche et par heure, les premiers signalements vont dans la file « À traiter » ; au-delà,
  ils sont ENREGISTRÉS mais groupés (statut `groupe`), à examiner en bloc, fiche par fiche. Un
  robot qui martèle une fiche ne la rend donc pas muette : la personne suivante est entendue,
  et la file de la DDFE reste lisible ;
- pour que la base ne grossisse pas sans fin, un plafond de signalements groupés par heure,
  toutes fiches confondues : seul un déluge (des centaines par heure) fait refuser un envoi,
  avec un message qui donne un autre moyen de joindre la DDFE.
Aucune adresse IP n'est gardée, et le contact facultatif, qui ne sert qu'à répondre, est effacé
quand le signalement est traité.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

import duckdb

from cartographie.horloge import maintenant, utc
from cartographie.modele import Statut, StatutSignalement
from cartographie.stockage import acteurs as depot_acteurs
from cartographie.stockage import signalements as depot
from cartographie.stockage.signalements import Signalement
from cartographie.validation import verifier_longueur

FENETRE = timedelta(hours=1)
# Caractères de contrôle (sauf tabulation et retour à la ligne) : invisibles, jamais voulus.
_CONTROLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

__all__ = ["Signalement", "SignalementRefuse", "deposer", "file_ddfe", "marquer_traite"]


class SignalementRefuse(ValueError):
    """Le signalement n'est pas enregistré ; le message dit pourquoi, en français."""


def envois_recents(envois: Sequence[datetime], quand: datetime) -> list[datetime]:
    """Les envois de la session qui comptent encore pour la limite horaire."""
    return [e for e in envois if utc(quand) - utc(e) < FENETRE]


def deposer(
    con: duckdb.DuckDBPyConnection,
    acteur_id: str,
    probleme: str,
    correction: str = "",
    contact: str = "",
    *,
    envois_session: Sequence[datetime] = (),
    limite_session: int = 3,
    limite_acteur: int = 10,
    limite_groupes: int = 200,
    quand: datetime | None = None,
) -> int:
    """Enregistre un signalement sur une fiche publique ; renvoie son numéro.

    Au-delà de `limite_acteur` signalements sur la fiche dans l'heure, il est groupé plutôt
    que refusé (voir le module) ; seul le plafond `limite_groupes` le fait refuser.
    """
    quand = utc(quand or maintenant())
    probleme = _nettoyer(probleme, "probleme")
    correction = _nettoyer(correction, "correction")
    contact = _nettoyer(contact, "contact")
    if not probleme:
        raise SignalementRefuse("Décrivez ce qui est faux sur cette fiche.")
    acteur = depot_acteurs.par_id(con, acteur_id)
    if acteur is None or acteur.statut != Statut.ACTIF:
        raise SignalementRefuse("Cette fiche n'existe pas ou n'est plus publiée.")
    if len(envois_recents(envois_session, quand)) >= limite_session:
        raise SignalementRefuse(
            f"Vous avez déjà envoyé {limite_session} signalements dans l'heure : merci !"
            " Réessayez plus tard, ou écrivez directement à la DDFE."
        )
    statut = StatutSignalement.OUVERT
    if depot.compter_depuis(con, acteur_id, quand - FENETRE) >= limite_acteur:
        if depot.compter_groupes_depuis(con, quand - FENETRE) >= limite_groupes:
            raise SignalementRefuse(
                "La DDFE reçoit en ce moment un nombre anormal de signalements : le vôtre n'a"
                " pas pu être enregistré. Réessayez dans une heure, ou écrivez directement à"
                " la DDFE."
            )
        statut = StatutSignalement.GROUPE
    return depot.inserer(con, acteur_id, quand, probleme, correction, contact, statut)


def est_groupe(con: duckdb.DuckDBPyConnection, numero: int) -> bool:
    """Le signalement a-t-il été groupé (fiche très signalée dans l'heure) ?"""
    signalement = depot.par_numero(con, numero)
    return signalement is not None and signalement.statut is StatutSignalement.GROUPE


def file_ddfe(
    con: duckdb.DuckDBPyConnection,
    *,
    statut: StatutSignalement | None = StatutSignalement.OUVERT,
    acteur_id: str | None = None,
) -> list[Signalement]:
    """La file de la DDFE : les signalements à traiter (ou tous), les plus anciens d'abord."""
    if statut is not None:
        statut = StatutSignalement.depuis(statut)  # lève ValueError si inconnu
    return depot.lister(con, statut=statut, acteur_id=acteur_id)


def marquer_traite(con: duckdb.DuckDBPyConnection, numero: int, par: str, note: str = "") -> None:
    """Marque un signalement traité par un membre de la DDFE, avec une note interne.

    Le contact de la personne est effacé en même temps : il ne servait qu'à lui répondre
    (c'est ce que promet le formulaire public).
    """
    note = _nettoyer(note, "note")
    traite = StatutSignalement.TRAITE
    if not depot.changer_statut(con, numero, traite, maintenant(), par, note, effacer_contact=True):
        raise SignalementRefuse(f"Le signalement n° {numero} n'existe pas.")


def traiter_groupes(
    con: duckdb.DuckDBPyConnection, acteur_id: str, par: str, note: str = ""
) -> int:
    """Marque traités d'un coup les signalements groupés d'une fiche (un déluge s'examine en
    bloc), contacts effacés ; rend leur nombre."""
    note = _nettoyer(note, "note")
    return depot.traiter_groupes(con, acteur_id, maintenant(), par, note)


def rouvrir(con: duckdb.DuckDBPyConnection, numero: int) -> None:
    """Remet un signalement dans la file (traité par erreur)."""
    signalement = depot.par_numero(con, numero)
    if signalement is None:
        raise SignalementRefuse(f"Le signalement n° {numero} n'existe pas.")
    depot.changer_statut(con, numero, StatutSignalement.OUVERT, None, "", signalement.note)


def _nettoyer(texte: str, champ: str) -> str:
    """Sans caractères de contrôle, et dans la longueur que `validation` fixe pour `champ`."""
    propre = _CONTROLE.sub("", texte or "").strip()
    try:
        return verifier_longueur(champ, propre)
    except ValueError as erreur:
        raise SignalementRefuse(str(erreur)) from None
