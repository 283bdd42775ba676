"""« Fiche imprimée » : sa langue et sa forme comptées en codes, rien d'autre (migration 0010)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime

import duckdb
import pytest

from cartographie.consultations import statistiques as stats
from cartographie.consultations.evenements import FormatFichier, evenement
from cartographie.remise.langues import FormeFiche, LangueFiche
from cartographie.stockage import consultations as depot


def _imprimee(quand: datetime, **champs: object):
    e = evenement("fiche_imprimee", "carte", uuid.uuid4(), **champs)  # type: ignore[arg-type]
    return replace(e, horodatage=quand)


def test_langue_et_forme_en_codes_et_comptees(base: duckdb.DuckDBPyConnection) -> None:
    quand = datetime(2026, 6, 1, 8)
    depot.inserer(
        base,
        [_imprimee(quand, format="pdf", langue="ar", forme="discrete")] * 6
        + [_imprimee(quand, format="impression", langue="fr", forme="standard")] * 2,
    )
    lignes = base.execute(
        "SELECT langue, forme, count(*) FROM consultation GROUP BY ALL ORDER BY 3 DESC"
    ).fetchall()
    assert lignes == [("ar", "discrete", 6), ("fr", "standard", 2)]
    tableau = stats.fiches_imprimees(base, stats.Periode.annee(2026))
    assert {(t["Détail"], t["Valeur"], t["Fiches"]) for t in tableau} == {
        ("Format", "PDF", 6),
        ("Format", "Impression", 2),
        ("Langue", "Arabe", 6),
        ("Langue", "Français", 2),
        ("Forme", FormeFiche.DISCRETE.libelle, 6),
        ("Forme", "Standard", 2),
    }
    # Purgés, les événements restent comptés par langue et par forme.
    depot.agreger_et_supprimer(base, date(2026, 7, 1))
    assert depot.compter_bruts(base) == 0
    assert stats.fiches_imprimees(base, stats.Periode.annee(2026)) == tableau


def test_langue_ou_forme_inconnue_refusee() -> None:
    s = uuid.uuid4()
    e = evenement("fiche_imprimee", "carte", s, format="pdf", langue="prs", forme="discrete")
    assert (e.format, e.langue, e.forme) == (
        FormatFichier.PDF,
        LangueFiche.DARI,
        FormeFiche.DISCRETE,
    )
    with pytest.raises(ValueError, match="n'est pas une valeur admise"):
        evenement("fiche_imprimee", "carte", s, langue="Mme Dupont")
    with pytest.raises(ValueError, match="n'est pas une valeur admise"):
        evenement("fiche_imprimee", "carte", s, forme="rue des Lilas")
