"""La fiche PDF à remettre : une page, urgences, adresses confidentielles masquées."""

from __future__ import annotations

import re
from datetime import date

from cartographie.communes import commune_par_code
from cartographie.confidentialite import MENTION_CONFIDENTIELLE, version_publique
from cartographie.recherche.filtres import Filtres, PointRecherche, Resultat, Resultats
from cartographie.remise.pdf import fiche_pdf, lignes_acteur
from tests.conftest import COMMUNES
from tests.fabrique import SECRET_ADRESSE, acteur, confidentiel, hostile

VOIRON = PointRecherche(45.38102, 5.5843, "38563", "Voiron")


def public(a, distance: float = 2.345) -> Resultat:
    c = commune_par_code(a.code_insee, COMMUNES)
    return Resultat(version_publique(a, c.latitude, c.longitude), distance)


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


def test_une_page_meme_avec_beaucoup_d_acteurs() -> None:
    resultats = tuple(public(acteur(f"a{i}", nom=f"Acteur numéro {i}")) for i in range(200))
    pdf = fiche_pdf(Resultats(resultats, 200, VOIRON, Filtres()), date(2026, 11, 26))
    assert pdf.startswith(b"%PDF-")
    assert pages(pdf) == 1


def test_fiche_vide_lisible() -> None:
    pdf = fiche_pdf(Resultats((), 0, None, Filtres(texte="zzz")))
    assert pages(pdf) == 1


def test_adresse_confidentielle_remplacee_par_la_mention() -> None:
    lignes = [t for t, _ in lignes_acteur(public(confidentiel()))]
    texte = "\n".join(lignes)
    assert MENTION_CONFIDENTIELLE in texte
    assert SECRET_ADRESSE not in texte
    assert "Voiron" in texte
    assert "à 2,3 km" in texte


def test_adresse_ordinaire_et_telephone() -> None:
    a = acteur("b", adresse="3 rue du Test", telephone="04 76 11 22 33")
    texte = "\n".join(t for t, _ in lignes_acteur(public(a)))
    assert "3 rue du Test, 38000 Grenoble" in texte
    assert "Téléphone : 04 76 11 22 33" in texte


def test_texte_hostile_imprime_sans_erreur() -> None:
    pdf = fiche_pdf(Resultats((public(hostile()),), 1, VOIRON, Filtres()))
    assert pages(pdf) == 1


def test_le_point_de_depart_n_est_jamais_imprime() -> None:
    # L'adresse tapée pour chercher peut être celle de la femme : la fiche ne la dit pas.
    import io

    from pypdf import PdfReader

    depart = PointRecherche(45.38102, 5.5843, "38563", "12 rue Mainssieux, Voiron")
    pdf = fiche_pdf(Resultats((public(acteur("a")),), 1, depart, Filtres()))
    texte = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Acteur a" in texte
    assert "Mainssieux" not in texte
