// Le dessin de la carte des résultats (cartographie/recherche/carte.py), servi par
// l'application et gardé en cache par le navigateur : à chaque recherche, la page n'envoie plus
// que les données. Tout texte venu d'une fiche est posé par textContent, jamais comme du HTML.
window.cartographie = (function () {
    "use strict";

    // Marqueurs d'après des lignes JSON compactes (voir GroupeMarqueurs) ; rend le groupe.
    function marqueurs(carte, types, communes, lignes, options) {
        var groupe = L.markerClusterGroup(options);
        function ajouter(fiche, balise, texte) {
            if (!texte) { return; }
            var element = document.createElement(balise);
            element.textContent = texte;
            fiche.appendChild(element);
        }
        // Un marqueur par type : pastille de sa couleur, son sigle écrit dedans (la
        // couleur n'est pas la seule différence). Hors de l'ordre de tabulation : la liste
        // des résultats donne les mêmes informations au clavier.
        var icones = types.map(function (type) {
            var pastille = document.createElement("span");
            pastille.className = "marqueur-type";
            pastille.textContent = type[2];
            pastille.setAttribute("style", "display:flex;align-items:center;"
                + "justify-content:center;width:22px;height:22px;border-radius:50%;"
                + "border:2px solid #ffffff;box-shadow:0 0 0 1px #161616;"
                + "font:700 11px/1 sans-serif;background:" + type[1] + ";color:" + type[3]);
            return L.divIcon({html: pastille, className: "", iconSize: [26, 26]});
        });
        function dessiner(ligne) {
            var type = types[ligne[2]];
            var marqueur = L.marker([ligne[0], ligne[1]], {
                icon: icones[ligne[2]], keyboard: false
            });
            marqueur.bindPopup(function () {
                var fiche = document.createElement("div");
                ajouter(fiche, "strong", ligne[3]);
                ajouter(fiche, "div", type[0]);
                ajouter(fiche, "div", communes[ligne[4]]
                    + (ligne[6] === null ? "" : " — " + String(ligne[6]).replace(".", ",") + " km"));
                ajouter(fiche, "div", ligne[7]);
                if (ligne[5]) {
                    var lien = document.createElement("a");
                    lien.href = "tel:" + ligne[5].replace(/[^0-9+]/g, "");
                    lien.textContent = "Appeler le " + ligne[5];
                    fiche.appendChild(lien);
                }
                return fiche;
            });
            return marqueur;
        }
        for (var i = 0; i < lignes.length; i++) { groupe.addLayer(dessiner(lignes[i])); }
        groupe.addTo(carte);
        return groupe;
    }

    // Contours des communes, point et rayon de recherche, légende, textes en français.
    function couche(carte, d) {
        // Le point et les résultats proches (tout l'Isère sans point), dès le premier dessin.
        carte.fitBounds(d.cadre);
        function texte(balise, contenu) {
            var element = document.createElement(balise);
            element.textContent = contenu;
            return element;
        }
        fetch(d.url_communes).then(function (r) { return r.json(); }).then(function (geo) {
            var couche = L.geoJSON(geo, {
                interactive: false,
                style: function (f) {
                    var choisi = d.territoire && f.properties.territoire === d.territoire;
                    return choisi
                        ? {color: "#000091", weight: 2.5, fillColor: "#000091", fillOpacity: 0.08}
                        : {color: "#000091", weight: 0.5, opacity: 0.5, fillOpacity: 0.02};
                }
            }).addTo(carte);
            couche.bringToBack();
            carte.coucheCommunes = couche;  // pour les tests navigateur
        }).catch(function () {});
        if (d.point) {
            if (d.rayon_m) {
                L.circle([d.point.lat, d.point.lon], {
                    radius: d.rayon_m, color: "#000091", weight: 1.5, dashArray: "6 4",
                    fill: false, interactive: false
                }).addTo(carte);
            }
            // Un anneau plus large que les marqueurs : un acteur au centre de la commune
            // cherchée reste visible dedans.
            L.circleMarker([d.point.lat, d.point.lon], {
                radius: 17, color: "#161616", weight: 3, fill: false
            }).bindPopup(texte("div", d.point.libelle)).addTo(carte);
        }
        var legende = L.control({position: "bottomright"});
        legende.onAdd = function () {
            // Repliable (details/summary, utilisable au clavier) : ouverte s'il y a peu de types.
            var boite = L.DomUtil.create("details", "legende-carte");
            boite.setAttribute("style", "background:#fff;padding:4px 8px;font:12px/1.4 sans-serif;"
                + "border:1px solid #929292;border-radius:4px;max-width:250px;"
                + "max-height:240px;overflow:auto;");
            if (d.legende.length <= 4) { boite.setAttribute("open", ""); }
            var titre = texte("summary", "Légende (" + d.legende.length + " types)");
            titre.setAttribute("style", "font-weight:bold;cursor:pointer;");
            boite.appendChild(titre);
            d.legende.forEach(function (entree) {
                var ligne = document.createElement("div");
                var pastille = document.createElement("span");
                pastille.textContent = entree[2];
                pastille.setAttribute("style", "display:inline-flex;align-items:center;"
                    + "justify-content:center;min-width:16px;height:16px;padding:0 2px;"
                    + "border-radius:8px;margin-right:5px;border:1px solid #161616;"
                    + "font:700 9px/1 sans-serif;background:" + entree[1] + ";color:"
                    + entree[3]);
                ligne.appendChild(pastille);
                ligne.appendChild(document.createTextNode(entree[0]));
                boite.appendChild(ligne);
            });
            L.DomEvent.disableClickPropagation(boite);
            return boite;
        };
        legende.addTo(carte);
        // Textes de Leaflet en français (titres et noms lus par les lecteurs d'écran),
        // échelle en kilomètres seulement.
        if (carte.zoomControl) {
            carte.zoomControl.remove();
            L.control.zoom({zoomInTitle: "Zoomer", zoomOutTitle: "Dézoomer"}).addTo(carte);
        }
        L.control.scale({imperial: false}).addTo(carte);
        if (carte.attributionControl) { carte.attributionControl.setPrefix("Leaflet"); }
        carte.on("popupopen", function (e) {
            var fermer = e.popup && e.popup._closeButton;
            if (fermer) {
                fermer.setAttribute("aria-label", "Fermer la fiche");
                fermer.setAttribute("title", "Fermer la fiche");
            }
        });
        // Le cadre de la carte change de taille après le premier dessin (colonne Streamlit) :
        // on recadre pour que le point et les résultats proches restent visibles.
        function recadrer() { carte.invalidateSize(); carte.fitBounds(d.cadre); }
        setTimeout(recadrer, 250);
        window.addEventListener("resize", recadrer);
    }

    return {marqueurs: marqueurs, couche: couche};
})();
