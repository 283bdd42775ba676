"""L'index de recherche gardé en mémoire : jamais en retard sur la base, jamais mêlé à une autre."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import duckdb
import numpy as np
import pytest

from cartographie import edition
from cartographie.echanges.ecriture_import import importer
from cartographie.geocodage.demande import Position
from cartographie.modele import Precision, Statut
from cartographie.recherche import index as index_recherche
from cartographie.recherche.annuaire import acteurs_publics, rechercher_acteurs
from cartographie.recherche.filtres import Filtres, PointRecherche
from cartographie.stockage import communes as depot_communes
from cartographie.stockage import filtres_index as depot_recherche
from cartographie.stockage import imports as depot_imports
from cartographie.stockage.connexion import ouvrir
from cartographie.stockage.transaction import transaction
from tests.conftest import COMMUNES
from tests.fabrique import SECRET_ADRESSE, SECRET_LAT, SECRET_LON, acteur, ajouter, confidentiel

pytestmark = pytest.mark.deux_bases  # stockage et métier : DuckDB puis PostgreSQL

GRENOBLE = PointRecherche(45.1885, 5.7245, "38185", "Grenoble")


def base_communes(chemin: Path) -> duckdb.DuckDBPyConnection:
    """Une base qui n'a que le référentiel des communes, sans aucune fiche."""
    con = ouvrir(chemin)
    depot_communes.synchroniser(con, COMMUNES)
    return con


