"""Import d'un tableur sur une vraie base : aperçu sans écriture, écriture tout ou rien."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import duckdb
import pytest

from cartographie.echanges.exportation import csv_tableur, exporter
from cartographie.echanges.importation import (
    ImportRefuse,
    apercu_fichier,
    appliquer_import,
    preparer_apercu,
)
from cartographie.echanges.lecture_tableur import FichierRefuse, lire_tableur
from cartographie.edition import historique
from cartographie.modele import COLONNES_CSV, Precision, Statut
from cartographie.modele.champs import vers_textes as champs_csv
from cartographie.stockage import acteurs as depot_acteurs
from cartographie.stockage import imports as depot_imports
from cartographie.validation import ErreurDonnees
from tests.conftest import COMMUNES
from tests.fabrique import CHAMPS_TEXTE_LIBRE

pytestmark = pytest.mark.deux_bases  # stockage et métier : DuckDB puis PostgreSQL

NOUVEAU = {
    "id": "leao-nouveau",
    "nom": "Lieu d'écoute nouveau",
    "type": "leao",
    "commune": "Voiron",
    "code_insee": "38563",
    "code_postal": "38500",
    "axes": "1",
    "publics": "femmes_victimes",
}
AUJOURD_HUI = date(2026, 12, 1)


def vidage(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Toute la table acteur, pour comparer avant/après à l'octet près."""
    return con.execute("SELECT * FROM acteur ORDER BY id").fetchall()


def fichier(
    lignes: list[dict[str, str]], colonnes=COLONNES_CSV, sep: str = ";", enc: str = "utf-8"
) -> bytes:
    tampon = io.StringIO(newline="")
    ecrivain = csv.writer(tampon, delimiter=sep)
    ecrivain.writerow(colonnes)
    for ligne in lignes:
        ecrivain.writerow([ligne.get(c, "") for c in colonnes])
    return tampon.getvalue().encode(enc)


def apercu_de(con, contenu: bytes, nom: str = "partenaires.csv"):
    tableau = lire_tableur(contenu, nom, taille_max=20_000_000, lignes_max=50_000)
    return preparer_apercu(con, tableau, COMMUNES, aujourd_hui=AUJOURD_HUI)


def existants(con) -> list[dict[str, str]]:
    return [champs_csv(a) for a in depot_acteurs.lister(con, statut=None)]


def test_apercu_classe_chaque_ligne_et_n_ecrit_rien(base: duckdb.DuckDBPyConnection) -> None:
    avant = vidage(base)
    lignes = existants(base)
    lignes[0] = {**lignes[0], "telephone": "04 76 00 00 00"}
    lignes[1] = {**lignes[1], "code_insee": "99999"}
    lignes.append(NOUVEAU)
    apercu = apercu_de(base, fichier(lignes))

    assert [a.id for a in apercu.nouveaux] == ["leao-nouveau"]
    assert [(m.avant.id, m.colonnes) for m in apercu.modifies] == [
        (lignes[0]["id"], ("telephone", "date_maj"))
    ]
    assert apercu.inchanges == len(lignes) - 3
    assert [(e.ligne, e.colonne) for e in apercu.erreurs] == [(3, "code_insee")]
    assert "99999 n'est pas une commune de l'Isère" in str(apercu.erreurs[0])
    assert apercu.absents == ()
    assert apercu.modifies[0].apres.date_maj == AUJOURD_HUI
    assert vidage(base) == avant


def test_export_puis_reimport_ne_change_rien(base: duckdb.DuckDBPyConnection) -> None:
    contenu = csv_tableur(depot_acteurs.lister(base, statut=None))
    apercu = apercu_de(base, contenu)
    assert (apercu.a_ecrire, len(apercu.erreurs), apercu.inchanges) == (
        0,
        0,
        depot_acteurs.compter(base),
    )


