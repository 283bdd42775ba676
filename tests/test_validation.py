"""Normalisation des téléphones, courriels et sites web (partagée par CSV, import et formulaire)."""

from __future__ import annotations

import pytest

from cartographie.validation import normaliser_courriel, normaliser_site_web, normaliser_telephone


@pytest.mark.parametrize(
    ("saisie", "attendu"),
    [
        ("04 76 12 34 56", "04 76 12 34 56"),
        ("0476123456", "04 76 12 34 56"),
        ("04.76.12.34.56", "04 76 12 34 56"),
        ("04-76-12-34-56", "04 76 12 34 56"),
        ("+33 4 76 12 34 56", "04 76 12 34 56"),
        ("+33476123456", "04 76 12 34 56"),
        ("+33 (0)4 76 12 34 56", "04 76 12 34 56"),
        ("0033 4 76 12 34 56", "04 76 12 34 56"),
        ("06 12 34 56 78", "06 12 34 56 78"),
        ("0 800 05 95 95", "08 00 05 95 95"),
        ("3919", "3919"),
        ("115", "115"),
        ("119", "119"),
        ("17", "17"),
        ("114", "114"),
        ("116 006", "116 006"),
        ("04 76 12 34 56 / 115", "04 76 12 34 56 / 115"),
        ("0476123456 ou 3919", "04 76 12 34 56 / 3919"),
        ("  ", ""),
    ],
)
def test_telephones_admis(saisie: str, attendu: str) -> None:
    assert normaliser_telephone(saisie) == attendu


@pytest.mark.parametrize(
    "saisie",
    ["04 76 12 34", "12", "0076123456", "+44 20 7946 0958", "04 76 AB CD EF", "<b>115</b>", "9999"],
)
def test_telephones_refuses_avec_un_message_francais(saisie: str) -> None:
    with pytest.raises(ValueError, match="numéro"):
        normaliser_telephone(saisie)


@pytest.mark.parametrize(
    ("saisie", "attendu"),
    [
        ("contact@cidff38.fr", "contact@cidff38.fr"),
        ("Lerelais@OSJ.asso.fr", "Lerelais@osj.asso.fr"),
        (" mailto:a.b@exemple.fr ", "a.b@exemple.fr"),
        ("", ""),
    ],
)
def test_courriels_admis(saisie: str, attendu: str) -> None:
    assert normaliser_courriel(saisie) == attendu


@pytest.mark.parametrize(
    "saisie", ["contact", "a@b", "a b@exemple.fr", "<script>@x.fr", "a@exemple..fr", "@exemple.fr"]
)
def test_courriels_refuses(saisie: str) -> None:
    with pytest.raises(ValueError, match="adresse électronique"):
        normaliser_courriel(saisie)


@pytest.mark.parametrize(
    ("saisie", "attendu"),
    [
        ("https://www.cidff38.fr/contact", "https://www.cidff38.fr/contact"),
        ("www.cidff38.fr", "https://www.cidff38.fr"),
        ("http://exemple.fr", "http://exemple.fr"),
        ("", ""),
    ],
)
def test_sites_admis(saisie: str, attendu: str) -> None:
    assert normaliser_site_web(saisie) == attendu


@pytest.mark.parametrize(
    "saisie",
    [
        "javascript:alert(1)",
        "ftp://exemple.fr",
        "https://",
        "pas un site",
        'https://exemple.fr/"><script>',
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_sites_refuses(saisie: str) -> None:
    with pytest.raises(ValueError, match="site web"):
        normaliser_site_web(saisie)


def test_chaque_colonne_d_une_fiche_a_sa_longueur_maximale_et_son_libelle() -> None:
    from cartographie.edition import LIBELLES_CHAMPS
    from cartographie.modele import COLONNES_CSV
    from cartographie.validation import LONGUEURS_MAX, SUJETS

    assert set(COLONNES_CSV) <= set(LONGUEURS_MAX)
    assert set(SUJETS) == set(LONGUEURS_MAX)
    for colonne in COLONNES_CSV:
        assert SUJETS[colonne] == f"Le champ « {LIBELLES_CHAMPS[colonne]} »"


def test_longueur_maximale_message_qui_nomme_le_champ_et_la_limite() -> None:
    from cartographie.validation import verifier_longueur

    assert verifier_longueur("nom", "x" * 200) == "x" * 200
    with pytest.raises(
        ValueError, match=r"^Le champ « Nom » est trop long \(201 caractères ; au plus 200\)\.$"
    ):
        verifier_longueur("nom", "x" * 201)
    with pytest.raises(ValueError, match=r"^La note est trop long \(2001 caractères"):
        verifier_longueur("note", "x" * 2001)
    with pytest.raises(KeyError):
        verifier_longueur("champ_inconnu", "x")
