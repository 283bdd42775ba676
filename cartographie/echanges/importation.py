"""Import d'un tableur d'acteurs : aperçu d'abord, écriture ensuite, tout ou rien.

L'aperçu ne touche pas à la base : il classe chaque ligne (nouvel acteur, fiche modifiée,
inchangée, en erreur) avec la validation unique (`cartographie.validation`). L'écriture
rejoue cet aperçu après une copie de sauvegarde, dans une seule transaction, en vérifiant que
personne n'a modifié entre-temps les fiches concernées (verrou optimiste sur `version`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import duckdb

from cartographie import config, horloge
from cartographie.echanges.ecriture_import import importer
from cartographie.echanges.lecture_tableur import Tableau, lire_tableur
from cartographie.edition.positions import localiser
from cartographie.geocodage.chaine import Geocodeur
from cartographie.geocodage.demande import Progression
from cartographie.modele import COLONNES_CSV, Acteur, Precision, Statut
from cartographie.modele.champs import vers_textes
from cartographie.stockage import acteurs as depot_acteurs
from cartographie.stockage import imports as depot_imports
from cartographie.stockage.dialecte import CONFLITS_D_ECRITURE, ERREURS_DE_LA_BASE
from cartographie.validation import OBLIGATOIRES, ErreurDonnees, acteur_depuis_textes

# Colonnes qu'un import peut changer ; `territoire` se déduit de la commune.
COLONNES_COMPAREES = tuple(c for c in COLONNES_CSV if c != "territoire")


class ImportRefuse(RuntimeError):
    """L'écriture n'a pas eu lieu ; la base est exactement comme avant."""


@dataclass(frozen=True, slots=True)
class Modification:
    """Une fiche existante que le fichier change."""

    avant: Acteur
    apres: Acteur
    colonnes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Apercu:
    """Ce que l'import ferait, calculé sans rien écrire."""

    format: str
    nombre_lignes: int
    nouveaux: tuple[Acteur, ...]
    modifies: tuple[Modification, ...]
    inchanges: int
    erreurs: tuple[ErreurDonnees, ...]
    absents: tuple[Acteur, ...]
    colonnes_absentes: tuple[str, ...]
    colonnes_ignorees: tuple[str, ...]

    @property
    def a_ecrire(self) -> int:
        """Nombre de fiches que la confirmation créerait ou modifierait."""
        return len(self.nouveaux) + len(self.modifies)


@dataclass(frozen=True, slots=True)
class ResultatImport:
    """Ce que l'écriture a fait."""

    ajoutes: int
    modifies: int
    archives: int
    sauvegarde: Path
    duree_sauvegarde: float
    duree_ecriture: float


def apercu_fichier(
    con: duckdb.DuckDBPyConnection,
    contenu: bytes,
    nom_fichier: str,
    chemin_communes: Path,
    geocodeur: Geocodeur | None = None,
    progression: Progression | None = None,
) -> Apercu:
    """Lit un fichier déposé et prépare son aperçu, dans les limites réglées.

    Lève `FichierRefuse` (fichier illisible ou trop gros) ou `ErreurDonnees` (en-tête incomplet).
    """
    tableau = lire_tableur(
        contenu,
        nom_fichier,
        taille_max=config.lire_entier("IMPORT_TAILLE_MAX_MO") * 1_000_000,
        lignes_max=config.lire_entier("IMPORT_LIGNES_MAX"),
        taille_depliee_max=config.lire_entier("IMPORT_TAILLE_DEPLIEE_MAX_MO") * 1_000_000,
        delai_s=config.lire_reel("IMPORT_DELAI_LECTURE_S"),
    )
    return preparer_apercu(
        con, tableau, chemin_communes, geocodeur=geocodeur, progression=progression
    )


