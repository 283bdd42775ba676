"""La carte folium des résultats, entièrement servie par l'application (aucun CDN).

Trois choix font tenir la carte à 10 000 acteurs et hors ligne :
- Leaflet, leaflet.markercluster et jQuery sont servis depuis `static/vendor/` (voir
  `scripts/vendoriser_assets.sh`) ; le seul hôte externe possible est celui des tuiles, réglable.
- Les marqueurs passent en lignes JSON compactes et sont dessinés par le navigateur
  (`L.circleMarker`, fiche construite au clic) ; un `folium.Marker` par acteur pèserait 10 fois
  plus et se construirait 50 fois plus lentement (voir bench/bench_recherche.py).
- Les contours des communes sont un fichier statique (`static/carte/communes.json`) que le
  navigateur garde en cache, au lieu de 400 Ko de polygones renvoyés à chaque interaction.

Tout texte venu d'une fiche passe en JSON et s'affiche par `textContent` : une balise dans un
nom ou des horaires reste du texte, jamais du code.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence

import folium
import xyzservices
from folium.elements import MacroElement
from folium.plugins import FastMarkerCluster
from folium.template import Template

from cartographie.modele import Acteur
from cartographie.recherche.filtres import PointRecherche, Resultat
from cartographie.recherche.presentation import COULEURS_TYPE, ligne_compacte
from cartographie.recherche.symboles import SIGLES_TYPE, couleur_sigle
from cartographie.zones import sans_lieu

CENTRE_ISERE = (45.26, 5.58)
LIMITES_ISERE = ((44.69, 4.74), (45.89, 6.36))
PREFIXE_STATIQUE = "/app/static"
URL_COUCHE_COMMUNES = f"{PREFIXE_STATIQUE}/carte/communes.json"
_VENDOR = f"{PREFIXE_STATIQUE}/vendor"
_DEBUT_JINJA = re.compile(r"\{(?=[{%#])")


class CarteHorsLigne(folium.Map):
    """Une carte folium dont Leaflet et jQuery (popups) viennent de l'application."""

    default_js = [  # noqa: RUF012 -- remplace l'attribut de classe de folium
        ("leaflet", f"{_VENDOR}/leaflet/leaflet.js"),
        ("jquery", f"{_VENDOR}/jquery/jquery.min.js"),
    ]
    default_css = [("leaflet_css", f"{_VENDOR}/leaflet/leaflet.css")]  # noqa: RUF012


def json_pour_script(valeur: object) -> str:
    """JSON sûr dans un <script> : `<`, `>`, `&`, `'` échappés, accents laissés tels quels.

    (`tojson` de Jinja écrit chaque « é » en `\\u00e9` : 6 octets au lieu de 2, sur 10 000 noms.)

    Les débuts de balise Jinja (`{{`, `{%`, `{#`) sont échappés aussi : branca relit comme un
    gabarit Jinja le texte déjà rendu de chaque élément, si bien qu'un nom de fiche
    « {{ … }} » serait exécuté sur le serveur. Hors des chaînes, JSON n'écrit jamais `{` suivi
    de `{`, `%` ou `#` : seul le texte des fiches est touché.
    """
    texte = json.dumps(valeur, ensure_ascii=False, separators=(",", ":"))
    for caractere, echappe in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("'", "\\u0027"),
    ):
        texte = texte.replace(caractere, echappe)
    texte = _DEBUT_JINJA.sub("\\\\u007b", texte)
    # Séparateurs de ligne Unicode : valides en JSON, mais pas dans un littéral JS ancien.
    return texte.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


