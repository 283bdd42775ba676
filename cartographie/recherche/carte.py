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

import hashlib
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import folium
import xyzservices
from folium.elements import MacroElement
from folium.plugins import FastMarkerCluster
from folium.template import Template

from cartographie.config import RACINE
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
SCRIPT_CARTE = RACINE / "static" / "carte" / "recherche.js"
# La version dans l'adresse : un navigateur ne garde pas en cache le script d'une version passée.
_URL_SCRIPT_CARTE = (
    f"{PREFIXE_STATIQUE}/carte/recherche.js"
    f"?v={hashlib.sha256(SCRIPT_CARTE.read_bytes()).hexdigest()[:12]}"
)
_DEBUT_JINJA = re.compile(r"\{(?=[{%#])")


class CarteHorsLigne(folium.Map):
    """Une carte folium dont Leaflet, jQuery (popups) et notre dessin viennent de l'application.

    Le dessin (marqueurs, contours, légende) est un fichier statique, `static/carte/recherche.js` :
    branca recompile en gabarit Jinja tout le texte rendu de chaque élément, à chaque recherche ;
    5 Ko de JavaScript en moins à recompiler, c'est la moitié du temps de la carte.
    """

    default_js = [  # noqa: RUF012 -- remplace l'attribut de classe de folium
        ("leaflet", f"{_VENDOR}/leaflet/leaflet.js"),
        ("jquery", f"{_VENDOR}/jquery/jquery.min.js"),
        ("cartographie", _URL_SCRIPT_CARTE),
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


@dataclass(frozen=True, slots=True)
class DonneesCarte:
    """Ce qui change d'une recherche à l'autre, déjà écrit en JSON sûr pour un <script>.

    Tout le reste de la carte (Leaflet, fond, scripts) est le même à chaque recherche : la page
    le rend une fois par processus avec des jalons (`JALONS`) à la place de ces données, puis
    pose les données de chaque recherche dans ce gabarit (`remplir`).
    """

    types: str  # [libellé, couleur, sigle, couleur du sigle] par type présent
    communes: str  # noms des communes des résultats
    lignes: str  # une ligne compacte par acteur (voir GroupeMarqueurs)
    couche: str  # contours, territoire, point, rayon, légende et cadre (voir CoucheRecherche)


JALONS = DonneesCarte(*(f"/*carte:{champ}*/" for champ in DonneesCarte.__slots__))
"""Les données d'un gabarit : un commentaire JavaScript par champ, remplacé par `remplir`."""
_JALON = re.compile(r"/\*carte:(\w+)\*/")


def remplir(gabarit: str, donnees: DonneesCarte) -> str:
    """Le texte d'une carte rendue avec `JALONS`, chaque jalon remplacé par sa donnée.

    Un seul passage : une donnée qui contiendrait elle-même le texte d'un jalon (le nom d'une
    fiche, par exemple) n'est jamais relue.
    """
    return _JALON.sub(lambda jalon: getattr(donnees, jalon.group(1)), gabarit)


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
        var {{ this.get_name() }} = cartographie.marqueurs(
            {{ this._parent.get_name() }}, {{ this.donnees.types }}, {{ this.donnees.communes }},
            {{ this.donnees.lignes }}, {{ this.options|tojavascript }});
        {% endmacro %}"""
    )

    def __init__(self, donnees: DonneesCarte, **options: object) -> None:
        super().__init__([], name="Acteurs", **options)
        self.donnees = donnees


class CoucheRecherche(MacroElement):
    """Contours des communes (territoire choisi surligné), point de recherche, légende, cadre."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        cartographie.couche({{ this._parent.get_name() }}, {{ this.donnees.couche }});
        {% endmacro %}
        """
    )

    def __init__(self, donnees: DonneesCarte) -> None:
        super().__init__()
        self._name = "CoucheRecherche"
        self.donnees = donnees


def donnees_carte(
    resultats: Sequence[Resultat],
    *,
    point: PointRecherche | None = None,
    rayon_km: int | None = None,
    territoire: str = "",
) -> DonneesCarte:
    """Les données d'une recherche pour la carte : marqueurs, point, rayon, légende, cadre."""
    localises = [r for r in resultats if _localise(r.acteur)]
    types = list(dict.fromkeys(r.acteur.type for r in localises))
    communes = list(dict.fromkeys(r.acteur.commune for r in localises))
    rang_type = {t: i for i, t in enumerate(types)}
    rang_commune = {c: i for i, c in enumerate(communes)}
    legende = [
        [t.libelle, COULEURS_TYPE[t], SIGLES_TYPE[t], couleur_sigle(COULEURS_TYPE[t])]
        for t in types
    ]
    return DonneesCarte(
        types=json_pour_script(legende),
        communes=json_pour_script(communes),
        lignes=json_pour_script(
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
                for r in localises
            ]
        ),
        couche=json_pour_script(
            {
                "url_communes": URL_COUCHE_COMMUNES,
                "territoire": territoire,
                "point": None
                if point is None
                else {"lat": point.latitude, "lon": point.longitude, "libelle": point.libelle},
                "rayon_m": None if point is None or rayon_km is None else rayon_km * 1000,
                "legende": legende,
                "cadre": _cadre(localises, point, rayon_km),
            }
        ),
    )


def carte_folium(
    donnees: DonneesCarte, *, tuiles_url: str = "", tuiles_attribution: str = ""
) -> folium.Map:
    """La carte folium de ces données (ou de `JALONS`, pour un gabarit à remplir)."""
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
    GroupeMarqueurs(
        donnees, showCoverageOnHover=False, maxClusterRadius=40, disableClusteringAtZoom=13
    ).add_to(carte)
    # Le cadre (point et résultats proches) est posé par `cartographie.couche`.
    CoucheRecherche(donnees).add_to(carte)
    return carte


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
    donnees = donnees_carte(resultats, point=point, rayon_km=rayon_km, territoire=territoire)
    return carte_folium(donnees, tuiles_url=tuiles_url, tuiles_attribution=tuiles_attribution)


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
