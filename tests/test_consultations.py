"""Les événements de consultation : chaque type arrive en base avec ses champs, et rien d'autre."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import psycopg.errors
import pytest

from cartographie.consultations.enregistreur import Enregistreur
from cartographie.consultations.evenements import (
    Evenement,
    FormatFichier,
    TypeEvenement,
    evenement,
)
from cartographie.modele import Axe, Public, TypeActeur
from cartographie.stockage import consultations as depot
from cartographie.stockage import dialecte
from cartographie.stockage.connexion import ouvrir

pytestmark = pytest.mark.deux_bases  # stockage et métier : DuckDB puis PostgreSQL

# Les colonnes admises, une à une : une colonne de plus doit être justifiée ici.
COLONNES_ADMISES = {
    "horodatage": "TIMESTAMP",
    "evenement": "VARCHAR",
    "page": "VARCHAR",
    "session": "UUID",
    "types": "VARCHAR[]",
    "axes": "VARCHAR[]",
    "publics": "VARCHAR[]",
    "territoire": "VARCHAR",
    "rayon_km": "INTEGER",
    "code_insee": "VARCHAR",
    "acteur_id": "VARCHAR",
    "format": "VARCHAR",
    # Fiche à remettre : codes de la langue (fr, ar, prs…) et de la forme (standard, discrete).
    "langue": "VARCHAR",
    "forme": "VARCHAR",
}
MOTS_INTERDITS = ("ip", "agent", "navigateur", "adresse", "texte", "saisie", "requete", "compte")
ADRESSE_TAPEE = "12 rue des Lilas, Voiron"


def colonnes(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    return dict(dialecte.colonnes(con, table))


def test_schema_sans_donnee_personnelle(base: duckdb.DuckDBPyConnection) -> None:
    assert colonnes(base, "consultation") == COLONNES_ADMISES
    agregat = colonnes(base, "consultation_agregat")
    assert "session" not in agregat
    for nom in [*COLONNES_ADMISES, *agregat]:
        assert not any(mot in nom.split("_") or nom == mot for mot in MOTS_INTERDITS), nom
    # La session ne peut contenir qu'un UUID, pas un identifiant lisible.
    with pytest.raises((duckdb.ConversionException, psycopg.errors.InvalidTextRepresentation)):
        base.execute(
            "INSERT INTO consultation (horodatage, evenement, page, session)"
            " VALUES (now(), 'consultation', 'carte', 'marie.dupont@exemple.fr')"
        )


def ecrire(con: duckdb.DuckDBPyConnection, evenements: list[Evenement]) -> None:
    enregistreur = Enregistreur(con.cursor, taille_lot=1000, delai_s=60)
    for e in evenements:
        assert enregistreur.noter(e)
    enregistreur.arreter()
    assert enregistreur.perdus == 0


def test_chaque_type_arrive_avec_ses_champs(base: duckdb.DuckDBPyConnection) -> None:
    s = uuid.uuid4()
    acteur_id = base.execute("SELECT min(id) FROM acteur").fetchone()[0]
    territoire = base.execute("SELECT min(territoire) FROM commune").fetchone()[0]
    attendus = {
        TypeEvenement.CONSULTATION: {"page": "carte"},
        TypeEvenement.RECHERCHE: {
            "types": ["erpe", "leao"],
            "axes": ["1"],
            "publics": ["femmes_victimes"],
            "territoire": territoire,
            "rayon_km": 15,
            "code_insee": "38563",
        },
        TypeEvenement.ACTEUR_CONSULTE: {"acteur_id": acteur_id},
        TypeEvenement.FICHE_IMPRIMEE: {"acteur_id": acteur_id, "format": "pdf"},
        TypeEvenement.LIEN_PARTAGE: {"acteur_id": acteur_id},
        TypeEvenement.EXPORT: {"format": "csv", "types": ["leao"]},
    }
    assert set(attendus) == set(TypeEvenement)
    evenements = [
        evenement(t, "carte", s, **{k: v for k, v in champs.items() if k != "page"})
        for t, champs in attendus.items()
    ]
    ecrire(base, evenements)
    cur = base.execute("SELECT * FROM consultation")
    noms = [d[0] for d in cur.description]
    lignes = {ligne[1]: dict(zip(noms, ligne, strict=True)) for ligne in cur.fetchall()}
    assert set(lignes) == {t.value for t in TypeEvenement}
    vides = {
        "types": [],
        "axes": [],
        "publics": [],
        "territoire": None,
        "rayon_km": None,
        "code_insee": None,
        "acteur_id": None,
        "format": None,
    }
    for t, champs in attendus.items():
        ligne = lignes[t.value]
        assert ligne["page"] == "carte"
        assert ligne["session"] == s
        assert ligne["horodatage"].minute == ligne["horodatage"].second == 0
        attendu = {**vides, **{k: v for k, v in champs.items() if k != "page"}}
        assert {k: ligne[k] for k in vides} == attendu, t


def test_aucun_texte_tape_ne_peut_etre_stocke(base: duckdb.DuckDBPyConnection) -> None:
    s = uuid.uuid4()
    # Ce que la page ne doit pas faire : passer le texte tapé. Le modèle le refuse…
    for champ in ("code_insee", "acteur_id", "format", "types"):
        valeur = [ADRESSE_TAPEE] if champ == "types" else ADRESSE_TAPEE
        with pytest.raises(ValueError, match=r"invalide|admise"):
            evenement(TypeEvenement.RECHERCHE, "carte", s, **{champ: valeur})
    with pytest.raises(ValueError, match="page"):
        evenement(TypeEvenement.RECHERCHE, "Voiron rue des Lilas", s)
    # … et un territoire inconnu du référentiel est effacé avant l'écriture.
    ecrire(base, [evenement(TypeEvenement.RECHERCHE, "carte", s, territoire=ADRESSE_TAPEE)])
    assert base.execute("SELECT territoire FROM consultation").fetchall() == [(None,)]
    lignes = base.execute("SELECT * FROM consultation").fetchall()
    assert lignes
    assert not any("Lilas" in str(valeur) for ligne in lignes for valeur in ligne)


def test_codes_inconnus_effaces_mais_evenement_garde(base: duckdb.DuckDBPyConnection) -> None:
    s = uuid.uuid4()
    ecrire(
        base,
        [
            evenement(TypeEvenement.ACTEUR_CONSULTE, "carte", s, acteur_id="n-existe-pas"),
            evenement(TypeEvenement.RECHERCHE, "carte", s, code_insee="75056"),
        ],
    )
    assert base.execute(
        "SELECT evenement, acteur_id, code_insee FROM consultation ORDER BY 1"
    ).fetchall() == [("acteur_consulte", None, None), ("recherche", None, None)]


def test_evenement_normalise_et_valide() -> None:
    s = uuid.uuid4()
    e = Evenement(
        TypeEvenement.RECHERCHE,
        "carte",
        s,
        horodatage=datetime(2026, 3, 4, 17, 42, 13, 999),
        types=(TypeActeur.LEAO, TypeActeur.ERPE, TypeActeur.LEAO),
        axes=(Axe.PROSTITUTION,),
        publics=(Public.JEUNES,),
    )
    assert e.horodatage == datetime(2026, 3, 4, 17, tzinfo=UTC)
    assert e.types == (TypeActeur.ERPE, TypeActeur.LEAO)
    assert evenement("fiche_imprimee", "fiche", s, format="pdf").format is FormatFichier.PDF
    assert evenement("recherche", "carte", s, rayon_km=7.6).rayon_km == 8
    with pytest.raises(ValueError, match="session"):
        Evenement(TypeEvenement.RECHERCHE, "carte", "pas-un-uuid")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="rayon"):
        evenement("recherche", "carte", s, rayon_km=0)
    with pytest.raises(ValueError, match="admise"):
        evenement("inconnu", "carte", s)


def test_depot_insere_par_paquets(chemin_base: Path) -> None:
    con = ouvrir(chemin_base)
    s = uuid.uuid4()
    n = depot.inserer(con, [evenement("consultation", "carte", s)] * 600)
    assert n == 600
    assert depot.compter_bruts(con) == 600
