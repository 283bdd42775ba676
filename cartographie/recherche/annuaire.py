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
from cartographie.zones import couvre


class Annuaire:
    """L'annuaire public d'un état de la base : l'index lu une fois pour toute une page.

    Chaque lecture de l'index coûte une requête (l'empreinte de la base) : une page qui propose
    les territoires, cherche, puis propose d'élargir, le fait sur un seul instantané.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._index = index_recherche.index_de(con)

    @property
    def acteurs(self) -> tuple[Acteur, ...]:
        """Les acteurs actifs, chacun dans sa version publique, par nom."""
        return self._index.acteurs

    @property
    def territoires(self) -> tuple[str, ...]:
        """Les territoires (CISPD/CLSPD) proposés au filtre, triés."""
        return self._index.territoires

    def fiche(self, acteur_id: str) -> Acteur | None:
        """Une fiche active, dans sa version publique ; None si elle n'existe pas ou plus."""
        return next((a for a in self._index.acteurs if a.id == acteur_id), None)

    def rechercher(
        self,
        filtres: Filtres,
        point: PointRecherche | None = None,
        limite: int = LIMITE_RESULTATS,
        quand: datetime | None = None,
    ) -> Resultats:
        """La recherche de la page d'accueil : acteurs publics filtrés, les plus proches d'abord.

        Autour d'une commune, les services qui la couvrent sans avoir de lieu (le 115, les places
        d'urgence du département) viennent à part, sans distance ; un service qui a un lieu et
        dont la zone couvre la commune le dit.
        """
        index = self._index
        retenus = index_recherche.filtrer(index, filtres, quand)
        trouves, total = index_recherche.rechercher(index, retenus, filtres, point, limite)
        commune = commune_par_code(point.code_insee) if point is not None else None
        resultats = tuple(
            Resultat(
                acteur,
                None if distance is None else round(distance, 1),
                commune is not None and couvre(acteur.zone_eligibilite, commune),
            )
            for acteur, distance in trouves
        )
        couvrants = tuple(index_recherche.couvrants(index, retenus, commune)) if commune else ()
        return Resultats(resultats, total, point, filtres, couvrants)

    def elargissements(self, filtres: Filtres, point: PointRecherche | None) -> list[Elargissement]:
        """Pour une recherche vide : chaque filtre dont le retrait donnerait des résultats.

        Un simple comptage par filtre actif (six au plus), sans lire ni classer les fiches.
        """
        proposes = []
        for critere, libelle in filtres.actifs().items():
            total = index_recherche.compter(self._index, sans_filtre(filtres, critere), point)
            if total:
                proposes.append(Elargissement(critere, libelle, total))
        return proposes


def acteurs_publics(con: duckdb.DuckDBPyConnection) -> list[Acteur]:
    """Les acteurs actifs, chacun dans sa version publique, par nom (ceux de l'index)."""
    return list(Annuaire(con).acteurs)


def fiche_publique(con: duckdb.DuckDBPyConnection, acteur_id: str) -> Acteur | None:
    """Une fiche active, dans sa version publique ; None si elle n'existe pas ou plus."""
    return Annuaire(con).fiche(acteur_id)


def rechercher_acteurs(
    con: duckdb.DuckDBPyConnection,
    filtres: Filtres,
    point: PointRecherche | None = None,
    limite: int = LIMITE_RESULTATS,
    quand: datetime | None = None,
) -> Resultats:
    """`Annuaire.rechercher` sur l'état actuel de la base."""
    return Annuaire(con).rechercher(filtres, point, limite, quand)


def elargissements(
    con: duckdb.DuckDBPyConnection, filtres: Filtres, point: PointRecherche | None
) -> list[Elargissement]:
    """`Annuaire.elargissements` sur l'état actuel de la base."""
    return Annuaire(con).elargissements(filtres, point)


def territoires_proposes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Les territoires (CISPD/CLSPD) proposés au filtre, triés."""
    return list(Annuaire(con).territoires)
