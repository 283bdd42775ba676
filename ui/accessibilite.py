"""Ce que Streamlit ne permet pas de régler : langue du document, ses propres textes en français,
lien d'évitement, structure de la liste des pages, présentation sur petit écran.

Streamlit 1.67 écrit `<html lang="en">` en dur et n'a aucun mécanisme de traduction de son
interface (demandes ouvertes streamlit#1353 et #15726). Contournement documenté : un script
posé une fois par onglet (`accessibilite.js`) met `lang="fr"`, remplace les textes et noms
accessibles anglais connus (`TEXTES`, `MOTIFS`) et surveille la page (MutationObserver) pour
reprendre ce que Streamlit ajoute ensuite. Les contenus de l'application (Markdown, HTML des
fiches, champs) ne sont jamais touchés. Un texte anglais nouveau après une mise à jour de
Streamlit se corrige en l'ajoutant à `TEXTES` ; `tests/test_accessibilite.py` parcourt les
pages à la recherche de ceux qui restent.
"""

from __future__ import annotations

import functools
import html
import json
import re
from pathlib import Path

import streamlit as st

from cartographie import config

FEUILLE = Path(__file__).with_name("accessibilite.css")
SCRIPT = Path(__file__).with_name("accessibilite.js")
POLICES_DSFR = "/app/static/vendor/dsfr"
RACINE_STATIQUE = Path(__file__).resolve().parents[1] / "static"

# Textes exacts (texte affiché, aria-label, title, placeholder) → français.
TEXTES: dict[str, str] = {
    # Cadre de l'application
    "Skip to main content": "Aller au contenu",
    "App pages": "Pages de l'application",
    "Main menu": "Menu principal",
    "Expand sidebar": "Ouvrir le menu",
    "Collapse sidebar": "Fermer le menu",
    "Close sidebar": "Fermer le menu",
    "Open sidebar": "Ouvrir le menu",
    "View more": "Voir plus",
    "View less": "Voir moins",
    "Link to heading": "Lien vers ce titre",
    "Running...": "Chargement…",
    "Stop": "Arrêter",
    "Rerun": "Relancer",
    "Connecting": "Connexion…",
    "Please wait...": "Patientez…",
    "Close": "Fermer",
    "Page not found": "Page introuvable",
    "The page that you have requested does not seem to exist. Running the app's main page.": (
        "La page demandée n'existe pas : voici la page d'accueil."
    ),
    "Print": "Imprimer",
    "Settings": "Réglages",
    "About": "À propos",
    "Clear cache": "Vider le cache",
    "Record a screencast": "Enregistrer l'écran",
    # Champs et listes
    "Press Enter to apply": "Entrée pour valider",
    "Press Enter to submit form": "Entrée pour envoyer",
    "Press ⌘+Enter to apply": "⌘+Entrée pour valider",
    "Press Ctrl+Enter to apply": "Ctrl+Entrée pour valider",
    "Open": "Ouvrir la liste",
    "Clear value": "Effacer",
    "Clear all": "Tout effacer",
    "Choose an option": "Choisir une option",
    "Choose options": "Choisir des options",
    "Select...": "Choisir…",
    "No results": "Aucun résultat",
    "Delete": "Supprimer",
    "Remove": "Retirer",
    "Show password text": "Afficher le mot de passe",
    "Hide password text": "Masquer le mot de passe",
    "Increment": "Augmenter",
    "Decrement": "Diminuer",
    "Choose date": "Choisir une date",
    "Choose date range": "Choisir une période",
    # Dépôt de fichier
    "Drag and drop file here": "Glissez-déposez le fichier ici",
    "Drag and drop files here": "Glissez-déposez les fichiers ici",
    "Browse files": "Parcourir",
    "Upload": "Choisir un fichier",
    "file upload": "Choisir un fichier",
    "Remove file": "Retirer le fichier",
    "File is too large": "Fichier trop lourd",
    "File size is too small.": "Fichier trop petit.",
    "Only one file is allowed.": "Un seul fichier à la fois.",
    "File type not allowed.": "Type de fichier non accepté.",
    # Tableaux et graphiques
    "Download as CSV": "Télécharger en CSV",
    "Search": "Rechercher",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Copy to clipboard": "Copier",
}

