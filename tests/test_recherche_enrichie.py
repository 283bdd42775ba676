"""La recherche des fiches enrichies : partenaires cachés par défaut, langue parlée, ouvert
maintenant, services qui couvrent une commune sans y avoir de lieu."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from cartographie.communes import commune_par_code
from cartographie.horloge import PARIS
from cartographie.modele import Langue, Nature, TypeActeur
from cartographie.recherche.annuaire import rechercher_acteurs
from cartographie.recherche.filtres import (
    Filtres,
    PointRecherche,
    depuis_parametres,
    vers_parametres,
)
from cartographie.stockage import communes as depot_communes
from cartographie.stockage.connexion import ouvrir
from tests.conftest import COMMUNES
from tests.fabrique import acteur, ajouter

MARDI_10H = datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)
NOEL_10H = datetime(2026, 12, 25, 10, 0, tzinfo=PARIS)
VIENNE = PointRecherche.de_commune(commune_par_code("38544", COMMUNES))
VOIRON = PointRecherche.de_commune(commune_par_code("38563", COMMUNES))
PAYS_VOIRONNAIS = commune_par_code("38563", COMMUNES).epci_code


@pytest.fixture
def base(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = ouvrir(tmp_path / "enrichie.duckdb")
    depot_communes.synchroniser(con, COMMUNES)
    ajouter(
        con,
        acteur(
            "leao-vienne",
            code_insee="38544",
            commune="Vienne",
            code_postal="38200",
            latitude=45.5255,
            longitude=4.8745,
            adresse="1 rue X",
            horaires_accueil="Mo-Fr 09:00-12:00,14:00-17:00; PH off",
            langues=(Langue.AR,),
        ),
        acteur(
            "prefecture",
            nom="Préfecture",
            type=TypeActeur.INSTITUTION,
            nature=Nature.PARTENAIRE,
            adresse="12 place de Verdun",
        ),
        acteur(
            "ligne-departementale",
            nom="Ligne d'écoute départementale",
            adresse="",
            zone_eligibilite=("38",),
            horaires_accueil="24/7",
            langues=(Langue.UK,),
        ),
        acteur(
            "permanence-voironnais",
            nom="Permanence du Voironnais",
            code_insee="38563",
            commune="Voiron",
            code_postal="38500",
            latitude=45.3644,
            longitude=5.5896,
            adresse="3 rue Y",
            zone_eligibilite=(PAYS_VOIRONNAIS,),
        ),
        acteur(
            "service-voironnais-sans-lieu",
            nom="Équipe mobile du Voironnais",
            adresse="",
            zone_eligibilite=(PAYS_VOIRONNAIS,),
        ),
    )
    yield con
    con.close()


def ids(resultats) -> list[str]:
    return [r.acteur.id for r in resultats.resultats]


def test_partenaires_caches_par_defaut(base) -> None:
    assert "prefecture" not in ids(rechercher_acteurs(base, Filtres()))
    assert "prefecture" in ids(rechercher_acteurs(base, Filtres(partenaires=True)))


def test_langue_parlee(base) -> None:
    assert ids(rechercher_acteurs(base, Filtres(langues=(Langue.AR,)))) == ["leao-vienne"]
    arabe_ou_ukrainien = Filtres(langues=(Langue.AR, Langue.UK))
    assert set(ids(rechercher_acteurs(base, arabe_ou_ukrainien))) == {
        "leao-vienne",
        "ligne-departementale",
    }


def test_ouvert_maintenant(base) -> None:
    ouverts = Filtres(ouvert_maintenant=True)
    assert set(ids(rechercher_acteurs(base, ouverts, quand=MARDI_10H))) == {
        "leao-vienne",
        "ligne-departementale",
    }
    # Noël (férié) : seule la ligne 24 h/24 ; les fiches sans horaires ne sont jamais « ouvertes ».
    assert ids(rechercher_acteurs(base, ouverts, quand=NOEL_10H)) == ["ligne-departementale"]


def test_services_qui_couvrent_la_commune_a_part_et_sans_distance(base) -> None:
    resultats = rechercher_acteurs(base, Filtres(), VIENNE)
    assert [a.id for a in resultats.couvrants] == ["ligne-departementale"]
    assert "ligne-departementale" not in ids(resultats)  # pas de point ni de distance
    assert all(r.distance_km is not None for r in resultats.resultats)


def test_zone_d_intercommunalite(base) -> None:
    autour_de_voiron = rechercher_acteurs(base, Filtres(), VOIRON)
    assert {a.id for a in autour_de_voiron.couvrants} == {
        "ligne-departementale",
        "service-voironnais-sans-lieu",
    }
    permanence = next(
        r for r in autour_de_voiron.resultats if r.acteur.id == "permanence-voironnais"
    )
    assert permanence.couvre_la_commune  # un lieu, et une zone qui couvre Voiron
    autour_de_vienne = rechercher_acteurs(base, Filtres(), VIENNE)
    assert "service-voironnais-sans-lieu" not in {a.id for a in autour_de_vienne.couvrants}
    assert not next(
        r for r in autour_de_vienne.resultats if r.acteur.id == "permanence-voironnais"
    ).couvre_la_commune


def test_sans_point_les_services_de_zone_sont_dans_la_liste(base) -> None:
    assert "ligne-departementale" in ids(rechercher_acteurs(base, Filtres()))


def test_nouveaux_filtres_dans_l_url() -> None:
    filtres = Filtres(langues=(Langue.AR, Langue.FA), ouvert_maintenant=True, partenaires=True)
    parametres = vers_parametres(filtres, None)
    assert parametres == {"langue": "ar,fa", "ouvert": "1", "partenaires": "1"}
    assert depuis_parametres(parametres, lambda _: None)[0] == filtres
    assert depuis_parametres({"langue": "xx,ar", "ouvert": "oui"}, lambda _: None)[0] == Filtres(
        langues=(Langue.AR,)
    )
