"""Copies de toute la base et restauration, pour les deux moteurs.

- DuckDB : `COPY FROM DATABASE` vers un fichier `.duckdb` (instantané transactionnel, pris
  pendant que l'application tourne) ; restaurer, c'est remettre ce fichier à la place de la
  base, application arrêtée (DuckDB n'admet qu'un programme à la fois).
- PostgreSQL : `pg_dump --format=custom` (instantané cohérent, sans arrêter personne) ;
  `pg_restore` en une seule transaction, pendant que l'application tourne : les requêtes des
  autres processus attendent la fin de la restauration, puis voient l'état restauré.

Une copie reçoit un nouvel identifiant de base (`meta.identifiant_base`) : l'index de recherche
d'un processus est rattaché à cet identifiant, et une base restaurée doit le reconstruire même
si ses fiches ont, par hasard, le même nombre et la même somme de versions que l'état effacé.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import duckdb
import psycopg

from cartographie import config
from cartographie.horloge import maintenant
from cartographie.stockage.dialecte import est_postgresql, est_url_postgresql

DOSSIER_PAR_DEFAUT_POSTGRESQL = config.RACINE / "var" / "sauvegardes"
_BINAIRES = Path("/usr/lib/postgresql/15/bin")
ATTENTE_VERROUS_S = 60
_NOUVEL_IDENTIFIANT = (
    "UPDATE meta SET valeur = CAST(gen_random_uuid() AS VARCHAR) WHERE cle = 'identifiant_base'"
)


class SauvegardeImpossible(RuntimeError):
    """La copie ou la restauration a échoué ; le message dit pourquoi, en français."""


def chemin_fichier(con: duckdb.DuckDBPyConnection) -> Path | None:
    """Le fichier DuckDB de la base ouverte (None pour une base en mémoire ou PostgreSQL)."""
    if est_postgresql(con):
        return None
    ligne = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return Path(ligne[0]) if ligne and ligne[0] else None


def nom_de_base(con: duckdb.DuckDBPyConnection) -> str:
    """Le nom qui préfixe les copies : celui du fichier, ou de la base PostgreSQL."""
    if est_postgresql(con):
        return con.execute("SELECT current_database()").fetchone()[0]
    fichier = chemin_fichier(con)
    if fichier is None:
        raise SauvegardeImpossible("Une base en mémoire ne peut pas être sauvegardée.")
    return fichier.stem


def dossier_par_defaut(con: duckdb.DuckDBPyConnection) -> Path:
    """`CARTOGRAPHIE_SAUVEGARDES` si posé ; sinon `sauvegardes/` à côté du fichier DuckDB, ou
    `var/sauvegardes/` du projet pour PostgreSQL."""
    if reglage := config.lire("SAUVEGARDES"):
        return Path(reglage)
    fichier = chemin_fichier(con)
    return DOSSIER_PAR_DEFAUT_POSTGRESQL if fichier is None else fichier.parent / "sauvegardes"


def extension(con: duckdb.DuckDBPyConnection) -> str:
    """`.dump` (format de pg_dump) ou `.duckdb`."""
    return ".dump" if est_postgresql(con) else ".duckdb"


def copier(
    con: duckdb.DuckDBPyConnection, dossier: Path | None = None, motif: str = "sauvegarde"
) -> Path:
    """Une copie cohérente de toute la base, nommée `<base>-<motif>-<horodatage>` ; son chemin."""
    dossier = dossier or dossier_par_defaut(con)
    dossier.mkdir(parents=True, exist_ok=True)
    horodatage = maintenant().strftime("%Y%m%d-%H%M%S-%f")
    cible = dossier / f"{nom_de_base(con)}-{motif}-{horodatage}{extension(con)}"
    if est_postgresql(con):
        _pg_dump(con.url, cible)  # type: ignore[attr-defined]
    else:
        _copier_duckdb(con, cible)
    return cible


def elaguer(con: duckdb.DuckDBPyConnection, dossier: Path, motif: str, conserver: int) -> None:
    """Ne garde que les `conserver` copies les plus récentes de ce motif."""
    anciennes = sorted(dossier.glob(f"{nom_de_base(con)}-{motif}-*{extension(con)}"))
    for ancienne in anciennes[: max(0, len(anciennes) - conserver)]:
        ancienne.unlink(missing_ok=True)


def _copier_duckdb(con: duckdb.DuckDBPyConnection, cible: Path) -> None:
    # `COPY FROM DATABASE` lit un instantané transactionnel : une écriture concurrente d'une
    # autre session ne peut pas donner une copie à moitié à jour, contrairement à une copie du
    # fichier.
    alias = f"sauvegarde_{uuid.uuid4().hex}"
    source = con.execute("SELECT current_database()").fetchone()[0]
    # ATTACH n'accepte pas de paramètre `?` : le chemin, construit ici, est échappé à la main.
    chemin_sql = str(cible).replace("'", "''")
    con.execute(f"ATTACH '{chemin_sql}' AS {alias}")
    try:
        con.execute(f'COPY FROM DATABASE "{source}" TO {alias}')
        # Une autre base, un autre identifiant : ouverte dans le même processus que l'originale,
        # elle ne doit pas hériter de son index de recherche.
        con.execute(
            f"UPDATE {alias}.meta SET valeur = CAST(uuid() AS VARCHAR)"
            " WHERE cle = 'identifiant_base'"
        )
    finally:
        con.execute(f"DETACH {alias}")


def _binaire(nom: str) -> str:
    chemin = _BINAIRES / nom
    if chemin.exists():
        return str(chemin)
    trouve = shutil.which(nom)
    if trouve is None:
        raise SauvegardeImpossible(
            f"{nom} est introuvable : installez le paquet postgresql-client-15"
            " (bash scripts/installer_postgresql.sh)."
        )
    return trouve


def _executer(commande: list[str], environnement: dict[str, str] | None = None) -> None:
    # Binaires de PostgreSQL et chemins construits ici : rien de saisi n'entre dans la commande.
    resultat = subprocess.run(  # noqa: S603
        commande, capture_output=True, text=True, check=False, env=environnement
    )
    if resultat.returncode != 0:
        raise SauvegardeImpossible(
            f"{Path(commande[0]).name} a échoué (code {resultat.returncode}) :"
            f" {resultat.stderr.strip()[-2000:]}"
        )


def _pg_dump(url: str, cible: Path) -> None:
    # Écrit à côté puis renommé : une copie interrompue ne passe jamais pour une copie complète.
    partielle = cible.with_suffix(cible.suffix + ".partielle")
    _executer([_binaire("pg_dump"), "--format=custom", f"--file={partielle}", f"--dbname={url}"])
    os.replace(partielle, cible)


def restaurer(cible_base: Path | str, fichier: Path) -> None:
    """Remet la base dans l'état de la copie `fichier` (produite par `copier`).

    DuckDB : le fichier de la base est remplacé (application arrêtée ; l'ancien est gardé à
    côté, suffixé `.avant-restauration`). PostgreSQL : `pg_restore --clean` en une transaction,
    sans toucher à l'extension PostGIS, puis un nouvel identifiant de base.
    """
    if not fichier.is_file():
        raise SauvegardeImpossible(f"Copie introuvable : {fichier}")
    if not est_url_postgresql(cible_base):
        base = Path(cible_base)
        if base.exists():
            shutil.copy2(base, base.with_name(base.name + ".avant-restauration"))
        wal = base.with_name(base.name + ".wal")
        wal.unlink(missing_ok=True)  # un journal d'une autre base ne doit pas être rejoué
        temporaire = base.with_name(base.name + ".restauration")
        shutil.copy2(fichier, temporaire)
        os.replace(temporaire, base)
        with duckdb.connect(str(base)) as con:
            con.execute(_NOUVEL_IDENTIFIANT)
        return
    url = str(cible_base)
    with tempfile.TemporaryDirectory(prefix="cartographie-restauration-") as dossier:
        liste = Path(dossier) / "liste"
        sortie = subprocess.run(  # noqa: S603
            [_binaire("pg_restore"), "--list", str(fichier)],
            capture_output=True,
            text=True,
            check=False,
        )
        if sortie.returncode != 0:
            raise SauvegardeImpossible(f"Copie illisible par pg_restore : {sortie.stderr.strip()}")
        # L'extension PostGIS appartient au serveur : ni supprimée ni recréée par la restauration.
        liste.write_text(
            "\n".join(ligne for ligne in sortie.stdout.splitlines() if " EXTENSION " not in ligne)
        )
        _executer(
            [
                _binaire("pg_restore"),
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--no-owner",
                f"--use-list={liste}",
                f"--dbname={url}",
                str(fichier),
            ],
            # Les requêtes des autres processus sont brèves : un verrou qui ne vient pas en
            # une minute est tenu par autre chose (une session psql oubliée) ; on le dit.
            {**os.environ, "PGOPTIONS": f"-c lock_timeout={ATTENTE_VERROUS_S}s"},
        )
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(_NOUVEL_IDENTIFIANT)
