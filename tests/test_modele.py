"""La fiche déclarée une fois : la table migrée s'y accorde, et un champ ajouté circule seul."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest

from cartographie.echanges.exportation import csv_tableur, data_inclusion, geojson
from cartographie.edition import versions
from cartographie.modele import (
    COLONNES_CSV,
    COLONNES_STOCKEES,
    Acteur,
    TypeActeur,
    champ,
    champs,
    documentation,
)
from cartographie.modele.champs import colonnes, depuis_textes, schema_arrow, vers_textes
from cartographie.stockage import dialecte
from cartographie.stockage.connexion import ouvrir

pytestmark = pytest.mark.deux_bases  # stockage et métier : DuckDB puis PostgreSQL


def test_la_table_migree_s_accorde_a_la_declaration(chemin_base: Path) -> None:
    con = ouvrir(chemin_base)
    colonnes_sql = dialecte.colonnes(con, "acteur")
    con.close()
    declares = {c.nom: c for c in champs(Acteur) if c.stocke}
    # L'ordre des colonnes de la table est celui des migrations (ALTER TABLE ajoute à la fin) ;
    # le code nomme toujours ses colonnes : seuls comptent les noms et les types.
    assert sorted(nom for nom, _ in colonnes_sql) == sorted(COLONNES_STOCKEES)
    for nom, type_sql in colonnes_sql:
        assert type_sql == declares[nom].codec.sql, nom


def test_colonnes_derivees() -> None:
    assert COLONNES_CSV[0] == "id"
    assert "territoire" in COLONNES_CSV
    assert "territoire" not in COLONNES_STOCKEES
    assert "date_verification" not in COLONNES_CSV  # jamais « vérifiée » par un import
    assert schema_arrow(Acteur, COLONNES_STOCKEES).names == list(COLONNES_STOCKEES)


@dataclass(frozen=True, slots=True, kw_only=True)
class ActeurEtendu(Acteur):
    """Une copie de la déclaration avec un champ de plus, comme l'ajouterait une migration."""

    accueil_enfants: bool = champ(
        "Accueil des enfants", defaut=False, data_inclusion="accueil_enfants"
    )


@pytest.fixture
def etendu() -> ActeurEtendu:
    return ActeurEtendu(
        id="lieu-test",
        nom="Lieu de test",
        type=TypeActeur.LEAO,
        commune="Grenoble",
        code_insee="38185",
        latitude=45.1885,
        longitude=5.7245,
        date_maj=date(2026, 11, 26),
        accueil_enfants=True,
    )


def test_un_champ_ajoute_circule_dans_le_csv(etendu: ActeurEtendu) -> None:
    textes = vers_textes(etendu)
    assert textes["accueil_enfants"] == "true"
    assert list(textes) == [*COLONNES_CSV, "accueil_enfants"]
    relu = ActeurEtendu(**depuis_textes(ActeurEtendu, {**textes, "territoire": ""}))
    assert relu == replace(etendu, territoire="")
    # L'export pour tableur le porte aussi, sans qu'on lui ait rien dit.
    lignes = list(csv.reader(io.StringIO(csv_tableur([etendu]).decode("utf-8-sig")), delimiter=";"))
    assert lignes[0][-1] == "accueil_enfants"
    assert lignes[1][-1] == "true"


def test_un_champ_ajoute_entre_dans_l_historique(etendu: ActeurEtendu) -> None:
    assert "accueil_enfants" in colonnes(ActeurEtendu, "suivi")
    avant = versions.etat(replace(etendu, accueil_enfants=False))
    apres = versions.etat(etendu)
    assert versions.differences(avant, apres) == {"accueil_enfants": (False, True)}
    restaure = versions.acteur_depuis_etat(json.loads(json.dumps(apres)), 3, ActeurEtendu)
    assert restaure == replace(etendu, version=3)


def test_un_champ_ajoute_sort_dans_les_exports(etendu: ActeurEtendu) -> None:
    structure = json.loads(data_inclusion([etendu]))["structures"][0]
    assert structure["accueil_enfants"] is True
    proprietes = json.loads(geojson([etendu]))["features"][0]["properties"]
    assert proprietes["accueil_enfants"] == "true"


def test_la_documentation_des_colonnes_est_a_jour() -> None:
    contenu = documentation.README.read_text(encoding="utf-8")
    assert contenu == documentation.avec_table(contenu), (
        "data/README.md : lancer .venv/bin/python -m cartographie.modele.documentation"
    )
