"""Comptes locaux de la DDFE : création, connexion, freins aux essais, journal.

Les mots de passe ne sont conservés que sous forme d'empreinte argon2id et ne sont jamais
journalisés. Les essais répétés sont ralentis (`cartographie.comptes.freins`), jamais bloqués : un
inconnu ne peut pas fermer le compte d'une collègue, et la réponse est la même que
l'identifiant existe ou non. Un identifiant inconnu n'est jamais écrit tel quel (c'est souvent
un mot de passe tapé dans le mauvais champ).
Toutes les fonctions prennent `quand` (UTC) pour que les tests maîtrisent le temps.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from cartographie.comptes.freins import FREINS, EtatFreins, Freins, texte_attente
from cartographie.comptes.roles import Compte, Role
from cartographie.horloge import maintenant, utc
from cartographie.stockage import comptes as depot

__all__ = [
    "Compte",
    "ErreurCompte",
    "ErreurConnexion",
    "Role",
    "authentifier",
    "changer_activation",
    "changer_mot_de_passe",
    "changer_role",
    "compte_actif",
    "creer_compte",
    "debloquer",
    "etat_freins",
    "journal",
    "lister_comptes",
]

LONGUEUR_MIN_MOT_DE_PASSE = 12
_IDENTIFIANT = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,99}$")
# argon2id au réglage minimal recommandé par l'OWASP (19 Mio, 2 passes, 1 voie) : ~25 ms par
# vérification ici, contre ~170-450 ms pour le réglage par défaut (4 voies sur 2 cœurs
# partagés). Les freins (`cartographie.comptes.freins`) bornent les essais en ligne ; une empreinte faite avec
# d'autres paramètres est refaite à la connexion suivante (`check_needs_rehash`).
HACHEUR = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_MESSAGE_REFUS = "Identifiant ou mot de passe incorrect."
# Ce que le journal garde d'un identifiant qui n'existe pas : jamais le texte tapé.
IDENTIFIANT_INCONNU = "(identifiant inconnu)"


class ErreurConnexion(ValueError):
    """Connexion refusée ; le message (français) peut être montré tel quel."""


class ErreurCompte(ValueError):
    """Geste d'administration des comptes refusé ; message en français."""


def normaliser_identifiant(identifiant: str) -> str:
    """Forme stockée d'un identifiant : sans espaces autour, en minuscules."""
    return identifiant.strip().lower()


def creer_compte(
    con: duckdb.DuckDBPyConnection,
    identifiant: str,
    mot_de_passe: str,
    role: Role,
    nom: str = "",
    auteur: str = "",
    quand: datetime | None = None,
) -> Compte:
    """Crée un compte actif ; refuse un identifiant pris ou un mot de passe trop faible."""
    quand = utc(quand or maintenant())
    identifiant = normaliser_identifiant(identifiant)
    if not _IDENTIFIANT.match(identifiant):
        raise ErreurCompte(
            "Identifiant invalide : de 2 à 100 caractères, lettres minuscules, chiffres,"
            " point, tiret, @ (par exemple prenom.nom)."
        )
    _verifier_mot_de_passe(mot_de_passe, identifiant)
    if depot.par_identifiant(con, identifiant) is not None:
        raise ErreurCompte(f"L'identifiant « {identifiant} » est déjà utilisé.")
    compte = Compte(identifiant, nom.strip(), Role(role), True, quand, None)
    depot.inserer(con, compte, HACHEUR.hash(mot_de_passe))
    depot.journaliser(con, quand, identifiant, "compte_cree", f"rôle {role}", auteur)
    return compte


def authentifier(
    con: duckdb.DuckDBPyConnection,
    identifiant: str,
    mot_de_passe: str,
    quand: datetime | None = None,
    *,
    session: str = "",
    freins: Freins = FREINS,
) -> Compte:
    """Le compte si le mot de passe est bon ; sinon `ErreurConnexion`. Chaque essai examiné est
    journalisé.

    `session` : l'identifiant de la session de navigateur (ses propres échecs la ralentissent).
    Les refus ne dépendent pas de l'existence du compte : même message, même attente, même
    coût de calcul.
    """
    quand = utc(quand or maintenant())
    identifiant = normaliser_identifiant(identifiant)
    attente = freins.attente(identifiant, session, quand)
    if attente:
        # Ni vérifié, ni compté, ni journalisé : s'impatienter n'allonge rien.
        raise ErreurConnexion(
            f"Trop d'essais rapprochés : patientez {texte_attente(attente)} avant de réessayer."
        )
    etat = depot.etat_connexion(con, identifiant)
    if etat is None:
        # Même coût qu'un vrai compte : la durée de réponse ne dit pas si l'identifiant existe.
        _verifier(_leurre(), mot_de_passe)
        freins.noter_echec(identifiant, session, quand)
        depot.journaliser(con, quand, IDENTIFIANT_INCONNU, "connexion_refusee")
        raise ErreurConnexion(_MESSAGE_REFUS)
    if not _verifier(etat.empreinte, mot_de_passe):
        freins.noter_echec(identifiant, session, quand)
        echecs = freins.etat(identifiant, quand).echecs
        depot.journaliser(
            con,
            quand,
            identifiant,
            "connexion_refusee",
            f"mot de passe incorrect ({echecs} échec(s) consécutif(s))",
        )
        raise ErreurConnexion(_MESSAGE_REFUS)
    freins.noter_succes(identifiant, session)
    if not etat.compte.actif:
        # Dit seulement à qui a le bon mot de passe : rien n'est appris d'un compte inconnu.
        depot.journaliser(con, quand, identifiant, "connexion_refusee", "compte désactivé")
        raise ErreurConnexion("Ce compte est désactivé : adressez-vous à un administrateur.")
    if HACHEUR.check_needs_rehash(etat.empreinte):
        depot.changer_empreinte(con, identifiant, HACHEUR.hash(mot_de_passe))
    depot.noter_succes(con, identifiant, quand)
    depot.journaliser(con, quand, identifiant, "connexion_reussie")
    return depot.par_identifiant(con, identifiant) or etat.compte