def test_ecriture_ajoute_modifie_et_sauvegarde_d_abord(
    base: duckdb.DuckDBPyConnection, chemin_base: Path, moteur: str, tmp_path: Path, ouvrir_copie
) -> None:
    avant = vidage(base)
    lignes = existants(base)
    cible = lignes[0]["id"]
    lignes[0] = {**lignes[0], "nom": "Nouveau nom"}
    apercu = apercu_de(base, fichier([*lignes, NOUVEAU]))
    resultat = appliquer_import(base, apercu, auteur="ddfe", nom_fichier="partenaires.csv")

    assert (resultat.ajoutes, resultat.modifies, resultat.archives) == (1, 1, 0)
    (version,) = historique(base, cible)
    assert (version.version, version.auteur, version.action) == (2, "ddfe", "import")
    assert version.changements["nom"][1] == "Nouveau nom"
    (creation,) = historique(base, "leao-nouveau")
    assert (creation.version, creation.action, creation.changements["nom"]) == (
        1,
        "import",
        (None, "Lieu d'écoute nouveau"),
    )
    modifie = depot_acteurs.par_id(base, cible)
    assert modifie.nom == "Nouveau nom"
    assert modifie.version == 2
    assert depot_acteurs.par_id(base, "leao-nouveau").territoire
    # La sauvegarde est une base complète, ouvrable, identique à l'état d'avant l'import.
    dossier = chemin_base.parent if moteur == "duckdb" else tmp_path
    assert resultat.sauvegarde.parent == dossier / "sauvegardes"
    copie = ouvrir_copie(resultat.sauvegarde)
    assert vidage(copie) == avant
    assert copie.execute("SELECT count(*) FROM commune").fetchone()[0] == 512
    (entree,) = depot_imports.journal(base)
    assert (entree.auteur, entree.fichier, entree.ajoutes, entree.modifies) == (
        "ddfe",
        "partenaires.csv",
        1,
        1,
    )


def test_fiche_modifiee_entre_apercu_et_confirmation_annule_tout(
    base: duckdb.DuckDBPyConnection,
) -> None:
    lignes = existants(base)
    cible = lignes[5]["id"]
    lignes[5] = {**lignes[5], "nom": "Par l'import"}
    apercu = apercu_de(base, fichier([NOUVEAU, *lignes]))
    base.execute(
        "UPDATE acteur SET nom = 'Par une autre session', version = version + 1 WHERE id = ?",
        [cible],
    )
    avant = vidage(base)

    with pytest.raises(ImportRefuse, match=f"« {cible} » a été modifiée depuis l'aperçu"):
        appliquer_import(base, apercu, auteur="ddfe", nom_fichier="x.csv")
    assert vidage(base) == avant  # le nouvel acteur, écrit avant le conflit, est annulé aussi
    assert depot_imports.journal(base) == []


def test_erreur_en_cours_d_ecriture_annule_tout(base: duckdb.DuckDBPyConnection) -> None:
    apercu = apercu_de(base, fichier([NOUVEAU, {**NOUVEAU, "id": "leao-autre"}]))
    avant = vidage(base)

    def panne(fait: int, total: int) -> None:
        raise OSError("disque plein")

    with pytest.raises(OSError, match="disque plein"):
        appliquer_import(base, apercu, auteur="ddfe", nom_fichier="x.csv", progression=panne)
    assert vidage(base) == avant


def test_archiver_les_absents_seulement_sur_demande(base: duckdb.DuckDBPyConnection) -> None:
    lignes = existants(base)[:3]
    apercu = apercu_de(base, fichier(lignes))
    total = depot_acteurs.compter(base)
    actifs = len(depot_acteurs.lister(base))
    assert actifs < total  # des fiches déjà archivées : elles ne sont pas « absentes »
    assert len(apercu.absents) == actifs - 3

    appliquer_import(base, apercu, auteur="ddfe", nom_fichier="x.csv")
    assert len(depot_acteurs.lister(base)) == actifs  # rien n'est archivé ni supprimé

    apercu = apercu_de(base, fichier(lignes))
    resultat = appliquer_import(
        base, apercu, auteur="ddfe", nom_fichier="x.csv", archiver_absents=True
    )
    assert resultat.archives == actifs - 3
    assert len(depot_acteurs.lister(base)) == 3
    assert depot_acteurs.compter(base) == total  # archivés, pas supprimés
    absents = {a.id for a in apercu.absents}
    archive = next(a for a in depot_acteurs.lister(base, statut=Statut.ARCHIVE) if a.id in absents)
    assert archive.version == 2
    (version,) = historique(base, archive.id)
    assert (version.action, version.changements["statut"]) == ("import", ("actif", "archive"))


def test_identifiants_en_double_aucune_des_lignes_importee(base: duckdb.DuckDBPyConnection) -> None:
    apercu = apercu_de(
        base, fichier([NOUVEAU, {**NOUVEAU, "nom": "Autre"}, {**NOUVEAU, "id": "leao-b"}])
    )
    assert [a.id for a in apercu.nouveaux] == ["leao-b"]
    assert [(e.ligne, e.colonne) for e in apercu.erreurs] == [(2, "id"), (3, "id")]
    assert "apparaît aussi ligne 3" in apercu.erreurs[0].message


