"""Le seul chemin d'écriture des fiches d'acteurs : créer, modifier, archiver, restaurer, vérifier.

Chaque écriture, dans une même transaction :
- vérifie la version attendue (verrou optimiste) : si quelqu'un a enregistré entre-temps, elle
  est refusée avec `ConflitEdition`, qui dit quels champs ont changé et leur valeur actuelle —
  jamais d'écrasement silencieux ;
- incrémente `acteur.version` et ajoute une ligne à l'historique (qui, quand, quoi avant/après).
Aucune suppression : on archive, et l'archive se restaure.

Transactions : chaque fonction publique ouvre sa transaction avec
`cartographie.stockage.transaction.transaction`, ou se joint à celle que l'appelant a ouverte
avec ce même gestionnaire (un import entier tient ainsi dans une seule transaction : tout ou
rien). Ne jamais appeler ces fonctions sous un BEGIN écrit à la main.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import duckdb

from cartographie.edition import versions
from cartographie.edition.versions import texte_valeur
from cartographie.geocodage.demande import Position
from cartographie.horloge import jour_a_paris, maintenant, utc
from cartographie.modele import LIBELLES_CHAMPS, Acteur, Referentiel, Statut
from cartographie.modele.champs import Valeur
from cartographie.stockage import acteurs as depot_acteurs
from cartographie.stockage import historique as depot_historique
from cartographie.stockage.dialecte import CONFLITS_D_ECRITURE
from cartographie.stockage.historique import Version
from cartographie.stockage.transaction import en_transaction, transaction
from cartographie.texte import normaliser, slug

__all__ = [
    "LIBELLES_CHAMPS",
    "Action",
    "ConflitEdition",
    "ErreurEdition",
    "Version",
    "archiver",
    "creer",
    "fiche",
    "fiches",
    "historique",
    "identifiant_libre",
    "marquer_verifie",
    "modifier",
    "repositionner",
    "restaurer",
    "restaurer_version",
    "texte_valeur",
]


class Action(Referentiel):
    """Le geste qui a produit une version."""

    CREATION = ("creation", "Création")
    MODIFICATION = ("modification", "Modification")
    ARCHIVAGE = ("archivage", "Archivage")
    RESTAURATION = ("restauration", "Restauration (désarchivage)")
    VERIFICATION = ("verification", "Marquée comme vérifiée")
    IMPORT = ("import", "Import de fichier")
    RESTAURATION_VERSION = ("restauration_version", "Retour à une version antérieure")
    GEOCODAGE = ("geocodage", "Position recalculée (géocodage)")


class ErreurEdition(ValueError):
    """Écriture impossible (fiche inconnue, identifiant déjà pris…) ; message français."""


class ConflitEdition(Exception):
    """La fiche a changé depuis qu'elle a été ouverte : l'enregistrement est refusé."""

    def __init__(
        self,
        acteur_id: str,
        version_attendue: int,
        version_actuelle: int,
        changements: dict[str, Valeur],
        auteurs: list[str],
    ) -> None:
        self.acteur_id = acteur_id
        self.version_attendue = version_attendue
        self.version_actuelle = version_actuelle
        self.changements = changements
        """Champ → valeur actuelle, pour chaque champ modifié entre-temps."""
        self.auteurs = auteurs
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """Le refus expliqué, avec les valeurs actuelles des champs modifiés entre-temps."""
        qui = f" par {', '.join(self.auteurs)}" if self.auteurs else ""
        tete = (
            f"Enregistrement refusé : la fiche a été modifiée{qui} pendant que vous la"
            " modifiiez. Vos changements n'ont pas été enregistrés ; rechargez la fiche et"
            " refaites-les."
        )
        if not self.changements:
            return tete
        lignes = [
            f"- {LIBELLES_CHAMPS.get(c, c)} : maintenant « {texte_valeur(v)} »"
            for c, v in self.changements.items()
        ]
        return tete + "\nModifié entre-temps :\n" + "\n".join(lignes)


def creer(
    con: duckdb.DuckDBPyConnection,
    acteur: Acteur,
    auteur: str,
    *,
    action: Action = Action.CREATION,
    quand: datetime | None = None,
) -> Acteur:
    """Ajoute une fiche (version 1) ; refuse un identifiant déjà pris, même archivé."""
    quand = utc(quand or maintenant())
    with transaction(con):
        if depot_acteurs.par_id(con, acteur.id) is not None:
            raise ErreurEdition(f"L'identifiant « {acteur.id} » est déjà utilisé.")
        nouveau = replace(acteur, version=1, date_maj=acteur.date_maj or jour_a_paris(quand))
        depot_acteurs.inserer(con, [nouveau])
        etat = versions.etat(nouveau)
        depot_historique.ajouter(
            con,
            nouveau.id,
            1,
            auteur,
            quand,
            str(action),
            versions.differences(None, etat),
            etat,
        )
        return _relire(con, nouveau.id)


def modifier(
    con: duckdb.DuckDBPyConnection,
    acteur: Acteur,
    version_attendue: int,
    auteur: str,
    *,
    action: Action = Action.MODIFICATION,
    quand: datetime | None = None,
) -> Acteur:
    """Remplace la fiche par `acteur` si elle est encore à `version_attendue`.

    Lève `ConflitEdition` sinon. Une fiche identique n'est pas réécrite (ni nouvelle version).
    """
    return _ecrire(con, acteur.id, version_attendue, auteur, action, quand, lambda _: acteur)


def archiver(
    con: duckdb.DuckDBPyConnection,
    acteur_id: str,
    auteur: str,
    version_attendue: int | None = None,
    quand: datetime | None = None,
) -> Acteur:
    """Retire la fiche de l'annuaire public sans rien effacer."""
    return _changer_statut(con, acteur_id, auteur, version_attendue, quand, Statut.ARCHIVE)


