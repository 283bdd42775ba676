"""La page « Couverture du territoire » (AppTest) : servie aux rôles éditeur et statistiques
(l'administrateur voit tout), carte hors ligne, tableaux, simulation qui n'écrit rien, bilan
produit au clic."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from cartographie import comptes
from cartographie.comptes import Role
from cartographie.config import RACINE
from cartographie.echanges.chargement import initialiser_base
from cartographie.horloge import maintenant
from cartographie.stockage.connexion import ouvrir
from tests.conftest import COMMUNES, CSV_ACTEURS
from ui import suivi
from ui.garde import CLE_ACTIVITE, CLE_COMPTE

PAGE = "ecrans/couverture.py"
MOT_DE_PASSE = "une phrase assez longue"


@pytest.fixture(scope="module")
def base_couverture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Les vraies données et un compte par rôle, une base pour le module."""
    chemin = tmp_path_factory.mktemp("couverture") / "base.duckdb"
    con = ouvrir(chemin)
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
    for identifiant, role in (
        ("admin", Role.ADMINISTRATEUR),
        ("claire", Role.EDITEUR),
        ("sami", Role.STATISTIQUES),
    ):
        comptes.creer_compte(con, identifiant, MOT_DE_PASSE, role)
    con.close()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CARTOGRAPHIE_BASE", str(chemin))
        mp.setenv("CARTOGRAPHIE_TUILES_URL", "")
        yield chemin


def page(chemin: Path, identifiant: str | None) -> AppTest:
    at = AppTest.from_file(str(RACINE / "app.py"), default_timeout=120)
    if identifiant is not None:
        con = ouvrir(chemin)
        at.session_state[CLE_COMPTE] = comptes.compte_actif(con, identifiant)
        con.close()
        at.session_state[CLE_ACTIVITE] = maintenant()
    at.run()
    return at


def contenu_de_la_base(chemin: Path) -> dict[str, list[tuple]]:
    """Chaque table de la base, triée : ce qu'une écriture, quelle qu'elle soit, changerait.

    Les consultations en attente (visites anonymes des tests précédents) sont d'abord écrites.
    """
    suivi.enregistreur().vider()
    con = ouvrir(chemin)  # même réglage que la base de la page, ouverte dans ce processus
    try:
        tables = [
            t
            for (t,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
                " AND table_type = 'BASE TABLE' ORDER BY 1"
            ).fetchall()
        ]
        return {
            t: sorted(map(repr, con.execute(f'SELECT * EXCLUDE (geom) FROM "{t}"').fetchall()))
            if t == "commune"
            else sorted(map(repr, con.execute(f'SELECT * FROM "{t}"').fetchall()))
            for t in tables
        }
    finally:
        con.close()


def test_refusee_sans_compte(base_couverture: Path) -> None:
    at = page(base_couverture, None)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)


def test_editeur_carte_tableaux_normes_et_simulation_qui_n_ecrit_rien(
    base_couverture: Path,
) -> None:
    avant = contenu_de_la_base(base_couverture)
    at = page(base_couverture, "claire")
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Couverture du territoire"
    assert "vol d'oiseau" in at.caption[0].value
    spec = json.dumps(at.get("vega_lite_chart")[0].proto.spec)
    assert '"url"' not in spec  # contours dans la page : rien à télécharger
    assert "tile" not in spec.lower()
    assert "plus de 30 km" in spec
    territoires = at.dataframe[1].value
    assert len(territoires) == 19 * 8  # 18 territoires et le département, 8 aides
    assert "Isère (département)" in set(territoires["Territoire"])
    zones = at.dataframe[2].value
    assert list(zones["Population"]) == sorted(zones["Population"], reverse=True)
    normes = at.dataframe[3].value
    assert "One family place per 10 000 of the population." in set(normes["Texte cité"])
    sources = " ".join(m.value for m in at.markdown)
    assert "https://femcities.at/" in sources
    assert "https://eige.europa.eu/" in sources

    choix = at.selectbox(key="simulation_commune")
    choix.select(next(c for c in choix.proto.options if "Deux Alpes" in c)).run()
    at.selectbox(key="simulation_aide").select("Lieu d'écoute (LEAO)").run()
    assert not at.exception, at.exception
    metriques = {m.label: m.value for m in at.metric}
    assert int(metriques["Habitants qui passeraient à moins de 20 km"].replace("\u202f", "")) > 0
    assert any("Oisans" in libelle for libelle in metriques)
    assert contenu_de_la_base(base_couverture) == avant


@pytest.fixture
def telechargements(monkeypatch: pytest.MonkeyPatch) -> list:
    """Les fichiers que la page ferait télécharger au clic (producteurs différés compris)."""
    produits: list = []
    ajouter_differe = MediaFileManager.add_deferred

    def differe(self, produire, *args, **kwargs):
        produits.append(produire)
        return ajouter_differe(self, produire, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", differe)
    return produits


def test_statistiques_bilan_produit_au_clic_pour_la_periode_choisie(
    base_couverture: Path, telechargements: list
) -> None:
    at = page(base_couverture, "sami")
    at.switch_page(PAGE).run()
    assert at.title[0].value == "Couverture du territoire"
    boutons = [b for b in at.get("download_button") if "bilan" in b.proto.label.lower()]
    assert [b.proto.label for b in boutons] == [
        "Télécharger le bilan (PDF)",
        "Télécharger le bilan (classeur XLSX)",
    ]
    annee = maintenant().year
    legendes = [c.value.replace("\\", "") for c in at.caption]
    assert f"Période : du 01/01/{annee} au 31/12/{annee}." in legendes
    classeur = load_workbook(io.BytesIO(telechargements[-1]()))
    lire = [c.value for c in classeur["À lire"]["A"]]
    assert f"Période : du 01/01/{annee} au 31/12/{annee}" in lire
    assert "Couverture par commune" in classeur.sheetnames
