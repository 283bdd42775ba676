"""Le formulaire « Signaler une erreur » dans AppTest : sans compte, limité par session."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from cartographie.echanges.chargement import initialiser_base
from cartographie.edition.signalements import file_ddfe
from cartographie.stockage.connexion import ouvrir
from tests.conftest import COMMUNES, CSV_ACTEURS


@pytest.fixture(scope="module")
def base_widget(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    chemin = tmp_path_factory.mktemp("signalement") / "base.duckdb"
    con = ouvrir(chemin)
    initialiser_base(con, CSV_ACTEURS, COMMUNES)
    acteur = con.execute("SELECT min(id) FROM acteur").fetchone()[0]
    con.close()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CARTOGRAPHIE_BASE", str(chemin))
        mp.setenv("CARTOGRAPHIE_SIGNALEMENTS_PAR_SESSION", "2")
        yield chemin, acteur


def script_widget(acteur_id: str) -> None:
    from ui.signalement import formulaire_signalement

    formulaire_signalement(acteur_id)


def envoyer(at: AppTest, probleme: str, correction: str = "", contact: str = "") -> AppTest:
    at.text_area[0].input(probleme)
    at.text_area[1].input(correction)
    at.text_input[0].input(contact)
    at.button[0].click()
    at.run()
    assert not at.exception, at.exception
    return at


def relire(chemin: Path) -> list:
    # La connexion de l'application (cache du processus) tient le fichier : on lit par elle.
    from ui.base import curseur

    return file_ddfe(curseur(), statut=None)


def test_envoi_sans_compte_puis_limite_de_session(base_widget: tuple[Path, str]) -> None:
    chemin, acteur = base_widget
    at = AppTest.from_function(script_widget, args=(acteur,), default_timeout=30)
    at.run()
    assert at.expander[0].label == "Signaler une erreur sur cette fiche"
    assert "il est effacé une fois le signalement traité" in at.caption[0].value

    piege = "<script>alert(1)</script> le numéro est faux"
    envoyer(at, piege, "04 76 00 00 00", "")
    assert "transmis à la DDFE" in at.success[0].value
    envoyer(at, "deuxième")
    assert "transmis à la DDFE" in at.success[0].value
    envoyer(at, "troisième, refusé")
    assert "déjà envoyé 2 signalements dans l'heure" in at.error[0].value

    enregistres = relire(chemin)
    assert [s.probleme for s in enregistres if s.acteur_id == acteur] == [piege, "deuxième"]


def test_description_vide_refusee(base_widget: tuple[Path, str]) -> None:
    _, acteur = base_widget
    at = AppTest.from_function(script_widget, args=(acteur,), default_timeout=30)
    at.run()
    envoyer(at, "   ")
    assert "Décrivez ce qui est faux" in at.error[0].value


def test_base_non_touchee_par_un_refus(base_widget: tuple[Path, str]) -> None:
    chemin, _ = base_widget
    avant = len(relire(chemin))
    at = AppTest.from_function(script_widget, args=("fiche-inexistante",), default_timeout=30)
    at.run()
    envoyer(at, "faux")
    assert "n'existe pas" in at.error[0].value
    assert len(relire(chemin)) == avant


def test_chaque_resultat_de_la_liste_mene_au_signalement_de_sa_fiche(
    base_widget: tuple[Path, str],
) -> None:
    chemin, _ = base_widget
    app = str(Path(__file__).resolve().parents[1] / "app.py")
    at = AppTest.from_file(app, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    # La liste ne porte pas de formulaire (il coûtait un quart de chaque recherche) : un lien.
    assert not [e for e in at.expander if e.label == "Signaler une erreur sur cette fiche"]
    cartes = [h.proto.body for h in at.get("html") if 'class="resultat-acteur"' in h.proto.body]
    assert cartes
    liens = [re.search(r'href="([^"]*)">Signaler une erreur</a>', c) for c in cartes]
    assert all(liens), cartes[0]
    parametres = parse_qs(urlsplit(html.unescape(liens[0].group(1))).query)
    assert parametres["signaler"] == ["1"]

    # Le lien suivi : la page de la fiche, formulaire ouvert.
    fiche = AppTest.from_file(app, default_timeout=60)
    for cle, valeurs in parametres.items():
        fiche.query_params[cle] = valeurs[0]
    fiche.run()
    assert not fiche.exception, fiche.exception
    (formulaire,) = [e for e in fiche.expander if e.label == "Signaler une erreur sur cette fiche"]
    assert formulaire.proto.expanded
    avant = len(relire(chemin))
    fiche.text_area[0].input("Le lieu a déménagé")
    fiche.button[[b.label for b in fiche.button].index("Envoyer le signalement")].click()
    fiche.run()
    assert "transmis à la DDFE" in fiche.success[0].value
    (nouveau,) = [s for s in relire(chemin) if s.probleme == "Le lieu a déménagé"]
    assert nouveau.acteur_id == parametres["acteur"][0]
    assert len(relire(chemin)) == avant + 1
    # Sans `signaler`, la page de la fiche garde le formulaire replié.
    del fiche.query_params["signaler"]
    fiche.run()
    (replie,) = [e for e in fiche.expander if e.label == "Signaler une erreur sur cette fiche"]
    assert not replie.proto.expanded


def test_fiche_tres_signalee_le_signalement_suivant_est_entendu(
    base_widget: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.base import curseur

    chemin, _ = base_widget
    monkeypatch.setenv("CARTOGRAPHIE_SIGNALEMENTS_PAR_ACTEUR", "2")
    cible = curseur().execute("SELECT max(id) FROM acteur WHERE statut = 'actif'").fetchone()[0]
    # Un robot : un onglet neuf (une session neuve) par envoi.
    for i in range(4):
        robot = AppTest.from_function(script_widget, args=(cible,), default_timeout=30)
        robot.run()
        envoyer(robot, f"spam {i}")
        assert "transmis à la DDFE" in robot.success[0].value
    personne = AppTest.from_function(script_widget, args=(cible,), default_timeout=30)
    personne.run()
    envoyer(personne, "Le lieu a déménagé à Voiron")
    assert not personne.error
    assert "transmis à la DDFE" in personne.success[0].value
    assert "enregistré avec eux" in personne.info[0].value
    (garde,) = [s for s in relire(chemin) if s.probleme == "Le lieu a déménagé à Voiron"]
    assert garde.statut == "groupe"
