"""Affichage de l'aperçu d'un import : compteurs, erreurs ligne par ligne, changements.

Tout texte venu du fichier passe par `st.dataframe` ou `st.text` : affiché tel quel, jamais
interprété comme du HTML ou du Markdown.
"""

from __future__ import annotations

import streamlit as st

from cartographie.echanges.importation import Apercu
from cartographie.edition import LIBELLES_CHAMPS
from cartographie.modele import Acteur

_LIMITE_TABLEAU = 5000  # au-delà, le navigateur peine ; les compteurs restent exacts


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
        st.subheader("Lignes en erreur (non importées)")
        st.dataframe(
            [
                {"Ligne": e.ligne, "Colonne": libelle(e.colonne), "Problème": e.message}
                for e in apercu.erreurs[:_LIMITE_TABLEAU]
            ],
            hide_index=True,
            width="stretch",
        )
    if apercu.nouveaux:
        st.subheader("Nouveaux acteurs")
        st.dataframe(_resume(apercu.nouveaux[:_LIMITE_TABLEAU]), hide_index=True, width="stretch")
    if apercu.modifies:
        st.subheader("Fiches modifiées")
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
