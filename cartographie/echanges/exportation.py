"""Exports de l'annuaire : CSV pour tableur, GeoJSON, JSON au format data·inclusion.

L'export public part de `annuaire.acteurs_publics` (actifs, adresses confidentielles masquées) ;
seul l'export complet de l'administration contient les adresses confidentielles, et son nom de
fichier le dit.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

import duckdb

from cartographie import horloge
from cartographie.echanges.lecture_tableur import CARACTERES_FORMULE, COLONNE_VERSION_PUBLIQUE
from cartographie.modele import (
    COLONNES_CSV,
    Acteur,
    Frais,
    ModeAccueil,
    ModeOrientation,
    Public,
    TypeActeur,
    champs,
)
from cartographie.modele.champs import colonnes, vers_textes
from cartographie.recherche.annuaire import acteurs_publics
from cartographie.stockage import acteurs as depot_acteurs

SOURCE_DATA_INCLUSION = "cartographie-vif-isere"
FORMATS = ("csv", "geojson", "data_inclusion")
TYPES_MIME = {
    "csv": "text/csv",
    "geojson": "application/geo+json",
    "data_inclusion": "application/json",
}
_EXTENSIONS = {"csv": "csv", "geojson": "geojson", "data_inclusion": "json"}

# Correspondances vers les référentiels data·inclusion (schéma v1 : `thematiques`, `publics`).
_THEMATIQUES = {
    TypeActeur.ACCUEIL_DE_JOUR: ("famille--violences-intrafamiliales",),
    TypeActeur.LEAO: ("famille--violences-intrafamiliales",),
    TypeActeur.HEBERGEMENT: ("logement-hebergement--mal-loges-sans-logis",),
    TypeActeur.ERPE: ("famille--soutien-a-la-parentalite",),
    TypeActeur.ISCG: ("acces-aux-droits-et-citoyennete--aide-aux-victimes",),
    TypeActeur.AIDE_VICTIMES: ("acces-aux-droits-et-citoyennete--aide-aux-victimes",),
    TypeActeur.ACCES_DROIT: ("acces-aux-droits-et-citoyennete--accompagnement-juridique",),
    TypeActeur.AUTEURS: ("famille--violences-intrafamiliales",),
    TypeActeur.SANTE: ("sante--accompagner-les-traumatismes",),
    TypeActeur.PLANNING_FAMILIAL: ("sante--vie-relationnelle-et-affective",),
    TypeActeur.FORCES_ORDRE: ("acces-aux-droits-et-citoyennete--aide-aux-victimes",),
    TypeActeur.JUSTICE: ("acces-aux-droits-et-citoyennete--accompagnement-juridique",),
    TypeActeur.INSTITUTION: ("acces-aux-droits-et-citoyennete",),
    TypeActeur.PROSTITUTION: ("acces-aux-droits-et-citoyennete--aide-aux-victimes",),
    TypeActeur.LOGEMENT_INSERTION: ("logement-hebergement--etre-accompagne-pour-se-loger",),
    TypeActeur.ACTION_SOCIALE: ("famille--soutien-aux-familles",),
    TypeActeur.EDUCATION: ("famille--information-et-accompagnement-des-parents",),
}
_PUBLICS = {
    Public.FEMMES_VICTIMES: ("femmes", "personnes-en-situation-durgence"),
    Public.ENFANTS_COVICTIMES: ("familles",),
    Public.AUTEURS: ("personnes-en-situation-juridique-specifique",),
    Public.FEMMES_ETRANGERES: ("femmes", "personnes-exilees"),
    Public.JEUNES: ("jeunes",),
    Public.PROSTITUTION: ("personnes-en-situation-durgence",),
    Public.FAMILLES: ("familles",),
    Public.PROFESSIONNELS: ("actifs",),
    Public.GRAND_PUBLIC: (),
}


@dataclass(frozen=True, slots=True)
class Export:
    """Un fichier prêt à télécharger."""

    nom_fichier: str
    contenu: bytes
    type_mime: str
    nombre: int


def exporter(con: duckdb.DuckDBPyConnection, format_export: str, *, complet: bool) -> Export:
    """Export public (par défaut) ou complet avec adresses confidentielles (administration)."""
    if format_export not in FORMATS:
        raise ValueError(f"Format d'export inconnu : {format_export}")
    acteurs = depot_acteurs.lister(con, statut=None) if complet else acteurs_publics(con)
    if format_export == "csv":
        contenu = csv_tableur(acteurs, version_publique=not complet)
    else:
        contenu = {"geojson": geojson, "data_inclusion": data_inclusion}[format_export](acteurs)
    return Export(
        nom_fichier(format_export, complet=complet),
        contenu,
        TYPES_MIME[format_export],
        len(acteurs),
    )


def nom_fichier(format_export: str, *, complet: bool) -> str:
    """Le nom du fichier dit s'il contient des adresses protégées."""
    portee = "COMPLET-CONFIDENTIEL-adresses-protegees-incluses" if complet else "public"
    return (
        f"acteurs-isere-{portee}-{horloge.aujourd_hui().isoformat()}.{_EXTENSIONS[format_export]}"
    )


