"""Le serveur PostgreSQL derrière la même interface qu'une connexion DuckDB.

Pourquoi une façade plutôt que deux jeux de fonctions : tout le stockage (et les fonctions
métier qui reçoivent `con`) parle déjà l'interface de DuckDB — `execute(sql, [params])` avec des
`?`, `fetchone()`/`fetchall()`, `cursor()`, une écriture hors transaction validée aussitôt.
`ConnexionPostgres` la reproduit sur un pool de connexions psycopg 3 :

- hors transaction, chaque requête emprunte une connexion du pool (autocommit), lit tout son
  résultat et la rend : un curseur oublié ne retient jamais de connexion ;
- `begin()` épingle une connexion jusqu'à `commit()`/`rollback()` (REPEATABLE READ : comme
  DuckDB, un instantané par transaction, et une écriture concurrente sur la même ligne est
  refusée plutôt qu'écrasée) ;
- une requête sans résultat (INSERT, UPDATE, DELETE) rend, comme DuckDB, une ligne : le nombre
  de lignes touchées ;
- les `?` deviennent les `%s` de psycopg (hors chaînes et identifiants entre guillemets).

Les heures sont stockées en TIMESTAMP sans fuseau, en UTC (`cartographie.horloge`) : chaque
connexion a `TimeZone = UTC`, si bien que `current_timestamp` écrit aussi de l'UTC.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
import psycopg.errors
from psycopg_pool import ConnectionPool, PoolTimeout

from cartographie.stockage.dialecte import POSTGRESQL, BaseIndisponible

TAILLE_POOL = 8
"""Connexions au plus par processus : une requête les tient quelques millisecondes."""
ATTENTE_CONNEXION_S = 10.0


class ServeurInjoignable(BaseIndisponible):
    """Le serveur ne répond pas (arrêté, redémarrage, pool épuisé) ; message en français."""


@functools.lru_cache(maxsize=4096)
def en_psycopg(sql: str) -> str:
    """Les `?` d'une requête DuckDB en `%s`, les `%` littéraux doublés (hors chaînes SQL)."""
    sortie: list[str] = []
    guillemet: str | None = None
    for caractere in sql:
        if guillemet is not None:
            if caractere == guillemet:
                guillemet = None
            sortie.append("%%" if caractere == "%" else caractere)
        elif caractere in ("'", '"'):
            guillemet = caractere
            sortie.append(caractere)
        elif caractere == "?":
            sortie.append("%s")
        elif caractere == "%":
            sortie.append("%%")
        else:
            sortie.append(caractere)
    return "".join(sortie)


class Resultat:
    """Le résultat d'une requête, déjà lu : ce que `fetchone`/`fetchall` de DuckDB rendent."""

    __slots__ = ("_lignes", "_suivante", "description", "rowcount")

    def __init__(self, description: list[tuple] | None, lignes: list[tuple], rowcount: int):
        self.description = description
        self._lignes = lignes
        self._suivante = 0
        self.rowcount = rowcount

    def fetchone(self) -> tuple | None:
        if self._suivante >= len(self._lignes):
            return None
        self._suivante += 1
        return self._lignes[self._suivante - 1]

    def fetchall(self) -> list[tuple]:
        reste = self._lignes[self._suivante :]
        self._suivante = len(self._lignes)
        return reste

    def fetchmany(self, taille: int = 1) -> list[tuple]:
        reste = self._lignes[self._suivante : self._suivante + taille]
        self._suivante += len(reste)
        return reste


def _configurer(con: psycopg.Connection) -> None:
    con.execute("SET TimeZone = 'UTC'")


def ouvrir_pool(url: str, *, taille: int = TAILLE_POOL) -> ConnectionPool:
    """Un pool de connexions au serveur ; `ServeurInjoignable` s'il ne répond pas."""
    pool = ConnectionPool(
        url,
        min_size=1,
        max_size=taille,
        kwargs={"autocommit": True},
        configure=_configurer,
        check=ConnectionPool.check_connection,
        timeout=ATTENTE_CONNEXION_S,
        open=False,
        name="cartographie",
    )
    pool.open(wait=False)
    try:
        pool.wait(timeout=ATTENTE_CONNEXION_S)
    except PoolTimeout:
        pool.close()
        raise ServeurInjoignable(
            f"Le serveur PostgreSQL ({_sans_mot_de_passe(url)}) ne répond pas."
        ) from None
    return pool


def _sans_mot_de_passe(url: str) -> str:
    """L'URL sans son mot de passe : elle peut finir dans un message ou un journal."""
    try:
        infos = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "adresse illisible"
    hote = infos.get("host", "localhost")
    return f"{infos.get('user', '')}@{hote}:{infos.get('port', 5432)}/{infos.get('dbname', '')}"


def _injoignable(erreur: BaseException) -> bool:
    """Une erreur de connexion (serveur arrêté, connexion coupée) plutôt qu'une erreur de requête."""
    if isinstance(erreur, PoolTimeout):
        return True
    if isinstance(erreur, psycopg.OperationalError):
        etat = erreur.sqlstate
        return etat is None or etat.startswith(("08", "57P"))
    return False


