"""Deux vrais processus sur la même base PostgreSQL (make run-multi) : une écriture faite par
l'un se voit dans la recherche suivante de l'autre ; verrou optimiste, import tout-ou-rien et
comptes des consultations tiennent d'un processus à l'autre."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest

from cartographie import edition
from cartographie.config import RACINE
from cartographie.consultations.enregistreur import Enregistreur
from cartographie.consultations.evenements import TypeEvenement, evenement
from cartographie.echanges.importation import ImportRefuse, appliquer_import, preparer_apercu
from cartographie.echanges.lecture_tableur import lire_tableur
from cartographie.edition.ecritures import ConflitEdition
from cartographie.modele import COLONNES_CSV
from cartographie.modele.champs import vers_textes
from cartographie.recherche.annuaire import rechercher_acteurs
from cartographie.recherche.filtres import Filtres
from cartographie.stockage import acteurs as depot_acteurs
from cartographie.stockage import consultations as depot_consultations
from cartographie.stockage.connexion import ouvrir
from tests.conftest import COMMUNES

pytestmark = pytest.mark.deux_bases("postgresql")

# L'autre processus : il garde sa base ouverte (et son index de recherche en mémoire) et répond
# à des ordres JSON, une ligne chacun, comme une page qui se relance à chaque clic.
_AUTRE = r"""
import json, sys, uuid
from dataclasses import replace
from cartographie import edition
from cartographie.consultations.enregistreur import Enregistreur
from cartographie.consultations.evenements import TypeEvenement, evenement
from cartographie.edition.ecritures import ConflitEdition
from cartographie.recherche.annuaire import rechercher_acteurs
from cartographie.recherche.filtres import Filtres
from cartographie.stockage.connexion import ouvrir

con = ouvrir(sys.argv[1])
ouvertes = {}
for ligne in sys.stdin:
    ordre = json.loads(ligne)
    if ordre["quoi"] == "chercher":
        r = rechercher_acteurs(con.cursor(), Filtres(texte=ordre["texte"]), None)
        reponse = sorted(x.acteur.id for x in r.resultats)
    elif ordre["quoi"] == "ouvrir":
        ouvertes[ordre["id"]] = edition.fiche(con, ordre["id"])
        reponse = ouvertes[ordre["id"]].version
    elif ordre["quoi"] == "enregistrer":
        fiche = ouvertes[ordre["id"]]
        try:
            edition.modifier(con, replace(fiche, nom=ordre["nom"]), fiche.version, "autre")
            reponse = "enregistré"
        except ConflitEdition as conflit:
            reponse = "refusé : " + ", ".join(sorted(conflit.changements))
    elif ordre["quoi"] == "consulter":
        e = Enregistreur(con.cursor, taille_lot=50, delai_s=60)
        for _ in range(ordre["n"]):
            e.noter(evenement(TypeEvenement.CONSULTATION, "carte", uuid.uuid4()))
        e.arreter()
        reponse = e.perdus
    print(json.dumps(reponse), flush=True)
