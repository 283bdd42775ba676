"""Espace DDFE — les fiches des acteurs : chercher, créer, corriger, archiver, historique."""

import streamlit as st

from cartographie import config, edition
from cartographie.affichage import horodatage, jour
from cartographie.comptes import Role
from cartographie.edition import LIBELLES_CHAMPS, Action, ConflitEdition, ErreurEdition
from cartographie.modele import Statut
from cartographie.validation import ErreurDonnees
from ui import garde
from ui.base import curseur, geocodeur
from ui.formulaire_acteur import formulaire
from ui.texte import litteral

ROLES = (Role.EDITEUR,)
garde.exiger_role(*ROLES)
CLE_OUVERTE, CLE_CHOIX, CLE_MESSAGE = "fiche_ouverte", "fiche_choisie", "fiche_message"
NOUVELLE = "__nouvelle__"
STATUTS = {"Actives": Statut.ACTIF, "Archivées": Statut.ARCHIVE, "Toutes": None}


def ecrire(succes: str, action, *args, **kwargs) -> None:
    """Rappel d'un bouton : une écriture, puis un message ; la fiche ouverte suit la base.

    Le rappel passe avant la page (et avant `exiger_role`) : le compte est relu ici, et c'est
    lui qui signe l'écriture, jamais celui capturé au passage précédent.
    """
    compte = garde.autoriser(*ROLES)
    if compte is None:
        return
    try:
        fiche = action(curseur(), *args, auteur=compte.identifiant, **kwargs)
    except ErreurDonnees as erreur:
        libelle = LIBELLES_CHAMPS.get(erreur.colonne, erreur.colonne)
        st.session_state[CLE_MESSAGE] = ("erreur", f"{libelle} : {erreur.message}")
    except (ConflitEdition, ErreurEdition) as erreur:
        st.session_state[CLE_MESSAGE] = ("erreur", str(erreur))
    else:
        st.session_state[CLE_OUVERTE] = fiche
        if st.session_state.get(CLE_CHOIX) != fiche.id:
            # Une fiche créée : on l'ouvre, visible quels que soient les filtres.
            st.session_state.update({"fiche_recherche": "", "fiche_statut": "Toutes"})
            st.session_state[CLE_CHOIX] = fiche.id
        st.session_state[CLE_MESSAGE] = ("succes", f"{succes} (version {fiche.version}).")


st.title("Fiches des acteurs")
con = curseur()

col1, col2 = st.columns([3, 1])
texte = col1.text_input("Chercher une fiche (nom, structure, commune)", key="fiche_recherche")
statut = STATUTS[col2.selectbox("Fiches", list(STATUTS), key="fiche_statut")]
trouvees = edition.fiches(con, texte, statut)
st.dataframe(
    [
        {
            "Nom": a.nom,
            "Type": a.type.libelle,
            "Commune": a.commune,
            "Territoire": a.territoire,
            "Statut": a.statut.libelle,
            "Vérifiée le": jour(a.date_verification),
        }
        for a in trouvees
    ],
    hide_index=True,
    height=240,
)
par_id = {a.id: a for a in trouvees}
if st.session_state.get(CLE_CHOIX) not in (NOUVELLE, *par_id):
    st.session_state[CLE_CHOIX] = NOUVELLE
choix = st.selectbox(
    "Fiche à ouvrir",
    [NOUVELLE, *par_id],
    format_func=lambda i: (
        "Créer une nouvelle fiche…" if i == NOUVELLE else f"{par_id[i].nom} — {par_id[i].commune}"
    ),
    key=CLE_CHOIX,
)

# La fiche telle qu'elle a été ouverte : sa version est le verrou de l'enregistrement.
ouverte = st.session_state.get(CLE_OUVERTE)
if choix == NOUVELLE:
    ouverte = None
elif ouverte is None or ouverte.id != choix:
    ouverte = edition.fiche(con, choix)
st.session_state[CLE_OUVERTE] = ouverte

message = st.session_state.pop(CLE_MESSAGE, None)
if message:
    (st.success if message[0] == "succes" else st.error)(litteral(message[1]))

if ouverte is None:
    st.header("Nouvelle fiche", anchor=False)
else:
    st.header(litteral(ouverte.nom), anchor=False)
    st.caption(
        f"{ouverte.statut.libelle} · version {ouverte.version} · dernière vérification :"
        f" {jour(ouverte.date_verification)}"
    )
    c1, c2, c3 = st.columns(3)
    c1.button(
        "Marquer comme vérifiée",
        icon=":material/task_alt:",
        on_click=ecrire,
        args=(
            "Fiche marquée comme vérifiée",
            edition.marquer_verifie,
            ouverte.id,
        ),
        # La version affichée : une fiche changée entre-temps n'est pas déclarée vérifiée.
        kwargs={"version_attendue": ouverte.version},
    )
    if ouverte.statut is Statut.ACTIF:
        c2.button(
            "Archiver la fiche",
            icon=":material/archive:",
            on_click=ecrire,
            args=(
                "Fiche archivée",
                edition.archiver,
                ouverte.id,
            ),
            kwargs={"version_attendue": ouverte.version},
        )
    else:
        c2.button(
            "Restaurer la fiche (désarchiver)",
            icon=":material/unarchive:",
            on_click=ecrire,
            args=(
                "Fiche restaurée",
                edition.restaurer,
                ouverte.id,
            ),
            kwargs={"version_attendue": ouverte.version},
        )
    if c3.button("Recharger la fiche", icon=":material/refresh:"):
        st.session_state[CLE_OUVERTE] = edition.fiche(con, ouverte.id)
        st.rerun()

formulaire(
    ouverte,
    lambda valeurs: ecrire(
        "Fiche enregistrée",
        edition.enregistrer_formulaire,
        saisie=valeurs,
        existant=ouverte,
        chemin_communes=config.lire_chemin("COMMUNES_GEOJSON"),
        geocodeur=geocodeur(),
    ),
)

if ouverte is not None:
    st.header("Historique des modifications", anchor=False)
    versions = edition.historique(con, ouverte.id)
    if not versions:
        st.caption("Aucune modification depuis le chargement initial.")
    for version in versions:
        with st.expander(
            f"Version {version.version} — {horodatage(version.horodatage)} —"
            f" {Action(version.action).libelle} par {litteral(version.auteur)}"
        ):
            st.dataframe(
                [
                    {
                        "Champ": LIBELLES_CHAMPS.get(c, c),
                        "Avant": edition.texte_valeur(avant),
                        "Après": edition.texte_valeur(apres),
                    }
                    for c, (avant, apres) in version.changements.items()
                ],
                hide_index=True,
            )
    if ouverte.version > 1:
        c1, c2 = st.columns([1, 2])
        numero = c1.selectbox("Revenir à la version", range(ouverte.version - 1, 0, -1))
        c2.button(
            "Restaurer cette version",
            icon=":material/history:",
            on_click=ecrire,
            args=(
                f"Version {numero} restaurée",
                edition.restaurer_version,
                ouverte.id,
                numero,
            ),
            kwargs={"version_attendue": ouverte.version},
        )
