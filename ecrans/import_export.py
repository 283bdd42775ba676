"""Importer le tableur des partenaires (aperçu puis confirmation) et exporter l'annuaire."""

import streamlit as st

from cartographie import config
from cartographie.comptes import Role
from cartographie.echanges.exportation import TYPES_MIME, exporter, nom_fichier
from cartographie.echanges.importation import (
    ImportRefuse,
    apercu_fichier,
    appliquer_import,
    derniers_imports,
)
from cartographie.echanges.lecture_tableur import FichierRefuse
from cartographie.validation import ErreurDonnees
from ui.base import curseur, geocodeur
from ui.garde import exiger_role, relancer_a_l_expiration, telechargement_reserve
from ui.import_export import afficher_apercu, ephemere
from ui.texte import litteral

ROLES = (Role.EDITEUR, Role.ADMINISTRATEUR)
compte = exiger_role(*ROLES)
# Les téléchargements ne relancent pas la page : c'est elle qui se relance, et dit pourquoi,
# quand la session expire ou que le compte perd son droit (sinon un clic échouerait en silence).
relancer_a_l_expiration(*ROLES)
CLE_APERCU = "import_apercu"

st.title("Importer et exporter les acteurs")
onglet_import, onglet_export = st.tabs(["Importer un tableur", "Exporter"])

with onglet_import:
    st.markdown(
        "Le tableur reprend les colonnes de `data/acteurs.csv` (identifiant, nom, type, commune, "
        "code INSEE… ; majuscules, accents et espaces des en-têtes sans importance). CSV séparé "
        "par « ; » ou « , » (UTF-8, Windows-1252 ou UTF-16) ou classeur Excel .xlsx (première "
        "feuille). Plusieurs axes ou "
        "publics dans une cellule : séparez-les par « | ». Rien n'est enregistré avant votre "
        "confirmation ; les fiches absentes du fichier ne sont ni supprimées ni archivées, sauf "
        "si vous le demandez."
    )
    fichier = st.file_uploader(
        "Tableur des partenaires",
        type=["csv", "txt", "xlsx"],
        # La limite affichée par Streamlit sous le champ est celle de l'application.
        max_upload_size=config.lire_entier("IMPORT_TAILLE_MAX_MO"),
        help=f"{config.lire_entier('IMPORT_TAILLE_MAX_MO')} Mo et"
        f" {config.lire_entier('IMPORT_LIGNES_MAX')} lignes au plus.",
    )
    if fichier is None:
        st.session_state.pop(CLE_APERCU, None)
    else:
        memorise = st.session_state.get(CLE_APERCU)
        if memorise is None or memorise[0] != fichier.file_id:
            try:
                barre = st.progress(0.0, text="Lecture, vérification et géocodage du fichier…")
                apercu = apercu_fichier(
                    curseur(),
                    fichier.getvalue(),
                    fichier.name,
                    config.lire_chemin("COMMUNES_GEOJSON"),
                    geocodeur(),
                    lambda faites, total: barre.progress(
                        faites / max(total, 1),
                        text=f"Vérification et géocodage : {faites}/{total} lignes",
                    ),
                )
            except (FichierRefuse, ErreurDonnees) as refus:
                apercu, message = None, str(refus)
            else:
                message = ""
            finally:
                barre.empty()
            st.session_state[CLE_APERCU] = memorise = (fichier.file_id, apercu, message, None)
        _, apercu, message, resultat = memorise
        if message:
            st.error("Fichier refusé, rien n'a été importé :")
            st.text(message)
        elif resultat is not None:
            st.success(
                f"Import terminé : {resultat.ajoutes} acteurs ajoutés, {resultat.modifies} fiches"
                f" modifiées, {resultat.archives} archivées. Copie de la base prise avant import :"
                f" {resultat.sauvegarde.name}."
            )
        else:
            afficher_apercu(apercu)
            archiver = False
            if apercu.absents:
                archiver = st.checkbox(
                    f"Archiver les {len(apercu.absents)} fiches actives absentes du fichier",
                    help="Elles disparaissent de l'annuaire public mais restent restaurables.",
                )
            a_faire = apercu.a_ecrire + (len(apercu.absents) if archiver else 0)
            if a_faire == 0:
                st.info("Rien à importer : toutes les lignes valides sont déjà à jour.")
            elif st.button(
                f"Confirmer l'import ({a_faire} fiches"
                + (f" ; {len(apercu.erreurs)} lignes en erreur ignorées" if apercu.erreurs else "")
                + ")",
                type="primary",
            ):
                barre = st.progress(0.0, text="Copie de sauvegarde puis écriture…")
                try:
                    resultat = appliquer_import(
                        curseur(),
                        apercu,
                        auteur=compte.identifiant,
                        nom_fichier=fichier.name,
                        archiver_absents=archiver,
                        progression=lambda fait, total: barre.progress(fait / total),
                    )
                except ImportRefuse as refus:
                    st.error(litteral(str(refus)))
                else:
                    st.session_state[CLE_APERCU] = (fichier.file_id, apercu, "", resultat)
                    st.rerun()

    derniers = derniers_imports(curseur(), limite=10)
    if derniers:
        st.header("Derniers imports")
        st.dataframe(
            [
                {
                    "Date (UTC)": e.horodatage.strftime("%d/%m/%Y %H:%M"),
                    "Par": e.auteur,
                    "Fichier": e.fichier,
                    "Ajoutés": e.ajoutes,
                    "Modifiés": e.modifies,
                    "Archivés": e.archives,
                }
                for e in derniers
            ],
            hide_index=True,
        )