class ConnexionPostgres:
    """Une « connexion » au sens de DuckDB : un pool partagé, une transaction à soi.

    `cursor()` rend une autre façade sur le même pool, avec sa propre transaction : comme un
    curseur DuckDB, un par fil.
    """

    dialecte = POSTGRESQL

    def __init__(self, pool: ConnectionPool, url: str, *, proprietaire: bool = True) -> None:
        self._pool = pool
        self.url = url
        self._proprietaire = proprietaire
        self._tenue: psycopg.Connection | None = None
        self._epinglee: psycopg.Connection | None = None
        self._verrou = threading.Lock()

    # --- DuckDBPyConnection -------------------------------------------------------------------
    def cursor(self) -> ConnexionPostgres:
        return ConnexionPostgres(self._pool, self.url, proprietaire=False)

    def execute(self, sql: str, parametres: Sequence[Any] | None = None) -> Resultat:
        with self._connexion() as con:
            try:
                cur = con.execute(*self._requete(sql, parametres))
                lignes = cur.fetchall() if cur.description is not None else [(cur.rowcount,)]
            except Exception as erreur:
                self._traduire(erreur)
                raise
            description = (
                None
                if cur.description is None
                else [(c.name, c.type_code) for c in cur.description]
            )
            return Resultat(description, lignes, cur.rowcount)

    def executemany(self, sql: str, parametres: Iterable[Sequence[Any]]) -> None:
        with self._connexion() as con:
            try:
                with con.cursor() as cur:
                    cur.executemany(en_psycopg(sql), list(parametres))
            except Exception as erreur:
                self._traduire(erreur)
                raise

    def begin(self) -> None:
        if self._tenue is not None:
            raise RuntimeError("transaction déjà ouverte sur cette connexion")
        con = self._epinglee if self._epinglee is not None else self._emprunter()
        try:
            con.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        except Exception as erreur:
            self._rendre(con)
            self._traduire(erreur)
            raise
        self._tenue = con

    def commit(self) -> None:
        self._terminer("COMMIT")

    def rollback(self) -> None:
        self._terminer("ROLLBACK")

    def close(self) -> None:
        if self._tenue is not None:
            with contextlib.suppress(psycopg.Error):
                self._terminer("ROLLBACK")
        if self._proprietaire:
            self._pool.close()

    def __enter__(self) -> ConnexionPostgres:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._tenue is not None:
            self._terminer("ROLLBACK" if exc[0] else "COMMIT")

    # --- Au-delà de DuckDB --------------------------------------------------------------------
    def copier(self, sql_copy: str, lignes: Iterable[Sequence[Any]]) -> None:
        """`COPY … FROM STDIN` : l'équivalent des tables Arrow enregistrées auprès de DuckDB."""
        with self._connexion() as con:
            try:
                with con.cursor() as cur, cur.copy(sql_copy) as copie:
                    for ligne in lignes:
                        copie.write_row(ligne)
            except Exception as erreur:
                self._traduire(erreur)
                raise

    @contextmanager
    def epinglee(self) -> Iterator[ConnexionPostgres]:
        """Une façade dont toutes les requêtes passent par une même connexion (verrous de session)."""
        con = self._emprunter()
        facade = ConnexionPostgres(self._pool, self.url, proprietaire=False)
        facade._epinglee = con
        try:
            yield facade
        finally:
            if facade._tenue is not None:
                facade._terminer("ROLLBACK")
            self._rendre(con)

    # --- Interne ------------------------------------------------------------------------------
    @staticmethod
    def _requete(sql: str, parametres: Sequence[Any] | None) -> tuple:
        # Sans paramètre, le texte part tel quel (plusieurs instructions admises : migrations).
        if parametres is None:
            return (sql,)
        return (en_psycopg(sql), list(parametres))

    @contextmanager
    def _connexion(self) -> Iterator[psycopg.Connection]:
        if self._tenue is not None:
            yield self._tenue
        elif self._epinglee is not None:
            yield self._epinglee
        else:
            con = self._emprunter()
            try:
                yield con
            finally:
                self._rendre(con)

    def _emprunter(self) -> psycopg.Connection:
        try:
            return self._pool.getconn()
        except Exception as erreur:
            self._traduire(erreur)
            raise

    def _rendre(self, con: psycopg.Connection) -> None:
        self._pool.putconn(con)

    def _terminer(self, instruction: str) -> None:
        con, self._tenue = self._tenue, None
        if con is None:
            raise RuntimeError(f"{instruction} sans transaction ouverte")
        try:
            con.execute(instruction)
        except Exception as erreur:
            self._traduire(erreur)
            raise
        finally:
            if con is not self._epinglee:
                self._rendre(con)

    def _traduire(self, erreur: BaseException) -> None:
        if _injoignable(erreur):
            raise ServeurInjoignable(
                f"Le serveur PostgreSQL ({_sans_mot_de_passe(self.url)}) ne répond pas"
                f" ({erreur.__class__.__name__})."
            ) from erreur


def ouvrir(url: str, *, taille: int = TAILLE_POOL) -> ConnexionPostgres:
    """Une connexion (un pool) au serveur, sans migration : `connexion.ouvrir` les applique."""
    return ConnexionPostgres(ouvrir_pool(url, taille=taille), url)
