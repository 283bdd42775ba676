"""Table `signalement` : la file des erreurs signalées par le public, traitée par la DDFE."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from cartographie.horloge import depuis_la_base, pour_la_base
from cartographie.modele import StatutSignalement

_COLONNES = (
    "s.numero, s.acteur_id, coalesce(a.nom, ''), s.depose_le, s.probleme, s.correction,"
    " s.contact, s.statut, s.traite_le, s.traite_par, s.note"
)


@dataclass(frozen=True, slots=True)
class Signalement:
    """Un signalement, avec le nom de la fiche concernée pour la file de traitement."""

    numero: int
    acteur_id: str
    acteur_nom: str
    depose_le: datetime
    probleme: str
    correction: str
    contact: str
    statut: StatutSignalement
    traite_le: datetime | None
    traite_par: str
    note: str


def inserer(
    con: duckdb.DuckDBPyConnection,
    acteur_id: str,
    depose_le: datetime,
    probleme: str,
    correction: str,
    contact: str,
    statut: StatutSignalement = StatutSignalement.OUVERT,
) -> int:
    """Ajoute un signalement (ouvert, ou groupé) ; renvoie son numéro."""
    (numero,) = con.execute(
        "INSERT INTO signalement (acteur_id, depose_le, probleme, correction, contact, statut)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING numero",
        [acteur_id, pour_la_base(depose_le), probleme, correction, contact, str(statut)],
    ).fetchone()
    return int(numero)


def compter_depuis(con: duckdb.DuckDBPyConnection, acteur_id: str, depuis: datetime) -> int:
    """Signalements déposés sur une fiche depuis un instant et mis dans la file (les groupés,
    au-delà de la limite par fiche, ne comptent pas)."""
    (n,) = con.execute(
        "SELECT count(*) FROM signalement WHERE acteur_id = ? AND depose_le >= ? AND statut <> ?",
        [acteur_id, pour_la_base(depuis), str(StatutSignalement.GROUPE)],
    ).fetchone()
    return int(n)


def compter_groupes_depuis(con: duckdb.DuckDBPyConnection, depuis: datetime) -> int:
    """Signalements groupés (toutes fiches) déposés depuis un instant et pas encore traités."""
    (n,) = con.execute(
        "SELECT count(*) FROM signalement WHERE statut = ? AND depose_le >= ?",
        [str(StatutSignalement.GROUPE), pour_la_base(depuis)],
    ).fetchone()
    return int(n)


def traiter_groupes(
    con: duckdb.DuckDBPyConnection, acteur_id: str, quand: datetime, par: str, note: str
) -> int:
    """Marque traités tous les signalements groupés d'une fiche, contact effacé ; rend leur nombre."""
    lignes = con.execute(
        "UPDATE signalement SET statut = ?, traite_le = ?, traite_par = ?, note = ?,"
        " contact = '' WHERE acteur_id = ? AND statut = ? RETURNING numero",
        [
            str(StatutSignalement.TRAITE),
            pour_la_base(quand),
            par,
            note,
            acteur_id,
            str(StatutSignalement.GROUPE),
        ],
    ).fetchall()
    return len(lignes)


def lister(
    con: duckdb.DuckDBPyConnection, *, statut: str | None = None, acteur_id: str | None = None
) -> list[Signalement]:
    """Les signalements, les plus anciens d'abord (file d'attente), filtrés au besoin."""
    conditions, params = [], []
    if statut is not None:
        conditions.append("s.statut = ?")
        params.append(str(statut))
    if acteur_id is not None:
        conditions.append("s.acteur_id = ?")
        params.append(acteur_id)
    where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
    lignes = con.execute(
        f"SELECT {_COLONNES} FROM signalement s LEFT JOIN acteur a ON a.id = s.acteur_id"
        f"{where} ORDER BY s.depose_le, s.numero",
        params,
    ).fetchall()
    return [_signalement(ligne) for ligne in lignes]


def par_numero(con: duckdb.DuckDBPyConnection, numero: int) -> Signalement | None:
    """Un signalement par son numéro."""
    ligne = con.execute(
        f"SELECT {_COLONNES} FROM signalement s LEFT JOIN acteur a ON a.id = s.acteur_id"
        " WHERE s.numero = ?",
        [numero],
    ).fetchone()
    return _signalement(ligne) if ligne else None


def _signalement(ligne: tuple) -> Signalement:
    numero, acteur_id, nom, depose_le, probleme, correction, contact, statut, traite_le, *fin = (
        ligne
    )
    return Signalement(
        numero,
        acteur_id,
        nom,
        depuis_la_base(depose_le),
        probleme,
        correction,
        contact,
        StatutSignalement(statut),
        depuis_la_base(traite_le),
        *fin,
    )


def changer_statut(
    con: duckdb.DuckDBPyConnection,
    numero: int,
    statut: StatutSignalement,
    quand: datetime | None,
    par: str,
    note: str,
    *,
    effacer_contact: bool = False,
) -> bool:
    """Marque traité (ou rouvre), en effaçant au besoin le contact ; dit si le signalement
    existait."""
    ligne = con.execute(
        "UPDATE signalement SET statut = ?, traite_le = ?, traite_par = ?, note = ?,"
        " contact = CASE WHEN ? THEN '' ELSE contact END"
        " WHERE numero = ? RETURNING numero",
        [str(statut), quand and pour_la_base(quand), par, note, effacer_contact, numero],
    ).fetchone()
    return ligne is not None