class GroupeMarqueurs(FastMarkerCluster):
    """Marqueurs dessinés par le navigateur à partir de lignes JSON compactes.

    Une ligne par acteur : [lat, lon, n° de type, nom, n° de commune, téléphone, distance,
    ouverture · accès · langues] ;
    libellés et couleurs des types et noms des communes ne sont écrits qu'une fois. La fiche
    (popup) est construite en DOM, par textContent. leaflet.markercluster est servi localement.
    """

    default_js = [("markerclusterjs", f"{_VENDOR}/markercluster/leaflet.markercluster.js")]  # noqa: RUF012
    default_css = [  # noqa: RUF012
        ("markerclustercss", f"{_VENDOR}/markercluster/MarkerCluster.css"),
        ("markerclusterdefaultcss", f"{_VENDOR}/markercluster/MarkerCluster.Default.css"),
    ]
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var types = {{ this.types_js }};
            var communes = {{ this.communes_js }};
            var lignes = {{ this.lignes_js }};
            var groupe = L.markerClusterGroup({{ this.options|tojavascript }});
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
            groupe.addTo({{ this._parent.get_name() }});
            return groupe;
        })();
        {% endmacro %}"""
    )

    def __init__(self, resultats: Sequence[Resultat], **options: object) -> None:
        super().__init__([], name="Acteurs", **options)
        types = list(dict.fromkeys(r.acteur.type for r in resultats))
        communes = list(dict.fromkeys(r.acteur.commune for r in resultats))
        rang_type = {t: i for i, t in enumerate(types)}
        rang_commune = {c: i for i, c in enumerate(communes)}
        self.types_js = json_pour_script(
            [
                [t.libelle, COULEURS_TYPE[t], SIGLES_TYPE[t], couleur_sigle(COULEURS_TYPE[t])]
                for t in types
            ]
        )
        self.communes_js = json_pour_script(communes)
        self.lignes_js = json_pour_script(
            [
                [
                    round(r.acteur.latitude, 5),  # type: ignore[arg-type]
                    round(r.acteur.longitude, 5),  # type: ignore[arg-type]
                    rang_type[r.acteur.type],
                    r.acteur.nom,
                    rang_commune[r.acteur.commune],
                    r.acteur.telephone,
                    r.distance_km,
                    ligne_compacte(r.acteur),
                ]
                for r in resultats
            ]
        )


class CoucheRecherche(MacroElement):
    """Contours des communes (territoire choisi surligné), point de recherche et légende."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var carte = {{ this._parent.get_name() }};
            var d = {{ this.donnees_js }};
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
        })();
        {% endmacro %}
        """
    )

    def __init__(self, donnees: dict) -> None:
        super().__init__()
        self._name = "CoucheRecherche"
        self.donnees_js = json_pour_script(donnees)


def construire_carte(
    resultats: Sequence[Resultat],
    *,
    point: PointRecherche | None = None,
    rayon_km: int | None = None,
    territoire: str = "",
    tuiles_url: str = "",
    tuiles_attribution: str = "",
) -> folium.Map:
    """Carte des résultats : marqueurs colorés par type, communes, point et rayon de recherche."""
    # max_zoom explicite : sans fond de carte, leaflet.markercluster refuse de démarrer.
    carte = CarteHorsLigne(
        location=CENTRE_ISERE,
        zoom_start=9,
        tiles=None,
        control_scale=False,  # posée par CoucheRecherche, en kilomètres seulement
        prefer_canvas=True,
    )
    carte.options.update(minZoom=7, maxZoom=18, zoomSnap=0.25)
    if tuiles_url:
        # Un fournisseur déjà décrit : une adresse en texte ferait chercher son nom parmi le
        # millier de fournisseurs de xyzservices, à chaque recherche (7 % de la page).
        fond = xyzservices.TileProvider(
            name="Fond de carte", url=tuiles_url, attribution=tuiles_attribution or "Fond de carte"
        )
        folium.TileLayer(tiles=fond, attr=fond.attribution, name=fond.name).add_to(carte)
    localises = [r for r in resultats if _localise(r.acteur)]
    GroupeMarqueurs(
        localises,
        showCoverageOnHover=False,
        maxClusterRadius=40,
        disableClusteringAtZoom=13,
    ).add_to(carte)
    types_presents = dict.fromkeys(r.acteur.type for r in localises)
    cadre = _cadre(localises, point, rayon_km)
    CoucheRecherche(
        {
            "url_communes": URL_COUCHE_COMMUNES,
            "territoire": territoire,
            "point": None
            if point is None
            else {"lat": point.latitude, "lon": point.longitude, "libelle": point.libelle},
            "rayon_m": None if point is None or rayon_km is None else rayon_km * 1000,
            "legende": [
                [t.libelle, COULEURS_TYPE[t], SIGLES_TYPE[t], couleur_sigle(COULEURS_TYPE[t])]
                for t in types_presents
            ],
            "cadre": cadre,
        }
    ).add_to(carte)
    carte.fit_bounds(cadre)
    return carte


def _localise(acteur: Acteur) -> bool:
    """Un point sur la carte : une position, et un lieu (pas un service de zone sans lieu)."""
    return acteur.latitude is not None and acteur.longitude is not None and not sans_lieu(acteur)


def _cadre(
    resultats: Sequence[Resultat], point: PointRecherche | None, rayon_km: int | None = None
) -> list[tuple[float, float]]:
    """Le cadre qui montre le point et les résultats proches (le cercle du rayon s'il y en a un,
    tout l'Isère sans point)."""
    if point is None:
        return [LIMITES_ISERE[0], LIMITES_ISERE[1]]
    if rayon_km is not None:
        dlat = rayon_km / 111.2
        dlon = rayon_km / (111.2 * math.cos(math.radians(point.latitude)))
        return [
            (point.latitude - dlat, point.longitude - dlon),
            (point.latitude + dlat, point.longitude + dlon),
        ]
    lats = [point.latitude] + [r.acteur.latitude for r in resultats[:10]]  # type: ignore[misc]
    lons = [point.longitude] + [r.acteur.longitude for r in resultats[:10]]  # type: ignore[misc]
    marge = 0.02
    return [(min(lats) - marge, min(lons) - marge), (max(lats) + marge, max(lons) + marge)]
