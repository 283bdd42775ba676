"""Afficher sans risque un texte venu d'une fiche ou d'une saisie dans un message Streamlit.

`st.error`, `st.success`, `st.caption`… interprètent le Markdown : un nom de fiche contenant
`[lien](…)` ou `**` changerait la mise en forme. On échappe chaque caractère actif ; le HTML
n'est de toute façon jamais exécuté (pas d'`unsafe_allow_html` ici).
"""

from __future__ import annotations

import re

# Les caractères qui changent la mise en forme : `[` et `]` suffisent à neutraliser liens et
# images, `:` les directives de Streamlit (`:red[…]`), `<` et `>` le HTML.
_ACTIFS = re.compile(r"([\\`*_\[\]<>#|~$:])")


def litteral(texte: object) -> str:
    """Le texte tel quel à l'écran : chaque caractère Markdown est échappé."""
    return _ACTIFS.sub(r"\\\1", str(texte))