def restaurer(
    con: duckdb.DuckDBPyConnection,
    acteur_id: str,
    auteur: str,
    version_attendue: int | None = None,
    quand: datetime | None = None,
) -> Acteur:
    """Remet une fiche archivée dans l'annuaire."""
    return _changer_statut(con, acteur_id, auteur, version_attendue, quand, Statut.ACTIF)


def _changer_statut(
    con: duckdb.DuckDBPyConnection,
    acteur_id: str,
    auteur: str,
    version_attendue: int | None,
    quand: datetime | None,
    statut: Statut,
) -> Acteur:
    action = Action.ARCHIVAGE if statut is Statut.ARCHIVE else Action.RESTAURATION
    return _ecrire(
        con, acteur_id, version_attendue, auteur, action, quand, lambda a: replace(a, statut=statut)
    )


def marquer_verifie(
    con: duckdb.DuckDBPyConnection,
    acteur_id: str,
    auteur: str,
    version_attendue: int | None = None,
    jour: date | None = None,
    quand: datetime | None = None,
) -> Acteur:
    """Date la vérification de la fiche (aujourd'hui par défaut) ; le geste est journalisé.

    Avec `version_attendue` (celle que la personne a lue), une fiche changée entre-temps est
    refusée (`ConflitEdition`) : on ne déclare pas vérifié un contenu qu'on n'a pas vu.
    """
    quand = utc(quand or maintenant())
    jour = jour or jour_a_paris(quand)
    return _ecrire(
        con,
        acteur_id,
        version_attendue,
        auteur,
        Action.VERIFICATION,
        quand,
        lambda a: replace(a, date_verification=jour),
        dater=False,
    )


def repositionner(
    con: duckdb.DuckDBPyConnection,
    acteur_id: str,
    version_attendue: int,
    position: Position,
    auteur: str,
    quand: datetime | None = None,
) -> Acteur:
    """Nouvelle position d'une fiche (regéocodage) ; lève `ConflitEdition` si elle a changé.

    Ne date pas la fiche : recalculer un point ne vérifie pas ses informations.
    """
    return _ecrire(
        con,
        acteur_id,
        version_attendue,
        auteur,
        Action.GEOCODAGE,
        quand,
        lambda a: replace(
            a,
            latitude=position.latitude,
            longitude=position.longitude,
            precision_localisation=position.precision,
        ),
        dater=False,
    )


def fiches(
    con: duckdb.DuckDBPyConnection, texte: str = "", statut: Statut | None = None
) -> list[Acteur]:
    """Les fiches de tous statuts (ou d'un seul) dont le nom, la structure ou la commune contient `texte`."""
    requete = normaliser(texte)
    return [
        a
        for a in depot_acteurs.lister(con, statut=statut)
        if not requete or requete in normaliser(f"{a.nom} {a.structure} {a.commune} {a.id}")
    ]


