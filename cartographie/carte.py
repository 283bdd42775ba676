"""La carte folium des résultats, entièrement servie par l'application (aucun CDN).

Trois choix font tenir la carte à 10 000 acteurs et hors ligne :
- Leaflet, leaflet.markercluster et jQuery sont servis depuis `static/vendor/` (voir
  `scripts/vendoriser_assets.sh`) ; le seul hôte externe possible est celui des tuiles, réglable.
- Les marqueurs passent en données JSON à `FastMarkerCluster` et sont dessinés par le
  navigateur (`L.circleMarker`) ; une fiche folium par marqueur pèserait 20 fois plus.
- Les contours des communes sont un fichier statique (`static/carte/communes.json`) que le
  navigateur garde en cache, au lieu de 400 Ko de polygones renvoyés à chaque interaction.

Tout texte venu d'une fiche passe en JSON et s'affiche par `textContent` : une balise dans un
nom ou des horaires reste du texte, jamais du code.
"""

from __future__ import annotations

from collections.abc import Sequence

import folium
from folium.elements import MacroElement
from folium.plugins import FastMarkerCluster
from folium.template import Template

from cartographie.modele import Acteur, TypeActeur
from cartographie.recherche import PointRecherche, Resultat

CENTRE_ISERE = (45.26, 5.58)
LIMITES_ISERE = ((44.69, 4.74), (45.89, 6.36))
PREFIXE_STATIQUE = "/app/static"
URL_COUCHE_COMMUNES = f"{PREFIXE_STATIQUE}/carte/communes.json"
_VENDOR = f"{PREFIXE_STATIQUE}/vendor"

# Couleurs de la palette illustrative du DSFR ; le type est aussi écrit en toutes lettres dans
# la liste, la légende et chaque fiche : la couleur n'est jamais la seule information.
COULEURS_TYPE: dict[TypeActeur, str] = {
    TypeActeur.ACCUEIL_DE_JOUR: "#000091",
    TypeActeur.LEAO: "#6a6af4",
    TypeActeur.HEBERGEMENT: "#e1000f",
    TypeActeur.ERPE: "#a558a0",
    TypeActeur.ISCG: "#009081",
    TypeActeur.AIDE_VICTIMES: "#c3992a",
    TypeActeur.ACCES_DROIT: "#18753c",
    TypeActeur.AUTEURS: "#716043",
    TypeActeur.SANTE: "#ce614a",
    TypeActeur.PLANNING_FAMILIAL: "#e18b76",
    TypeActeur.FORCES_ORDRE: "#3a3a3a",
    TypeActeur.JUSTICE: "#7d4e5b",
    TypeActeur.INSTITUTION: "#929292",
    TypeActeur.PROSTITUTION: "#6e445a",
    TypeActeur.LOGEMENT_INSERTION: "#b34000",
    TypeActeur.ACTION_SOCIALE: "#417dc4",
    TypeActeur.EDUCATION: "#66673d",
}


class CarteHorsLigne(folium.Map):
    """Une carte folium dont Leaflet et jQuery (popups) viennent de l'application."""

    default_js = [  # noqa: RUF012 -- remplace l'attribut de classe de folium
        ("leaflet", f"{_VENDOR}/leaflet/leaflet.js"),
        ("jquery", f"{_VENDOR}/jquery/jquery.min.js"),
    ]
    default_css = [("leaflet_css", f"{_VENDOR}/leaflet/leaflet.css")]  # noqa: RUF012


class GroupeMarqueurs(FastMarkerCluster):
    """`FastMarkerCluster` avec leaflet.markercluster servi par l'application."""

    default_js = [("markerclusterjs", f"{_VENDOR}/markercluster/leaflet.markercluster.js")]  # noqa: RUF012
    default_css = [  # noqa: RUF012
        ("markerclustercss", f"{_VENDOR}/markercluster/MarkerCluster.css"),
        ("markerclusterdefaultcss", f"{_VENDOR}/markercluster/MarkerCluster.Default.css"),
    ]


# Une ligne de données par acteur : [lat, lon, couleur, nom, type, structure, commune,
# téléphone, distance, adresse]. La fiche (popup) est construite en DOM, par textContent.
_DESSIN_MARQUEUR = """function (ligne) {
    var marqueur = L.circleMarker(new L.LatLng(ligne[0], ligne[1]), {
        radius: 8, color: "#ffffff", weight: 2, fillColor: ligne[2], fillOpacity: 0.95
    });
    var fiche = document.createElement("div");
    function ajouter(balise, texte) {
        if (!texte) { return null; }
        var element = document.createElement(balise);
        element.textContent = texte;
        fiche.appendChild(element);
        return element;
    }
    ajouter("strong", ligne[3]);
    ajouter("div", ligne[4]);
    ajouter("div", ligne[5]);
    ajouter("div", ligne[9]);
    ajouter("div", ligne[6] + (ligne[8] === null ? "" : " — " + ligne[8] + " km"));
    if (ligne[7]) {
        var lien = document.createElement("a");
        lien.href = "tel:" + ligne[7].replace(/[^0-9+]/g, "");
        lien.textContent = "☎ " + ligne[7];
        fiche.appendChild(lien);
    }
    marqueur.bindPopup(fiche);
    return marqueur;
}"""