"""


class Autre:
    """L'autre processus, piloté ligne à ligne."""

    def __init__(self, url: str) -> None:
        self.processus = subprocess.Popen(
            [sys.executable, "-c", _AUTRE, url],
            cwd=RACINE,
            env={**os.environ, "PYTHONPATH": str(RACINE)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def __call__(self, **ordre: object) -> object:
        self.processus.stdin.write(json.dumps(ordre) + "\n")
        self.processus.stdin.flush()
        ligne = self.processus.stdout.readline()
        assert ligne, f"l'autre processus s'est arrêté (code {self.processus.poll()})"
        return json.loads(ligne)

    def fermer(self) -> None:
        self.processus.stdin.close()
        self.processus.wait(timeout=60)


@pytest.fixture
def autre(base, chemin_base: str) -> Iterator[Autre]:
    processus = Autre(chemin_base)
    yield processus
    processus.fermer()


def _une_fiche(base) -> str:
    return rechercher_acteurs(base, Filtres(), None).resultats[0].acteur.id


def test_une_ecriture_se_voit_dans_la_recherche_suivante_de_l_autre_processus(base, autre) -> None:
    cible = _une_fiche(base)
    assert autre(quoi="chercher", texte="zebulon") == []  # son index est construit
    fiche = edition.fiche(base, cible)
    edition.modifier(base, replace(fiche, nom="Accueil Zébulon"), fiche.version, "ici")
    assert autre(quoi="chercher", texte="zebulon") == [cible]
    # Et dans l'autre sens : ce qu'il écrit, la recherche d'ici le voit.
    assert rechercher_acteurs(base, Filtres(texte="zebulon"), None).total == 1
    autre(quoi="ouvrir", id=cible)
    assert autre(quoi="enregistrer", id=cible, nom="Accueil Xérès") == "enregistré"
    assert [
        r.acteur.id for r in rechercher_acteurs(base, Filtres(texte="xeres"), None).resultats
    ] == [cible]


def test_verrou_optimiste_d_un_processus_a_l_autre(base, autre) -> None:
    cible = _une_fiche(base)
    version_lue = autre(quoi="ouvrir", id=cible)  # l'autre ouvre le formulaire…
    fiche = edition.fiche(base, cible)
    assert fiche.version == version_lue
    edition.modifier(base, replace(fiche, telephone="04 76 00 00 01"), fiche.version, "ici")
    # … et enregistre sur une version dépassée : refusé, avec ce qui a changé entre-temps.
    refus = autre(quoi="enregistrer", id=cible, nom="Écrasé ?")
    assert refus.startswith("refusé : ")
    assert "telephone" in refus.removeprefix("refusé : ").split(", ")
    assert edition.fiche(base, cible).telephone == "04 76 00 00 01"
    # Dans l'autre sens aussi.
    autre(quoi="ouvrir", id=cible)
    fiche = edition.fiche(base, cible)
    assert autre(quoi="enregistrer", id=cible, nom="Par l'autre") == "enregistré"
    with pytest.raises(ConflitEdition):
        edition.modifier(base, replace(fiche, nom="Par ici"), fiche.version, "ici")
    assert edition.fiche(base, cible).nom == "Par l'autre"


def _csv(base, nom: str) -> bytes:
    tampon = io.StringIO(newline="")
    ecrivain = csv.writer(tampon, delimiter=";")
    ecrivain.writerow(COLONNES_CSV)
    for acteur in depot_acteurs.lister(base):
        textes = vers_textes(acteur)
        textes["nom"] = f"{nom} {acteur.id}"
        ecrivain.writerow([textes.get(c, "") for c in COLONNES_CSV])
    return tampon.getvalue().encode()


def test_import_tout_ou_rien_quand_l_autre_processus_ecrit(base, autre) -> None:
    tableau = lire_tableur(_csv(base, "Importé"), "x.csv", taille_max=10**8, lignes_max=10**5)
    apercu = preparer_apercu(base, tableau, COMMUNES)
    assert len(apercu.modifies) > 10
    cible = apercu.modifies[-1].avant.id  # écrite dans le dernier lot, après les autres
    autre(quoi="ouvrir", id=cible)
    assert autre(quoi="enregistrer", id=cible, nom="Par l'autre processus") == "enregistré"
    avant = base.execute("SELECT * FROM acteur ORDER BY id").fetchall()
    with pytest.raises(ImportRefuse, match="modifiée depuis l'aperçu"):
        appliquer_import(base, apercu, auteur="ddfe", nom_fichier="x.csv")
    assert base.execute("SELECT * FROM acteur ORDER BY id").fetchall() == avant
    assert autre(quoi="chercher", texte="importe") == []  # rien d'écrit, vu de l'autre côté


def test_les_consultations_des_deux_processus_s_additionnent(base, autre) -> None:
    ici = Enregistreur(base.cursor, taille_lot=50, delai_s=60)
    for _ in range(120):
        ici.noter(evenement(TypeEvenement.CONSULTATION, "carte", uuid.uuid4()))
    assert autre(quoi="consulter", n=180) == 0  # écrit pendant que celui d'ici attend
    ici.arreter()
    assert ici.perdus == 0
    aujourd_hui = date.today()
    (compte,) = depot_consultations.compter(
        base,
        date(aujourd_hui.year - 1, 1, 1),
        date(aujourd_hui.year + 1, 12, 31),
        evenements=["consultation"],
    )
    assert (compte.nombre, compte.sessions) == (300, 300)


def test_deux_processus_se_partagent_les_connexions_sans_en_garder(base, chemin_base) -> None:
    # Un curseur oublié (comme une page qui n'en ferme aucun) ne retient pas de connexion : le
    # pool d'un processus (8 au plus) ne s'épuise pas, même après des milliers de requêtes.
    for _ in range(200):
        base.cursor().execute("SELECT count(*) FROM acteur").fetchone()
    autre_base = ouvrir(chemin_base)
    try:
        (connexions,) = autre_base.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        ).fetchone()
        assert connexions <= 2 * 8
    finally:
        autre_base.close()
