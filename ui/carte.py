"""La carte des résultats dans la page : le composant de streamlit-folium, sans folium à chaque
recherche.

`st_folium` reconstruit et rend toute la carte folium à chaque exécution : branca recompile en
gabarit Jinja le texte rendu de chaque élément, deux fois, soit le quart du temps CPU d'une
recherche (bench/bench_reexecution.py). Or seules les données changent d'une recherche à
l'autre. La carte est donc rendue une fois par processus (et par fond de carte) avec des jalons
à la place des données, par les fonctions mêmes de `st_folium` ; chaque recherche y pose ses
données et appelle le même composant, avec les mêmes arguments que `st_folium` lui donnerait
(tests/test_carte.py le vérifie). streamlit-folium est épinglé (requirements.txt) : ses
fonctions internes utilisées ici sont celles de cette version.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import streamlit as st
import streamlit_folium
from branca.element import Element
from folium.elements import JSCSSMixin

from cartographie.recherche.carte import JALONS, DonneesCarte, carte_folium, remplir

RETOURNES = ("last_clicked",)


@dataclass(frozen=True, slots=True)
class Gabarit:
    """Les arguments du composant pour une carte rendue avec `JALONS`."""

    script: str
    header: str
    html: str
    id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]


@functools.lru_cache(maxsize=4)
def gabarit(tuiles_url: str, tuiles_attribution: str) -> Gabarit:
    """La carte rendue une fois, comme `st_folium` la rend (mêmes fonctions, même ordre)."""
    carte = carte_folium(JALONS, tuiles_url=tuiles_url, tuiles_attribution=tuiles_attribution)
    carte.get_root().render()
    carte.render()
    html = streamlit_folium._get_html(carte)
    header = streamlit_folium._get_header(carte)
    script = streamlit_folium._get_map_string(carte)
    css: list[str] = []
    js: list[str] = []
    for element in _elements(carte):
        if isinstance(element, JSCSSMixin):
            css.extend(href for _, href in element.default_css)
            js.extend(src for _, src in element.default_js)
    return Gabarit(
        script=script,
        header=header,
        html=html,
        id=streamlit_folium.get_full_id(carte),
        css_links=tuple(dict.fromkeys(css)),
        js_links=tuple(dict.fromkeys(js)),
    )


def _elements(element: Element) -> Iterator[Element]:
    """L'élément et tous ses descendants (comme le parcours de `st_folium`)."""
    yield element
    for enfant in element._children.values():
        yield from _elements(enfant)


def arguments(
    donnees: DonneesCarte, *, tuiles_url: str, tuiles_attribution: str, key: str, height: int
) -> dict[str, Any]:
    """Les arguments que `st_folium(carte, key=key, height=height, use_container_width=True,
    returned_objects=RETOURNES)` donnerait au composant pour la carte de ces données."""
    modele = gabarit(tuiles_url, tuiles_attribution)
    script = remplir(modele.script, donnees)
    return {
        "script": script,
        "header": modele.header,
        "html": modele.html,
        "id": modele.id,
        "key": streamlit_folium.generate_js_hash(script, key, False),
        "height": height,
        "width": None,
        "returned_objects": list(RETOURNES),
        "default": dict.fromkeys(RETOURNES),
        "zoom": None,
        "center": None,
        "feature_group": None,
        "return_on_hover": False,
        "layer_control": None,
        "pixelated": False,
        "css_links": list(modele.css_links),
        "js_links": list(modele.js_links),
        "wrap_longitude": False,
    }


def afficher(
    donnees: DonneesCarte, *, tuiles_url: str, tuiles_attribution: str, key: str, height: int
) -> dict[str, Any] | None:
    """La carte dans la page ; rend ce que le navigateur a renvoyé (le dernier clic)."""
    valeurs = arguments(
        donnees,
        tuiles_url=tuiles_url,
        tuiles_attribution=tuiles_attribution,
        key=key,
        height=height,
    )
    cle_du_composant = valeurs["key"]

    def _garder() -> None:
        # Comme `st_folium` : la valeur du composant aussi sous la clé donnée par la page.
        st.session_state[key] = st.session_state.get(cle_du_composant, {})

    return streamlit_folium._component_func(**valeurs, on_change=_garder)