def test_colonnes_absentes_gardent_la_valeur_en_base(base: duckdb.DuckDBPyConnection) -> None:
    acteur = next(a for a in depot_acteurs.lister(base) if a.telephone)
    contenu = fichier(
        [
            {
                "id": acteur.id,
                "nom": "Renommé",
                "type": acteur.type,
                "commune": acteur.commune,
                "code_insee": acteur.code_insee,
            }
        ],
        colonnes=("id", "nom", "type", "commune", "code_insee"),
    )
    apercu = apercu_de(base, contenu)
    assert apercu.modifies[0].colonnes == ("nom", "date_maj")
    assert apercu.modifies[0].apres.telephone == acteur.telephone
    assert "telephone" in apercu.colonnes_absentes


def test_colonne_obligatoire_absente_refusee(base: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ErreurDonnees, match="colonne « code_insee » : colonne obligatoire absente"):
        apercu_de(base, fichier([NOUVEAU], colonnes=("id", "nom", "type", "commune")))


def test_fichier_windows_1252_point_virgule_entetes_a_la_main(
    base: duckdb.DuckDBPyConnection,
) -> None:
    texte = (
        " Identifiant ;NOM;Type;Commune;Code INSEE;Code postal;Précision localisation;Téléphone\r\n"
        "leao-saint-egreve;Écoute Saint-Égrève;leao;Saint-Égrève;38382;38120;commune;+33 4 76 00 00 00\r\n"
    )
    apercu = apercu_de(base, texte.encode("cp1252"))
    assert apercu.erreurs == ()
    (acteur,) = apercu.nouveaux
    assert (acteur.nom, acteur.commune, acteur.telephone) == (
        "Écoute Saint-Égrève",
        "Saint-Égrève",
        "04 76 00 00 00",  # normalisé par la validation commune
    )


def test_html_dans_chaque_champ_texte_garde_tel_quel(base: duckdb.DuckDBPyConnection) -> None:
    piege = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    ligne = {**NOUVEAU, **dict.fromkeys(CHAMPS_TEXTE_LIBRE, piege)}
    apercu = apercu_de(base, fichier([ligne]))
    appliquer_import(base, apercu, auteur="ddfe", nom_fichier="x.csv")
    acteur = depot_acteurs.par_id(base, "leao-nouveau")
    assert all(getattr(acteur, c) == piege for c in CHAMPS_TEXTE_LIBRE)


@pytest.mark.parametrize(
    "colonne", ["telephone", "courriel", "site_web", "lien_acceslibre", "horaires_accueil"]
)
def test_html_dans_un_contact_refuse_ligne_par_ligne(
    base: duckdb.DuckDBPyConnection, colonne: str
) -> None:
    ligne = {**NOUVEAU, colonne: "<script>alert(1)</script>"}
    apercu = apercu_de(base, fichier([ligne, {**NOUVEAU, "id": "leao-sain"}]))
    assert [(e.ligne, e.colonne) for e in apercu.erreurs] == [(2, colonne)]
    assert [a.id for a in apercu.nouveaux] == ["leao-sain"]


def test_textes_trop_longs_refuses_ligne_par_ligne(base: duckdb.DuckDBPyConnection) -> None:
    avant = vidage(base)
    lignes = [
        {**NOUVEAU, "id": "leao-nom", "nom": "N" * 32_000},
        {**NOUVEAU, "id": "leao-desc", "description": "D" * 5001},
        {**NOUVEAU, "id": "leao-type", "type": "T" * 30_000},  # jamais cité dans un message
        {**NOUVEAU, "id": "leao-ok", "description": "D" * 5000},
    ]
    apercu = apercu_de(base, fichier(lignes))
    assert [a.id for a in apercu.nouveaux] == ["leao-ok"]
    assert [(e.ligne, e.colonne, e.message) for e in apercu.erreurs] == [
        (2, "nom", "Le champ « Nom » est trop long (32000 caractères ; au plus 200)."),
        (
            3,
            "description",
            "Le champ « Description » est trop long (5001 caractères ; au plus 5000).",
        ),
        (4, "type", "Le champ « Type » est trop long (30000 caractères ; au plus 100)."),
    ]
    assert vidage(base) == avant


