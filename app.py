"""Point d'entrée : la navigation entre les pages, rien d'autre."""

import streamlit as st

from cartographie import config
from cartographie.comptes import Role
from cartographie.tour_de_role import du_processus
from ui import garde, suivi
from ui.accessibilite import ajuster_page
from ui.base import incidents_de_la_base
from ui.securite import afficher_securite

# Icône locale : une icône « :material/…: » en favicon serait chargée depuis les serveurs de
# polices de Google, une requête vers un tiers à chaque visite. Son adresse sous /app/static/
# (service statique) plutôt que son fichier : sinon Streamlit relit et range l'image à chaque
# exécution (4 % du temps d'une recherche, bench/bench_reexecution.py).
st.set_page_config(
    page_title="Cartographie des acteurs — violences faites aux femmes, Isère",
    page_icon="/app/static/favicon.png",
    layout="wide",
)

PUBLIQUES = [
    st.Page("ecrans/carte.py", title="Trouver une ressource", icon=":material/map:", default=True),
    st.Page("ecrans/connexion.py", title="Espace DDFE — connexion", icon=":material/login:"),
    st.Page("ecrans/accessibilite.py", title="Accessibilité", icon=":material/accessibility:"),
]
# Pages de l'espace DDFE, une ligne chacune : (page, rôles admis) ; l'administrateur voit tout.
# Chacune appelle aussi garde.exiger_role en première ligne (défense en profondeur).
RESERVEES = [
    (
        st.Page("ecrans/acteurs_edition.py", title="Fiches des acteurs", icon=":material/edit:"),
        (Role.EDITEUR,),
    ),
    (
        st.Page(
            "ecrans/fraicheur.py", title="Fiches à vérifier", icon=":material/event_available:"
        ),
        (Role.EDITEUR,),
    ),
    (
        st.Page("ecrans/comptes.py", title="Comptes", icon=":material/group:"),
        (Role.ADMINISTRATEUR,),
    ),
    (
        st.Page("ecrans/import_export.py", title="Importer / exporter", icon=":material/sync:"),
        (Role.EDITEUR,),
    ),
    (
        st.Page("ecrans/signalements.py", title="Signalements d'erreur", icon=":material/flag:"),
        (Role.EDITEUR,),
    ),
    (
        st.Page("ecrans/localisation.py", title="Positions des fiches", icon=":material/pin_drop:"),
        (Role.EDITEUR,),
    ),
    (
        st.Page("ecrans/statistiques.py", title="Statistiques", icon=":material/bar_chart:"),
        (Role.STATISTIQUES,),
    ),
    (
        st.Page("ecrans/couverture.py", title="Couverture du territoire", icon=":material/radar:"),
        (Role.EDITEUR, Role.STATISTIQUES),
    ),
]

# Avant tout le reste : ni une page, ni un filtre, ni une erreur de la base en lisant le compte
# connecté ne peut masquer les numéros d'urgence et la sortie rapide.
afficher_securite()
# Le reste de la page à tour de rôle avec les autres sessions du processus : sous charge, les
# pages répondent une à une dans l'ordre d'arrivée au lieu de toutes au bout du même délai.
with du_processus(config.lire_entier("PAGES_SIMULTANEES")).tour():
    # Langue, textes de Streamlit en français, lien d'évitement, petit écran.
    ajuster_page()
    # Base tenue par une commande, ou invalidée par une erreur fatale : un message en français
    # et une reprise d'elle-même, jamais la page d'erreur de Streamlit.
    with incidents_de_la_base():
        navigation = st.navigation(garde.navigation(PUBLIQUES, RESERVEES))
        garde.barre_compte()
        # Une page vue par arrivée sur la page (pas à chaque clic) ; rien pour la DDFE connectée.
        suivi.noter_page(navigation.url_path or "carte")
        navigation.run()
