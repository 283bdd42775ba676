// Accessibilité du cadre Streamlit (voir ui/accessibilite.py) : posé une fois par onglet.
// Streamlit 1.67 n'offre ni langue du document ni traduction de ses propres textes : ce script
// les corrige dans la page, et chaque ajout de Streamlit est repris au vol (MutationObserver).
(function () {
  if (window.__accessibilitePosee) { return; }
  window.__accessibilitePosee = true;
  var doc = document;

  // 1. Langue du document (index.html de Streamlit écrit lang="en" en dur).
  function langue() {
    if (doc.documentElement.getAttribute("lang") !== "fr") {
      doc.documentElement.setAttribute("lang", "fr");
    }
  }
  langue();
  new MutationObserver(langue).observe(doc.documentElement, {
    attributes: true, attributeFilter: ["lang"]
  });

  // 2. Textes de Streamlit en français : textes exacts, puis motifs.
  var TEXTES = __TEXTES__;
  var MOTIFS = __MOTIFS__.map(function (m) { return [new RegExp(m[0]), m[1]]; });
  var MOIS = __MOIS__;
  var MOIS_ANGLAIS = new RegExp("\\b(" + Object.keys(MOIS).join("|") + ")\\b", "g");
  var ATTRIBUTS = ["aria-label", "title", "placeholder", "aria-description", "aria-valuetext"];
  // Contenus de l'application (déjà en français, parfois saisis par une personne) : jamais
  // touchés, même s'ils valent « Open » ou « Close ».
  var CONTENUS = "[data-testid='stMarkdownContainer'],.stHtml,[data-testid='stText'],"
    + "[data-testid='stCode'],textarea,input,[data-testid='stDataFrame']";
  // Sauf ces boîtes de Streamlit, qui écrivent leur message en Markdown.
  var BOITES_STREAMLIT = "[role='dialog'],[data-testid='stFileUploaderDropzone'],"
    + "[data-testid='stFileUploaderFile']";

  function traduire(texte) {
    var t = texte.trim();
    if (!t) { return null; }
    if (Object.prototype.hasOwnProperty.call(TEXTES, t)) {
      return texte.replace(t, TEXTES[t]);
    }
    for (var i = 0; i < MOTIFS.length; i++) {
      if (MOTIFS[i][0].test(t)) {
        var francais = t.replace(MOTIFS[i][0], MOTIFS[i][1])
          .replace(MOIS_ANGLAIS, function (m) { return MOIS[m]; });
        return texte.replace(t, francais);
      }
    }
    return null;
  }
  function protege(element) {
    return element && element.closest && element.closest(CONTENUS)
      && !element.closest(BOITES_STREAMLIT);
  }
  function traduireAttributs(element) {
    for (var i = 0; i < ATTRIBUTS.length; i++) {
      var valeur = element.getAttribute(ATTRIBUTS[i]);
      if (valeur === null) { continue; }
      var traduit = traduire(valeur);
      if (traduit !== null && traduit !== valeur) { element.setAttribute(ATTRIBUTS[i], traduit); }
    }
  }
  function traduireTexte(noeud) {
    if (protege(noeud.parentElement)) { return; }
    var traduit = traduire(noeud.nodeValue);
    if (traduit !== null && traduit !== noeud.nodeValue) { noeud.nodeValue = traduit; }
  }
  function traduireSousArbre(racine) {
    if (racine.nodeType === 3) { traduireTexte(racine); return; }
    if (racine.nodeType !== 1) { return; }
    traduireAttributs(racine);
    var parcours = doc.createTreeWalker(racine, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    var noeud;
    while ((noeud = parcours.nextNode())) {
      if (noeud.nodeType === 3) { traduireTexte(noeud); } else { traduireAttributs(noeud); }
    }
  }

  // 3. Structure : liste des pages (sections de st.navigation : ul > div > header + li) et
  // nom du cadre de la carte.
  function corrigerStructure() {
    var listes = doc.querySelectorAll("ul[data-testid='stSidebarNavItems']");
    for (var i = 0; i < listes.length; i++) {
      var liste = listes[i];
      var sections = liste.querySelectorAll(":scope > div");
      if (!sections.length) { continue; }
      liste.setAttribute("role", "none");
      for (var j = 0; j < sections.length; j++) {
        var section = sections[j];
        section.setAttribute("role", "list");
        var titre = section.querySelector(":scope > header");
        if (titre) {
          titre.setAttribute("role", "none");
          var texte = (titre.textContent || "").replace(/expand_(more|less)/g, "").trim();
          if (texte) { section.setAttribute("aria-label", texte); }
        }
      }
    }
    // Tableau plus large que l'écran : sa zone de défilement doit s'atteindre au clavier.
    var defilements = doc.querySelectorAll("[data-testid='stTable'] > div");
    for (var t = 0; t < defilements.length; t++) {
      if (!defilements[t].hasAttribute("tabindex")) {
        defilements[t].setAttribute("tabindex", "0");
        defilements[t].setAttribute("role", "region");
        defilements[t].setAttribute("aria-label", "Tableau (défilement horizontal au clavier)");
      }
    }
    var cadres = doc.querySelectorAll("iframe[title='streamlit_folium.st_folium']");
    for (var k = 0; k < cadres.length; k++) {
      if (!cadres[k].hasAttribute("aria-label")) {
        cadres[k].setAttribute("aria-label",
          "Carte des résultats (mêmes informations que la liste des résultats)");
      }
    }
  }

  // 4. Lien d'évitement « Aller aux résultats », premier arrêt de la touche Tab, hors de
  // l'arbre de React (Streamlit ne l'efface pas en redessinant la page).
  var zone = doc.createElement("nav");
  zone.className = "liens-evitement";
  zone.setAttribute("aria-label", "Accès rapide");
  var versResultats = doc.createElement("a");
  versResultats.href = "#resultats";
  versResultats.id = "aller-aux-resultats";
  versResultats.textContent = "Aller aux résultats";
  zone.appendChild(versResultats);
  doc.body.insertBefore(zone, doc.body.firstChild);
  versResultats.addEventListener("click", function (evenement) {
    var cible = doc.getElementById("resultats");
    if (!cible) { return; }
    evenement.preventDefault();
    cible.setAttribute("tabindex", "-1");
    cible.focus({preventScroll: true});
    cible.scrollIntoView({block: "start"});
  });
  function montrerEvitement() {
    var present = Boolean(doc.getElementById("resultats"));
    if (versResultats.hidden === present) { versResultats.hidden = !present; }
  }

  // Une passe complète au départ, puis seulement ce qui change.
  traduireSousArbre(doc.body);
  corrigerStructure();
  montrerEvitement();
  var enAttente = false;
  new MutationObserver(function (changements) {
    for (var i = 0; i < changements.length; i++) {
      var c = changements[i];
      if (c.type === "childList") {
        for (var j = 0; j < c.addedNodes.length; j++) { traduireSousArbre(c.addedNodes[j]); }
      } else if (c.type === "characterData") {
        traduireTexte(c.target);
      } else if (c.type === "attributes" && c.target.nodeType === 1) {
        traduireAttributs(c.target);
      }
    }
    if (!enAttente) {
      enAttente = true;
      window.requestAnimationFrame(function () {
        enAttente = false;
        corrigerStructure();
        montrerEvitement();
      });
    }
  }).observe(doc.body, {
    childList: true, subtree: true, characterData: true,
    attributes: true, attributeFilter: ATTRIBUTS
  });
})();