def test_classeur_xlsx_des_partenaires(base: duckdb.DuckDBPyConnection) -> None:
    from openpyxl import Workbook

    classeur = Workbook()
    feuille = classeur.active
    feuille.append(["ID", "Nom", "Type", "Commune", "Code INSEE", "Axes", "Date MAJ"])
    feuille.append(["leao-xlsx", "Écoute Vienne", "leao", "Vienne", 38544, "1|2", "05/03/2026"])
    feuille.append([None, None, None, None, None, None, None])
    tampon = io.BytesIO()
    classeur.save(tampon)
    apercu = apercu_de(base, tampon.getvalue(), "partenaires.xlsx")
    assert apercu.erreurs == ()
    (acteur,) = apercu.nouveaux
    assert (acteur.commune, [str(a) for a in acteur.axes], acteur.date_maj) == (
        "Vienne",
        ["1", "2"],
        date(2026, 3, 5),
    )


ADRESSE_SECRETE = "12 rue du Refuge"


def confidentiels_localises(con: duckdb.DuckDBPyConnection) -> list:
    """Les lieux confidentiels, chacun avec une adresse et un point exacts à ne pas perdre."""
    con.execute(
        "UPDATE acteur SET adresse = ?, latitude = 45.2, longitude = 5.7,"
        " precision_localisation = 'adresse' WHERE adresse_confidentielle",
        [ADRESSE_SECRETE],
    )
    acteurs = [a for a in depot_acteurs.lister(con, statut=None) if a.adresse_confidentielle]
    assert acteurs
    return acteurs


def test_export_public_reimporte_refuse_avec_un_message(base: duckdb.DuckDBPyConnection) -> None:
    confidentiels_localises(base)
    export = exporter(base, "csv", complet=False)
    avant = vidage(base)
    with pytest.raises(FichierRefuse, match="Ce fichier est un export public"):
        apercu_fichier(base, export.contenu, export.nom_fichier, COMMUNES)
    assert vidage(base) == avant


def test_export_public_sans_sa_marque_ne_degrade_pas_les_lieux_confidentiels(
    base: duckdb.DuckDBPyConnection,
) -> None:
    """Le scénario du relecteur : export public ré-importé tel quel (marque retirée à la main)."""
    confidentiels = confidentiels_localises(base)
    export = exporter(base, "csv", complet=False).contenu.decode("utf-8-sig")
    sans_marque = "\r\n".join(ligne.rsplit(";", 1)[0] for ligne in export.split("\r\n"))
    avant = vidage(base)

    apercu = apercu_de(base, sans_marque.encode("utf-8"), "public.csv")
    assert (apercu.a_ecrire, apercu.erreurs) == (0, ())
    assert apercu.inchanges == len(depot_acteurs.lister(base))
    assert vidage(base) == avant

    # Un vrai changement sur une telle ligne passe, la position exacte reste.
    lignes = list(csv.DictReader(io.StringIO(sans_marque), delimiter=";"))
    cible = confidentiels[0]
    ligne = next(ligne for ligne in lignes if ligne["id"] == cible.id)
    ligne["telephone"] = "04 76 11 22 33"
    apercu = apercu_de(base, fichier(lignes))
    assert [(m.avant.id, m.colonnes) for m in apercu.modifies] == [
        (cible.id, ("telephone", "date_maj"))
    ]
    appliquer_import(base, apercu, auteur="ddfe", nom_fichier="public.csv")
    apres = depot_acteurs.par_id(base, cible.id)
    assert (apres.adresse, apres.latitude, apres.longitude, apres.precision_localisation) == (
        ADRESSE_SECRETE,
        45.2,
        5.7,
        Precision.ADRESSE,
    )
    assert apres.telephone == "04 76 11 22 33"


def test_lieu_confidentiel_qui_change_de_commune_prend_la_nouvelle(
    base: duckdb.DuckDBPyConnection,
) -> None:
    cible = confidentiels_localises(base)[0]
    autre, nom = ("38563", "Voiron") if cible.code_insee != "38563" else ("38185", "Grenoble")
    ligne = {**champs_csv(cible), "adresse": "", "precision_localisation": "commune"}
    ligne.update(code_insee=autre, commune=nom, code_postal="", latitude="", longitude="")
    (modification,) = apercu_de(base, fichier([ligne])).modifies
    assert modification.apres.code_insee == autre
    assert (modification.apres.adresse, modification.apres.precision_localisation) == (
        "",
        Precision.COMMUNE,
    )
