"""Un texte Markdown venu d'une fiche, d'un compte ou d'un signalement ne met rien en forme.

Un partenaire peut glisser dans son tableur une fiche nommée `![t](http://…/x.png) **GRAS**
:red[ROUGE]` : rendue en Markdown, elle ferait charger au navigateur de la DDFE une image
d'un hôte étranger à chaque ouverture. Chaque écran est parcouru avec ce texte partout où une
personne peut en saisir un (fiche, nom de compte, signalement, recherche publique), et chaque
élément que Streamlit rend en Markdown (titres, messages, légendes, libellés de boutons et de
champs, en-têtes de volets, notifications) ne doit le contenir qu'échappé.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from cartographie import comptes, edition, horloge
from cartographie.comptes import Role
from cartographie.config import RACINE
from cartographie.echanges.chargement import initialiser_base
from cartographie.edition import signalements
from cartographie.modele import TypeActeur
from cartographie.stockage.connexion import ouvrir
from tests.conftest import COMMUNES, CSV_ACTEURS
from tests.fabrique import acteur, ajouter
from ui.garde import CLE_ACTIVITE, CLE_COMPTE

MOT_DE_PASSE = "une phrase assez longue"
HOTE = "hote-piege.invalid"
PIEGE = f"![t](http://{HOTE}/x.png) **GRAS** :red[ROUGE]"
# Ce que le Markdown interpréterait si le texte arrivait tel quel.
ACTIFS = ("![t](", "**GRAS**", ":red[ROUGE]")
# Ce que Streamlit montre toujours tel quel : valeurs des champs de saisie, options des listes
# déroulantes (celles des boutons radio, elles, sont du Markdown), tableaux, st.text, st.html
# (déjà échappé par html.escape, tests/test_securite.py), la carte (composant : ses noms passent
# par textContent).
_CHAMPS_TEXTE_BRUT = {"value", "default", "rawValue", "data", "placeholder"}
_OPTIONS_TEXTE_BRUT = {"selectbox", "multiselect"}
_ELEMENTS_TEXTE_BRUT = {"text", "dataframe", "table", "html", "code", "component_instance"}


@pytest.fixture
def con(env_appli: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[duckdb.DuckDBPyConnection]:
    """La base réelle, plus une fiche, un compte et un signalement piégés."""
    monkeypatch.setenv("CARTOGRAPHIE_TUILES_URL", "")
    connexion = ouvrir(env_appli)
    initialiser_base(connexion, CSV_ACTEURS, COMMUNES)
    ajouter(
        connexion,
        acteur(
            "fiche-markdown",
            nom=PIEGE,
            structure=PIEGE,
            description=PIEGE,
            horaires_accueil=PIEGE,
            type=TypeActeur.HEBERGEMENT,
            code_insee="38563",
            commune="Voiron",
            code_postal="38500",
            latitude=45.37,
            longitude=5.59,
        ),
    )
    fiche = edition.fiche(connexion, "fiche-markdown")
    edition.modifier(connexion, replace(fiche, complement_adresse=PIEGE), fiche.version, "admin")
    comptes.creer_compte(connexion, "admin", MOT_DE_PASSE, Role.ADMINISTRATEUR, PIEGE)
    signalements.deposer(connexion, "fiche-markdown", PIEGE, PIEGE, PIEGE)
    yield connexion
    connexion.close()


def textes_rendus_en_markdown(at: AppTest) -> Iterator[tuple[str, str]]:
    """(type d'élément, texte) pour chaque chaîne que Streamlit peut rendre en Markdown."""

    def parcourir(noeud) -> Iterator[tuple[str, str]]:
        proto = getattr(noeud, "proto", None)
        if proto is not None:
            donnees = MessageToDict(proto)
            genre = noeud.type if isinstance(getattr(noeud, "type", None), str) else "?"
            if genre in _OPTIONS_TEXTE_BRUT:
                donnees.pop("options", None)
            if genre not in _ELEMENTS_TEXTE_BRUT:
                yield from ((genre, t) for t in chaines(donnees))
        for enfant in getattr(noeud, "children", {}).values():
            yield from parcourir(enfant)

    yield from parcourir(at._tree)


def chaines(donnees: object) -> Iterator[str]:
    if isinstance(donnees, str):
        yield donnees
    elif isinstance(donnees, dict):
        for cle, valeur in donnees.items():
            if cle not in _CHAMPS_TEXTE_BRUT:
                yield from chaines(valeur)
    elif isinstance(donnees, list):
        for valeur in donnees:
            yield from chaines(valeur)


def verifier(at: AppTest) -> int:
    """Aucune mise en forme tirée du piège ; renvoie combien d'éléments le montrent (échappé)."""
    assert not at.exception, [e.value for e in at.exception]
    vus = 0
    for genre, texte in textes_rendus_en_markdown(at):
        if HOTE in texte:
            vus += 1
            for actif in ACTIFS:
                assert actif not in texte, f"{genre} rend du Markdown : {texte!r}"
    return vus


def connecte(con: duckdb.DuckDBPyConnection, chemin: str) -> AppTest:
    """La page dans l'application entière (barre latérale comprise), ouverte par l'administrateur."""
    at = AppTest.from_file(str(RACINE / "app.py"), default_timeout=60)
    at.session_state[CLE_COMPTE] = comptes.compte_actif(con, "admin")
    at.session_state[CLE_ACTIVITE] = horloge.maintenant()
    at.run()
    return at.switch_page(chemin).run()


def test_fiches_des_acteurs(con) -> None:
    at = connecte(con, "ecrans/acteurs_edition.py")
    at.selectbox(key="fiche_choisie").set_value("fiche-markdown").run()
    assert verifier(at) >= 2  # titre de la fiche, nom du compte dans la barre latérale
    next(b for b in at.button if b.label == "Marquer comme vérifiée").click()
    at.run()
    verifier(at)


@pytest.mark.parametrize(
    "chemin",
    [
        "ecrans/fraicheur.py",
        "ecrans/comptes.py",
        "ecrans/import_export.py",
        "ecrans/signalements.py",
        "ecrans/localisation.py",
        "ecrans/statistiques.py",
        "ecrans/couverture.py",
    ],
)
def test_chaque_page_ddfe(con, chemin: str) -> None:
    at = connecte(con, chemin)
    assert verifier(at) >= 1  # au moins le nom du compte, dans la barre latérale


def test_connexion_et_barre_laterale(con) -> None:
    at = AppTest.from_file(str(RACINE / "app.py"), default_timeout=60).run()
    at.switch_page("ecrans/connexion.py").run()
    at.text_input[0].input("admin")
    at.text_input[1].input(MOT_DE_PASSE)
    at.button[0].click()
    at.run()
    assert at.session_state[CLE_COMPTE].identifiant == "admin"
    assert verifier(at) >= 2  # message « Vous êtes connecté·e », barre latérale


def test_recherche_publique(con) -> None:
    at = AppTest.from_file(str(RACINE / "app.py"), default_timeout=60).run()
    at.text_input(key="saisie_lieu").input("Voiron").run()
    at.text_input(key="f_texte").input(PIEGE).run()
    assert verifier(at) >= 1  # le filtre de mots affiché
    at.text_input(key="saisie_lieu").input(PIEGE).run()
    verifier(at)