@pytest.fixture
def vide(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = base_communes(tmp_path / "vide.duckdb")
    yield con
    con.close()


def trouves(con: duckdb.DuckDBPyConnection, **filtres: object) -> set[str]:
    return {r.acteur.id for r in rechercher_acteurs(con, Filtres(**filtres)).resultats}


def test_chaque_ecriture_se_voit_a_la_recherche_suivante(
    base: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    assert trouves(base, texte="zanzibar") == set()  # l'index existe avant les écritures
    cree = edition.creer(base, acteur("zanzibar", nom="Accueil Zanzibar"), "ddfe")
    assert trouves(base, texte="zanzibar") == {"zanzibar"}

    modifie = edition.modifier(base, replace(cree, nom="Accueil Tombouctou"), cree.version, "ddfe")
    assert trouves(base, texte="zanzibar") == set()
    assert trouves(base, texte="tombouctou") == {"zanzibar"}

    archive = edition.archiver(base, "zanzibar", "ddfe", modifie.version)
    assert trouves(base, texte="tombouctou") == set()
    edition.restaurer(base, "zanzibar", "ddfe", archive.version)
    assert trouves(base, texte="tombouctou") == {"zanzibar"}

    sauvegarde = tmp_path / "sauvegarde.duckdb"
    actuel = edition.fiche(base, "zanzibar")
    assert actuel is not None
    importer(
        base,
        nouveaux=[acteur("import-1", nom="Accueil Ouagadougou")],
        modifies=[(actuel, replace(actuel, nom="Accueil Valparaiso"))],
        archives=[],
        auteur="ddfe",
        nom_fichier="lot.csv",
        sauvegarde=sauvegarde,
    )
    assert trouves(base, texte="ouagadougou") == {"import-1"}
    assert trouves(base, texte="valparaiso") == {"zanzibar"}
    importe = edition.fiche(base, "import-1")
    assert importe is not None
    importer(
        base,
        nouveaux=[],
        modifies=[],
        archives=[importe],
        auteur="ddfe",
        nom_fichier="lot.csv",
        sauvegarde=sauvegarde,
    )
    assert trouves(base, texte="ouagadougou") == set()


def test_un_nouveau_referentiel_des_communes_se_voit(
    base: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    ajouter(base, acteur("a-voiron", code_insee="38563", commune="Voiron", code_postal="38500"))
    assert "a-voiron" in trouves(base, territoire="Pays Voironnais")
    referentiel = json.loads(COMMUNES.read_text("utf-8"))
    for commune in referentiel["features"]:
        if commune["properties"]["code_insee"] == "38563":
            commune["properties"]["territoire"] = "Territoire redécoupé"
    modifie = tmp_path / "communes.geojson"
    modifie.write_text(json.dumps(referentiel), "utf-8")
    assert depot_communes.synchroniser(base, modifie)
    assert "a-voiron" not in trouves(base, territoire="Pays Voironnais")
    assert trouves(base, territoire="Territoire redécoupé") >= {"a-voiron"}


def test_une_ecriture_annulee_ne_reste_pas_dans_l_index(base: duckdb.DuckDBPyConnection) -> None:
    # Dans la transaction, la recherche voit la fiche. Après l'annulation, une autre fiche,
    # validée sans recherche entre-temps, rend à la base le même nombre de fiches et la même
    # somme de versions que l'état annulé : un index gardé de cet état la masquerait.
    vus_dans_la_transaction: list[set[str]] = []

    def creer_puis_annuler() -> None:
        with transaction(base):
            edition.creer(base, acteur("fantome", nom="Accueil Fantôme"), "ddfe")
            vus_dans_la_transaction.append(trouves(base, texte="fantome"))
            raise RuntimeError("annulation")

    with pytest.raises(RuntimeError):
        creer_puis_annuler()
    assert vus_dans_la_transaction == [{"fantome"}]
    edition.creer(base, acteur("reel", nom="Accueil Réel"), "ddfe")
    assert trouves(base, texte="fantome") == set()
    assert trouves(base, texte="reel") == {"reel"}


def test_deux_bases_de_meme_forme_ne_se_melent_pas(tmp_path: Path) -> None:
    # Même nombre de fiches, mêmes versions, mêmes communes : seul l'identifiant les distingue.
    bases = []
    for nom in ("alpha", "beta"):
        con = base_communes(tmp_path / f"{nom}.duckdb")
        ajouter(con, acteur(nom, nom=f"Accueil {nom}"))
        bases.append(con)
    for _ in range(2):
        assert trouves(bases[0]) == {"alpha"}
        assert trouves(bases[1]) == {"beta"}
    for con in bases:
        con.close()


def test_index_reutilise_tant_que_rien_ne_change(base: duckdb.DuckDBPyConnection) -> None:
    premier = index_recherche.index_de(base)
    assert index_recherche.index_de(base.cursor()) is premier
    edition.marquer_verifie(base, premier.acteurs[0].id, "ddfe")
    assert index_recherche.index_de(base) is not premier


def test_ex_aequo_departages_par_le_nom_meme_a_la_limite(vide: duckdb.DuckDBPyConnection) -> None:
    # Cinq fiches au même point, insérées dans le désordre, et une plus loin.
    ajouter(
        vide,
        *(acteur(f"t{n}", nom=f"Même lieu {n}") for n in (4, 2, 5, 1, 3)),
        acteur("loin", nom="A plus loin", latitude=45.3, longitude=5.7),
    )
    point = GRENOBLE
    tous = rechercher_acteurs(vide, Filtres(), point)
    assert [r.acteur.id for r in tous.resultats] == ["t1", "t2", "t3", "t4", "t5", "loin"]
    assert tous.resultats[0].distance_km == 0.0
    for limite in (1, 3, 5):
        coupes = rechercher_acteurs(vide, Filtres(), point, limite=limite)
        assert [r.acteur.id for r in coupes.resultats] == [f"t{n}" for n in range(1, limite + 1)]
        assert coupes.total == 6
    archive = replace(acteur("t0", nom="Même lieu 0"), statut=Statut.ARCHIVE)
    ajouter(vide, archive)
    assert "t0" not in {r.acteur.id for r in rechercher_acteurs(vide, Filtres(), point).resultats}


def test_reconstruction_partielle_identique_a_une_reconstruction_complete(
    base: duckdb.DuckDBPyConnection,
) -> None:
    index_recherche.index_de(base)
    cree = edition.creer(base, acteur("nouveau", nom="Aaa premier par le nom"), "ddfe")
    index_recherche.index_de(base)
    secret = next(a for a in edition.fiches(base) if a.adresse_confidentielle)
    edition.modifier(
        base, replace(secret, nom="Zzz dernier", description="Écoute"), secret.version, "ddfe"
    )
    edition.archiver(base, cree.id, "ddfe")

    def pas_de_relecture_complete(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("l'index a tout relu au lieu des seules fiches changées")

    with pytest.MonkeyPatch.context() as m:
        m.setattr(index_recherche.depot_acteurs, "lister", pas_de_relecture_complete)
        partiel = index_recherche.index_de(base)
    complet = index_recherche._construire(base, depot_recherche.empreinte(base), None)
    assert partiel.empreinte == complet.empreinte
    assert partiel.acteurs == complet.acteurs
    assert partiel.textes == complet.textes
    assert partiel.degres == complet.degres
    assert np.array_equal(partiel.positions, complet.positions)
    assert partiel.rangs == complet.rangs
    contenu = "SELECT * FROM fiche ORDER BY pos"
    assert partiel.base.execute(contenu).fetchall() == complet.base.execute(contenu).fetchall()
    # La fiche confidentielle modifiée reste publique : ni adresse ni position exacte.
    modifiee = partiel.acteurs[partiel.rangs[(secret.id, secret.version + 1)]]
    assert modifiee.nom == "Zzz dernier"
    assert modifiee.adresse == ""
    assert (modifiee.latitude, modifiee.longitude) != (secret.latitude, secret.longitude)


def test_base_sans_acteur(vide: duckdb.DuckDBPyConnection) -> None:
    aucun = rechercher_acteurs(vide, Filtres(texte="écoute", rayon_km=5), GRENOBLE)
    assert (aucun.total, aucun.resultats) == (0, ())
    assert rechercher_acteurs(vide, Filtres()).total == 0


def test_le_lieu_exact_d_une_adresse_confidentielle_n_entre_pas_dans_l_index(
    base: duckdb.DuckDBPyConnection,
) -> None:
    ajouter(base, confidentiel())
    index = index_recherche.index_de(base)
    rang = next(r for r, a in enumerate(index.acteurs) if a.id == "hebergement-secret")
    assert index.acteurs[rang].adresse == ""
    assert SECRET_ADRESSE not in repr(index.acteurs)
    secret = (SECRET_LAT, SECRET_LON)
    assert secret not in index.degres
    assert all((a.latitude, a.longitude) != secret for a in index.acteurs)


def test_une_copie_de_sauvegarde_a_son_propre_index(
    base: duckdb.DuckDBPyConnection, ouvrir_copie
) -> None:
    # Originale et copie reçoivent chacune une modification : même nombre de fiches, même somme
    # des versions. Chacune doit pourtant montrer la sienne.
    ajouter(base, acteur("x", nom="Accueil Initial"))
    copie = ouvrir_copie(depot_imports.sauvegarder(base))
    for con, nom in ((base, "Accueil Original"), (copie, "Accueil Copie")):
        fiche = edition.fiche(con, "x")
        assert fiche is not None
        edition.modifier(con, replace(fiche, nom=nom), fiche.version, "ddfe")
    for _ in range(2):
        assert trouves(base, texte="accueil original") == {"x"}
        assert trouves(copie, texte="accueil original") == set()
        assert trouves(copie, texte="accueil copie") == {"x"}


def test_commune_sortie_du_referentiel(vide: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    voiron = {"code_insee": "38563", "commune": "Voiron", "code_postal": "38500"}
    ajouter(
        vide,
        acteur("orpheline", nom="Accueil orphelin", **voiron),
        replace(confidentiel(), id="secret-orphelin", nom="Hébergement orphelin"),
        acteur("grenoble", nom="Accueil grenoblois"),
    )
    referentiel = json.loads(COMMUNES.read_text("utf-8"))
    referentiel["features"] = [
        f for f in referentiel["features"] if f["properties"]["code_insee"] != "38563"
    ]
    sans_voiron = tmp_path / "communes.geojson"
    sans_voiron.write_text(json.dumps(referentiel), "utf-8")
    assert depot_communes.synchroniser(vide, sans_voiron)

    point = GRENOBLE
    resultats = rechercher_acteurs(vide, Filtres(), point).resultats
    # Toujours trouvables ; la fiche localisée garde sa distance, la confidentielle n'en a plus.
    assert [(r.acteur.id, r.distance_km is None) for r in resultats] == [
        ("grenoble", False),
        ("orpheline", False),
        ("secret-orphelin", True),
    ]
    secret = resultats[-1].acteur
    assert (secret.latitude, secret.longitude, secret.adresse) == (None, None, "")
    assert {
        r.acteur.id for r in rechercher_acteurs(vide, Filtres(rayon_km=50), point).resultats
    } == {
        "grenoble",
        "orpheline",
    }
    assert [
        r.acteur.id for r in rechercher_acteurs(vide, Filtres(), point, limite=2).resultats
    ] == [
        "grenoble",
        "orpheline",
    ]
    assert {a.id for a in acteurs_publics(vide)} == {"grenoble", "orpheline", "secret-orphelin"}


def test_une_nouvelle_position_change_distance_et_ordre(vide: duckdb.DuckDBPyConnection) -> None:
    ajouter(
        vide,
        acteur("a", nom="A", latitude=45.20, longitude=5.7245),
        acteur("b", nom="B", latitude=45.25, longitude=5.7245),
    )
    point = GRENOBLE
    assert [r.acteur.id for r in rechercher_acteurs(vide, Filtres(), point).resultats] == ["a", "b"]
    b = edition.fiche(vide, "b")
    assert b is not None
    position = Position(45.19, 5.7245, Precision.ADRESSE, "test")
    edition.repositionner(vide, "b", b.version, position, "ddfe")
    resultats = rechercher_acteurs(vide, Filtres(), point).resultats
    assert [r.acteur.id for r in resultats] == ["b", "a"]
    assert resultats[0].distance_km == pytest.approx(0.2, abs=0.05)


def test_limite_nulle_ou_negative(base: duckdb.DuckDBPyConnection) -> None:
    point = GRENOBLE
    for depart in (None, point):
        aucun = rechercher_acteurs(base, Filtres(), depart, limite=0)
        assert aucun.resultats == ()
        assert aucun.total == rechercher_acteurs(base, Filtres(), depart).total > 0
    with pytest.raises(ValueError, match="limite"):
        rechercher_acteurs(base, Filtres(), point, limite=-1)


def test_recherches_et_ecritures_simultanees(base: duckdb.DuckDBPyConnection) -> None:
    """Plusieurs sessions (un curseur chacune) cherchent pendant que d'autres écrivent."""
    identifiants = [a.id for a in edition.fiches(base)][:3]
    point = GRENOBLE
    erreurs: list[str] = []
    fini = threading.Event()

    def chercher() -> None:
        while not fini.is_set():
            try:
                rechercher_acteurs(base.cursor(), Filtres(texte="e"), point)
            except Exception as erreur:  # tout échec compte
                erreurs.append(repr(erreur))

    def ecrire(identifiant: str) -> None:
        curseur = base.cursor()
        for n in range(8):
            fiche = edition.fiche(curseur, identifiant)
            assert fiche is not None
            nom = f"Renommée {identifiant} {n}"
            edition.modifier(curseur, replace(fiche, nom=nom), fiche.version, "ddfe")
            vus = trouves(base.cursor(), texte=nom)
            if vus != {identifiant}:
                erreurs.append(f"{nom} : {vus}")

    lecteurs = [threading.Thread(target=chercher) for _ in range(3)]
    ecrivains = [threading.Thread(target=ecrire, args=(i,)) for i in identifiants]
    for fil in lecteurs + ecrivains:
        fil.start()
    for fil in ecrivains:
        fil.join()
    fini.set()
    for fil in lecteurs:
        fil.join()
    assert erreurs == []
    final = index_recherche.index_de(base)
    complet = index_recherche._construire(base, depot_recherche.empreinte(base), None)
    assert (final.acteurs, final.rangs) == (complet.acteurs, complet.rangs)
