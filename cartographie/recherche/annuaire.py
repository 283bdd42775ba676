"""L'annuaire tel que le public le voit : seuls les acteurs actifs, adresses confidentielles masquées."""

from __future__ import annotations

from datetime import datetime

import duckdb

from cartographie.communes import commune_par_code
from cartographie.modele import Acteur
from cartographie.recherche import index as index_recherche
from cartographie.recherche.filtres import (
    LIMITE_RESULTATS,
    Elargissement,
    Filtres,
    PointRecherche,
    Resultat,
    Resultats,
    sans_filtre,
)
from cartographie.stockage import communes as depot_communes
from cartographie.zones import couvre


def acteurs_publics(con: duckdb.DuckDBPyConnection) -> list[Acteur]:
    """Les acteurs actifs, chacun dans sa version publique, par nom (ceux de l'index)."""
    return list(index_recherche.index_de(con).acteurs)


def fiche_publique(con: duckdb.DuckDBPyConnection, acteur_id: str) -> Acteur | None:
    """Une fiche active, dans sa version publique ; None si elle n'existe pas ou plus."""
    index = index_recherche.index_de(con)
    return next((a for a in index.acteurs if a.id == acteur_id), None)


def rechercher_acteurs(
    con: duckdb.DuckDBPyConnection,
    filtres: Filtres,
    point: PointRecherche | None = None,
    limite: int = LIMITE_RESULTATS,
    quand: datetime | None = None,
) -> Resultats:
    """La recherche de la page d'accueil : acteurs publics filtrés, les plus proches d'abord.

    Autour d'une commune, les services qui la couvrent sans avoir de lieu (le 115, les places
    d'urgence du département) viennent à part, sans distance ; un service qui a un lieu et dont
    la zone couvre la commune le dit.
    """
    index = index_recherche.index_de(con)
    trouves, total = index_recherche.rechercher(index, filtres, point, limite, quand)
    commune = commune_par_code(point.code_insee) if point is not None else None
    resultats = tuple(
        Resultat(
            acteur,
            None if distance is None else round(distance, 1),
            commune is not None and couvre(acteur.zone_eligibilite, commune),
        )
        for acteur, distance in trouves
    )
    couvrants = tuple(index_recherche.couvrants(index, filtres, commune, quand)) if commune else ()
    return Resultats(resultats, total, point, filtres, couvrants)


def elargissements(
    con: duckdb.DuckDBPyConnection, filtres: Filtres, point: PointRecherche | None
) -> list[Elargissement]:
    """Pour une recherche vide : chaque filtre dont le retrait donnerait des résultats.

    Un simple comptage par filtre actif (six au plus), sans lire ni classer les fiches.
    """
    proposes = []
    index = index_recherche.index_de(con)
    for critere, libelle in filtres.actifs().items():
        total = index_recherche.compter(index, sans_filtre(filtres, critere), point)
        if total:
            proposes.append(Elargissement(critere, libelle, total))
    return proposes


def territoires_proposes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Les territoires (CISPD/CLSPD) proposés au filtre, triés."""
    return depot_communes.territoires(con)
