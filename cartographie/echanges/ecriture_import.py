"""Écriture d'un import entier : une transaction, des lots ensemblistes, l'historique de chaque fiche.

Même contrat que les écritures une à une de `cartographie.edition` — verrou optimiste, une
version d'historique par fiche (action « import ») — mais par lots : une écriture fiche par
fiche prendrait des minutes pour 50 000 lignes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import duckdb

from cartographie.edition.ecritures import Action
from cartographie.edition.versions import differences, etat
from cartographie.horloge import maintenant, utc
from cartographie.modele import Acteur, Statut
from cartographie.stockage import historique as depot_historique
from cartographie.stockage import imports as depot_imports
from cartographie.stockage.transaction import transaction


def importer(
    con: duckdb.DuckDBPyConnection,
    *,
    nouveaux: Sequence[Acteur],
    modifies: Sequence[tuple[Acteur, Acteur]],
    archives: Sequence[Acteur],
    auteur: str,
    nom_fichier: str,
    sauvegarde: Path,
    quand: datetime | None = None,
    progression: Callable[[int, int], None] | None = None,
) -> None:
    """Écrit un import entier dans une seule transaction, tout ou rien.

    Même contrat que les autres écritures — verrou optimiste (chaque fiche modifiée ou archivée
    doit être encore à la version lue par l'aperçu, sinon `depot_imports.ConflitImport`), une
    version d'historique par fiche (action « import ») — mais par lots ensemblistes : une
    écriture fiche par fiche prendrait des minutes pour 50 000 lignes.
    """
    quand = utc(quand or maintenant())
    total, fait = len(nouveaux) + len(modifies) + len(archives), 0
    action = str(Action.IMPORT)

    def avancer(n: int) -> None:
        nonlocal fait
        fait += n
        if progression:
            progression(fait, total)

    with transaction(con):
        for lot in _lots(nouveaux):
            crees = [replace(a, version=1) for a in lot]
            depot_imports.inserer_lot(con, crees)
            depot_historique.ajouter_lot(
                con, [_version_import(None, a, auteur, quand, action) for a in crees]
            )
            avancer(len(lot))
        for lot in _lots(modifies):
            paires = [(avant, replace(apres, version=avant.version + 1)) for avant, apres in lot]
            depot_imports.mettre_a_jour_lot(con, paires)
            depot_historique.ajouter_lot(
                con, [_version_import(a, n, auteur, quand, action) for a, n in paires]
            )
            avancer(len(lot))
        for lot in _lots(archives):
            depot_imports.archiver_lot(con, lot)
            depot_historique.ajouter_lot(
                con,
                [
                    _version_import(
                        a,
                        replace(a, statut=Statut.ARCHIVE, version=a.version + 1),
                        auteur,
                        quand,
                        action,
                    )
                    for a in lot
                ],
            )
            avancer(len(lot))
        depot_imports.journaliser(
            con, quand, auteur, nom_fichier, len(nouveaux), len(modifies), len(archives), sauvegarde
        )


def _lots(elements: Sequence) -> list[Sequence]:
    taille = depot_imports.TAILLE_LOT
    return [elements[i : i + taille] for i in range(0, len(elements), taille)]


def _version_import(
    avant: Acteur | None, apres: Acteur, auteur: str, quand: datetime, action: str
) -> tuple:
    etat_apres = etat(apres)
    etat_avant = None if avant is None else etat(avant)
    changements = differences(etat_avant, etat_apres)
    return (apres.id, apres.version, auteur, quand, action, changements, etat_apres)
