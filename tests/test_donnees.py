"""Les données livrées : chaque fait a sa source, la page des sources est à jour, aucune adresse
de lieu confidentiel, rien n'est « vérifié » d'office."""

from __future__ import annotations

import csv
import importlib.util
import re
from pathlib import Path

import pytest

from cartographie.echanges.chargement import lire_csv
from cartographie.modele import COLONNES_CSV
from tests.conftest import COMMUNES, CSV_ACTEURS

RACINE = Path(__file__).resolve().parents[1]
SOURCES = RACINE / "data" / "sources_acteurs.csv"
# Les faits qu'une page doit donner (le reste se déduit : commune → territoire, position…).
FAITS = (
    "telephone",
    "courriel",
    "site_web",
    "adresse",
    "complement_adresse",
    "code_postal",
    "horaires_accueil",
    "horaires_precisions",
    "modes_accueil",
    "modes_orientation",
    "conditions_acces",
    "frais",
    "langues",
    "capacite",
    "zone_eligibilite",
)
_URL = re.compile(r"^https?://\S+$")


def _lignes(chemin: Path) -> list[dict[str, str]]:
    with chemin.open(encoding="utf-8", newline="") as fichier:
        return list(csv.DictReader(fichier))


@pytest.fixture(scope="module")
def acteurs() -> list[dict[str, str]]:
    return _lignes(CSV_ACTEURS)


@pytest.fixture(scope="module")
def sources() -> dict[str, dict[str, list[dict[str, str]]]]:
    par_fiche: dict[str, dict[str, list[dict[str, str]]]] = {}
    for ligne in _lignes(SOURCES):
        par_fiche.setdefault(ligne["id"], {}).setdefault(ligne["champ"], []).append(ligne)
    return par_fiche


def test_le_fichier_se_charge_en_entier() -> None:
    assert len(lire_csv(CSV_ACTEURS, COMMUNES)) == len(_lignes(CSV_ACTEURS))


def test_aucun_fait_sans_source(acteurs, sources) -> None:
    sans = [
        (a["id"], champ)
        for a in acteurs
        for champ in FAITS
        if a[champ] and champ not in sources.get(a["id"], {})
    ]
    assert sans == []


def test_chaque_fiche_a_une_source_et_chaque_source_une_fiche(acteurs, sources) -> None:
    ids = {a["id"] for a in acteurs}
    assert {a["id"] for a in acteurs if not a["source"]} == set()
    assert set(sources) <= ids
    assert ids <= set(sources)


def test_sources_lisibles(sources) -> None:
    for lignes in sources.values():
        for ligne in (ligne for groupe in lignes.values() for ligne in groupe):
            url = ligne["url"]
            assert _URL.match(url) or url.startswith(
                ("Protocole départemental", "isere_communes.geojson", "data/isere_communes")
            ), url
            assert ligne["qualite"] in {"primaire", "presse", "agregateur", "miroir"}
            assert ligne["date_page"] or ligne["date_lecture"]


def test_aucune_adresse_de_lieu_confidentiel(acteurs, sources) -> None:
    for a in acteurs:
        if a["adresse_confidentielle"] != "true":
            continue
        assert (a["adresse"], a["complement_adresse"], a["latitude"]) == ("", "", "")
        textes = " ".join(
            f"{s['valeur']} {s['note']}" for groupe in sources[a["id"]].values() for s in groupe
        )
        assert not re.search(r"\b(rue|avenue|boulevard|chemin|allée|quai|impasse)\b", textes, re.I)


def test_rien_n_est_verifie_d_office() -> None:
    assert "date_verification" not in COLONNES_CSV  # ni dans le CSV, ni lu à l'import


def test_la_page_des_sources_est_a_jour() -> None:
    spec = importlib.util.spec_from_file_location(
        "ecrire_sources_acteurs", RACINE / "scripts" / "ecrire_sources_acteurs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.PAGE.read_text(encoding="utf-8") == module.page(), (
        "lancer .venv/bin/python scripts/ecrire_sources_acteurs.py"
    )
