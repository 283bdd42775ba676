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

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import duckdb

from cartographie.communes import geometrie_commune, normaliser
from cartographie.comptes import maintenant
from cartographie.echanges.chargement import ErreurDonnees, acteur_depuis_champs
from cartographie.geocodage.chaine import Geocodeur, Position, demande_acteur
from cartographie.modele import Acteur, Precision, Referentiel, Statut
from cartographie.stockage import acteurs as depot_acteurs
from cartographie.stockage import historique as depot_historique
from cartographie.stockage import imports as depot_imports
from cartographie.stockage.historique import Valeur, Version
from cartographie.stockage.transaction import en_transaction, transaction

__all__ = [
    "LIBELLES_CHAMPS",
    "Action",
    "ConflitEdition",
    "ErreurEdition",
    "Version",
    "acteur_depuis_formulaire",
    "archiver",
    "creer",
    "enregistrer_formulaire",
    "fiche",
    "fiches",
    "historique",
    "identifiant_libre",
    "importer",
    "localiser",
    "marquer_verifie",
    "modifier",
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


LIBELLES_CHAMPS: dict[str, str] = {
    "id": "Identifiant",
    "nom": "Nom",
    "structure": "Structure",
    "type": "Type",
    "description": "Description",
    "adresse": "Adresse",
    "complement_adresse": "Complément d'adresse",
    "code_postal": "Code postal",
    "commune": "Commune",
    "code_insee": "Code INSEE",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "telephone": "Téléphone",
    "courriel": "Courriel",
    "site_web": "Site web",
    "horaires_accueil": "Horaires d'accueil",
    "axes": "Axes du protocole",
    "publics": "Publics",
    "territoire": "Territoire",
    "precision_localisation": "Précision de la position",
    "adresse_confidentielle": "Adresse confidentielle",
    "statut": "Statut",
    "date_maj": "Date de mise à jour",
    "source": "Source",
    "date_verification": "Date de vérification",
}
"""Libellé français de chaque champ, pour les messages et l'historique."""


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
    quand = quand or maintenant()
    with transaction(con):
        if depot_acteurs.par_id(con, acteur.id) is not None:
            raise ErreurEdition(f"L'identifiant « {acteur.id} » est déjà utilisé.")
        nouveau = replace(acteur, version=1, date_maj=acteur.date_maj or quand.date())
        depot_acteurs.inserer(con, [nouveau])
        etat = depot_historique.etat(nouveau)
        depot_historique.ajouter(
            con,
            nouveau.id,
            1,
            auteur,
            quand,
            str(action),
            depot_historique.differences(None, etat),
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
    quand = quand or maintenant()
    jour = jour or quand.date()
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
        return depot_historique.acteur_depuis_etat(etat, actuel.version)

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
    quand = quand or maintenant()
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
            etat_avant = depot_historique.etat(actuel)
            changements = depot_historique.differences(
                etat_avant, depot_historique.etat(replace(nouveau, date_maj=actuel.date_maj))
            )
            if not changements:
                return actuel
            nouveau = replace(nouveau, version=actuel.version + 1)
            if dater:
                nouveau = replace(nouveau, date_maj=quand.date())
            etat_apres = depot_historique.etat(nouveau)
            if not depot_acteurs.remplacer(con, nouveau, attendue):
                raise _conflit(con, actuel, attendue)
            depot_historique.ajouter(
                con,
                acteur_id,
                nouveau.version,
                auteur,
                quand,
                str(action),
                depot_historique.differences(etat_avant, etat_apres),
                etat_apres,
            )
            return _relire(con, acteur_id)
    except duckdb.TransactionException:
        # Deux enregistrements au même instant : DuckDB refuse le second à la validation.
        if deja_en_transaction:
            raise
        raise ConflitEdition(acteur_id, version_attendue or 0, 0, {}, []) from None


def _conflit(con: duckdb.DuckDBPyConnection, actuel: Acteur, attendue: int) -> ConflitEdition:
    """Ce qui a changé entre la version ouverte par la personne et la version en base."""
    ouverte = depot_historique.etat_a_version(con, actuel.id, attendue)
    courant = depot_historique.etat(actuel)
    changements = (
        {c: v for c, (_, v) in depot_historique.differences(ouverte, courant).items()}
        if ouverte is not None
        else {}
    )
    auteurs = sorted({v.auteur for v in depot_historique.lister(con, actuel.id, attendue)})
    return ConflitEdition(actuel.id, attendue, actuel.version, changements, auteurs)


def _relire(con: duckdb.DuckDBPyConnection, acteur_id: str) -> Acteur:
    acteur = depot_acteurs.par_id(con, acteur_id)
    assert acteur is not None  # on vient de l'écrire, dans la même transaction
    return acteur


def texte_valeur(valeur: Valeur) -> str:
    """Une valeur de l'historique en texte lisible (oui/non, listes séparées par des virgules)."""
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, list):
        return ", ".join(valeur)
    return str(valeur)


# --- Le formulaire de la DDFE -------------------------------------------------------------


def acteur_depuis_formulaire(
    champs: Mapping[str, str],
    existant: Acteur | None,
    chemin_communes: Path,
    geocodeur: Geocodeur | None = None,
) -> Acteur:
    """Valide le formulaire avec les règles du CSV et place la fiche ; lève `ErreurDonnees`.

    Le statut, les dates et la version ne se saisissent pas : ils viennent de la fiche ouverte.
    """
    acteur = acteur_depuis_champs(champs, 0, chemin_communes)
    if acteur.precision_localisation is Precision.MANUELLE:
        _verifier_position_manuelle(acteur, chemin_communes)
    if existant is not None:
        acteur = replace(
            acteur,
            statut=existant.statut,
            date_maj=existant.date_maj,
            date_verification=existant.date_verification,
            version=existant.version,
        )
    else:
        acteur = replace(acteur, statut=Statut.ACTIF, date_maj=None, date_verification=None)
    return localiser(acteur, existant, chemin_communes, geocodeur)


def localiser(
    acteur: Acteur,
    existant: Acteur | None,
    chemin_communes: Path,
    geocodeur: Geocodeur | None = None,
) -> Acteur:
    """Position de la fiche à l'enregistrement : LE point de branchement du géocodage.

    Une position saisie à la main est gardée ; une adresse inchangée garde sa position ;
    sinon la chaîne de géocodage (adresse si le service est joignable, sinon centre de la
    commune ; hors ligne par défaut, `ui.base.geocodeur()` pour suivre les réglages).
    """
    if acteur.precision_localisation is Precision.MANUELLE:
        return acteur
    adresse = ("adresse", "code_postal", "code_insee", "adresse_confidentielle")
    if (
        existant is not None
        and existant.latitude is not None
        and all(getattr(existant, c) == getattr(acteur, c) for c in adresse)
    ):
        return replace(
            acteur,
            latitude=existant.latitude,
            longitude=existant.longitude,
            precision_localisation=existant.precision_localisation,
        )
    position = (geocodeur or Geocodeur(chemin_communes)).geocoder(demande_acteur(acteur))
    return replace(
        acteur,
        latitude=position.latitude,
        longitude=position.longitude,
        precision_localisation=position.precision,
    )


# Tolérance autour du contour de la commune (~1 km) : un point posé à la main sur une rue
# frontière ne doit pas être refusé.
_TOLERANCE_DEGRES = 0.01


def _verifier_position_manuelle(acteur: Acteur, chemin_communes: Path) -> None:
    from shapely.geometry import Point  # import tardif : seul le formulaire en a besoin

    if acteur.latitude is None or acteur.longitude is None:
        raise ErreurDonnees(0, "latitude", "position à la main : latitude et longitude requises")
    contour = geometrie_commune(acteur.code_insee, chemin_communes)
    point = Point(acteur.longitude, acteur.latitude)
    if contour is not None and not contour.buffer(_TOLERANCE_DEGRES).contains(point):
        raise ErreurDonnees(
            0,
            "latitude",
            f"({acteur.latitude}, {acteur.longitude}) n'est pas dans la commune de"
            f" {acteur.commune} : vérifiez la position (latitude et longitude inversées ?)",
        )


def enregistrer_formulaire(
    con: duckdb.DuckDBPyConnection,
    champs: Mapping[str, str],
    existant: Acteur | None,
    auteur: str,
    chemin_communes: Path,
    geocodeur: Geocodeur | None = None,
) -> Acteur:
    """Valide puis crée (si `existant` est None) ou modifie la fiche ouverte par la personne.

    `existant` est la fiche telle qu'elle a été ouverte : sa version sert de verrou.
    """
    if existant is not None:
        champs = {**champs, "id": existant.id}
    elif not (champs.get("id") or "").strip():
        champs = {
            **champs,
            "id": identifiant_libre(con, champs.get("nom") or "", champs.get("commune") or ""),
        }
    acteur = acteur_depuis_formulaire(champs, existant, chemin_communes, geocodeur)
    if existant is None:
        return creer(con, acteur, auteur)
    return modifier(con, acteur, existant.version, auteur)


def importer(
    con: duckdb.DuckDBPyConnection,
    *,
    nouveaux: Sequence[Acteur],
    modifies: Sequence[tuple[Acteur, Acteur]],
    archives: Sequence[Acteur],
    auteur: str,
    nom_fichier: str,
    sauvegarde: Path,
    quand: datetime | None = None,
    progression: Callable[[int, int], None] | None = None,
) -> None:
    """Écrit un import entier dans une seule transaction, tout ou rien.

    Même contrat que les autres écritures — verrou optimiste (chaque fiche modifiée ou archivée
    doit être encore à la version lue par l'aperçu, sinon `depot_imports.ConflitImport`), une
    version d'historique par fiche (action « import ») — mais par lots ensemblistes : une
    écriture fiche par fiche prendrait des minutes pour 50 000 lignes.
    """
    quand = quand or maintenant()
    total, fait = len(nouveaux) + len(modifies) + len(archives), 0
    action = str(Action.IMPORT)

    def avancer(n: int) -> None:
        nonlocal fait
        fait += n
        if progression:
            progression(fait, total)

    with transaction(con):
        for lot in _lots(nouveaux):
            crees = [replace(a, version=1) for a in lot]
            depot_imports.inserer_lot(con, crees)
            depot_historique.ajouter_lot(
                con, [_version_import(None, a, auteur, quand, action) for a in crees]
            )
            avancer(len(lot))
        for lot in _lots(modifies):
            paires = [(avant, replace(apres, version=avant.version + 1)) for avant, apres in lot]
            depot_imports.mettre_a_jour_lot(con, paires)
            depot_historique.ajouter_lot(
                con, [_version_import(a, n, auteur, quand, action) for a, n in paires]
            )
            avancer(len(lot))
        for lot in _lots(archives):
            depot_imports.archiver_lot(con, lot)
            depot_historique.ajouter_lot(
                con,
                [
                    _version_import(
                        a,
                        replace(a, statut=Statut.ARCHIVE, version=a.version + 1),
                        auteur,
                        quand,
                        action,
                    )
                    for a in lot
                ],
            )
            avancer(len(lot))
        depot_imports.journaliser(
            con, quand, auteur, nom_fichier, len(nouveaux), len(modifies), len(archives), sauvegarde
        )


def _lots(elements: Sequence) -> list[Sequence]:
    taille = depot_imports.TAILLE_LOT
    return [elements[i : i + taille] for i in range(0, len(elements), taille)]


def _version_import(
    avant: Acteur | None, apres: Acteur, auteur: str, quand: datetime, action: str
) -> tuple:
    etat_apres = depot_historique.etat(apres)
    etat_avant = None if avant is None else depot_historique.etat(avant)
    changements = depot_historique.differences(etat_avant, etat_apres)
    return (apres.id, apres.version, auteur, quand, action, changements, etat_apres)


def identifiant_libre(con: duckdb.DuckDBPyConnection, nom: str, commune: str) -> str:
    """Un identifiant lisible et libre pour une nouvelle fiche : « cidff-grenoble », « …-2 »."""
    base = _slug(f"{nom} {commune}")[:90].strip("-") or "acteur"
    candidat, n = base, 1
    while depot_acteurs.par_id(con, candidat) is not None:
        n += 1
        candidat = f"{base}-{n}"
    return candidat


def _slug(texte: str) -> str:
    sans_accents = unicodedata.normalize("NFKD", texte.lower()).encode("ascii", "ignore")
    return re.sub(r"[^a-z0-9]+", "-", sans_accents.decode()).strip("-")
