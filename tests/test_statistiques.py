"""Les statistiques de la DDFE : comptes justes, petits nombres masqués, indicateurs annuels."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, datetime

import duckdb
import pytest

from cartographie import edition
from cartographie.consultations import statistiques as stats
from cartographie.consultations.evenements import evenement
from cartographie.edition import signalements
from cartographie.stockage import consultations as depot
from tests.exemple_consultations import a, semer

pytestmark = pytest.mark.deux_bases  # stockage et métier : DuckDB puis PostgreSQL


@pytest.mark.parametrize(
    ("nombre", "publie"),
    [(0, "< 5"), (1, "< 5"), (4, "< 5"), (5, "5"), (6, "6"), (12345, "12345")],
)
def test_petits_nombres_masques(nombre: int, publie: str) -> None:
    assert stats.masquer(nombre) == publie


def test_masquer_tableau_ne_touche_que_les_comptes() -> None:
    tableau = [
        {"Territoire": "Trièves", "Recherches": 3, "Rang": 1},
        {"Territoire": "Oisans", "Recherches": 40, "Rang": 2},
    ]
    assert stats.masquer_tableau(tableau, ["Recherches"]) == [
        {"Territoire": "Trièves", "Recherches": "< 5", "Rang": 1},
        {"Territoire": "Oisans", "Recherches": "40", "Rang": 2},
    ]


def test_csv_lisible_par_un_tableur_francais() -> None:
    texte = stats.en_csv([{"Commune": "Saint-Égrève", "Recherches": "< 5"}])
    assert list(csv.reader(io.StringIO(texte), delimiter=";")) == [
        ["Commune", "Recherches"],
        ["Saint-Égrève", "< 5"],
    ]


def recherche(quand: datetime, session: uuid.UUID, **filtres: object):
    return a(quand, evenement("recherche", "carte", session, **filtres))


def test_frequentation_par_jour_semaine_mois(base: duckdb.DuckDBPyConnection) -> None:
    s1, s2 = uuid.uuid4(), uuid.uuid4()
    depot.inserer(
        base,
        [
            a(datetime(2026, 3, 2, 9), evenement("consultation", "carte", s1)),
            recherche(datetime(2026, 3, 2, 9), s1),
            recherche(datetime(2026, 3, 2, 10), s1),
            a(datetime(2026, 3, 4, 9), evenement("consultation", "carte", s2)),
            # 31 mars 23 h UTC = 1er avril 1 h à Paris : compté en avril.
            a(datetime(2026, 3, 31, 23), evenement("consultation", "carte", s2)),
        ],
    )
    mars = stats.Periode(date(2026, 3, 1), date(2026, 4, 30))
    par_mois = stats.frequentation(base, mars, "mois")
    assert par_mois == [
        {"Période": date(2026, 3, 1), "Consultations": 2, "Sessions": 2, "Recherches": 2},
        {"Période": date(2026, 4, 1), "Consultations": 1, "Sessions": 1, "Recherches": 0},
    ]
    par_semaine = stats.frequentation(
        base, stats.Periode(date(2026, 3, 1), date(2026, 3, 8)), "semaine"
    )
    assert [ligne["Période"] for ligne in par_semaine] == [date(2026, 2, 23), date(2026, 3, 2)]
    assert [ligne["Consultations"] for ligne in par_semaine] == [0, 2]
    par_jour = stats.frequentation(base, stats.Periode(date(2026, 3, 1), date(2026, 3, 4)), "jour")
    assert [ligne["Consultations"] for ligne in par_jour] == [0, 1, 0, 1]


def test_recherches_par_territoire_commune_et_filtres(base: duckdb.DuckDBPyConnection) -> None:
    quand = datetime(2026, 5, 5, 14)
    evenements = [
        recherche(quand, uuid.uuid4(), territoire="Trièves", types=["leao"], rayon_km=10)
        for _ in range(6)
    ] + [recherche(quand, uuid.uuid4(), code_insee="38185", axes=["2"]) for _ in range(2)]
    depot.inserer(base, evenements)
    periode = stats.Periode.annee(2026)
    assert stats.recherches_par_territoire(base, periode) == [
        {"Territoire": "Trièves", "Recherches": 6}
    ]
    assert stats.recherches_par_commune(base, periode) == [
        {
            "Code INSEE": "38185",
            "Commune": "Grenoble",
            "Territoire": "Grenoble-Alpes-Métropole",
            "Recherches": 2,
        }
    ]
    filtres = stats.filtres_utilises(base, periode)
    assert filtres[0]["Recherches"] == 6
    assert {(f["Filtre"], f["Valeur"], f["Recherches"]) for f in filtres} == {
        ("Type d'acteur", "Lieu d'accueil, d'écoute et d'orientation (LEAO)", 6),
        ("Territoire", "Trièves", 6),
        ("Rayon (km)", "10 km", 6),
        ("Axe du protocole", "Viols, agressions sexuelles et harcèlement", 2),
    }


def test_acteurs_types_et_fiches(base: duckdb.DuckDBPyConnection) -> None:
    ids = {nom: i for i, nom in base.execute("SELECT id, nom FROM acteur").fetchall()}
    nom_a, nom_b = sorted(ids)[:2]
    quand = datetime(2026, 6, 1, 8)
    s = uuid.uuid4()
    depot.inserer(
        base,
        [a(quand, evenement("acteur_consulte", "carte", s, acteur_id=ids[nom_a]))] * 7
        + [a(quand, evenement("acteur_consulte", "carte", s, acteur_id=ids[nom_b]))] * 2
        + [a(quand, evenement("fiche_imprimee", "carte", s, acteur_id=ids[nom_b], format="pdf"))],
    )
    periode = stats.Periode.annee(2026)
    consultes = stats.acteurs_consultes(base, periode)
    assert [(c["Acteur"], c["Consultations"]) for c in consultes] == [(nom_a, 7), (nom_b, 2)]
    assert sum(int(t["Consultations"]) for t in stats.types_consultes(base, periode)) == 9
    assert stats.fiches_imprimees(base, periode) == [
        {"Détail": "Format", "Valeur": "PDF", "Fiches": 1},
        {"Détail": "Acteur", "Valeur": nom_b, "Fiches": 1},
    ]


def test_indicateurs_objectif_22(base: duckdb.DuckDBPyConnection) -> None:
    n = semer(base, datetime(2026, 1, 1, 0), jours=40)
    semer(base, datetime(2025, 12, 1), jours=10, graine=7)  # hors de l'année
    indicateurs = {
        i.libelle: i for i in stats.indicateurs_objectif_22(base, 2026, date(2026, 11, 26))
    }
    bruts = dict(
        base.execute(
            "SELECT evenement, count(*) FROM consultation"
            " WHERE horodatage >= '2026-01-01' GROUP BY 1"
        ).fetchall()
    )
    assert sum(bruts.values()) == n
    assert (
        indicateurs["Consultations de la cartographie (pages vues)"].valeur == bruts["consultation"]
    )
    assert indicateurs["Recherches effectuées"].valeur == bruts["recherche"]
    assert indicateurs["Fiches imprimées ou téléchargées"].valeur == bruts["fiche_imprimee"]
    assert indicateurs["Sessions (visites)"].valeur == bruts["consultation"]  # 1 par session
    verifiees, actives = base.execute(
        "SELECT count(*) FILTER (WHERE date_verification >= DATE '2025-11-26'), count(*)"
        " FROM acteur WHERE statut = 'actif'"
    ).fetchone()
    part = indicateurs["Part des fiches actives vérifiées depuis moins de 12 mois"]
    assert part.valeur == round(100 * verifiees / actives)
    tableau = stats.tableau_indicateurs(list(indicateurs.values()))
    assert {ligne["Indicateur"] for ligne in tableau} == set(indicateurs)
    # La page d'une fiche note sa consultation : compté ; rien ne note un export public : pas de
    # faux zéro, même si la base en contient.
    assert bruts["acteur_consulte"] > 0
    consultees = indicateurs["Fiches d'acteurs consultées"]
    assert (consultees.valeur, consultees.mesure) == (bruts["acteur_consulte"], True)
    publie = {t["Indicateur"]: t for t in tableau}
    exportees = indicateurs["Listes exportées"]
    assert (exportees.valeur, exportees.mesure) == (None, False)
    assert publie["Listes exportées"]["Valeur"] == "non mesuré"
    assert "visites ne sont pas comptées" in publie["Listes exportées"]["Précision"]
    assert next(t for t in tableau if t["Indicateur"].startswith("Part"))["Valeur"].endswith(" %")


def test_fiches_verifiees_a_une_date(base: duckdb.DuckDBPyConnection) -> None:
    base.execute("UPDATE acteur SET date_verification = DATE '2025-06-01'")
    base.execute(
        "UPDATE acteur SET date_verification = DATE '2026-10-01'"
        " WHERE id IN (SELECT id FROM acteur WHERE statut = 'actif' ORDER BY id LIMIT 3)"
    )
    i = {x.libelle: x for x in stats.indicateurs_objectif_22(base, 2026, date(2026, 11, 26))}
    actives = base.execute("SELECT count(*) FROM acteur WHERE statut = 'actif'").fetchone()[0]
    part = i["Part des fiches actives vérifiées depuis moins de 12 mois"]
    assert part.valeur == round(100 * 3 / actives)
    assert f"3 sur {actives}" in part.precision


def test_fiches_mises_a_jour_et_signalements(base: duckdb.DuckDBPyConnection) -> None:
    ids = [
        i
        for (i,) in base.execute(
            "SELECT id FROM acteur WHERE statut = 'actif' ORDER BY id"
        ).fetchall()
    ]
    edition.archiver(base, ids[0], "claire", quand=datetime(2026, 5, 1, 9))
    edition.marquer_verifie(base, ids[1], "claire", quand=datetime(2026, 6, 1, 9))
    edition.marquer_verifie(base, ids[1], "claire", quand=datetime(2026, 7, 1, 9))
    edition.marquer_verifie(base, ids[2], "claire", quand=datetime(2025, 7, 1, 9))
    numeros = [
        signalements.deposer(base, ids[3 + k], "Le téléphone a changé", quand=datetime(2026, 3, 1))
        for k in range(3)
    ]
    for numero in numeros[:2]:
        signalements.marquer_traite(base, numero, "claire")
    i = {x.libelle: x for x in stats.indicateurs_objectif_22(base, 2026, date(2026, 11, 26))}
    maj = next(x for libelle, x in i.items() if libelle.startswith("Fiches mises à jour"))
    assert maj.valeur == 2
    assert maj.precision.startswith("3 version")
    assert i["Signalements d'erreur reçus"].valeur == 3
    assert i["Signalements d'erreur traités"].valeur == 2
    publie = {t["Indicateur"]: t["Valeur"] for t in stats.tableau_indicateurs(list(i.values()))}
    assert publie["Signalements d'erreur reçus"] == "< 5"
    precedente = {
        x.libelle: x for x in stats.indicateurs_objectif_22(base, 2025, date(2026, 11, 26))
    }
    assert precedente["Signalements d'erreur reçus"].valeur == 0
    assert next(x for cle, x in precedente.items() if cle.startswith("Fiches mises")).valeur == 1


def test_evenements_non_mesures_sans_faux_zero(base: duckdb.DuckDBPyConnection) -> None:
    semer(base, datetime(2026, 1, 1, 0), jours=5)
    tableau = stats.evenements_par_type(base, stats.Periode.annee(2026))
    par_evenement = {t["Événement"]: (t["Nombre"], t["Sessions"]) for t in tableau}
    assert all(isinstance(n, int) for n in par_evenement["Fiche d'un acteur consultée"])
    assert par_evenement["Liste exportée"] == ("non mesuré", "non mesuré")
    recherches, _ = par_evenement["Recherche"]
    assert isinstance(recherches, int)
    assert recherches > 0
    publiable = stats.masquer_tableau(tableau, ["Nombre", "Sessions"])
    assert {t["Nombre"] for t in publiable if t["Événement"] == "Liste exportée"} == {"non mesuré"}
