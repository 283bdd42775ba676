"""Position des acteurs en base : chargement géocodé, regéocodage, contrôle pour la DDFE."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import replace
from http.server import ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from cartographie import edition
from cartographie.__main__ import main
from cartographie.communes import commune_par_code
from cartographie.echanges.chargement import initialiser_base, lire_csv
from cartographie.echanges.importation import apercu_fichier
from cartographie.edition import ConflitEdition
from cartographie.edition.formulaire import saisie_de
from cartographie.edition.positions import (
    acteurs_a_verifier,
    acteurs_a_verifier_en_base,
    regeocoder,
    repartition_precisions,
)
from cartographie.geocodage.ban import ClientBan
from cartographie.geocodage.chaine import Geocodeur
from cartographie.geocodage.demande import Demande, Position
from cartographie.modele import COLONNES_CSV, Acteur, Precision, TypeActeur
from cartographie.stockage import acteurs as depot_acteurs
from cartographie.stockage.connexion import ouvrir
from cartographie.validation import ErreurDonnees
from tests.conftest import COMMUNES, CSV_ACTEURS
from tests.faux_ban import GRENOBLE, VOIRON, faux_ban, url

pytestmark = pytest.mark.deux_bases  # stockage et métier : DuckDB puis PostgreSQL


@pytest.fixture(scope="module")
def serveur() -> Iterator[ThreadingHTTPServer]:
    with faux_ban() as serveur:
        yield serveur


@pytest.fixture
def en_ligne(serveur: ThreadingHTTPServer) -> ClientBan:
    serveur.requetes.clear()
    return ClientBan(url(serveur), delai=0.5, intervalle=0.0)


def _ligne(identifiant: str, **champs: str) -> dict[str, str]:
    return {
        "id": identifiant,
        "nom": f"Acteur {identifiant}",
        "type": "leao",
        "commune": "Voiron",
        "code_insee": "38563",
        "code_postal": "38500",
        "statut": "actif",
        "adresse_confidentielle": "false",
        **champs,
    }


def _csv(chemin: Path, lignes: list[dict[str, str]]) -> Path:
    with chemin.open("w", encoding="utf-8", newline="") as f:
        ecrivain = csv.DictWriter(f, fieldnames=COLONNES_CSV)
        ecrivain.writeheader()
        for ligne in lignes:
            ecrivain.writerow({c: ligne.get(c, "") for c in COLONNES_CSV})
    return chemin


def _acteur(identifiant: str, **champs) -> Acteur:
    valeurs = {
        "nom": f"Acteur {identifiant}",
        "type": TypeActeur.LEAO,
        "code_insee": VOIRON.code_insee,
        "commune": VOIRON.nom,
        "code_postal": "38500",
        "latitude": VOIRON.latitude,
        "longitude": VOIRON.longitude,
        "precision_localisation": Precision.COMMUNE,
    }
    return Acteur(id=identifiant, **(valeurs | champs))


def test_chargement_geocode_par_lot_avec_progression(tmp_path: Path, en_ligne, serveur):
    chemin = _csv(
        tmp_path / "acteurs.csv",
        [
            _ligne("a-adresse", adresse="12 rue Mainssieux"),
            _ligne("b-commune"),
            _ligne("c-manuelle", latitude="45.19", longitude="5.72"),
            _ligne("d-confidentiel", adresse="12 rue Mainssieux", adresse_confidentielle="true"),
            _ligne("e-introuvable", adresse="1 chemin Perdu"),
        ],
    )
    etapes = []
    acteurs = lire_csv(
        chemin,
        COMMUNES,
        Geocodeur(COMMUNES, client=en_ligne),
        lambda faits, total: etapes.append((faits, total)),
    )
    precisions = {a.id: a.precision_localisation for a in acteurs}
    assert precisions == {
        "a-adresse": Precision.ADRESSE,
        "b-commune": Precision.COMMUNE,
        "c-manuelle": Precision.MANUELLE,
        "d-confidentiel": Precision.COMMUNE,
        "e-introuvable": Precision.COMMUNE,
    }
    assert etapes == [(i, 5) for i in range(1, 6)]
    # Deux adresses envoyées : ni la confidentielle, ni celles sans adresse.
    assert sorted(p["q"].split(" 38500")[0] for _, p in serveur.requetes) == [
        "1 chemin Perdu",
        "12 rue Mainssieux",
    ]


def test_coordonnees_sans_precision_sont_manuelles_et_contradiction_refusee(tmp_path: Path):
    (acteur,) = lire_csv(
        _csv(tmp_path / "a.csv", [_ligne("x", latitude="45.38", longitude="5.58")]), COMMUNES
    )
    assert acteur.precision_localisation is Precision.MANUELLE
    chemin = _csv(
        tmp_path / "b.csv",
        [_ligne("y", latitude="45.38", longitude="5.58", precision_localisation="non_localise")],
    )
    with pytest.raises(ErreurDonnees, match="precision_localisation"):
        lire_csv(chemin, COMMUNES)


def test_chaque_acteur_du_vrai_fichier_a_une_position_qualifiee(base: duckdb.DuckDBPyConnection):
    acteurs = depot_acteurs.lister(base, statut=None)
    assert acteurs
    for acteur in acteurs:
        assert acteur.precision_localisation is not Precision.NON_LOCALISE, acteur.id
        assert acteur.latitude is not None, acteur.id
    # … et aucune n'est hors de sa commune.
    assert acteurs_a_verifier_en_base(base, COMMUNES) == []


def test_regeocoder_ameliore_rapporte_et_ne_degrade_jamais(
    base: duckdb.DuckDBPyConnection, en_ligne
):
    avant = depot_acteurs.par_id(base, "femmes-sdf-local-des-femmes")
    assert avant.adresse == "16 boulevard Jean-Pain"
    assert avant.precision_localisation is Precision.COMMUNE

    changements = regeocoder(base, Geocodeur(COMMUNES, client=en_ligne, con=base))
    appliques = {c.id: c for c in changements if c.applique}
    assert set(appliques) == {"femmes-sdf-local-des-femmes"}
    assert appliques["femmes-sdf-local-des-femmes"].apres is Precision.ADRESSE
    assert appliques["femmes-sdf-local-des-femmes"].deplacement_m == pytest.approx(111, abs=2)
    apres = depot_acteurs.par_id(base, "femmes-sdf-local-des-femmes")
    assert apres.precision_localisation is Precision.ADRESSE
    assert apres.latitude == pytest.approx(GRENOBLE.latitude + 0.001)
    assert apres.version == avant.version + 1
    assert apres.date_maj == avant.date_maj  # recalculer un point ne « vérifie » pas la fiche
    (version,) = edition.historique(base, apres.id)[:1]
    assert (version.action, version.auteur) == ("geocodage", "geocodage")
    assert set(version.changements) == {"latitude", "precision_localisation"}  # même longitude

    # Une fiche placée à la rue ne retombe pas au centre de la commune faute de service.
    depot_acteurs.inserer(
        base,
        [
            _acteur(
                "rue-seule",
                adresse="Rue Seule",
                latitude=VOIRON.latitude + 0.0004,
                precision_localisation=Precision.RUE,
            )
        ],
    )
    changements = regeocoder(base, Geocodeur(COMMUNES))
    assert "femmes-sdf-local-des-femmes" not in {c.id for c in changements}  # déjà à l'adresse
    assert not any(c.applique for c in changements)
    assert depot_acteurs.par_id(base, "rue-seule").precision_localisation is Precision.RUE


def test_geocodage_ne_passe_pas_sur_une_edition_concurrente(base: duckdb.DuckDBPyConnection):
    acteur = depot_acteurs.par_id(base, "femmes-sdf-local-des-femmes")
    rue = Position(45.1, 5.7, Precision.RUE, "ban")
    edition.repositionner(base, acteur.id, acteur.version, rue, "geocodage")
    # Une seconde écriture avec la version lue avant la première est refusée.
    with pytest.raises(ConflitEdition):
        edition.repositionner(
            base, acteur.id, acteur.version, Position(45.2, 5.8, Precision.ADRESSE, "ban"), "x"
        )
    assert depot_acteurs.par_id(base, acteur.id).precision_localisation is Precision.RUE


def test_regeocoder_laisse_une_fiche_modifiee_entre_temps(
    base: duckdb.DuckDBPyConnection, en_ligne
):
    class GeocodeurQuiCroiseUneEdition(Geocodeur):
        def geocoder(self, demande, *, conserver=True):
            # Pendant le géocodage, quelqu'un enregistre la fiche.
            fiche = depot_acteurs.par_id(base, "femmes-sdf-local-des-femmes")
            if fiche.version == 1:
                edition.modifier(base, replace(fiche, telephone="04 76 00 00 00"), 1, "claire")
            return super().geocoder(demande, conserver=conserver)

    changements = regeocoder(base, GeocodeurQuiCroiseUneEdition(COMMUNES, client=en_ligne))
    (local,) = [c for c in changements if c.id == "femmes-sdf-local-des-femmes"]
    assert not local.applique
    assert "modifiée entre-temps" in local.message
    fiche = depot_acteurs.par_id(base, "femmes-sdf-local-des-femmes")
    assert fiche.telephone == "04 76 00 00 00"
    assert fiche.precision_localisation is Precision.COMMUNE


def test_positions_douteuses_signalees_a_la_ddfe():
    acteurs = [
        _acteur("bonne"),
        _acteur("chez-la-voisine", latitude=GRENOBLE.latitude, longitude=GRENOBLE.longitude),
        _acteur(
            "a-lyon", latitude=45.7640, longitude=4.8357, precision_localisation=Precision.MANUELLE
        ),
        _acteur(
            "perdu", latitude=None, longitude=None, precision_localisation=Precision.NON_LOCALISE
        ),
    ]
    anomalies = {a.id: a.probleme for a in acteurs_a_verifier(acteurs, COMMUNES)}
    assert set(anomalies) == {"chez-la-voisine", "a-lyon", "perdu"}
    assert "Grenoble" in anomalies["chez-la-voisine"]
    assert "Voiron" in anomalies["chez-la-voisine"]
    assert "hors de l'Isère" in anomalies["a-lyon"]
    assert "Non localisée" in anomalies["perdu"]


def test_les_anomalies_ne_deplacent_rien(base: duckdb.DuckDBPyConnection):
    fiche = _acteur(
        "a-lyon", latitude=45.7640, longitude=4.8357, precision_localisation=Precision.MANUELLE
    )
    depot_acteurs.inserer(base, [fiche])
    assert [a.id for a in acteurs_a_verifier_en_base(base, COMMUNES)] == ["a-lyon"]
    assert depot_acteurs.par_id(base, "a-lyon").latitude == 45.7640


def test_commande_geocoder(chemin_base: Path, serveur, monkeypatch, capsys):
    serveur.requetes.clear()
    monkeypatch.setenv("CARTOGRAPHIE_BASE", str(chemin_base))
    monkeypatch.setenv("CARTOGRAPHIE_GEOCODAGE_EN_LIGNE", "oui")
    monkeypatch.setenv("CARTOGRAPHIE_BAN_URL", url(serveur))
    assert main(["geocoder"]) == 0
    sortie = capsys.readouterr()
    assert "1 repositionnée(s)" in sortie.out
    assert "Le Local des femmes" in sortie.out
    assert "Position à l'adresse" in sortie.out
    assert "Aucune position à vérifier" in sortie.out
    assert "Géocodage : " in sortie.err
    premieres = len(serveur.requetes)
    # Relancée : tout vient du cache, rien ne change.
    assert main(["geocoder"]) == 0
    assert "0 repositionnée(s)" in capsys.readouterr().out
    assert len(serveur.requetes) == premieres


def test_commande_geocoder_hors_ligne_le_dit(chemin_base: Path, monkeypatch, capsys):
    monkeypatch.setenv("CARTOGRAPHIE_BASE", str(chemin_base))
    assert main(["geocoder"]) == 0
    assert "désactivé" in capsys.readouterr().out


def test_chargement_initial_profite_du_cache(chemin_base: Path, en_ligne):
    con = ouvrir(chemin_base)
    Geocodeur(COMMUNES, client=en_ligne, con=con).geocoder(
        Demande(adresse="16 boulevard Jean-Pain", commune="Grenoble", code_insee="38185")
    )
    initialiser_base(con, CSV_ACTEURS, COMMUNES)  # hors ligne, mais le cache sait
    acteur = depot_acteurs.par_id(con, "femmes-sdf-local-des-femmes")
    assert acteur.precision_localisation is Precision.ADRESSE
    con.close()


def test_repartition_des_precisions():
    acteurs = [
        _acteur("a"),
        _acteur("b"),
        _acteur("c", precision_localisation=Precision.ADRESSE),
    ]
    assert repartition_precisions(acteurs) == {
        Precision.MANUELLE: 0,
        Precision.ADRESSE: 1,
        Precision.RUE: 0,
        Precision.COMMUNE: 2,
        Precision.NON_LOCALISE: 0,
    }


def test_formulaire_d_edition_geocode_l_adresse_saisie(base: duckdb.DuckDBPyConnection, en_ligne):
    fiche = depot_acteurs.par_id(base, "femmes-sdf-local-des-femmes")
    champs = saisie_de(fiche, COMMUNES) | {
        "adresse": "12 rue Mainssieux",
        "code_postal": "38500",
        "commune": commune_par_code("38563", COMMUNES),
        "position_manuelle": False,
    }
    geocodeur = Geocodeur(COMMUNES, client=en_ligne, con=base)
    apres = edition.enregistrer_formulaire(base, champs, fiche, "claire", COMMUNES, geocodeur)
    assert apres.precision_localisation is Precision.ADRESSE
    assert apres.latitude == pytest.approx(VOIRON.latitude + 0.0003)
    # Sans service (hors ligne par défaut) : centre de la nouvelle commune, jamais l'ancien point.
    champs |= {"adresse": "3 rue Mainssieux"}
    hors_ligne = edition.enregistrer_formulaire(base, champs, apres, "claire", COMMUNES)
    assert hors_ligne.precision_localisation is Precision.COMMUNE
    assert (hors_ligne.latitude, hors_ligne.longitude) == (VOIRON.latitude, VOIRON.longitude)


def test_apercu_d_import_geocode_par_lot_avec_progression(
    base: duckdb.DuckDBPyConnection, en_ligne, tmp_path: Path
):
    contenu = _csv(
        tmp_path / "partenaires.csv",
        [
            _ligne("nouveau-a", adresse="12 rue Mainssieux", type="leao", axes="1"),
            _ligne("nouveau-b", adresse="2 rue Faible", type="leao", axes="1"),
        ],
    ).read_bytes()
    etapes = []
    apercu = apercu_fichier(
        base,
        contenu,
        "partenaires.csv",
        COMMUNES,
        Geocodeur(COMMUNES, client=en_ligne, con=base),
        lambda faites, total: etapes.append((faites, total)),
    )
    assert apercu.erreurs == ()
    assert {a.id: a.precision_localisation for a in apercu.nouveaux} == {
        "nouveau-a": Precision.ADRESSE,
        "nouveau-b": Precision.COMMUNE,  # score trop bas : centre de la commune
    }
    assert etapes == [(0, 2), (1, 2), (2, 2)]