def fiche(con: duckdb.DuckDBPyConnection, acteur_id: str) -> Acteur | None:
    """Une fiche telle qu'elle est maintenant en base, quel que soit son statut."""
    return depot_acteurs.par_id(con, acteur_id)


def historique(con: duckdb.DuckDBPyConnection, acteur_id: str) -> list[Version]:
    """Les versions d'une fiche, la plus récente d'abord."""
    return depot_historique.lister(con, acteur_id)


def restaurer_version(
    con: duckdb.DuckDBPyConnection,
    acteur_id: str,
    numero: int,
    auteur: str,
    version_attendue: int | None = None,
    quand: datetime | None = None,
) -> Acteur:
    """Redonne à la fiche son contenu de la version `numero` ; c'est une nouvelle version."""

    def ancienne(actuel: Acteur) -> Acteur:
        etat = depot_historique.etat_a_version(con, acteur_id, numero)
        if etat is None or numero >= actuel.version:
            raise ErreurEdition(f"La version {numero} de cette fiche n'est pas connue.")
        return versions.acteur_depuis_etat(etat, actuel.version)

    return _ecrire(
        con, acteur_id, version_attendue, auteur, Action.RESTAURATION_VERSION, quand, ancienne
    )


def _ecrire(
    con: duckdb.DuckDBPyConnection,
    acteur_id: str,
    version_attendue: int | None,
    auteur: str,
    action: Action,
    quand: datetime | None,
    transformer,
    *,
    dater: bool = True,
) -> Acteur:
    quand = utc(quand or maintenant())
    deja_en_transaction = en_transaction(con)
    try:
        with transaction(con):
            actuel = depot_acteurs.par_id(con, acteur_id)
            if actuel is None:
                raise ErreurEdition(f"Aucune fiche « {acteur_id} ».")
            attendue = actuel.version if version_attendue is None else version_attendue
            if actuel.version != attendue:
                raise _conflit(con, actuel, attendue)
            nouveau = transformer(actuel)
            etat_avant = versions.etat(actuel)
            changements = versions.differences(
                etat_avant, versions.etat(replace(nouveau, date_maj=actuel.date_maj))
            )
            if not changements:
                return actuel
            nouveau = replace(nouveau, version=actuel.version + 1)
            if dater:
                nouveau = replace(nouveau, date_maj=jour_a_paris(quand))
            etat_apres = versions.etat(nouveau)
            if not depot_acteurs.remplacer(con, nouveau, attendue):
                raise _conflit(con, actuel, attendue)
            depot_historique.ajouter(
                con,
                acteur_id,
                nouveau.version,
                auteur,
                quand,
                str(action),
                versions.differences(etat_avant, etat_apres),
                etat_apres,
            )
            return _relire(con, acteur_id)
    except CONFLITS_D_ECRITURE:
        # Deux enregistrements au même instant : DuckDB refuse le second à la validation,
        # PostgreSQL dès l'UPDATE (REPEATABLE READ).
        if deja_en_transaction:
            raise
        raise ConflitEdition(acteur_id, version_attendue or 0, 0, {}, []) from None


def _conflit(con: duckdb.DuckDBPyConnection, actuel: Acteur, attendue: int) -> ConflitEdition:
    """Ce qui a changé entre la version ouverte par la personne et la version en base."""
    ouverte = depot_historique.etat_a_version(con, actuel.id, attendue)
    courant = versions.etat(actuel)
    changements = (
        {c: v for c, (_, v) in versions.differences(ouverte, courant).items()}
        if ouverte is not None
        else {}
    )
    auteurs = sorted({v.auteur for v in depot_historique.lister(con, actuel.id, attendue)})
    return ConflitEdition(actuel.id, attendue, actuel.version, changements, auteurs)


def _relire(con: duckdb.DuckDBPyConnection, acteur_id: str) -> Acteur:
    acteur = depot_acteurs.par_id(con, acteur_id)
    assert acteur is not None  # on vient de l'écrire, dans la même transaction
    return acteur


def identifiant_libre(con: duckdb.DuckDBPyConnection, nom: str, commune: str) -> str:
    """Un identifiant lisible et libre pour une nouvelle fiche : « cidff-grenoble », « …-2 »."""
    base = slug(f"{nom} {commune}")[:90].strip("-") or "acteur"
    candidat, n = base, 1
    while depot_acteurs.par_id(con, candidat) is not None:
        n += 1
        candidat = f"{base}-{n}"
    return candidat
