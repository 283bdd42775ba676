"""Ouverture d'une base DuckDB prête à l'emploi : extension spatiale chargée hors ligne, schéma à jour."""

from __future__ import annotations

from pathlib import Path

import duckdb
import duckdb_extension_spatial

from cartographie.stockage import schema

# Sans réseau, DuckDB ne doit jamais tenter d'installer ou de charger une extension seul :
# on charge le binaire livré par le paquet PyPI, qui correspond exactement à duckdb 1.5.5.
_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
EXTENSION_SPATIALE = (
    Path(duckdb_extension_spatial.__file__).parent
    / "extensions"
    / f"v{duckdb.__version__}"
    / "spatial.duckdb_extension"
)


def ouvrir(chemin: Path | str, *, lecture_seule: bool = False) -> duckdb.DuckDBPyConnection:
    """Ouvre (ou crée) la base, charge l'extension spatiale et applique les migrations."""
    if str(chemin) != ":memory:":
        Path(chemin).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(chemin), read_only=lecture_seule, config=_CONFIG)
    try:
        con.load_extension(str(EXTENSION_SPATIALE))
        if not lecture_seule:
            schema.migrer(con)
    except Exception:
        con.close()
        raise
    return con