def neutraliser(cellule: str) -> str:
    """Empêche un tableur d'exécuter une cellule comme formule (`=`, `+`, `-`, `@` en tête)."""
    return "'" + cellule if cellule.startswith(CARACTERES_FORMULE) else cellule


def csv_tableur(acteurs: list[Acteur], *, version_publique: bool = False) -> bytes:
    """CSV qu'Excel en français ouvre tel quel : UTF-8 avec BOM, `;`, formules neutralisées.

    La version publique porte une colonne `version_publique` = `oui` qui fait refuser son
    import : ses adresses confidentielles sont masquées, l'importer les effacerait.
    """
    tampon = io.StringIO(newline="")
    ecrivain = csv.writer(tampon, delimiter=";", lineterminator="\r\n")
    marque = [COLONNE_VERSION_PUBLIQUE] if version_publique else []
    noms = colonnes(type(acteurs[0]), "csv") if acteurs else COLONNES_CSV
    ecrivain.writerow([*noms, *marque])
    for acteur in acteurs:
        champs = vers_textes(acteur)
        ecrivain.writerow([*(neutraliser(champs[c]) for c in noms), *(["oui"] * len(marque))])
    return tampon.getvalue().encode("utf-8-sig")


def geojson(acteurs: list[Acteur]) -> bytes:
    """Une FeatureCollection de points (lon, lat) ; les acteurs sans position n'ont pas de géométrie."""
    entites = []
    for acteur in acteurs:
        proprietes = {
            c: v for c, v in vers_textes(acteur).items() if c not in ("latitude", "longitude")
        }
        proprietes["axes"] = [str(a) for a in acteur.axes]
        proprietes["publics"] = [str(p) for p in acteur.publics]
        proprietes["adresse_confidentielle"] = acteur.adresse_confidentielle
        geometrie = None
        if acteur.latitude is not None and acteur.longitude is not None:
            geometrie = {"type": "Point", "coordinates": [acteur.longitude, acteur.latitude]}
        entites.append(
            {"type": "Feature", "id": acteur.id, "geometry": geometrie, "properties": proprietes}
        )
    collection = {"type": "FeatureCollection", "features": entites}
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")