class CoucheRecherche(MacroElement):
    """Contours des communes (territoire choisi surligné), point de recherche et légende."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var carte = {{ this._parent.get_name() }};
            var d = {{ this.donnees|tojson }};
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
            }).catch(function () {});
            if (d.point) {
                if (d.rayon_m) {
                    L.circle([d.point.lat, d.point.lon], {
                        radius: d.rayon_m, color: "#000091", weight: 1.5, dashArray: "6 4",
                        fill: false, interactive: false
                    }).addTo(carte);
                }
                L.circleMarker([d.point.lat, d.point.lon], {
                    radius: 9, color: "#161616", weight: 3, fillColor: "#ffffff", fillOpacity: 1
                }).bindPopup(texte("div", d.point.libelle)).addTo(carte);
            }
            var legende = L.control({position: "bottomright"});
            legende.onAdd = function () {
                var boite = L.DomUtil.create("div", "legende-carte");
                boite.setAttribute("style", "background:#fff;padding:6px 8px;font:12px/1.4 sans-serif;"
                    + "border:1px solid #929292;border-radius:4px;max-width:240px;");
                boite.appendChild(texte("strong", "Légende"));
                d.legende.forEach(function (entree) {
                    var ligne = document.createElement("div");
                    var pastille = document.createElement("span");
                    pastille.setAttribute("style", "display:inline-block;width:10px;height:10px;"
                        + "border-radius:50%;margin-right:5px;border:1px solid #161616;background:"
                        + entree[1]);
                    ligne.appendChild(pastille);
                    ligne.appendChild(document.createTextNode(entree[0]));
                    boite.appendChild(ligne);
                });
                return boite;
            };
            legende.addTo(carte);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, donnees: dict) -> None:
        super().__init__()
        self._name = "CoucheRecherche"
        self.donnees = donnees


def ligne_marqueur(resultat: Resultat) -> list:
    """Les données d'un marqueur ; l'acteur est déjà dans sa version publique."""
    a = resultat.acteur
    adresse = "Adresse confidentielle" if a.adresse_confidentielle else a.adresse
    return [
        a.latitude,
        a.longitude,
        COULEURS_TYPE[a.type],
        a.nom,
        a.type.libelle,
        a.structure,
        a.commune,
        a.telephone,
        resultat.distance_km,
        adresse,
    ]


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
        control_scale=True,
        prefer_canvas=True,
    )
    carte.options.update(minZoom=7, maxZoom=18)
    if tuiles_url:
        folium.TileLayer(
            tiles=tuiles_url, attr=tuiles_attribution or "Fond de carte", name="Fond de carte"
        ).add_to(carte)
    localises = [r for r in resultats if _localise(r.acteur)]
    GroupeMarqueurs(
        [ligne_marqueur(r) for r in localises],
        callback=_DESSIN_MARQUEUR,
        name="Acteurs",
        showCoverageOnHover=False,
        maxClusterRadius=40,
        disableClusteringAtZoom=13,
    ).add_to(carte)
    types_presents = dict.fromkeys(r.acteur.type for r in localises)
    CoucheRecherche(
        {
            "url_communes": URL_COUCHE_COMMUNES,
            "territoire": territoire,
            "point": None
            if point is None
            else {"lat": point.latitude, "lon": point.longitude, "libelle": point.libelle},
            "rayon_m": None if point is None or rayon_km is None else rayon_km * 1000,
            "legende": [[t.libelle, COULEURS_TYPE[t]] for t in types_presents],
        }
    ).add_to(carte)
    carte.fit_bounds(_cadre(localises, point))
    return carte


def _localise(acteur: Acteur) -> bool:
    return acteur.latitude is not None and acteur.longitude is not None


def _cadre(
    resultats: Sequence[Resultat], point: PointRecherche | None
) -> list[tuple[float, float]]:
    """Le cadre qui montre le point et les résultats proches (tout l'Isère sans point)."""
    if point is None:
        return [LIMITES_ISERE[0], LIMITES_ISERE[1]]
    lats = [point.latitude] + [r.acteur.latitude for r in resultats[:10]]  # type: ignore[misc]
    lons = [point.longitude] + [r.acteur.longitude for r in resultats[:10]]  # type: ignore[misc]
    marge = 0.02
    return [(min(lats) - marge, min(lons) - marge), (max(lats) + marge, max(lons) + marge)]
