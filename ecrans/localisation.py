"""Espace DDFE — positions des fiches : ce qui est à vérifier, et regéocoder les imprécises."""

import streamlit as st

from cartographie import config
from cartographie.comptes import Role
from cartographie.edition.positions import (
    acteurs_a_verifier_en_base,
    regeocoder,
    repartition_en_base,
)
from ui import garde
from ui.base import curseur, geocodeur

compte = garde.exiger_role(Role.EDITEUR, Role.ADMINISTRATEUR)
chemin_communes = config.lire_chemin("COMMUNES_GEOJSON")

st.title("Positions des fiches")

st.header("Précision des positions (fiches actives)")
st.dataframe(
    [
        {"Précision": precision.libelle, "Fiches": n}
        for precision, n in repartition_en_base(curseur()).items()
    ],
    hide_index=True,
)

st.header("À vérifier")
anomalies = acteurs_a_verifier_en_base(curseur(), chemin_communes)
if anomalies:
    st.warning(
        f"{len(anomalies)} fiche(s) sans position ou placée(s) hors de leur commune : rien n'a"
        " été déplacé, corrigez l'adresse, la commune ou les coordonnées."
    )
    st.dataframe(
        [
            {
                "Fiche": a.nom,
                "Identifiant": a.id,
                "Commune de la fiche": a.commune,
                "Précision": a.precision.libelle,
                "Problème": a.probleme,
            }
            for a in anomalies
        ],
        hide_index=True,
    )
else:
    st.success("Toutes les fiches actives sont localisées dans leur commune.")

st.header("Préciser les positions")
service = geocodeur()
if service.client is None:
    st.info(
        "Géocodage à l'adresse désactivé (réglage CARTOGRAPHIE_GEOCODAGE_EN_LIGNE) : seules les"
        " adresses déjà trouvées une fois peuvent gagner en précision."
    )
elif not service.en_ligne:
    st.info("Service national d'adresses injoignable pour l'instant : nouvel essai plus tard.")
if st.button("Regéocoder les fiches moins précises que l'adresse", icon=":material/my_location:"):
    barre = st.progress(0.0, text="Géocodage…")
    changements = regeocoder(
        curseur(),
        service,
        lambda faits, total: barre.progress(faits / total, text=f"{faits}/{total} fiches"),
        auteur=compte.identifiant,
    )
    appliques = [c for c in changements if c.applique]
    st.success(f"{len(changements)} fiche(s) examinée(s), {len(appliques)} repositionnée(s).")
    st.dataframe(
        [
            {
                "Fiche": c.nom,
                "Avant": c.avant.libelle,
                "Après": c.apres.libelle,
                "Déplacement (m)": None if c.deplacement_m is None else round(c.deplacement_m),
                "Détail": c.message,
            }
            for c in changements
        ],
        hide_index=True,
    )