with onglet_export:
    formats = {
        "csv": "CSV pour tableur (Excel)",
        "geojson": "GeoJSON (carte)",
        "data_inclusion": "JSON data·inclusion",
    }
    st.header("Export public")
    st.caption(
        "Les acteurs actifs, tels que le public les voit : adresses confidentielles masquées, "
        "position ramenée à la commune. Cellules commençant par = + - @ protégées par une "
        "apostrophe pour qu'Excel ne les exécute pas."
    )
    # Fichiers produits au clic seulement (dans un fil à part) : la page reste rapide. Ils ne
    # contiennent rien de confidentiel, mais la page est réservée : le compte est revérifié au
    # clic (l'onglet a pu rester ouvert après expiration, désactivation ou changement de rôle).
    # `on_click="ignore"` : un clic ne relance pas la page ; sinon la relance remplace le
    # bouton par un nouveau, et le téléchargement demandé par l'ancien se perd.
    for code, titre in formats.items():
        st.download_button(
            f"{titre} — annuaire public (acteurs actifs)",
            telechargement_reserve(
                compte,
                lambda code=code: exporter(curseur(), code, complet=False).contenu,
                *ROLES,
            ),
            file_name=nom_fichier(code, complet=False),
            mime=TYPES_MIME[code],
            key=f"export_public_{code}",
            icon=":material/download:",
            on_click="ignore",
        )
    if compte.peut(Role.ADMINISTRATEUR):
        st.header("Export complet (administration)")
        st.warning(
            "Contient les adresses et positions exactes des lieux confidentiels (hébergements) "
            "et les fiches archivées. Ne le transmettez jamais hors de la DDFE."
        )
        # Proposés après une demande explicite, jusqu'au clic suivant sur la page. Chaque
        # fichier est produit au clic (compte et rôle revérifiés), et ne reste sur le serveur
        # que quelques secondes : son adresse /media/… est servie sans session.
        if st.button(
            "Préparer l'export complet", icon=":material/lock:", key="preparer_export_complet"
        ):
            for code, titre in formats.items():
                st.download_button(
                    f"{titre} — COMPLET, CONFIDENTIEL (toutes les fiches)",
                    ephemere(
                        telechargement_reserve(
                            compte,
                            lambda code=code: exporter(curseur(), code, complet=True).contenu,
                            Role.ADMINISTRATEUR,
                        )
                    ),
                    file_name=nom_fichier(code, complet=True),
                    mime=TYPES_MIME[code],
                    key=f"export_complet_{code}",
                    icon=":material/lock:",
                    on_click="ignore",
                )
            st.caption(
                "Chaque fichier est produit au moment du clic puis effacé du serveur quelques"
                " secondes après : pour une nouvelle copie, cliquez de nouveau."
            )
        else:
            st.caption(
                "Les fichiers complets sont préparés à la demande et ne restent proposés que"
                " jusqu'à votre prochain clic."
            )