# Vocabulaires data·inclusion (schéma v1 : `modes_accueil`, `modes_mobilisation`,
# `mobilisable_par`, `frais`) : nos référentiels sont plus fins, on dit le reste en précisions.
_MODES_ACCUEIL = {
    ModeAccueil.SUR_PLACE: "en-presentiel",
    ModeAccueil.TELEPHONE: "a-distance",
    ModeAccueil.A_DISTANCE: "a-distance",
}
_MODES_MOBILISATION = {
    ModeOrientation.SANS_RENDEZ_VOUS: "se-presenter",
    ModeOrientation.SUR_RENDEZ_VOUS: "telephoner",
    ModeOrientation.TELEPHONE: "telephoner",
    ModeOrientation.COURRIEL: "envoyer-un-courriel",
    ModeOrientation.VIA_115: "telephoner",
}
_FRAIS = {
    Frais.GRATUIT: "gratuit",
    Frais.GRATUIT_SOUS_CONDITIONS: "gratuit",
    Frais.PAYANT: "payant",
}


def _vocabulaire(acteur: Acteur) -> dict[str, object]:
    """Les champs de service dont les valeurs se traduisent dans le vocabulaire data·inclusion."""
    modes = acteur.modes_orientation
    mobilisable_par = sorted(
        {"professionnels" if m is ModeOrientation.PROFESSIONNEL else "usagers" for m in modes}
    )
    return {
        "modes_accueil": sorted({_MODES_ACCUEIL[m] for m in acteur.modes_accueil}) or None,
        "modes_mobilisation": sorted(
            {_MODES_MOBILISATION[m] for m in modes if m in _MODES_MOBILISATION}
        )
        or None,
        "mobilisable_par": mobilisable_par or None,
        "mobilisation_precisions": ", ".join(m.libelle for m in modes) or None,
        "frais": _FRAIS[acteur.frais] if acteur.frais else None,
        "frais_precisions": acteur.frais.libelle
        if acteur.frais is Frais.GRATUIT_SOUS_CONDITIONS
        else None,
    }


def _champs_data_inclusion(acteur: Acteur) -> dict[str, object]:
    """Les champs que la déclaration de la fiche relie à data·inclusion (vide → null)."""
    valeurs = {
        c.data_inclusion: c.codec.vers_json(getattr(acteur, c.nom))
        for c in champs(type(acteur))
        if c.data_inclusion and c.data_inclusion not in _PROPRES
    }
    return {nom: None if v in ("", []) else v for nom, v in valeurs.items()}


# Champs data·inclusion que l'export remplit lui-même (le service a son nom, son identifiant ;
# les vocabulaires se traduisent par `_vocabulaire`).
_PROPRES = frozenset(
    {"id", "nom", "description", "date_maj", "modes_accueil", "modes_mobilisation", "frais"}
)
# Champs propres au service : une structure ne les porte pas.
_DU_SERVICE = frozenset({"conditions_acces", "zone_eligibilite"})


def data_inclusion(acteurs: list[Acteur]) -> bytes:
    """Structures et services au schéma data·inclusion : une structure et un service par acteur."""
    structures, services = [], []
    for a in acteurs:
        declares = _champs_data_inclusion(a)
        lieu = {nom: v for nom, v in declares.items() if nom not in _DU_SERVICE}
        date_maj = a.date_maj.isoformat() if a.date_maj else None
        description = a.description
        if a.horaires_precisions:
            # Ce que la syntaxe OpenStreetMap ne dit pas (le schéma n'a pas de champ pour cela).
            description = f"{description}\nHoraires : {a.horaires_precisions}".strip()
        structures.append(
            {
                "source": SOURCE_DATA_INCLUSION,
                "id": a.id,
                "nom": a.nom,
                "description": description,
                "date_maj": date_maj,
                **lieu,
            }
        )
        publics = sorted({p for public in a.publics for p in _PUBLICS[public]})
        services.append(
            {
                "source": SOURCE_DATA_INCLUSION,
                "structure_id": a.id,
                "id": a.id,
                "nom": a.type.libelle,
                "description": description,
                "date_maj": date_maj,
                "thematiques": list(_THEMATIQUES[a.type]),
                "publics": publics,
                **declares,
                **_vocabulaire(a),
            }
        )
    document = {"structures": structures, "services": services}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
