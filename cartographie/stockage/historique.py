"""Table `historique_acteur` : une ligne par version d'une fiche.

Choix d'une ligne par version (et non par champ) : une version est un tout — un seul INSERT
dans la transaction de l'écriture, une seule ligne à lire pour l'afficher ou la restaurer.
Les différences (avant/après par champ) et l'état complet après le changement sont en JSON
(codés par `cartographie.edition.versions`) :
l'état complet permet de restaurer n'importe quelle version sans rejouer l'historique, et
l'« avant » de la version suivante redonne une version qui n'a pas de ligne (fiche chargée
depuis le CSV avant l'existence de l'historique).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from cartographie.horloge import depuis_la_base, pour_la_base
from cartographie.modele.champs import Valeur
from cartographie.stockage.dialecte import est_postgresql


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
            pour_la_base(horodatage),
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
            "horodatage": pa.array(
                [pour_la_base(ligne[3]) for ligne in lignes], type=pa.timestamp("us")
            ),
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
    if est_postgresql(con):
        # PostgreSQL : COPY droit dans la table (l'équivalent d'une table Arrow enregistrée).
        con.copier(  # type: ignore[attr-defined]
            f"COPY historique_acteur ({', '.join(table.column_names)}) FROM STDIN",
            (tuple(ligne.values()) for ligne in table.to_pylist()),
        )
        return
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
        depuis_la_base(horodatage),
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
