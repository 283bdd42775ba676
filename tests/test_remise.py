"""La fiche à remettre : choisie, discrète, dans la langue de la personne.

Le PDF est relu par un vrai outil d'extraction de texte (pypdf) et son code QR par un vrai
décodeur (zxing-cpp), sur l'image embarquée dans le PDF.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace
from datetime import date
from functools import cache

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from PIL import Image
from pypdf import PdfReader

from cartographie.communes import commune_par_code
from cartographie.confidentialite import version_publique
from cartographie.modele import TypeActeur
from cartographie.modele.referentiels import Frais, Langue, ModeOrientation, Nature
from cartographie.recherche.filtres import Filtres, PointRecherche, Resultat, Resultats
from cartographie.remise.contenu import (
    MOTS_QUI_NOMMENT_LES_VIOLENCES,
    composer,
    mots_sensibles,
    sans_marques,
)
from cartographie.remise.horaires import horaires_ecrits
from cartographie.remise.langues import (
    DOSSIER_CATALOGUES,
    PARAMETRES,
    FormeFiche,
    LangueFiche,
    Traduction,
    chemin_catalogue,
    sans_controles,
)
from cartographie.remise.page import page_html
from cartographie.remise.pdf import pdf_fiche
from cartographie.remise.selection import (
    MAX_CHOISIES,
    choisies,
    deplacer,
    depuis_lien,
    lien_partage,
    lieux_de_la_fiche,
    proposees,
)
from cartographie.remise.texte_court import texte_sms
from tests.conftest import COMMUNES
from tests.fabrique import HOSTILE, SECRET_ADRESSE, acteur, confidentiel, hostile

LE = date(2026, 11, 26)
VOIRON = PointRecherche(45.38102, 5.5843, "38563", "12 rue Mainssieux, Voiron")
ADRESSE = "https://cartographie.exemple.fr"
AUTRES_LANGUES = [lg for lg in LangueFiche if lg is not LangueFiche.FRANCAIS]


def public(a, distance: float | None = 2.345) -> Resultat:
    c = commune_par_code(a.code_insee, COMMUNES)
    return Resultat(version_publique(a, c.latitude, c.longitude), distance)


ACCUEIL = public(
    acteur(
        "accueil-voiron",
        nom="Accueil de jour du Pays voironnais",
        structure="Association Relais",
        type=TypeActeur.ACCUEIL_DE_JOUR,
        adresse="3 rue du Test",
        telephone="04 76 11 22 33",
        horaires_accueil="Mo-Fr 09:00-12:00,14:00-17:00; We 09:00-12:00; PH off",
        frais=Frais.GRATUIT,
        modes_orientation=(ModeOrientation.SANS_RENDEZ_VOUS,),
        langues=(Langue.FR, Langue.AR),
    ),
    1.2,
)
CIDFF = public(
    acteur(
        "cidff",
        nom="CIDFF de l'Isère",
        type=TypeActeur.ACCES_DROIT,
        adresse="2 avenue Marcelin Berthelot",
        telephone="04 76 54 08 19",
    ),
    12.0,
)
CACHE = public(confidentiel(), 0.8)
CHOISIS = [ACCUEIL, CACHE, CIDFF]
LIEN = f"{ADRESSE}/?fiches=accueil-voiron,hebergement-secret,cidff"
NUMEROS_NATIONAUX = ("3919", "17", "114", "115", "119")


def lisible(texte: str) -> str:
    """Formes arabes ramenées aux lettres (NFKC), sans contrôles d'isolement bidirectionnels
    ni antiliant (U+200C : la mise en forme le consomme, l'extraction ne le rend pas)."""
    return sans_controles(unicodedata.normalize("NFKC", texte)).replace("\u200c", "")


def texte_pdf(pdf: bytes) -> str:
    """Le texte du PDF tel qu'un outil d'extraction le lit (pypdf), rendu `lisible`."""
    lecteur = PdfReader(io.BytesIO(pdf))
    return lisible("\n".join(page.extract_text() for page in lecteur.pages))


def fiche(langue: LangueFiche, forme: FormeFiche, lieux=CHOISIS, lien: str | None = LIEN):
    return composer(lieux, langue, forme, le=LE, lien=lien)


@cache
def pdf_de(langue: LangueFiche, forme: FormeFiche) -> bytes:
    """Le PDF des lieux `CHOISIS` (un par langue et par forme : une seconde chacun)."""
    return pdf_fiche(fiche(langue, forme))


# --- Catalogues ------------------------------------------------------------------------------


def _messages_du_code() -> set[str]:
    racine = DOSSIER_CATALOGUES.parent
    return {
        message
        for nom in ("contenu.py", "horaires.py")
        for _, message, _, _ in extract_from_file("python", racine / nom, keywords={"t": None})
    }


def test_le_modele_pot_est_a_jour() -> None:
    with (DOSSIER_CATALOGUES / "fiche.pot").open("rb") as f:
        modele = {m.id for m in read_po(f) if m.id}
    assert modele == _messages_du_code()


@pytest.mark.parametrize("langue", AUTRES_LANGUES, ids=lambda lg: lg.value)
def test_chaque_catalogue_traduit_tout_le_texte_fixe(langue: LangueFiche) -> None:
    with chemin_catalogue(langue).open("rb") as f:
        catalogue = read_po(f, locale=PARAMETRES[langue].locale)
    traduits = {m.id: m for m in catalogue if m.id}
    attendus = _messages_du_code()
    assert set(traduits) == attendus
    for message_id, message in traduits.items():
        assert message.string, message_id
        assert not message.fuzzy, message_id
        assert message.string != message_id or langue is LangueFiche.FRANCAIS
        # Les mêmes {champs} que le français : sinon la fiche planterait ou perdrait un numéro.
        champs = lambda s: sorted(p.split("}")[0] for p in s.split("{")[1:])  # noqa: E731
        assert champs(message.string) == champs(message_id), message_id


# --- Le PDF dans chaque langue ---------------------------------------------------------------


@pytest.mark.parametrize("forme", list(FormeFiche), ids=lambda f: f.value)
@pytest.mark.parametrize("langue", list(LangueFiche), ids=lambda lg: lg.value)
def test_pdf_lieux_choisis_et_numeros_dans_chaque_langue(
    langue: LangueFiche, forme: FormeFiche
) -> None:
    pdf = pdf_de(langue, forme)
    assert pdf.startswith(b"%PDF-")
    texte = texte_pdf(pdf)
    t = Traduction(langue)
    for lieu in CHOISIS:
        assert lieu.acteur.nom in texte
    for telephone in ("04 76 11 22 33", "04 76 00 00 00", "04 76 54 08 19"):
        assert telephone in texte
    for numero in NUMEROS_NATIONAUX:
        assert numero in texte
    titre = t(
        "Où trouver de l'aide en Isère" if forme is FormeFiche.STANDARD else "Contacts utiles"
    )
    assert lisible(titre) in texte
    # Jamais l'adresse du lieu confidentiel ; jamais le point de départ de la recherche.
    assert SECRET_ADRESSE not in texte
    assert "Mainssieux" not in texte
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_pdf_arabe_extrait_dans_l_ordre_logique() -> None:
    texte = texte_pdf(pdf_de(LangueFiche.ARABE, FormeFiche.DISCRETE))
    for phrase in ("جهات اتصال مفيدة", "أرقام مفيدة", "إلى أين تتوجهين"):
        assert phrase in texte
        assert phrase[::-1] not in texte
    # Le numéro d'un lieu garde son ordre de gauche à droite dans la ligne arabe ; l'adresse
    # aussi (« 3 rue du Test », pas « rue du Test 3 »).
    assert "04 76 11 22 33" in texte
    assert "33 22 11 76 04" not in texte
    assert "3 rue du Test, 38000 Grenoble" in texte


def test_pdf_dari_extrait_dans_l_ordre_logique() -> None:
    texte = texte_pdf(pdf_de(LangueFiche.DARI, FormeFiche.STANDARD))
    assert "در ایزر از کجا کمک بگیرید" in texte
    assert "04 76 11 22 33" in texte


def test_horaires_jours_du_cldr_et_heures_dans_l_ordre() -> None:
    horaires = "Mo-Fr 09:00-12:00,14:00-17:00; We 09:00-12:00; PH off"
    francais = horaires_ecrits(horaires, Traduction(LangueFiche.FRANCAIS), LE)
    assert francais == (
        "lun.–mar. 09:00–12:00, 14:00–17:00 · mer. 09:00–12:00"
        " · jeu.–ven. 09:00–12:00, 14:00–17:00 · fermé les jours fériés"
    )
    arabe = sans_controles(horaires_ecrits(horaires, Traduction(LangueFiche.ARABE), LE))
    assert arabe.startswith("الاثنين–الثلاثاء 09:00–12:00, 14:00–17:00")
    assert arabe.endswith("مغلق في أيام العطل الرسمية")
    assert horaires_ecrits("24/7", Traduction(LangueFiche.ANGLAIS), LE) == (
        "24 hours a day, 7 days a week"
    )
    # Ce que la semaine ne résume pas est imprimé tel quel.
    brut = 'Mo 09:00-12:00 "sur rendez-vous"'
    assert horaires_ecrits(brut, Traduction(LangueFiche.TURC), LE) == brut


# --- Forme discrète --------------------------------------------------------------------------


def _sensibles(texte: str) -> list[str]:
    normalise = sans_marques(texte)
    return [
        mot
        for mots in MOTS_QUI_NOMMENT_LES_VIOLENCES.values()
        for mot in mots
        if sans_marques(mot) in normalise + " "
    ]


@pytest.mark.parametrize("langue", list(LangueFiche), ids=lambda lg: lg.value)
def test_forme_discrete_ne_nomme_pas_les_violences(langue: LangueFiche) -> None:
    f = fiche(langue, FormeFiche.DISCRETE)
    pdf = pdf_de(langue, FormeFiche.DISCRETE)
    metadonnees = " ".join(str(v) for v in (PdfReader(io.BytesIO(pdf)).metadata or {}).values())
    for sortie in (texte_pdf(pdf), metadonnees, page_html(f), texte_sms(f)):
        assert _sensibles(sortie) == []
    assert "factur" not in sans_marques(texte_pdf(pdf))  # le 3919 et les factures : standard


@pytest.mark.parametrize("langue", list(LangueFiche), ids=lambda lg: lg.value)
def test_forme_standard_nomme_le_3919_et_les_factures(langue: LangueFiche) -> None:
    texte = texte_pdf(pdf_de(langue, FormeFiche.STANDARD))
    assert "Violences Femmes Info" in texte
    assert _sensibles(texte)  # la liste de mots trouve bien ce qu'elle cherche


def test_un_nom_de_lieu_qui_nomme_les_violences_est_signale() -> None:
    assert mots_sensibles("Maison des femmes victimes de violences conjugales") == [
        "conjugal",
        "victim",
        "victime",
        "violen",
    ]
    assert mots_sensibles("Accueil de jour du Pays voironnais") == []


# --- Code QR et lien partageable -------------------------------------------------------------


def test_le_code_qr_du_pdf_se_lit_et_donne_le_lien_des_fiches_choisies() -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    lien = lien_partage(ADRESSE, ["accueil-voiron", "hebergement-secret"], LangueFiche.ARABE)
    assert lien == f"{ADRESSE}/?fiches=accueil-voiron,hebergement-secret&langue=ar"
    pdf = pdf_fiche(fiche(LangueFiche.ARABE, FormeFiche.DISCRETE, lien=lien))
    images = PdfReader(io.BytesIO(pdf)).pages[0].images
    assert len(images) == 1
    image = Image.open(io.BytesIO(images[0].data)).convert("L")
    lus = [c.text for c in zxingcpp.read_barcodes(image)]
    assert lus == [lien]


def test_le_lien_ne_porte_que_des_identifiants_et_la_langue() -> None:
    lien = lien_partage(ADRESSE, ["cidff", "a b", "cidff", "x&commune=38563"], LangueFiche.TURC)
    assert lien == f"{ADRESSE}/?fiches=cidff&langue=tr"
    connus = {"cidff": CIDFF.acteur, "accueil-voiron": ACCUEIL.acteur}
    ids, langue = depuis_lien(
        {"fiches": "cidff,inconnu,accueil-voiron,cidff", "langue": "tr"}, connus
    )
    assert (ids, langue) == (["cidff", "accueil-voiron"], LangueFiche.TURC)
    assert depuis_lien({"fiches": "cidff", "langue": "xx"}, connus)[1] is LangueFiche.FRANCAIS
    assert lien_partage(ADRESSE, ["cidff"], LangueFiche.FRANCAIS) == f"{ADRESSE}/?fiches=cidff"


def test_sans_lien_pas_de_code_qr() -> None:
    pdf = pdf_fiche(fiche(LangueFiche.FRANCAIS, FormeFiche.STANDARD, lieux=[CIDFF], lien=None))
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 0


# --- Choix des lieux -------------------------------------------------------------------------


def test_sans_choix_les_ressources_les_plus_proches_jamais_un_partenaire() -> None:
    partenaire = Resultat(replace(CIDFF.acteur, id="ars", nature=Nature.PARTENAIRE), 0.1)
    auteurs = Resultat(replace(CIDFF.acteur, id="auteurs", type=TypeActeur.AUTEURS), 0.2)
    autres = [public(acteur(f"r{i}"), 1.0 + i) for i in range(8)]
    resultats = Resultats((partenaire, auteurs, *autres), 10, VOIRON, Filtres())
    assert [r.acteur.id for r in proposees(resultats)] == ["r0", "r1", "r2", "r3", "r4"]
    # Sans point de départ, la liste est alphabétique : rien n'est proposé d'office.
    assert proposees(Resultats(tuple(autres), 8, None, Filtres())) == []


def test_le_choix_garde_son_ordre_et_ses_distances() -> None:
    resultats = Resultats((CIDFF, ACCUEIL), 2, VOIRON, Filtres())
    acteurs = {r.acteur.id: r.acteur for r in (CIDFF, ACCUEIL, CACHE)}
    choix = choisies(["hebergement-secret", "accueil-voiron", "archivee"], resultats, acteurs)
    assert [(r.acteur.id, r.distance_km) for r in choix] == [
        ("hebergement-secret", None),
        ("accueil-voiron", 1.2),
    ]
    assert lieux_de_la_fiche([], resultats, acteurs) == [CIDFF, ACCUEIL]
    many = {f"a{i}": acteur(f"a{i}") for i in range(12)}
    assert len(choisies(list(many), Resultats((), 0), many)) == MAX_CHOISIES
    assert deplacer(["a", "b", "c"], "c", -1) == ["a", "c", "b"]
    assert deplacer(["a", "b", "c"], "a", -1) == ["a", "b", "c"]
    assert deplacer(["a", "b", "c"], "a", 1) == ["b", "a", "c"]


# --- Page HTML et SMS ------------------------------------------------------------------------


def test_page_html_langue_sens_et_textes_echappes() -> None:
    f = fiche(LangueFiche.ARABE, FormeFiche.STANDARD, lieux=[public(hostile()), CACHE])
    page = page_html(f)
    assert '<html lang="ar" dir="rtl">' in page
    assert "<script>" not in page
    assert HOSTILE not in page
    assert "&lt;script&gt;" in page
    assert 'href="tel:0476000000"' in page
    assert SECRET_ADRESSE not in page


def test_texte_sms_noms_et_numeros_seulement() -> None:
    sans_telephone = Resultat(replace(CIDFF.acteur, telephone=""), None)
    lieux = [ACCUEIL, CACHE, sans_telephone]
    sms = texte_sms(fiche(LangueFiche.FRANCAIS, FormeFiche.DISCRETE, lieux=lieux))
    assert sms.splitlines()[:3] == [
        "Contacts utiles",
        "Accueil de jour du Pays voironnais : 04 76 11 22 33",
        "Hébergement confidentiel de test : 04 76 00 00 00",
    ]
    assert "3919 — Écoute et information, anonyme" in sms
    assert "CIDFF" not in sms  # pas de téléphone : rien à envoyer
    assert "rue" not in sms
    assert "Voiron" not in sms
    assert len(sms) < 400