def etat_freins(
    identifiant: str, quand: datetime | None = None, freins: Freins = FREINS
) -> EtatFreins:
    """Échecs consécutifs d'un identifiant et attente en cours (page « Comptes »)."""
    return freins.etat(normaliser_identifiant(identifiant), utc(quand or maintenant()))


def debloquer(
    con: duckdb.DuckDBPyConnection,
    identifiant: str,
    auteur: str,
    quand: datetime | None = None,
    freins: Freins = FREINS,
) -> None:
    """Efface les échecs d'un compte : la personne peut réessayer tout de suite."""
    compte = _existant(con, identifiant)
    freins.debloquer(compte.identifiant)
    depot.journaliser(
        con, utc(quand or maintenant()), compte.identifiant, "compte_debloque", "", auteur
    )


def compte_actif(con: duckdb.DuckDBPyConnection, identifiant: str) -> Compte | None:
    """Le compte tel qu'il est maintenant en base, s'il est actif (relu à chaque page)."""
    compte = depot.par_identifiant(con, identifiant)
    return compte if compte is not None and compte.actif else None


def changer_mot_de_passe(
    con: duckdb.DuckDBPyConnection,
    identifiant: str,
    mot_de_passe: str,
    auteur: str = "",
    quand: datetime | None = None,
    freins: Freins = FREINS,
) -> None:
    """Remplace le mot de passe (et débloque le compte)."""
    compte = _existant(con, identifiant)
    _verifier_mot_de_passe(mot_de_passe, compte.identifiant)
    depot.changer_empreinte(con, compte.identifiant, HACHEUR.hash(mot_de_passe))
    freins.debloquer(compte.identifiant)
    depot.journaliser(
        con, utc(quand or maintenant()), compte.identifiant, "mot_de_passe_change", "", auteur
    )


def changer_role(
    con: duckdb.DuckDBPyConnection,
    identifiant: str,
    role: Role,
    auteur: str,
    quand: datetime | None = None,
) -> Compte:
    """Change le rôle ; refuse de retirer le dernier administrateur actif."""
    compte = _existant(con, identifiant)
    role = Role(role)
    if compte.role is Role.ADMINISTRATEUR and role is not Role.ADMINISTRATEUR:
        _garder_un_administrateur(con, compte)
    depot.changer_role(con, compte.identifiant, role)
    depot.journaliser(
        con,
        utc(quand or maintenant()),
        compte.identifiant,
        "role_change",
        f"{compte.role} → {role}",
        auteur,
    )
    return _existant(con, compte.identifiant)


def changer_activation(
    con: duckdb.DuckDBPyConnection,
    identifiant: str,
    actif: bool,
    auteur: str,
    quand: datetime | None = None,
) -> Compte:
    """Désactive ou réactive un compte ; refuse de désactiver le dernier administrateur actif."""
    compte = _existant(con, identifiant)
    if not actif and compte.role is Role.ADMINISTRATEUR:
        _garder_un_administrateur(con, compte)
    depot.changer_activation(con, compte.identifiant, actif)
    evenement = "compte_reactive" if actif else "compte_desactive"
    depot.journaliser(con, utc(quand or maintenant()), compte.identifiant, evenement, "", auteur)
    return _existant(con, compte.identifiant)


def lister_comptes(con: duckdb.DuckDBPyConnection) -> list[Compte]:
    """Tous les comptes, actifs ou non, par identifiant."""
    return depot.lister(con)


def journal(con: duckdb.DuckDBPyConnection, limite: int = 200) -> list[depot.EntreeJournal]:
    """Les dernières connexions et gestes d'administration, le plus récent d'abord."""
    return depot.journal(con, limite)


def _existant(con: duckdb.DuckDBPyConnection, identifiant: str) -> Compte:
    compte = depot.par_identifiant(con, normaliser_identifiant(identifiant))
    if compte is None:
        raise ErreurCompte(f"Aucun compte « {identifiant} ».")
    return compte


def _garder_un_administrateur(con: duckdb.DuckDBPyConnection, compte: Compte) -> None:
    if compte.actif and depot.compter_administrateurs_actifs(con) <= 1:
        raise ErreurCompte(
            "C'est le dernier administrateur actif : créez-en un autre avant de le retirer."
        )


def _verifier_mot_de_passe(mot_de_passe: str, identifiant: str) -> None:
    if len(mot_de_passe) < LONGUEUR_MIN_MOT_DE_PASSE:
        raise ErreurCompte(
            f"Mot de passe trop court : au moins {LONGUEUR_MIN_MOT_DE_PASSE} caractères"
            " (une phrase facile à retenir convient)."
        )
    if identifiant in mot_de_passe.lower():
        raise ErreurCompte("Le mot de passe ne doit pas contenir l'identifiant.")


def _verifier(empreinte: str, mot_de_passe: str) -> bool:
    try:
        return HACHEUR.verify(empreinte, mot_de_passe)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _leurre() -> str:
    return HACHEUR.hash("leurre-pour-identifiant-inconnu")
