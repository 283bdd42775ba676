"""La page « Statistiques » (AppTest) : rendue pour le rôle statistiques, refusée sinon ; la carte
publique y alimente les chiffres sans rien garder du texte tapé."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cartographie.comptes import Role, changer_role, compte_actif, creer_compte
from cartographie.config import RACINE
from cartographie.echanges.chargement import initialiser_base
from cartographie.horloge import maintenant
from cartographie.modele import TypeActeur
from cartographie.stockage import consultations as depot
from cartographie.stockage.connexion import ouvrir
from tests.conftest import COMMUNES, CSV_ACTEURS
from tests.exemple_consultations import semer
from ui import suivi
from ui.garde import CLE_ACTIVITE, CLE_COMPTE

APP = str(RACINE / "app.py")
PAGE = str(RACINE / "ecrans" / "statistiques.py")
MOT_DE_PASSE = "une phrase assez longue"


@pytest.fixture(scope="module")
def base_stats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Des consultations semées sur 2026 et trois comptes, une base pour le module."""
    chemin = tmp_path_factory.mktemp("stats") / "base.duckdb"
    con = ouvrir(chemin)
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
    semer(con, datetime(2026, 1, 5), jours=60)
    creer_compte(con, "sophie", MOT_DE_PASSE, Role.STATISTIQUES, "Sophie Bernard")
    creer_compte(con, "eric", MOT_DE_PASSE, Role.EDITEUR, "Éric Petit")
    con.close()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CARTOGRAPHIE_BASE", str(chemin))
        mp.setenv("CARTOGRAPHIE_TUILES_URL", "")
        yield chemin


def connecte(chemin: Path, identifiant: str | None, script: str = APP) -> AppTest:
    at = AppTest.from_file(script, default_timeout=60)
    if identifiant is not None:
        con = ouvrir(chemin)
        at.session_state[CLE_COMPTE] = compte_actif(con, identifiant)
        con.close()
        at.session_state[CLE_ACTIVITE] = maintenant()
    return at


def bruts(chemin: Path) -> list[tuple]:
    suivi.enregistreur().vider()
    con = ouvrir(chemin)
    try:
        return con.execute("SELECT * FROM consultation").fetchall()
    finally:
        con.close()


