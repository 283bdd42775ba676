"""Espace DDFE — les comptes : créer, changer de rôle ou de mot de passe, débloquer, désactiver,
journal des connexions."""

import streamlit as st

from cartographie.affichage import horodatage
from cartographie.comptes import (
    ErreurCompte,
    Role,
    changer_activation,
    changer_mot_de_passe,
    changer_role,
    creer_compte,
    debloquer,
    etat_freins,
    journal,
    lister_comptes,
)
from cartographie.comptes.freins import texte_attente
from cartographie.comptes.identite_etat import accorder_role, demandes_en_attente
from ui import garde
from ui.base import curseur
from ui.texte import litteral

ROLES = (Role.ADMINISTRATEUR,)
garde.exiger_role(*ROLES)
CLE_MESSAGE = "comptes_message"


def agir(succes: str, action, *args, **kwargs) -> None:
    """Le geste au nom de l'administrateur relu en base, puis un message ; refus en français.

    Appelé aussi depuis les rappels (avant la page) : jamais avec le compte capturé au passage
    précédent.
    """
    auteur = garde.autoriser(*ROLES)
    if auteur is None:
        return
    try:
        action(curseur(), *args, auteur=auteur.identifiant, **kwargs)
    except ErreurCompte as erreur:
        st.session_state[CLE_MESSAGE] = ("erreur", str(erreur))
    else:
        st.session_state[CLE_MESSAGE] = ("succes", succes)


def creer() -> None:
    """Rappel du formulaire de création : les deux mots de passe doivent concorder."""
    etat = st.session_state
    if etat["nouveau_mdp"] != etat["nouveau_mdp2"]:
        etat[CLE_MESSAGE] = ("erreur", "Les deux mots de passe diffèrent : compte non créé.")
        return
    agir(
        f"Compte « {etat['nouveau_identifiant'].strip().lower()} » créé.",
        creer_compte,
        etat["nouveau_identifiant"],
        etat["nouveau_mdp"],
        etat["nouveau_role"],
        etat["nouveau_nom"],
    )


st.title("Comptes de l'espace DDFE")
message = st.session_state.pop(CLE_MESSAGE, None)
if message:
    (st.success if message[0] == "succes" else st.error)(litteral(message[1]))

comptes = lister_comptes(curseur())
st.dataframe(
    [
        {
            "Identifiant": c.identifiant,
            "Nom": c.nom,
            "Rôle": c.role.libelle,
            "Actif": "oui" if c.actif else "non",
            "Dernière connexion": horodatage(c.derniere_connexion),
            "Essais en échec": etat_freins(c.identifiant).echecs,
        }
        for c in comptes
    ],
    hide_index=True,
)

with (
    st.expander("Créer un compte", expanded=len(comptes) < 2),
    st.form("creer_compte", clear_on_submit=True),
):
    st.text_input("Identifiant (prenom.nom)", key="nouveau_identifiant")
    st.text_input("Nom affiché", key="nouveau_nom")
    st.selectbox("Rôle", list(Role), format_func=lambda r: r.libelle, key="nouveau_role")
    st.text_input("Mot de passe (12 caractères au moins)", type="password", key="nouveau_mdp")
    st.text_input("Mot de passe (encore)", type="password", key="nouveau_mdp2")
    st.form_submit_button("Créer le compte", type="primary", on_click=creer)

st.header("Modifier un compte", anchor=False)
par_id = {c.identifiant: c for c in comptes}
choisi = par_id[st.selectbox("Compte", list(par_id), key="compte_choisi")]
c1, c2 = st.columns(2)
role = c1.selectbox(
    "Nouveau rôle",
    list(Role),
    index=list(Role).index(choisi.role),
    format_func=lambda r: r.libelle,
    key=f"role-{choisi.identifiant}",
)
c1.button(
    "Changer le rôle",
    on_click=agir,
    args=(f"Rôle de « {choisi.identifiant} » : {role.libelle}.", changer_role),
    kwargs={"identifiant": choisi.identifiant, "role": role},
)
if choisi.actif:
    c2.button(
        "Désactiver le compte",
        on_click=agir,
        args=(f"Compte « {choisi.identifiant} » désactivé.", changer_activation),
        kwargs={"identifiant": choisi.identifiant, "actif": False},
    )
else:
    c2.button(
        "Réactiver le compte",
        on_click=agir,
        args=(f"Compte « {choisi.identifiant} » réactivé.", changer_activation),
        kwargs={"identifiant": choisi.identifiant, "actif": True},
    )
freins = etat_freins(choisi.identifiant)
if freins.echecs:
    attente = (
        f" ; prochain essai possible dans {texte_attente(freins.attente)}" if freins.attente else ""
    )
    c2.warning(
        f"{freins.echecs} essai(s) de connexion en échec depuis la dernière réussite{attente}."
    )
c2.button(
    "Débloquer (effacer les essais en échec)",
    icon=":material/lock_open:",
    disabled=not freins.echecs,
    on_click=agir,
    args=(f"Compte « {choisi.identifiant} » débloqué : il peut se reconnecter.", debloquer),
    kwargs={"identifiant": choisi.identifiant},
)
with st.form("mot_de_passe", clear_on_submit=True):
    mdp = st.text_input("Nouveau mot de passe pour ce compte", type="password")
    if st.form_submit_button("Changer le mot de passe"):
        agir(
            f"Mot de passe de « {choisi.identifiant} » changé.",
            changer_mot_de_passe,
            choisi.identifiant,
            mdp,
        )
        st.rerun()

demandes = demandes_en_attente(curseur())
if demandes:
    # Agents identifiés par l'authentification de l'État, sans compte ici : aucun rôle tant
    # qu'un administrateur ne leur en accorde pas.
    st.header("Agents de l'État en attente d'un rôle", anchor=False)
    st.dataframe(
        [
            {"Courriel": d.courriel, "Nom": d.nom, "Dernière tentative": horodatage(d.derniere)}
            for d in demandes
        ],
        hide_index=True,
    )
    noms = {d.courriel: d.nom for d in demandes}
    c1, c2, c3 = st.columns([3, 2, 2], vertical_alignment="bottom")
    agent = c1.selectbox("Agent", list(noms), key="agent_etat")
    role_agent = c2.selectbox(
        "Rôle à accorder", list(Role), format_func=lambda r: r.libelle, key="role_agent_etat"
    )
    c3.button(
        "Accorder ce rôle",
        icon=":material/how_to_reg:",
        on_click=agir,
        args=(f"Compte « {agent} » créé ({role_agent.libelle}).", accorder_role),
        kwargs={"courriel": agent, "role": role_agent, "nom": noms[agent]},
    )

st.header("Journal des connexions et des comptes", anchor=False)
st.dataframe(
    [
        {
            "Quand": horodatage(e.horodatage),
            "Identifiant": e.identifiant,
            "Événement": e.evenement.replace("_", " "),
            "Détail": e.detail,
            "Par": e.auteur,
        }
        for e in journal(curseur())
    ],
    hide_index=True,
)
