"""Point d'entrée : la navigation entre les pages, rien d'autre."""

import streamlit as st

st.set_page_config(
    page_title="Cartographie des acteurs — violences faites aux femmes, Isère", layout="wide"
)

navigation = st.navigation(
    [
        st.Page(
            "pages/carte.py", title="Trouver une ressource", icon=":material/map:", default=True
        ),
    ]
)
navigation.run()
