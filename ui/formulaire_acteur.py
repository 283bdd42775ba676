"""Le formulaire d'une fiche d'acteur : un widget par champ saisi de la déclaration.

Les widgets rendent des valeurs typées (un type d'acteur, une commune, des axes) que
`cartographie.edition.formulaire` valide et enregistre. Les clés des widgets portent
l'identifiant et la version de la fiche ouverte : recharger une version plus récente remplit le
formulaire avec ses valeurs, sans reste de l'ancienne saisie.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from cartographie import config, horaires
from cartographie.communes import charger_communes, commune_par_code
from cartographie.edition.formulaire import CHAMPS_SAISIS, POSITION_MANUELLE
from cartographie.modele import Acteur, Precision, champs
from cartographie.modele.champs import Booleen, Champ, Code, Codes, Entier, Jour, Reel, Textes
from ui.texte import litteral

_COORDONNEES = ("latitude", "longitude")


def cle(champ: str, acteur: Acteur | None) -> str:
    """Clé du widget d'un champ pour la fiche ouverte (« nouvelle » pour une création)."""
    return f"fiche-{champ}-{acteur.id}-{acteur.version}" if acteur else f"fiche-{champ}-nouvelle"


def formulaire(acteur: Acteur | None, enregistrer: Callable[[dict[str, object]], None]) -> None:
    """Affiche le formulaire ; « Enregistrer » appelle `enregistrer(saisie)` avant la page."""
    declares = {c.nom: c for c in champs(Acteur)}
    # Pas de st.form : chaque champ relance la page, ce qui permet l'aperçu des horaires en direct.
    with st.container(border=True, key=f"formulaire-{acteur.id if acteur else 'nouvelle'}"):
        colonnes = st.columns(2)
        place = 0
        for nom in CHAMPS_SAISIS:
            if nom in _COORDONNEES:
                continue
            champ = declares[nom]
            if _pleine_largeur(champ):
                _widget(st, champ, acteur)
            else:
                _widget(colonnes[place % 2], champ, acteur)
                place += 1
        st.checkbox(
            "Ajuster la position à la main",
            bool(acteur and acteur.precision_localisation is Precision.MANUELLE),
            help="Sinon, la position est calculée à l'enregistrement depuis l'adresse.",
            key=cle(POSITION_MANUELLE, acteur),
        )
        col1, col2 = st.columns(2)
        for colonne, nom in zip((col1, col2), _COORDONNEES, strict=True):
            colonne.text_input(
                declares[nom].libelle,
                _nombre(getattr(acteur, nom) if acteur else None),
                key=cle(nom, acteur),
            )
        st.button(
            "Enregistrer",
            type="primary",
            on_click=lambda: enregistrer(saisie(acteur)),
            key=cle("enregistrer", acteur),
        )


def saisie(acteur: Acteur | None) -> dict[str, object]:
    """Les valeurs du formulaire, typées comme les champs de la fiche."""
    return {
        nom: st.session_state.get(cle(nom, acteur)) for nom in (*CHAMPS_SAISIS, POSITION_MANUELLE)
    }


def _pleine_largeur(champ: Champ) -> bool:
    return champ.multiligne or isinstance(champ.codec, (Codes, Booleen))


def _widget(conteneur, champ: Champ, acteur: Acteur | None) -> None:
    """Le widget d'un champ, choisi d'après son codec."""
    libelle = champ.libelle + (" *" if champ.obligatoire else "")
    aide = champ.aide or None
    cle_widget = cle(champ.nom, acteur)
    if champ.nom == "commune":
        communes = charger_communes(config.lire_chemin("COMMUNES_GEOJSON"))
        actuelle = (
            commune_par_code(acteur.code_insee, config.lire_chemin("COMMUNES_GEOJSON"))
            if acteur
            else None
        )
        conteneur.selectbox(
            libelle,
            communes,
            index=communes.index(actuelle) if actuelle in communes else None,
            format_func=lambda c: c.libelle,
            placeholder="Taper le nom de la commune",
            key=cle_widget,
        )
        return
    valeur = getattr(acteur, champ.nom) if acteur else champ.defaut
    codec = champ.codec
    if isinstance(codec, Code):
        options = list(codec.referentiel)
        conteneur.selectbox(
            libelle,
            options,
            index=options.index(valeur) if valeur is not None else None,
            format_func=lambda m: m.libelle,
            placeholder="Choisir",
            help=aide,
            key=cle_widget,
        )
    elif isinstance(codec, Codes):
        conteneur.multiselect(
            libelle,
            list(codec.referentiel),
            default=list(valeur),
            format_func=lambda m: m.libelle,
            help=aide,
            key=cle_widget,
        )
    elif isinstance(codec, Booleen):
        conteneur.checkbox(libelle, bool(valeur), help=aide, key=cle_widget)
    elif isinstance(codec, Entier):
        conteneur.number_input(
            libelle, min_value=0, step=1, value=valeur, help=aide, key=cle_widget
        )
    elif isinstance(codec, Jour):
        conteneur.date_input(libelle, value=valeur, format="DD/MM/YYYY", help=aide, key=cle_widget)
    elif isinstance(codec, Reel):
        conteneur.text_input(libelle, _nombre(valeur), help=aide, key=cle_widget)
    elif isinstance(codec, Textes):
        # Des codes officiels : la saisie est celle d'un tableur (« 38 » ou « 38185|38563 »).
        conteneur.text_input(libelle, codec.ecrire(valeur), help=aide, key=cle_widget)
    elif champ.multiligne:
        conteneur.text_area(libelle, valeur or "", help=aide, key=cle_widget)
        if champ.nom == "horaires_accueil":
            _apercu_horaires(conteneur, st.session_state.get(cle_widget, ""))
    else:
        conteneur.text_input(libelle, valeur or "", help=aide, key=cle_widget)


def _apercu_horaires(conteneur, texte: str) -> None:
    """Ce que le public lira de ces horaires, maintenant ; ou la faute, à corriger."""
    if not texte.strip():
        conteneur.caption(f"Exemple : {horaires.EXEMPLE} ; « 24/7 » pour 24 h/24.")
        return
    try:
        horaires.verifier(texte)
    except ValueError as erreur:
        conteneur.error(litteral(str(erreur)))
        return
    conteneur.caption("Aperçu, à cet instant : " + litteral(horaires.ouverture(texte).phrase))


def _nombre(valeur: float | None) -> str:
    return "" if valeur is None else f"{valeur:.6f}".rstrip("0").rstrip(".")
