"""Ce que chaque page montre avant tout le reste : numéros d'urgence et sortie rapide.

Appelé par app.py avant `navigation.run()` : aucune page ni aucun filtre ne peut l'omettre.
"""

from __future__ import annotations

import html
from pathlib import Path

import streamlit as st

from cartographie import config
from cartographie.urgences import NUMEROS_URGENCE

FEUILLE_DE_STYLE = Path(__file__).with_name("style.css")

# `window.top.location.replace` remplace l'entrée de l'application dans l'historique : le bouton
# « Précédent » ne ramène pas sur la carte. Le gestionnaire est posé une seule fois par onglet
# (Streamlit réinsère ce bloc à chaque réexécution) et lit l'URL dans le lien au moment du clic.
_SCRIPT_SORTIE = """
<script>
(function () {
  if (window.__sortieRapidePosee) { return; }
  window.__sortieRapidePosee = true;
  function sortir() {
    var lien = document.getElementById("sortie-rapide");
    var cible = lien ? lien.getAttribute("href") : "about:blank";
    try { window.sessionStorage.clear(); } catch (e) {}
    try { document.title = ""; document.body.style.display = "none"; } catch (e) {}
    window.top.location.replace(cible);
  }
  document.addEventListener("click", function (evenement) {
    var cible = evenement.target;
    if (cible && cible.closest && cible.closest("#sortie-rapide")) {
      evenement.preventDefault();
      sortir();
    }
  }, true);
  var dernierEchap = 0;
  function surTouche(evenement) {
    if (evenement.key !== "Escape") { return; }
    var maintenant = Date.now();
    if (maintenant - dernierEchap < 1500) { sortir(); }
    dernierEchap = maintenant;
  }
  function ecouter(doc) {
    if (!doc || doc.__echapEcoute) { return; }
    doc.__echapEcoute = true;
    doc.addEventListener("keydown", surTouche, true);
  }
  // Les touches pressées dans un cadre (la carte est un iframe servi par l'application) ne
  // remontent pas jusqu'à la page : on écoute aussi chaque cadre de même origine, y compris
  // ceux qu'ajoute une réexécution, et à chaque rechargement de leur contenu.
  function ecouterLesCadres() {
    var cadres = document.getElementsByTagName("iframe");
    for (var i = 0; i < cadres.length; i++) {
      var cadre = cadres[i];
      try { ecouter(cadre.contentDocument); } catch (e) {}
      if (!cadre.__echapSuivi) {
        cadre.__echapSuivi = true;
        cadre.addEventListener("load", function (ev) {
          try { ecouter(ev.target.contentDocument); } catch (e) {}
        });
      }
    }
  }
  ecouter(document);
  ecouterLesCadres();
  new MutationObserver(ecouterLesCadres).observe(document.body, { childList: true, subtree: true });
})();
</script>
"""


def _bandeau(url_sortie: str) -> str:
    """Le bandeau ; sur un petit écran (voir ui/accessibilite.css), une rangée de pastilles
    d'appel, les précisions repliées sous « Qui répond ? »."""
    numeros = "".join(
        f'<li><a href="{html.escape(n.lien)}"><strong>{html.escape(n.numero)}</strong>'
        f' <span class="libelle-long">{html.escape(n.libelle)}</span>'
        f'<span class="libelle-court" aria-hidden="true">{html.escape(n.court)}</span></a>'
        f' <span class="precision">({html.escape(n.precision)})</span></li>'
        for n in NUMEROS_URGENCE
    )
    precisions = "".join(
        f"<li><strong>{html.escape(n.numero)}</strong> {html.escape(n.libelle)} :"
        f" {html.escape(n.precision)}</li>"
        for n in NUMEROS_URGENCE
    )
    return (
        '<div class="bandeau-urgence" role="region" aria-label="Numéros d\'urgence">'
        f'<a id="sortie-rapide" class="sortie-rapide" href="{html.escape(url_sortie)}"'
        ' rel="noreferrer" title="Ouvre un site neutre. Raccourci : Échap deux fois.">'
        "Quitter rapidement<small>Échap × 2</small></a>"
        '<p class="bandeau-titre">En cas d\'urgence, appelez :</p>'
        f'<ul class="numeros-urgence">{numeros}</ul>'
        '<details class="precisions-urgence"><summary>Qui répond ?</summary>'
        f"<ul>{precisions}</ul>"
        "<p>« Quitter rapidement » ouvre un site neutre à la place de cette page.</p></details>"
        '<p class="bandeau-aide">« Quitter rapidement » (ou la touche Échap pressée deux fois)'
        " ouvre un site neutre à la place de cette page.</p>"
        "</div>"
    )


def afficher_securite() -> None:
    """Bandeau des numéros d'urgence et bouton « Quitter rapidement », sur toutes les pages."""
    st.html(FEUILLE_DE_STYLE)
    st.html(
        _bandeau(config.lire("SORTIE_RAPIDE")) + _SCRIPT_SORTIE,
        unsafe_allow_javascript=True,
    )