def preparer_apercu(
    con: duckdb.DuckDBPyConnection,
    tableau: Tableau,
    chemin_communes: Path,
    *,
    geocodeur: Geocodeur | None = None,
    aujourd_hui: date | None = None,
    progression: Progression | None = None,
) -> Apercu:
    """Classe chaque ligne du fichier par rapport à la base, sans rien écrire."""
    aujourd_hui = aujourd_hui or horloge.aujourd_hui()
    # Un seul géocodeur pour tout le fichier (hors ligne : centre de la commune).
    geocodeur = geocodeur or Geocodeur(chemin_communes)
    manquantes = [c for c in OBLIGATOIRES if c not in tableau.colonnes]
    if manquantes:
        raise ErreurDonnees(
            1,
            manquantes[0],
            "colonne obligatoire absente de l'en-tête (colonnes obligatoires :"
            f" {', '.join(OBLIGATOIRES)})",
        )
    existants = {a.id: a for a in depot_acteurs.lister(con, statut=None)}
    occurrences: dict[str, list[int]] = {}
    for ligne in tableau.lignes:
        identifiant = (ligne.champs.get("id") or "").strip()
        if identifiant:
            occurrences.setdefault(identifiant, []).append(ligne.numero)

    nouveaux: list[Acteur] = []
    modifies: list[Modification] = []
    erreurs: list[ErreurDonnees] = []
    inchanges = 0
    # Au plus une centaine de nouvelles : 50 000 mises à jour d'une barre alourdiraient la page.
    pas = max(1, len(tableau.lignes) // 100)
    for faites, ligne in enumerate(tableau.lignes):
        if progression and faites % pas == 0:
            progression(faites, len(tableau.lignes))  # le géocodage en ligne peut être lent
        identifiant = (ligne.champs.get("id") or "").strip()
        numeros = occurrences.get(identifiant, [])
        if len(numeros) > 1:
            erreurs.append(_doublon(identifiant, ligne.numero, numeros))
            continue
        avant = existants.get(identifiant)
        champs = _completer(ligne.champs, avant)
        try:
            apres = localiser(
                acteur_depuis_textes(champs, ligne.numero, chemin_communes), avant, geocodeur
            )
        except ErreurDonnees as erreur:
            erreurs.append(erreur)
            continue
        if avant is None:
            nouveaux.append(_date_du_jour(apres, None, aujourd_hui))
            continue
        if not _differences(avant, apres):
            inchanges += 1
            continue
        apres = replace(_date_du_jour(apres, avant, aujourd_hui), version=avant.version)
        modifies.append(Modification(avant, apres, _differences(avant, apres)))

    if progression:
        progression(len(tableau.lignes), len(tableau.lignes))
    absents = tuple(
        a for i, a in existants.items() if i not in occurrences and a.statut == Statut.ACTIF
    )
    return Apercu(
        format=tableau.format,
        nombre_lignes=len(tableau.lignes),
        nouveaux=tuple(nouveaux),
        modifies=tuple(modifies),
        inchanges=inchanges,
        erreurs=tuple(erreurs),
        absents=absents,
        colonnes_absentes=tuple(c for c in COLONNES_COMPAREES if c not in tableau.colonnes),
        colonnes_ignorees=tableau.colonnes_ignorees,
    )


def appliquer_import(
    con: duckdb.DuckDBPyConnection,
    apercu: Apercu,
    *,
    auteur: str,
    nom_fichier: str,
    archiver_absents: bool = False,
    progression: Callable[[int, int], None] | None = None,
) -> ResultatImport:
    """Sauvegarde la base puis écrit tout l'aperçu en une transaction ; lève `ImportRefuse`.

    L'écriture passe par `ecriture_import.importer` : verrou optimiste et historique (action
    « import ») comme toute modification de fiche.
    """
    debut = time.perf_counter()
    sauvegarde = depot_imports.sauvegarder(
        con, conserver=config.lire_entier("SAUVEGARDES_CONSERVEES")
    )
    duree_sauvegarde = time.perf_counter() - debut
    archives = apercu.absents if archiver_absents else ()
    debut = time.perf_counter()
    try:
        importer(
            con,
            nouveaux=apercu.nouveaux,
            modifies=[(m.avant, m.apres) for m in apercu.modifies],
            archives=archives,
            auteur=auteur,
            nom_fichier=nom_fichier,
            sauvegarde=sauvegarde,
            progression=progression,
        )
    except depot_imports.ConflitImport as conflit:
        raise ImportRefuse(
            f"Rien n'a été importé : {conflit}. Refaites l'aperçu pour partir de l'état actuel."
        ) from None
    except CONFLITS_D_ECRITURE:
        raise ImportRefuse(
            "Rien n'a été importé : une fiche a été enregistrée par quelqu'un d'autre pendant"
            " l'import. Refaites l'aperçu pour partir de l'état actuel."
        ) from None
    except ERREURS_DE_LA_BASE as erreur:
        raise ImportRefuse(
            f"Rien n'a été importé : la base a refusé l'écriture ({erreur.__class__.__name__})."
            f" Une copie de la base avant import est dans {sauvegarde}."
        ) from erreur
    return ResultatImport(
        ajoutes=len(apercu.nouveaux),
        modifies=len(apercu.modifies),
        archives=len(archives),
        sauvegarde=sauvegarde,
        duree_sauvegarde=duree_sauvegarde,
        duree_ecriture=time.perf_counter() - debut,
    )


_DOUBLONS_CITES = 5


def _doublon(identifiant: str, numero: int, numeros: list[int]) -> ErreurDonnees:
    """Au plus quelques lignes citées : 50 000 lignes au même identifiant feraient sinon
    50 000 messages de 50 000 numéros chacun (des Go)."""
    autres = [n for n in numeros[: _DOUBLONS_CITES + 1] if n != numero][:_DOUBLONS_CITES]
    cites = ", ".join(str(n) for n in autres)
    if len(numeros) - 1 > len(autres):
        cites += f" et {len(numeros) - 1 - len(autres)} autres"
    if len(identifiant) > 100:
        identifiant = identifiant[:99] + "…"
    return ErreurDonnees(
        numero,
        "id",
        f"« {identifiant} » apparaît aussi ligne {cites} : aucune de ces lignes n'est importée",
    )


def _completer(champs: dict[str, str], avant: Acteur | None) -> dict[str, str]:
    """Une colonne absente du fichier garde la valeur en base ; une position « commune » suit
    la commune (sinon changer de commune laisserait le point dans l'ancienne)."""
    complets = dict(champs)
    gardes = vers_textes(avant) if avant is not None else {}
    for colonne, valeur in gardes.items():
        complets.setdefault(colonne, valeur)
    if gardes and not (complets.get("date_maj") or "").strip():
        complets["date_maj"] = gardes["date_maj"]
    if avant is not None and _position_masquee(complets, avant):
        # Toute version publique vide l'adresse d'un lieu confidentiel et le ramène à sa commune :
        # ce vide ne dit rien de sa position, la fiche garde son adresse et son point exacts.
        for colonne in ("adresse", "latitude", "longitude", "precision_localisation"):
            complets[colonne] = gardes[colonne]
        if not (complets.get("complement_adresse") or "").strip():
            complets["complement_adresse"] = gardes["complement_adresse"]
        return complets
    if _precision(complets) in _AU_CENTRE_DE_LA_COMMUNE:
        complets["latitude"] = complets["longitude"] = ""
    return complets


_AU_CENTRE_DE_LA_COMMUNE = (Precision.COMMUNE.value, Precision.COMMUNE.libelle)


def _precision(champs: dict[str, str]) -> str:
    return (champs.get("precision_localisation") or "").strip()


def _position_masquee(champs: dict[str, str], avant: Acteur) -> bool:
    """Vrai si la ligne d'une fiche confidentielle n'a ni adresse ni position à elle, dans la
    même commune (un déménagement, lui, change la position)."""
    if not avant.adresse_confidentielle or (champs.get("adresse") or "").strip():
        return False
    if (champs.get("code_insee") or "").strip() != avant.code_insee:
        return False
    sans_coordonnees = not (champs.get("latitude") or "").strip()
    return _precision(champs) in _AU_CENTRE_DE_LA_COMMUNE or (
        not _precision(champs) and sans_coordonnees
    )


def _differences(avant: Acteur, apres: Acteur) -> tuple[str, ...]:
    texte_avant = vers_textes(avant, COLONNES_COMPAREES)
    texte_apres = vers_textes(apres, COLONNES_COMPAREES)
    return tuple(c for c in COLONNES_COMPAREES if texte_avant[c] != texte_apres[c])


def _date_du_jour(acteur: Acteur, avant: Acteur | None, aujourd_hui: date) -> Acteur:
    """Une fiche créée ou changée sans nouvelle date de mise à jour prend celle du jour."""
    date_maj = acteur.date_maj
    if date_maj is None or (avant is not None and date_maj == avant.date_maj):
        date_maj = aujourd_hui
    # Un import ne vérifie rien : la fiche garde la date de sa dernière vérification réelle.
    verification = None if avant is None else avant.date_verification
    return replace(acteur, date_maj=date_maj, date_verification=verification)


def derniers_imports(
    con: duckdb.DuckDBPyConnection, limite: int = 20
) -> list[depot_imports.EntreeJournal]:
    """Les derniers imports (qui, quand, quoi, sauvegarde prise avant), du plus récent."""
    return depot_imports.journal(con, limite)
