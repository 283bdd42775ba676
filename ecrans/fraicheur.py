"""Espace DDFE — fiches à vérifier : celles qui n'ont pas été vérifiées depuis longtemps."""

import streamlit as st

from cartographie import config, edition, horloge
from cartographie.affichage import jour
from cartographie.communes import charger_communes
from cartographie.comptes import Role
from cartographie.edition import ConflitEdition, ErreurEdition, qualite
from cartographie.edition.fraicheur import (
    TRIS,
    a_verifier,
    coordonnees_anciennes,
    mois_fraicheur,
    part_verifiee,
)
from cartographie.modele import Statut
from ui import garde
from ui import qualite as affichage_qualite
from ui.base import curseur
from ui.texte import litteral

ROLES = (Role.EDITEUR,)
garde.exiger_role(*ROLES)
CLE_MESSAGE = "fraicheur_message"


def verifier(acteur_id: str, nom: str, version: int) -> None:
    """Rappel du bouton : la fiche, telle qu'affichée, est datée d'aujourd'hui et journalisée.

    Passe avant la page (donc avant `exiger_role`) : le compte est relu ici.
    """
    compte = garde.autoriser(*ROLES)
    if compte is None:
        return
    try:
        edition.marquer_verifie(curseur(), acteur_id, compte.identifiant, version)
    except (ConflitEdition, ErreurEdition) as erreur:
        st.session_state[CLE_MESSAGE] = ("erreur", str(erreur))
    else:
        st.session_state[CLE_MESSAGE] = ("succes", f"« {nom} » marquée comme vérifiée.")


mois = mois_fraicheur()
aujourd_hui = horloge.aujourd_hui()
fiches = edition.fiches(curseur())

st.title("Fiches à vérifier")
part = part_verifiee(fiches, aujourd_hui, mois)
st.metric(
    f"Fiches actives vérifiées depuis moins de {mois} mois",
    "—" if part is None else f"{round(part * 100)} %",
)
message = st.session_state.pop(CLE_MESSAGE, None)
if message:
    (st.success if message[0] == "succes" else st.error)(litteral(message[1]))

col1, col2 = st.columns(2)
tri = col1.selectbox("Trier par", list(TRIS), format_func=TRIS.get)
territoires = sorted({a.territoire for a in fiches})
territoire = col2.selectbox("Territoire", ["Tous", *territoires])
anciennes = [
    a
    for a in a_verifier(fiches, aujourd_hui, mois, tri)
    if territoire == "Tous" or a.territoire == territoire
]
st.caption(f"{len(anciennes)} fiche(s) non vérifiée(s) depuis {mois} mois ou jamais vérifiée(s).")
for acteur in anciennes:
    c1, c2, c3, c4 = st.columns([4, 3, 2, 2], vertical_alignment="center")
    c1.text(acteur.nom)
    c2.text(f"{acteur.territoire} · {acteur.type.libelle}")
    c3.text(f"Vérifiée : {jour(acteur.date_verification)}")
    c4.button(
        "Marquer comme vérifiée",
        key=f"verifier-{acteur.id}",
        on_click=verifier,
        args=(acteur.id, acteur.nom, acteur.version),
    )

st.header("Coordonnées à confirmer", anchor=False)
a_confirmer = [
    a for a in fiches if a.statut is Statut.ACTIF and coordonnees_anciennes(a, aujourd_hui)
]
st.caption(
    f"{len(a_confirmer)} fiche(s) dont la page la plus récente qui donne les coordonnées a plus"
    " de 24 mois : le public voit « Coordonnées de … : à confirmer en appelant »."
)
st.dataframe(
    [
        {"Fiche": a.nom, "Territoire": a.territoire, "Coordonnées de": jour(a.date_source)}
        for a in sorted(a_confirmer, key=lambda a: (a.date_source, a.nom))
    ],
    hide_index=True,
)

st.header("Qualité des fiches", anchor=False)
affichage_qualite.afficher(
    qualite.rapport(
        fiches, charger_communes(config.lire_chemin("COMMUNES_GEOJSON")), aujourd_hui, mois
    )
)
