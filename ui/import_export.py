"""Affichage de l'aperçu d'un import : compteurs, erreurs ligne par ligne, changements.

Tout texte venu du fichier passe par `st.dataframe` ou `st.text` : affiché tel quel, jamais
interprété comme du HTML ou du Markdown.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import streamlit as st
from streamlit import runtime
from streamlit.runtime.media_file_manager import MediaFileManager

from cartographie.echanges.importation import Apercu
from cartographie.edition import LIBELLES_CHAMPS
from cartographie.modele import Acteur

_LIMITE_TABLEAU = 5000  # au-delà, le navigateur peine ; les compteurs restent exacts
# Le navigateur demande le fichier dans la seconde qui suit sa production : au-delà, une
# adresse /media/… recopiée (historique des téléchargements) ne doit plus rien rendre.
DUREE_DE_VIE_S = 10.0


def libelle(colonne: str) -> str:
    """Nom d'une colonne tel que le lit une personne."""
    return LIBELLES_CHAMPS.get(colonne, colonne)


def afficher_apercu(apercu: Apercu) -> None:
    """Compteurs, puis le détail de chaque catégorie."""
    st.caption(f"Fichier lu : {apercu.format}, {apercu.nombre_lignes} lignes de données.")
    colonnes = st.columns(4)
    colonnes[0].metric("Nouveaux acteurs", len(apercu.nouveaux))
    colonnes[1].metric("Fiches modifiées", len(apercu.modifies))
    colonnes[2].metric("Inchangées", apercu.inchanges)
    colonnes[3].metric("Lignes en erreur", len(apercu.erreurs))
    if apercu.colonnes_ignorees:
        st.warning("Colonnes inconnues, ignorées :")
        st.text(", ".join(apercu.colonnes_ignorees))
    if apercu.colonnes_absentes:
        st.info(
            "Colonnes absentes du fichier : les fiches existantes gardent leur valeur actuelle, "
            "les nouvelles restent vides — "
            + ", ".join(libelle(c) for c in apercu.colonnes_absentes)
            + "."
        )
    if apercu.erreurs:
        st.header("Lignes en erreur (non importées)")
        st.dataframe(
            [
                {"Ligne": e.ligne, "Colonne": libelle(e.colonne), "Problème": e.message}
                for e in apercu.erreurs[:_LIMITE_TABLEAU]
            ],
            hide_index=True,
            width="stretch",
        )
    if apercu.nouveaux:
        st.header("Nouveaux acteurs")
        st.dataframe(_resume(apercu.nouveaux[:_LIMITE_TABLEAU]), hide_index=True, width="stretch")
    if apercu.modifies:
        st.header("Fiches modifiées")
        st.dataframe(
            [
                {
                    "Identifiant": m.avant.id,
                    "Nom": m.apres.nom,
                    "Champs changés": ", ".join(libelle(c) for c in m.colonnes),
                }
                for m in apercu.modifies[:_LIMITE_TABLEAU]
            ],
            hide_index=True,
            width="stretch",
        )
    if len(apercu.nouveaux) > _LIMITE_TABLEAU or len(apercu.modifies) > _LIMITE_TABLEAU:
        st.caption(f"Tableaux limités aux {_LIMITE_TABLEAU} premières lignes.")


def _resume(acteurs: tuple[Acteur, ...]) -> list[dict[str, str]]:
    return [
        {"Identifiant": a.id, "Nom": a.nom, "Type": a.type.libelle, "Commune": a.commune}
        for a in acteurs
    ]


def ephemere(produire: Callable[[], bytes]) -> Callable[[], bytes]:
    """`produire` pour un `st.download_button` différé dont le fichier ne survit pas à son usage.

    Streamlit range le fichier produit au clic dans son gestionnaire de médias, servi SANS
    session à /media/<empreinte>, et ne l'oublie qu'après deux ménages de fin de page (quand
    une page finit d'être jouée, par n'importe qui : parfois des heures plus tard). Ici,
    `DUREE_DE_VIE_S` secondes après la production, `oublier_fichiers_servis` fait ces deux
    ménages : le navigateur a téléchargé le fichier, l'adresse répond ensuite 404.
    """
    # Relevé pendant la page : au clic, le rappel tourne dans un fil sans contexte de page.
    gestionnaire = runtime.get_instance().media_file_mgr if runtime.exists() else None

    def produire_puis_oublier() -> bytes:
        contenu = produire()
        if gestionnaire is not None:
            minuteur = threading.Timer(DUREE_DE_VIE_S, oublier_fichiers_servis, (gestionnaire,))
            minuteur.daemon = True
            minuteur.start()
        return contenu

    return produire_puis_oublier


def oublier_fichiers_servis(gestionnaire: MediaFileManager) -> None:
    """Supprime les fichiers de téléchargement qu'aucune session n'affiche plus.

    API publique de Streamlit : un premier passage marque un tel fichier, le second le
    supprime — ce que Streamlit fait lui-même à la fin de chaque page jouée. Les fichiers
    qu'une page affiche encore (données prêtes, images) restent : ils sont référencés.
    """
    gestionnaire.remove_orphaned_files()
    gestionnaire.remove_orphaned_files()
