"""Un résultat de recherche en texte et en HTML accessible : titre, type en toutes lettres,
liens d'appel, distance à la française.

Chaque valeur venue d'une fiche passe par `html.escape` : un nom ou des horaires contenant des
balises s'affichent tels quels, sans jamais s'exécuter.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from cartographie.confidentialite import MENTION_CONFIDENTIELLE, adresse_lisible
from cartographie.modele import Precision
from cartographie.recherche.carte import COULEURS_TYPE
from cartographie.recherche.filtres import Resultat
from cartographie.recherche.symboles import SIGLES_TYPE, couleur_sigle


def distance_lisible(resultat: Resultat) -> str:
    """« 3,4 km » à la française ; approximative quand la position est celle de la commune."""
    if resultat.distance_km is None:
        return ""
    texte = f"{resultat.distance_km:.1f} km".replace(".", ",")
    if resultat.acteur.precision_localisation is Precision.COMMUNE:
        return f"≈ {texte} (centre de la commune)"
    return texte


def lien_telephone(telephone: str) -> str:
    """Le numéro en lien `tel:` (chiffres et + seulement dans l'URL)."""
    chiffres = re.sub(r"[^0-9+]", "", telephone)
    if not chiffres:
        return html.escape(telephone)
    return f'<a href="tel:{chiffres}">{html.escape(telephone)}</a>'


def _lien_site(url: str) -> str:
    if urlsplit(url).scheme in ("http", "https"):
        return (
            f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">'
            f"{html.escape(url)}</a>"
        )
    return html.escape(url)


def html_resultat(resultat: Resultat, rang: int) -> str:
    """La fiche d'un acteur dans la liste (l'acteur est déjà dans sa version publique)."""
    a = resultat.acteur
    e = html.escape
    type_et_structure = e(a.type.libelle) + (f" — {e(a.structure)}" if a.structure else "")
    lieu = e(a.commune)
    if resultat.distance_km is not None:
        lieu = f"<strong>{e(distance_lisible(resultat))}</strong> — {lieu}"
    adresse = (
        f"<em>{e(MENTION_CONFIDENTIELLE)}</em>"
        if a.adresse_confidentielle
        else e(adresse_lisible(a))
    )
    lignes = [
        # La pastille porte le sigle du marqueur de la carte (la couleur ne suffit pas).
        f'<p class="type-acteur"><span class="pastille-type" aria-hidden="true"'
        f' style="background:{COULEURS_TYPE[a.type]};color:{couleur_sigle(COULEURS_TYPE[a.type])}">'
        f"{e(SIGLES_TYPE[a.type])}</span>{type_et_structure}</p>",
        f"<p>{lieu}</p>",
        f"<p>{adresse}</p>",
        # D'où vient le point sur la carte : exact, à la rue, ou seulement la commune.
        f'<p class="precision-position">{e(a.precision_localisation.libelle)}</p>',
    ]
    if a.telephone:
        lignes.append(f"<p>Téléphone : {lien_telephone(a.telephone)}</p>")
    if a.site_web:
        lignes.append(f"<p>Site : {_lien_site(a.site_web)}</p>")
    if a.horaires_accueil:
        lignes.append(f"<p>Accueil : {e(a.horaires_accueil)}</p>")
    if a.publics:
        lignes.append(f"<p>Publics : {e(', '.join(p.libelle for p in a.publics))}</p>")
    return (
        f'<article class="resultat-acteur" aria-labelledby="acteur-{e(a.id)}">'
        f'<h3 id="acteur-{e(a.id)}">{rang}. {e(a.nom)}</h3>' + "".join(lignes) + "</article>"
    )
