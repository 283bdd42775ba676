"""Table `historique_acteur` : une ligne par version d'une fiche.

Choix d'une ligne par version (et non par champ) : une version est un tout — un seul INSERT
dans la transaction de l'écriture, une seule ligne à lire pour l'afficher ou la restaurer.
Les différences (avant/après par champ) et l'état complet après le changement sont en JSON :
l'état complet permet de restaurer n'importe quelle version sans rejouer l'historique, et
l'« avant » de la version suivante redonne une version qui n'a pas de ligne (fiche chargée
depuis le CSV avant l'existence de l'historique).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

import duckdb
import pyarrow as pa

from cartographie.modele import Acteur, Axe, Precision, Public, Statut, TypeActeur

Valeur = str | float | bool | list[str] | None
"""Valeur d'un champ telle qu'elle est écrite en JSON."""

CHAMPS_SUIVIS: tuple[str, ...] = tuple(
    f.name for f in fields(Acteur) if f.name not in ("version", "territoire")
)
"""Champs dont l'historique garde l'avant/après ; le territoire se déduit de la commune."""


@dataclass(frozen=True, slots=True)
class Version:
    """Une version d'une fiche : qui, quand, quel geste, quels champs ont changé."""

    acteur_id: str
    version: int
    auteur: str
    horodatage: datetime
    action: str
    changements: dict[str, tuple[Valeur, Valeur]]
    etat: dict[str, Valeur]


def etat(acteur: Acteur) -> dict[str, Valeur]:
    """Les champs suivis d'un acteur en valeurs JSON (codes des énumérations, dates ISO)."""
    return {champ: _vers_json(getattr(acteur, champ)) for champ in CHAMPS_SUIVIS}


def acteur_depuis_etat(valeurs: dict[str, Any], version: int) -> Acteur:
    """L'inverse de `etat` ; le territoire reste vide (il se relit par jointure)."""
    v = dict(valeurs)
    return Acteur(
        **{k: v[k] for k in CHAMPS_SUIVIS if k not in _CONVERSIONS},
        **{k: conversion(v[k]) for k, conversion in _CONVERSIONS.items()},
        version=version,
    )


def _date(texte: str | None) -> date | None:
    return date.fromisoformat(texte) if texte else None


_CONVERSIONS = {
    "type": TypeActeur,
    "axes": lambda codes: tuple(Axe(c) for c in codes),
    "publics": lambda codes: tuple(Public(c) for c in codes),
    "precision_localisation": Precision,
    "statut": Statut,
    "date_maj": _date,
    "date_verification": _date,
}


def _vers_json(valeur: Any) -> Valeur:
    if isinstance(valeur, tuple):
        return [str(v) for v in valeur]
    if isinstance(valeur, date):
        return valeur.isoformat()
    if isinstance(valeur, str):
        return str(valeur)  # un membre d'énumération devient son code
    return valeur


def differences(
    avant: dict[str, Valeur] | None, apres: dict[str, Valeur]
) -> dict[str, tuple[Valeur, Valeur]]:
    """Champ → (avant, après) pour chaque champ qui change ; tout est nouveau si `avant` est None."""
    return {
        champ: (None if avant is None else avant.get(champ), valeur)
        for champ, valeur in apres.items()
        if avant is None or avant.get(champ) != valeur
    }


def ajouter(
    con: duckdb.DuckDBPyConnection,
    acteur_id: str,
    version: int,
    auteur: str,
    horodatage: datetime,
    action: str,
    changements: dict[str, tuple[Valeur, Valeur]],
    etat_apres: dict[str, Valeur],
) -> None:
    """Enregistre une version (dans la transaction de l'écriture qu'elle décrit)."""
    con.execute(
        "INSERT INTO historique_acteur"
        " (acteur_id, version, auteur, horodatage, action, changements, etat)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            acteur_id,
            version,
            auteur,
            horodatage,
            action,
            json.dumps(
                {c: {"avant": a, "apres": b} for c, (a, b) in changements.items()},
                ensure_ascii=False,
            ),
            json.dumps(etat_apres, ensure_ascii=False),
        ],
    )


def ajouter_lot(
    con: duckdb.DuckDBPyConnection,
    lignes: Sequence[
        tuple[str, int, str, datetime, str, dict[str, tuple[Valeur, Valeur]], dict[str, Valeur]]
    ],
) -> None:
    """Enregistre d'un coup les versions d'un import (ligne à ligne, 50 000 prendraient minutes)."""
    if not lignes:
        return
    table = pa.table(
        {
            "acteur_id": pa.array([ligne[0] for ligne in lignes], type=pa.string()),
            "version": pa.array([ligne[1] for ligne in lignes], type=pa.int32()),
            "auteur": pa.array([ligne[2] for ligne in lignes], type=pa.string()),
            "horodatage": pa.array([ligne[3] for ligne in lignes], type=pa.timestamp("us")),
            "action": pa.array([ligne[4] for ligne in lignes], type=pa.string()),
            "changements": pa.array(
                [
                    json.dumps(
                        {c: {"avant": a, "apres": b} for c, (a, b) in ligne[5].items()},
                        ensure_ascii=False,
                    )
                    for ligne in lignes
                ],
                type=pa.string(),
            ),
            "etat": pa.array(
                [json.dumps(ligne[6], ensure_ascii=False) for ligne in lignes], type=pa.string()
            ),
        }
    )
    nom = f"versions_{uuid.uuid4().hex}"
    con.register(nom, table)
    try:
        con.execute(
            "INSERT INTO historique_acteur"
            " (acteur_id, version, auteur, horodatage, action, changements, etat)"
            f" SELECT acteur_id, version, auteur, horodatage, action, changements, etat FROM {nom}"
        )
    finally:
        con.unregister(nom)


def lister(
    con: duckdb.DuckDBPyConnection, acteur_id: str, depuis_version: int = 0
) -> list[Version]:
    """Les versions d'une fiche postérieures à `depuis_version`, la plus récente d'abord."""
    lignes = con.execute(
        "SELECT acteur_id, version, auteur, horodatage, action, changements, etat"
        " FROM historique_acteur WHERE acteur_id = ? AND version > ? ORDER BY version DESC",
        [acteur_id, depuis_version],
    ).fetchall()
    return [_version(ligne) for ligne in lignes]


def _version(ligne: tuple) -> Version:
    acteur_id, version, auteur, horodatage, action, changements, etat_json = ligne
    return Version(
        acteur_id,
        version,
        auteur,
        horodatage,
        action,
        {c: (d["avant"], d["apres"]) for c, d in json.loads(changements).items()},
        json.loads(etat_json),
    )


def etat_a_version(
    con: duckdb.DuckDBPyConnection, acteur_id: str, version: int
) -> dict[str, Valeur] | None:
    """L'état complet de la fiche à `version`, ou None s'il n'est plus connu."""
    lignes = con.execute(
        "SELECT acteur_id, version, auteur, horodatage, action, changements, etat"
        " FROM historique_acteur WHERE acteur_id = ? AND version IN (?, ?) ORDER BY version",
        [acteur_id, version, version + 1],
    ).fetchall()
    versions = {v.version: v for v in map(_version, lignes)}
    if version in versions:
        return versions[version].etat
    suivante = versions.get(version + 1)
    if suivante is None:
        return None
    return suivante.etat | {c: avant for c, (avant, _) in suivante.changements.items()}