# Motifs (expressions régulières JavaScript, ancrées) → remplacement ($1… = groupes).
MOTIFS: list[tuple[str, str]] = [
    (r"^Help for (.+)$", "Aide : $1"),
    (r"^(\d+(?:\.\d+)?)\s?MB per file$", "$1 Mo par fichier"),
    (r"^(\d+(?:\.\d+)?)\s?KB per file$", "$1 Ko par fichier"),
    (r"^(\d+(?:\.\d+)?)\s?GB per file$", "$1 Go par fichier"),
    (r"^File must be (\d+(?:\.\d+)?)\s?MB or smaller\.$", "Fichier trop lourd : $1 Mo au plus."),
    (r"^(.+) files are not allowed\.$", "Fichiers $1 non acceptés."),
    (r"^Drag and drop (.+) here$", "Glissez-déposez ici"),
    (r"^Limit (\d+(?:\.\d+)?)\s?MB per file(.*)$", "Limite : $1 Mo par fichier$2"),
    (r"^Limit (\d+(?:\.\d+)?)\s?KB per file(.*)$", "Limite : $1 Ko par fichier$2"),
    (r"^Limit (\d+(?:\.\d+)?)\s?GB per file(.*)$", "Limite : $1 Go par fichier$2"),
    (
        r"^You have requested page (.*), but no corresponding file was found in the app's"
        r" pages/? directory\. Running the app's main page\.$",
        "La page $1 n'existe pas : voici la page d'accueil.",
    ),
    (r"^View (\d+) more$", "Voir $1 de plus"),
    (r"^Remove (.+)$", "Retirer $1"),
    # Champs de date (react-aria) : segments, valeurs et descriptions lus par les lecteurs d'écran.
    (r"^day, (.+) start date$", "jour, $1, date de début"),
    (r"^month, (.+) start date$", "mois, $1, date de début"),
    (r"^year, (.+) start date$", "année, $1, date de début"),
    (r"^day, (.+) end date$", "jour, $1, date de fin"),
    (r"^month, (.+) end date$", "mois, $1, date de fin"),
    (r"^year, (.+) end date$", "année, $1, date de fin"),
    (r"^day, (.+)$", "jour, $1"),
    (r"^month, (.+)$", "mois, $1"),
    (r"^year, (.+)$", "année, $1"),
    (r"^(.+) start date$", "$1, date de début"),
    (r"^(.+) end date$", "$1, date de fin"),
    (r"^(\d+) – ([A-Z][a-z]+)$", "$1 – $2"),
    (r"^Selected Date: ([A-Z][a-z]+) (\d+), (\d+)$", "Date choisie : $2 $1 $3"),
    (r"^Selected Range: (.+) to (.+)$", "Période choisie : du $1 au $2"),
]


# Mois anglais d'une date traduite par un motif (« 01 – January », « Selected Date: … »).
MOIS: dict[str, str] = {
    "January": "janvier",
    "February": "février",
    "March": "mars",
    "April": "avril",
    "May": "mai",
    "June": "juin",
    "July": "juillet",
    "August": "août",
    "September": "septembre",
    "October": "octobre",
    "November": "novembre",
    "December": "décembre",
}


def script() -> str:
    """Le script de la page, avec ses dictionnaires.

    Jamais de « < » suivi d'une lettre, de « / » ou de « ! » dedans (même en commentaire) : le
    nettoyage HTML de Streamlit (DOMPurify) retirerait tout le script, sans un mot.
    """
    texte = (
        SCRIPT.read_text(encoding="utf-8")
        .replace("__TEXTES__", json.dumps(TEXTES, ensure_ascii=False).replace("<", "\\u003c"))
        .replace("__MOTIFS__", json.dumps(MOTIFS, ensure_ascii=False).replace("<", "\\u003c"))
        .replace("__MOIS__", json.dumps(MOIS, ensure_ascii=False))
    )
    if balise := re.search(r"<[/\w!]", texte):
        raise ValueError(f"accessibilite.js : « {balise.group()} » serait retiré par Streamlit.")
    return texte


@functools.cache
def _reglages() -> str:
    # Lus une fois par processus : la feuille et le script ne changent pas pendant qu'il tourne.
    return (
        '<div class="reglages-page" hidden></div>'
        f"<style>{FEUILLE.read_text(encoding='utf-8')}</style>"
        f"<script>{script()}</script>"
    )


def marque_etat() -> str:
    """Le service de l'État qui déploie l'application (vide : pas de marque de l'État)."""
    return config.lire("MARQUE_ETAT").strip()


def _style_marque() -> str:
    """Police Marianne servie par l'application (réservée, comme le bloc-marque, à l'État)."""
    faces = "".join(
        f"@font-face{{font-family:Marianne;font-style:{style};font-weight:{poids};"
        f"font-display:swap;src:url({POLICES_DSFR}/fonts/{fichier}.woff2) format('woff2')}}"
        for fichier, poids, style in (
            ("Marianne-Regular", 400, "normal"),
            ("Marianne-Regular_Italic", 400, "italic"),
            ("Marianne-Medium", 500, "normal"),
            ("Marianne-Bold", 700, "normal"),
        )
    )
    # Le bloc-marque du DSFR (logo.min.css) est recopié dans la page : le nettoyage HTML de
    # Streamlit retire les <link>.
    logo = (RACINE_STATIQUE / "vendor" / "dsfr" / "logo.min.css").read_text(encoding="utf-8")
    return (
        f"<style>{logo}</style>"
        f"<style>{faces}"
        ".stApp,.stApp p,.stApp li,.stApp label,.stApp input,.stApp textarea,.stApp button,"
        ".stApp h1,.stApp h2,.stApp h3,.stApp h4,.stApp summary"
        "{font-family:Marianne,arial,sans-serif}</style>"
    )


def bloc_marque(service: str) -> str:
    """Le bloc-marque du DSFR : « République française », puis le service qui publie."""
    return (
        '<div class="bloc-marque"><p class="fr-logo">République<br>française</p>'
        f'<p class="bloc-marque-service">{html.escape(service)}</p></div>'
    )


def ajuster_page() -> None:
    """Feuille de style, script de la page et, si le déploiement le règle, marque de l'État.

    Le bloc commence par un élément vide : un <style> ou un <script> en tête serait rangé dans
    <head> par le nettoyage HTML de Streamlit, et le script perdu. Son conteneur ne prend
    aucune place (voir accessibilite.css).
    """
    st.html(_reglages(), unsafe_allow_javascript=True)
    service = marque_etat()
    if service:
        st.html(_style_marque() + bloc_marque(service))
