"""Le formulaire d'une fiche d'acteur : widgets → champs texte validés par `cartographie.edition`.

Les clés des widgets portent l'identifiant et la version de la fiche ouverte : recharger une
version plus récente remplit le formulaire avec ses valeurs, sans reste de l'ancienne saisie.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from cartographie import config
from cartographie.communes import Commune, charger_communes, commune_par_code
from cartographie.modele import SEPARATEUR_MULTI, Acteur, Axe, Precision, Public, TypeActeur


def cle(champ: str, acteur: Acteur | None) -> str:
    """Clé du widget d'un champ pour la fiche ouverte (« nouvelle » pour une création)."""
    return f"fiche-{champ}-{acteur.id}-{acteur.version}" if acteur else f"fiche-{champ}-nouvelle"


def formulaire(acteur: Acteur | None, enregistrer: Callable[[dict[str, str]], None]) -> None:
    """Affiche le formulaire ; « Enregistrer » appelle `enregistrer(champs)` avant la page."""
    communes = charger_communes(config.lire_chemin("COMMUNES_GEOJSON"))
    actuelle = (
        commune_par_code(acteur.code_insee, config.lire_chemin("COMMUNES_GEOJSON"))
        if acteur
        else None
    )
    types = list(TypeActeur)
    with st.form(f"formulaire-{acteur.id if acteur else 'nouvelle'}"):
        st.text_input("Nom *", acteur.nom if acteur else "", key=cle("nom", acteur))
        st.text_input("Structure", acteur.structure if acteur else "", key=cle("structure", acteur))
        st.selectbox(
            "Type *",
            types,
            index=types.index(acteur.type) if acteur else None,
            format_func=lambda t: t.libelle,
            placeholder="Choisir un type",
            key=cle("type", acteur),
        )
        st.text_area(
            "Description", acteur.description if acteur else "", key=cle("description", acteur)
        )
        col1, col2 = st.columns(2)
        col1.text_input("Adresse", acteur.adresse if acteur else "", key=cle("adresse", acteur))
        col2.text_input(
            "Complément d'adresse",
            acteur.complement_adresse if acteur else "",
            key=cle("complement_adresse", acteur),
        )
        col1.selectbox(
            "Commune *",
            communes,
            index=communes.index(actuelle) if actuelle in communes else None,
            format_func=lambda c: f"{c.nom} ({', '.join(c.codes_postaux)})",
            placeholder="Taper le nom de la commune",
            key=cle("commune", acteur),
        )
        col2.text_input(
            "Code postal", acteur.code_postal if acteur else "", key=cle("code_postal", acteur)
        )
        col1.text_input(
            "Téléphone",
            acteur.telephone if acteur else "",
            help="04 76 12 34 56, +33 4 76 12 34 56, ou un numéro court (3919, 115…).",
            key=cle("telephone", acteur),
        )
        col2.text_input("Courriel", acteur.courriel if acteur else "", key=cle("courriel", acteur))
        col1.text_input("Site web", acteur.site_web if acteur else "", key=cle("site_web", acteur))
        col2.text_input("Source", acteur.source if acteur else "", key=cle("source", acteur))
        st.text_area(
            "Horaires d'accueil",
            acteur.horaires_accueil if acteur else "",
            key=cle("horaires_accueil", acteur),
        )
        st.multiselect(
            "Axes du protocole",
            list(Axe),
            default=list(acteur.axes) if acteur else [],
            format_func=lambda a: a.libelle,
            key=cle("axes", acteur),
        )
        st.multiselect(
            "Publics",
            list(Public),
            default=list(acteur.publics) if acteur else [],
            format_func=lambda p: p.libelle,
            key=cle("publics", acteur),
        )
        st.checkbox(
            "Adresse confidentielle (hébergement : jamais montrée au public)",
            acteur.adresse_confidentielle if acteur else False,
            key=cle("adresse_confidentielle", acteur),
        )
        st.checkbox(
            "Ajuster la position à la main",
            bool(acteur and acteur.precision_localisation is Precision.MANUELLE),
            help="Sinon, la position est calculée à l'enregistrement depuis l'adresse.",
            key=cle("manuelle", acteur),
        )
        col1, col2 = st.columns(2)
        col1.text_input(
            "Latitude",
            _nombre(acteur.latitude if acteur else None),
            key=cle("latitude", acteur),
        )
        col2.text_input(
            "Longitude",
            _nombre(acteur.longitude if acteur else None),
            key=cle("longitude", acteur),
        )
        st.form_submit_button(
            "Enregistrer", type="primary", on_click=lambda: enregistrer(champs_saisis(acteur))
        )


def champs_saisis(acteur: Acteur | None) -> dict[str, str]:
    """Les valeurs du formulaire, en champs texte comme une ligne de CSV."""

    def valeur(champ: str):
        return st.session_state.get(cle(champ, acteur))

    commune: Commune | None = valeur("commune")
    type_ = valeur("type")
    manuelle = bool(valeur("manuelle"))
    return {
        **{
            c: valeur(c) or ""
            for c in (
                "nom",
                "structure",
                "description",
                "adresse",
                "complement_adresse",
                "code_postal",
                "telephone",
                "courriel",
                "site_web",
                "horaires_accueil",
                "source",
            )
        },
        "type": str(type_) if type_ else "",
        "commune": commune.nom if commune else "",
        "code_insee": commune.code_insee if commune else "",
        "axes": SEPARATEUR_MULTI.join(str(a) for a in valeur("axes") or []),
        "publics": SEPARATEUR_MULTI.join(str(p) for p in valeur("publics") or []),
        "adresse_confidentielle": "true" if valeur("adresse_confidentielle") else "false",
        "precision_localisation": str(Precision.MANUELLE) if manuelle else "",
        "latitude": (valeur("latitude") or "") if manuelle else "",
        "longitude": (valeur("longitude") or "") if manuelle else "",
    }


def _nombre(valeur: float | None) -> str:
    return "" if valeur is None else f"{valeur:.6f}".rstrip("0").rstrip(".")