def test_page_rendue_avec_indicateurs_pour_le_role_statistiques(base_stats: Path) -> None:
    avant = len(bruts(base_stats))
    at = connecte(base_stats, "sophie")
    at.run()
    at.switch_page("ecrans/statistiques.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Statistiques de consultation"
    assert at.selectbox[0].value == maintenant().year
    indicateurs = at.dataframe[0].value
    valeurs = dict(zip(indicateurs["Indicateur"], indicateurs["Valeur"], strict=True))
    con = ouvrir(base_stats)
    (pages_vues,) = con.execute(
        "SELECT count(*) FROM consultation WHERE evenement = 'consultation'"
        " AND year(horodatage) = 2026"
    ).fetchone()
    con.close()
    assert valeurs["Consultations de la cartographie (pages vues)"] == str(pages_vues)
    assert "Signalements d'erreur traités" in valeurs
    assert len(at.get("download_button")) >= 6  # un export par tableau
    assert valeurs["Fiches d'acteurs consultées"] not in ("non mesuré", "0")
    assert valeurs["Listes exportées"] == "non mesuré"
    assert any("dont les visites ne sont pas comptées" in c.value for c in at.caption)
    # Courbes, carte des recherches (contours dans la page), filtres et fiches consultées en
    # barres.
    assert len(at.get("vega_lite_chart")) == 4
    # La visite de la DDFE n'a laissé aucune trace.
    assert len(bruts(base_stats)) == avant


@pytest.mark.parametrize("identifiant", ["eric", None])
def test_page_absente_de_la_navigation_sans_le_role(
    base_stats: Path, identifiant: str | None
) -> None:
    at = connecte(base_stats, identifiant)
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("ecrans/statistiques.py")


def test_page_refusee_meme_ouverte_directement(base_stats: Path) -> None:
    at = connecte(base_stats, "eric", script=PAGE)
    at.run()
    assert not at.exception, at.exception
    assert not at.title
    assert not at.dataframe
    assert "n'a pas accès" in at.error[0].value


def test_recherche_publique_notee_sans_le_texte_tape(base_stats: Path) -> None:
    avant = len(bruts(base_stats))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.text_input(key="saisie_lieu").set_value("voiron").run()
    at.multiselect(key="f_types").select(TypeActeur.HEBERGEMENT).run()
    at.text_input(key="f_texte").set_value("Madame Durand rue des Lilas").run()
    assert not at.exception, at.exception
    nouveaux = bruts(base_stats)[avant:]
    con = ouvrir(base_stats)
    colonnes = [
        c
        for (c,) in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'consultation'"
        ).fetchall()
    ]
    con.close()
    lignes = [dict(zip(colonnes, ligne, strict=True)) for ligne in nouveaux]
    recherches = [ligne for ligne in lignes if ligne["evenement"] == "recherche"]
    assert [(r["code_insee"], r["types"]) for r in recherches] == [
        ("38563", []),
        ("38563", ["hebergement"]),
    ]  # le texte ajouté ne change rien de ce qu'on garde : pas de 3e recherche
    assert not any(
        "Durand" in str(v) or "Lilas" in str(v) for ligne in lignes for v in ligne.values()
    )
    assert not any("voiron" in str(v).lower() for ligne in lignes for v in ligne.values())
    assert depot.compter_bruts(ouvrir(base_stats)) == avant + len(nouveaux)


@pytest.fixture
def base_ancienne(env_appli: Path) -> Path:
    """Des consultations de 2020 (bien au-delà de 13 mois), un administrateur, une statisticienne."""
    con = ouvrir(env_appli)
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
    semer(con, datetime(2020, 3, 1), jours=10)
    creer_compte(con, "admin", MOT_DE_PASSE, Role.ADMINISTRATEUR)
    creer_compte(con, "sophie", MOT_DE_PASSE, Role.STATISTIQUES)
    con.close()
    return env_appli


def test_administrateur_purge_depuis_la_page(base_ancienne: Path) -> None:
    con = ouvrir(base_ancienne)
    avant = depot.compter_bruts(con)
    con.close()
    assert avant > 0
    at = connecte(base_ancienne, "admin", script=PAGE).run()
    at.button(key="purger_consultations").click().run()
    assert not at.exception, at.exception
    message = at.success[0].value.replace("\\", "")
    assert f"{avant} événement(s) antérieur(s)" in message
    con = ouvrir(base_ancienne)
    assert depot.compter_bruts(con) == 0  # agrégés par jour, puis effacés
    assert con.execute("SELECT count(*) FROM consultation_agregat").fetchone()[0] > 0
    con.close()


def test_purge_reservee_a_l_administrateur(base_ancienne: Path) -> None:
    at = connecte(base_ancienne, "sophie", script=PAGE).run()
    assert not at.exception, at.exception
    assert "purger_consultations" not in [b.key for b in at.button]


def test_administrateur_devenu_statisticien_ne_purge_pas(base_ancienne: Path) -> None:
    con = ouvrir(base_ancienne)
    creer_compte(con, "autre", MOT_DE_PASSE, Role.ADMINISTRATEUR)
    avant = depot.compter_bruts(con)
    at = connecte(base_ancienne, "admin", script=PAGE).run()
    changer_role(con, "admin", Role.STATISTIQUES, auteur="autre")  # l'onglet reste ouvert
    con.close()
    at.button(key="purger_consultations").click().run()
    assert "Action refusée" in " ".join(t.value for t in at.toast)
    con = ouvrir(base_ancienne)
    assert depot.compter_bruts(con) == avant
    con.close()
