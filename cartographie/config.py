"""Les réglages de l'application : une seule liste, chacun avec sa valeur par défaut et son aide.

Chaque réglage se lit dans une variable d'environnement `CARTOGRAPHIE_<NOM>` ; une variable
inconnue qui commence par ce préfixe est refusée, pour qu'une faute de frappe ne passe pas
inaperçue.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
DOSSIER_DONNEES = RACINE / "data"
PREFIXE = "CARTOGRAPHIE_"


@dataclass(frozen=True, slots=True)
class Reglage:
    """Un réglage documenté."""

    nom: str
    defaut: str
    aide: str


REGLAGES: tuple[Reglage, ...] = (
    Reglage(
        "BASE",
        str(RACINE / "var" / "cartographie.duckdb"),
        "Fichier DuckDB de l'application, ou URL postgresql://utilisateur@hôte:port/base d'un"
        " serveur PostgreSQL (plusieurs processus, commandes pendant que l'application tourne).",
    ),
    Reglage(
        "ACTEURS_CSV", str(DOSSIER_DONNEES / "acteurs.csv"), "Acteurs chargés au 1er lancement."
    ),
    Reglage(
        "COMMUNES_GEOJSON",
        str(DOSSIER_DONNEES / "isere_communes.geojson"),
        "Référentiel des 512 communes de l'Isère (COG 2026).",
    ),
    Reglage(
        "SORTIE_RAPIDE",
        "https://www.google.fr/",
        "Site neutre ouvert par « Quitter rapidement » (remplace la page dans l'historique).",
    ),
    Reglage(
        "ADRESSE_PUBLIQUE",
        "",
        "Adresse publique de l'application (https://…), celle du code QR de la fiche à remettre ;"
        " vide = l'adresse vue par le navigateur de la professionnelle.",
    ),
    Reglage(
        "TUILES_URL",
        "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
        "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM"
        "&FORMAT=image/png&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}",
        "Fond de carte (modèle d'URL Leaflet, Plan IGN par défaut) ; vide = sans fond de carte.",
    ),
    Reglage(
        "TUILES_ATTRIBUTION",
        "© IGN — Plan IGN",
        "Mention de la source du fond de carte, affichée sur la carte.",
    ),
    Reglage(
        "MARQUE_ETAT",
        "",
        "Service de l'État qui publie l'application (ex. « Préfecture de l'Isère ») : affiche le"
        " bloc-marque « République française » et la police Marianne du DSFR, dont l'usage est"
        " réservé aux services de l'État. Vide = sans marque de l'État.",
    ),
    Reglage(
        "CONTACT_ACCESSIBILITE",
        "",
        "Adresse électronique (ou page web) où signaler un problème d'accessibilité, citée par"
        " la page « Accessibilité ».",
    ),
    Reglage(
        "CONSULTATIONS_CONSERVATION_MOIS",
        "13",
        "Mois de conservation des consultations brutes, ensuite agrégées par jour.",
    ),
    Reglage(
        "PAGES_SIMULTANEES",
        "2",
        "Pages calculées en même temps par processus ; les suivantes attendent leur tour dans"
        " l'ordre d'arrivée (le bandeau des numéros d'urgence, lui, s'affiche sans attendre).",
    ),
    Reglage("CONSULTATIONS_LOT", "200", "Événements de consultation écrits par lot."),
    Reglage("CONSULTATIONS_DELAI_S", "2", "Secondes au plus avant l'écriture d'un lot incomplet."),
    Reglage(
        "GEOCODAGE_EN_LIGNE",
        "non",
        "« oui » : géocoder les adresses avec la Base Adresse Nationale (sinon centre de la commune).",
    ),
    Reglage(
        "BAN_URL",
        "https://api-adresse.data.gouv.fr/search/",
        "Adresse du service de recherche de la BAN (ou d'une instance addok de l'intranet).",
    ),
    Reglage("BAN_DELAI", "3", "Délai maximal d'une réponse de la BAN, en secondes."),
    Reglage(
        "BAN_SCORE_MIN",
        "0.6",
        "Score minimal (0 à 1) pour accepter une adresse trouvée par la BAN.",
    ),
    Reglage("IMPORT_TAILLE_MAX_MO", "20", "Taille maximale d'un fichier importé, en Mo."),
    Reglage("IMPORT_LIGNES_MAX", "50000", "Nombre maximal de lignes d'un fichier importé."),
    Reglage(
        "IMPORT_TAILLE_DEPLIEE_MAX_MO",
        "200",
        "Taille maximale d'un classeur .xlsx une fois décompressé, en Mo (un zip de 100 Ko peut"
        " en cacher des centaines).",
    ),
    Reglage(
        "IMPORT_DELAI_LECTURE_S",
        "60",
        "Durée maximale de lecture d'un fichier importé, en secondes ; au-delà, il est refusé.",
    ),
    Reglage(
        "SAUVEGARDES",
        "",
        "Dossier des copies de la base (avant import, commande sauvegarder) ; vide : sauvegardes/"
        " à côté du fichier DuckDB, ou var/sauvegardes/ du projet avec PostgreSQL.",
    ),
    Reglage("SAUVEGARDES_CONSERVEES", "20", "Copies de la base prises avant import qu'on garde."),
    Reglage("SIGNALEMENTS_PAR_SESSION", "3", "Signalements d'erreur par navigateur et par heure."),
    Reglage(
        "SIGNALEMENTS_PAR_ACTEUR",
        "10",
        "Signalements d'erreur par fiche et par heure mis dans la file « À traiter » ; au-delà,"
        " ils sont enregistrés mais groupés, à examiner en bloc.",
    ),
    Reglage(
        "SIGNALEMENTS_GROUPES_PAR_HEURE",
        "200",
        "Signalements groupés par heure, toutes fiches confondues ; au-delà (un déluge), l'envoi"
        " est refusé pour que la base ne grossisse pas sans fin.",
    ),
    Reglage(
        "FRAICHEUR_MOIS",
        "12",
        "Une fiche non vérifiée depuis ce nombre de mois est signalée « à vérifier ».",
    ),
    Reglage(
        "SESSION_MINUTES",
        "30",
        "Durée d'inactivité (minutes) après laquelle un compte DDFE est déconnecté.",
    ),
    Reglage(
        "AUTHENTIFICATION",
        "locale",
        "« locale » (comptes en base, par défaut) ou « oidc » (st.login, fournisseur déclaré"
        " dans .streamlit/secrets.toml ; le rôle reste celui du compte local de même courriel).",
    ),
    Reglage(
        "OIDC_DUREE_HEURES",
        "12",
        "Avec l'authentification de l'État : heures après lesquelles l'agent doit repasser par"
        " le fournisseur d'identité (le témoin de Streamlit, lui, dure 30 jours).",
    ),
)

_OUI = frozenset({"oui", "o", "vrai", "true", "1", "yes"})
_NON = frozenset({"non", "n", "faux", "false", "0", "no", ""})

_PAR_NOM = {r.nom: r for r in REGLAGES}


def lire(nom: str, environ: Mapping[str, str] | None = None) -> str:
    """Valeur d'un réglage : variable d'environnement si posée, sinon la valeur par défaut."""
    environ = os.environ if environ is None else environ
    verifier(environ)
    reglage = _PAR_NOM[nom]
    return environ.get(PREFIXE + nom, reglage.defaut)


def lire_chemin(nom: str, environ: Mapping[str, str] | None = None) -> Path:
    """Un réglage qui désigne un fichier."""
    return Path(lire(nom, environ))


def lire_base(environ: Mapping[str, str] | None = None) -> str:
    """`CARTOGRAPHIE_BASE` telle quelle : un chemin DuckDB ou une URL `postgresql://…`.

    Jamais un `Path` : il ramènerait le « // » de l'URL à « / ».
    """
    return lire("BASE", environ)


def lire_entier(nom: str, environ: Mapping[str, str] | None = None) -> int:
    """Un réglage entier strictement positif ; une valeur illisible est refusée clairement."""
    valeur = lire(nom, environ)
    try:
        entier = int(valeur)
    except ValueError:
        entier = 0
    if entier < 1:
        raise ValueError(f"{PREFIXE}{nom} = « {valeur} » : nombre entier positif attendu.")
    return entier


def lire_reel(nom: str, environ: Mapping[str, str] | None = None) -> float:
    """Un réglage numérique positif (décimales admises, point ou virgule)."""
    valeur = lire(nom, environ)
    try:
        reel = float(valeur.replace(",", "."))
    except ValueError:
        reel = -1.0
    if not reel >= 0:  # refuse aussi NaN
        raise ValueError(f"{PREFIXE}{nom} = « {valeur} » : nombre positif attendu (ex. 0.6).")
    return reel


def lire_booleen(nom: str, environ: Mapping[str, str] | None = None) -> bool:
    """Un réglage oui/non."""
    valeur = lire(nom, environ)
    if valeur.strip().lower() in _OUI:
        return True
    if valeur.strip().lower() in _NON:
        return False
    raise ValueError(f"{PREFIXE}{nom} = « {valeur} » : « oui » ou « non » attendu.")


def verifier(environ: Mapping[str, str]) -> None:
    """Refuse les variables `CARTOGRAPHIE_*` inconnues."""
    inconnues = sorted(
        cle for cle in environ if cle.startswith(PREFIXE) and cle[len(PREFIXE) :] not in _PAR_NOM
    )
    if inconnues:
        admis = ", ".join(PREFIXE + r.nom for r in REGLAGES)
        raise ValueError(f"Réglage inconnu : {', '.join(inconnues)}. Réglages admis : {admis}.")
