"""Un résultat de recherche en texte et en HTML accessible : titre, type en toutes lettres,
liens d'appel, distance à la française.

Chaque valeur venue d'une fiche passe par `html.escape` : un nom ou des horaires contenant des
balises s'affichent tels quels, sans jamais s'exécuter.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from urllib.parse import urlsplit

from cartographie.confidentialite import MENTION_CONFIDENTIELLE, adresse_lisible
from cartographie.edition.fraicheur import coordonnees_anciennes
from cartographie.horaires import ouverture
from cartographie.horloge import aujourd_hui as aujourd_hui_a_paris
from cartographie.modele import Accessibilite, Acteur, Precision, TypeActeur
from cartographie.recherche.filtres import Resultat, lien_signalement
from cartographie.recherche.symboles import SIGLES_TYPE, couleur_sigle

# Une couleur par type (palette illustrative du DSFR), pour la pastille d'un résultat et les
# marqueurs de la carte ; le type est aussi écrit en toutes lettres dans la liste, la légende et
# chaque fiche : la couleur n'est jamais la seule information.
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


def html_resultat(
    resultat: Resultat,
    rang: int,
    lien_fiche: str = "",
    quand: datetime | None = None,
    aujourd_hui: date | None = None,
) -> str:
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
        *(
            ['<p class="couvre-la-commune">Couvre votre commune</p>']
            if resultat.couvre_la_commune
            else []
        ),
        # D'où vient le point sur la carte : exact, à la rue, ou seulement la commune.
        f'<p class="precision-position">{e(a.precision_localisation.libelle)}</p>',
    ]
    if a.telephone:
        lignes.append(f"<p>Téléphone : {lien_telephone(a.telephone)}</p>")
    if a.site_web:
        lignes.append(f"<p>Site : {_lien_site(a.site_web)}</p>")
    compacte = ligne_compacte(a, quand)
    if compacte:
        lignes.append(f'<p class="ligne-compacte">{e(compacte)}</p>')
    if a.publics:
        lignes.append(f"<p>Publics : {e(', '.join(p.libelle for p in a.publics))}</p>")
    anciennete = mention_anciennete(a, aujourd_hui or aujourd_hui_a_paris())
    if anciennete:
        lignes.append(f'<p class="anciennete">{e(anciennete)}</p>')
    if lien_fiche:
        # Le formulaire de signalement est sur la page de la fiche : la liste reste légère.
        lignes.append(
            f'<p class="liens-fiche"><a href="{e(lien_fiche)}">Voir la fiche complète</a>'
            f' <a href="{e(lien_signalement(lien_fiche))}">Signaler une erreur</a></p>'
        )
    return (
        f'<article class="resultat-acteur" aria-labelledby="acteur-{e(a.id)}">'
        f'<h3 id="acteur-{e(a.id)}">{rang}. {e(a.nom)}</h3>' + "".join(lignes) + "</article>"
    )


def ligne_compacte(acteur: Acteur, quand: datetime | None = None) -> str:
    """« Ouvert · ferme à 17 h — Sans rendez-vous, Par téléphone — arabe, anglais » (texte brut)."""
    morceaux = []
    phrase = ouverture(acteur.horaires_accueil, quand).phrase
    if phrase:
        morceaux.append(phrase)
    if acteur.modes_orientation:
        morceaux.append(", ".join(m.libelle for m in acteur.modes_orientation))
    if acteur.langues:
        morceaux.append("Langues : " + ", ".join(x.libelle for x in acteur.langues))
    return " — ".join(morceaux)


def mention_anciennete(acteur: Acteur, aujourd_hui: date) -> str:
    """« Coordonnées de 2020 » quand la source la plus récente a plus de 24 mois, sinon rien."""
    if not coordonnees_anciennes(acteur, aujourd_hui):
        return ""
    return f"Coordonnées de {acteur.date_source.year} : à confirmer en appelant"  # type: ignore[union-attr]


def html_couvrant(acteur: Acteur, lien_fiche: str, quand: datetime | None = None) -> str:
    """Un service qui couvre la commune sans y avoir de lieu : ni distance ni adresse."""
    e = html.escape
    lignes = [f'<p class="type-acteur">{e(acteur.type.libelle)}</p>']
    compacte = ligne_compacte(acteur, quand)
    if compacte:
        lignes.append(f'<p class="ligne-compacte">{e(compacte)}</p>')
    if acteur.telephone:
        lignes.append(f"<p>Téléphone : {lien_telephone(acteur.telephone)}</p>")
    lignes.append(f'<p><a href="{e(lien_fiche)}">Voir la fiche</a></p>')
    return (
        f'<article class="resultat-acteur couvrant" aria-labelledby="couvrant-{e(acteur.id)}">'
        f'<h3 id="couvrant-{e(acteur.id)}">{e(acteur.nom)}</h3>' + "".join(lignes) + "</article>"
    )


def html_fiche(
    acteur: Acteur, aujourd_hui: date, quand: datetime | None = None, zone: str = ""
) -> str:
    """La page d'une fiche : tout ce qu'une vue publique peut montrer, en HTML échappé.

    `zone` est la zone couverte déjà écrite en noms (« Tout le département »…).
    """
    e = html.escape
    etat = ouverture(acteur.horaires_accueil, quand)
    lignes: list[tuple[str, str]] = [
        ("Type", e(acteur.type.libelle)),
        ("Structure", e(acteur.structure)),
        ("Adresse", e(adresse_lisible(acteur))),
        ("Téléphone", lien_telephone(acteur.telephone) if acteur.telephone else ""),
        ("Courriel", _lien_courriel(acteur.courriel) if acteur.courriel else ""),
        ("Site", _lien_site(acteur.site_web) if acteur.site_web else ""),
        ("En ce moment", e(etat.phrase)),
        ("Horaires", e(acteur.horaires_accueil)),
        ("Précisions", e(acteur.horaires_precisions)),
        ("Accueil", e(", ".join(m.libelle for m in acteur.modes_accueil))),
        ("Comment y accéder", e(", ".join(m.libelle for m in acteur.modes_orientation))),
        ("Conditions", e(acteur.conditions_acces)),
        ("Frais", e(acteur.frais.libelle) if acteur.frais else ""),
        ("Langues parlées", e(", ".join(x.libelle for x in acteur.langues))),
        ("Publics", e(", ".join(p.libelle for p in acteur.publics))),
        (
            "Accès en fauteuil",
            ""
            if acteur.accessibilite_fauteuil is Accessibilite.INCONNU
            else e(acteur.accessibilite_fauteuil.libelle),
        ),
        ("Fiche acceslibre", _lien_site(acteur.lien_acceslibre) if acteur.lien_acceslibre else ""),
        ("Capacité", e(_capacite(acteur))),
        ("Zone couverte", e(zone)),
        ("Description", e(acteur.description)),
        ("Mise à jour", e(_jour(acteur.date_maj))),
        ("Sources", e(acteur.source)),
    ]
    anciennete = mention_anciennete(acteur, aujourd_hui)
    details = "".join(f"<dt>{titre}</dt><dd>{valeur}</dd>" for titre, valeur in lignes if valeur)
    # Le nom est le titre de la page (st.title) : l'article n'en répète pas un second.
    return (
        f'<article class="fiche-acteur" aria-label="{e(acteur.nom)}">'
        + (f'<p class="anciennete"><strong>{e(anciennete)}</strong></p>' if anciennete else "")
        + f"<dl>{details}</dl></article>"
    )


def _lien_courriel(courriel: str) -> str:
    return f'<a href="mailto:{html.escape(courriel)}">{html.escape(courriel)}</a>'


def _capacite(acteur: Acteur) -> str:
    if acteur.capacite is None:
        return ""
    quand = f" (au {_jour(acteur.capacite_date)})" if acteur.capacite_date else ""
    return f"{acteur.capacite} places{quand}"


def _jour(valeur: date | None) -> str:
    return valeur.strftime("%d/%m/%Y") if valeur else ""
