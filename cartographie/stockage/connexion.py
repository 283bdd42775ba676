"""Ouverture de la base prête à l'emploi, schéma à jour : un fichier DuckDB (extension spatiale
chargée hors ligne) ou, pour une URL `postgresql://…`, le serveur PostgreSQL (voir `postgresql`).

`BasePartagee` est la base d'un processus qui sert longtemps (l'application) : elle s'ouvre au
premier besoin, et se rouvre après une erreur fatale de DuckDB, qui invalide la connexion et
ferait sinon tomber toutes les pages jusqu'au redémarrage.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

import duckdb
import duckdb_extension_spatial

from cartographie.stockage import postgresql, schema
from cartographie.stockage.dialecte import BaseIndisponible, est_url_postgresql

# Sans réseau, DuckDB ne doit jamais tenter d'installer ou de charger une extension seul :
# on charge le binaire livré par le paquet PyPI, qui correspond exactement à duckdb 1.5.5.
_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
EXTENSION_SPATIALE = (
    Path(duckdb_extension_spatial.__file__).parent
    / "extensions"
    / f"v{duckdb.__version__}"
    / "spatial.duckdb_extension"
)
# « Conflicting lock is held in /usr/bin/python3.11 (PID 1234) » : qui tient le fichier.
_DETENTEUR = re.compile(r"lock is held in (?P<programme>\S+) \(PID (?P<pid>\d+)\)")


__all__ = ["BaseIndisponible", "BasePartagee", "ouvrir"]


def ouvrir(chemin: Path | str, *, lecture_seule: bool = False) -> duckdb.DuckDBPyConnection:
    """Ouvre (ou crée) la base, charge l'extension spatiale et applique les migrations.

    Lève `BaseIndisponible` si un autre programme tient le fichier : DuckDB n'admet qu'un
    processus qui écrit à la fois. Une URL `postgresql://…` ouvre le serveur (un pool de
    connexions), qui admet autant de processus qu'on veut : migrations appliquées sous un verrou
    consultatif (`schema.migrer`), si bien que plusieurs processus peuvent démarrer ensemble.
    """
    if est_url_postgresql(chemin):
        con = postgresql.ouvrir(str(chemin))
        try:
            if not lecture_seule:
                schema.migrer(con)
        except Exception:
            con.close()
            raise
        return con  # type: ignore[return-value]  # même interface que DuckDBPyConnection
    if str(chemin) != ":memory:":
        Path(chemin).parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(chemin), read_only=lecture_seule, config=_CONFIG)
    except duckdb.IOException as erreur:
        if "lock" not in str(erreur):
            raise
        raise BaseIndisponible(message_verrou(chemin, str(erreur))) from None
    try:
        con.load_extension(str(EXTENSION_SPATIALE))
        if not lecture_seule:
            schema.migrer(con)
    except Exception:
        con.close()
        raise
    return con


def message_verrou(chemin: Path | str, erreur: str) -> str:
    """Le refus de DuckDB (fichier verrouillé) dit en français, avec le programme qui le tient."""
    detenteur = _DETENTEUR.search(erreur)
    qui = (
        f"le programme {Path(detenteur['programme']).name} (processus {detenteur['pid']})"
        if detenteur
        else "un autre programme"
    )
    return (
        f"La base {chemin} est ouverte par {qui} : DuckDB n'admet qu'un programme à la fois."
        " Si c'est l'application (make run), arrêtez-la (Ctrl+C dans son terminal) le temps de"
        " la commande, ou faites le geste depuis l'espace DDFE ; sinon attendez la fin de la"
        " commande en cours, puis recommencez."
    )


class BasePartagee:
    """La connexion d'un processus à sa base, ouverte au premier besoin, rouverte si invalidée.

    Un curseur par appel (`curseur()`), jamais partagé entre fils. Après une `FatalException`
    de DuckDB, toute requête sur la connexion échoue jusqu'à ce qu'elle soit fermée puis rouverte :
    `reparer()` le fait, une seule fois même si plusieurs sessions le demandent ensemble.
    """

    def __init__(
        self,
        chemin: Path | str,
        preparer: Callable[[duckdb.DuckDBPyConnection], object] | None = None,
    ) -> None:
        self.chemin = str(chemin)
        self._preparer = preparer
        self._con: duckdb.DuckDBPyConnection | None = None
        self._verrou = threading.Lock()
        self.reouvertures = 0

    def curseur(self) -> duckdb.DuckDBPyConnection:
        """Un curseur neuf ; ouvre la base si besoin (lève `BaseIndisponible` si impossible)."""
        con = self._con
        if con is None:
            with self._verrou:
                if self._con is None:
                    self._con = self._ouvrir()
                con = self._con
        return con.cursor()

    # Même nom que `DuckDBPyConnection.cursor` : la base partagée tient lieu de connexion pour
    # ceux qui ne font qu'en tirer des curseurs (géocodeur, enregistreur des consultations).
    cursor = curseur

    def reparer(self) -> bool:
        """Rouvre la base si sa connexion est invalidée ; dit si elle l'a fait."""
        with self._verrou:
            if self._con is not None:
                try:
                    self._con.execute("SELECT 1")
                except duckdb.FatalException:
                    self._fermer()
                else:
                    return False
            self._con = self._ouvrir()
            self.reouvertures += 1
            return True

    def fermer(self) -> None:
        """Ferme la connexion (et ses curseurs) ; la suivante se rouvrira au besoin."""
        with self._verrou:
            self._fermer()

    def _fermer(self) -> None:
        if self._con is not None:
            # Fermer la connexion ferme ses curseurs et libère l'instance DuckDB invalidée :
            # sans cela, `duckdb.connect` rendrait la même instance, toujours hors d'usage.
            self._con.close()
            self._con = None

    def _ouvrir(self) -> duckdb.DuckDBPyConnection:
        try:
            con = ouvrir(self.chemin)
        except duckdb.FatalException as erreur:
            raise BaseIndisponible(
                "La base a rencontré une erreur grave et n'a pas pu être rouverte : un autre"
                " fil la tient peut-être encore. Nouvel essai au prochain affichage."
            ) from erreur
        if self._preparer is not None:
            try:
                self._preparer(con)
            except Exception:
                con.close()
                raise
        return con
