"""L'état de la recherche dans la session Streamlit, et son reflet dans l'URL partageable.

`st.session_state["point"]` est la seule source du point de recherche (commune saisie ou clic
sur la carte) ; les filtres vivent dans les clés de leurs widgets. Au premier affichage d'une
session, l'URL (`st.query_params`) remplit l'un et les autres ; ensuite chaque réexécution
réécrit l'URL, si bien que la barre d'adresse est toujours un lien qui restitue la vue — à la
commune près : ni l'adresse tapée ni le point cliqué n'y entrent (voir `vers_parametres`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from cartographie import config
from cartographie.communes import Commune, chercher_communes, commune_contenant, commune_par_code
from cartographie.geocodage.demande import Position
from cartographie.geocodage.saisie import ressemble_a_une_adresse
from cartographie.modele import Precision
from cartographie.recherche.filtres import (
    PARAMETRE_FICHE,
    PARAMETRE_SIGNALER,
    Filtres,
    PointRecherche,
    depuis_parametres,
    point_de_position,
    vers_parametres,
)
from ui.base import geocodeur
from ui.texte import litteral

# Critère de `Filtres` → clé du widget qui le porte.
CLES_FILTRES: dict[str, str] = {
    "types": "f_types",
    "axes": "f_axes",
    "publics": "f_publics",
    "territoire": "f_territoire",
    "texte": "f_texte",
    "rayon_km": "f_rayon",
    "langues": "f_langues",
    "ouvert_maintenant": "f_ouvert",
    "partenaires": "f_partenaires",
}
# Valeur « sans filtre » de chaque widget ; le rayon vaut 0 pour « tout le département » (un
# selectbox à None n'afficherait aucune option choisie).
_VIDES: dict[str, object] = {
    "types": [],
    "axes": [],
    "publics": [],
    "territoire": "",
    "texte": "",
    "rayon_km": 0,
    "langues": [],
    "ouvert_maintenant": False,
    "partenaires": False,
}
TOUT_LE_DEPARTEMENT = 0
CLE_POSITION = "position_saisie"


def _chemin_communes() -> str:
    return str(config.lire_chemin("COMMUNES_GEOJSON"))


def point_de_code(code: str) -> PointRecherche | None:
    """Le point d'une commune désignée par son code INSEE (lien partagé)."""
    commune = commune_par_code(code, _chemin_communes()) if code else None
    return None if commune is None else PointRecherche.de_commune(commune)


def suggestions(saisie: str) -> list[Commune]:
    """Communes proposées pour une saisie (nom sans accents ni majuscules, ou code postal)."""
    if not saisie.strip() or ressemble_a_une_adresse(saisie):
        return []
    return chercher_communes(saisie, limite=12, chemin=_chemin_communes())


def position_saisie() -> Position | None:
    """Le résultat du géocodage de la dernière adresse tapée (None pour une commune)."""
    return st.session_state.get(CLE_POSITION)


def initialiser_depuis_url(territoires: Sequence[str]) -> None:
    """Au premier affichage de la session, restitue la recherche décrite par l'URL."""
    etat = st.session_state
    if etat.get("_url_lue"):
        return
    etat["_url_lue"] = True
    filtres, point = depuis_parametres(st.query_params.to_dict(), point_de_code, territoires)
    for critere, cle in CLES_FILTRES.items():
        valeur = getattr(filtres, critere)
        etat[cle] = list(valeur) if isinstance(valeur, tuple) else valeur
    etat["f_rayon"] = filtres.rayon_km or TOUT_LE_DEPARTEMENT
    etat["point"] = point
    if point is not None and point.precision is Precision.COMMUNE:
        commune = commune_par_code(point.code_insee, _chemin_communes())
        etat["saisie_lieu"] = commune.nom if commune else ""
        etat["choix_commune"] = point.code_insee
    else:
        etat["saisie_lieu"] = ""


def saisie_changee() -> None:
    """Nouvelle saisie : une adresse est géocodée, sinon la meilleure commune est le point."""
    saisie = st.session_state.get("saisie_lieu", "")
    st.session_state.pop(CLE_POSITION, None)
    if ressemble_a_une_adresse(saisie):
        position = geocodeur().geocoder_recherche(saisie)
        st.session_state[CLE_POSITION] = position
        st.session_state["point"] = point_de_position(position)
        st.session_state["choix_commune"] = None
        return
    trouvees = suggestions(saisie)
    st.session_state["point"] = PointRecherche.de_commune(trouvees[0]) if trouvees else None
    st.session_state["choix_commune"] = trouvees[0].code_insee if trouvees else None


def choix_change() -> None:
    """Une autre commune choisie parmi les suggestions."""
    st.session_state["point"] = point_de_code(st.session_state.get("choix_commune") or "")


def preparer_choix(trouvees: Sequence[Commune]) -> None:
    """Garde le choix courant s'il fait partie des suggestions, sinon prend la première."""
    codes = [c.code_insee for c in trouvees]
    if st.session_state.get("choix_commune") not in codes:
        st.session_state["choix_commune"] = codes[0]


def vider_saisie_si_demande() -> None:
    """Après un clic sur la carte, la saisie de commune ne correspond plus : on la vide."""
    if st.session_state.pop("_vider_saisie", False):
        st.session_state["saisie_lieu"] = ""
        st.session_state["choix_commune"] = None
        st.session_state.pop(CLE_POSITION, None)


def point_clique(latitude: float, longitude: float, commune: Commune) -> None:
    """Le point cliqué sur la carte devient le point de recherche."""
    st.session_state["point"] = PointRecherche(
        round(latitude, 5),
        round(longitude, 5),
        commune.code_insee,
        f"Point choisi sur la carte ({commune.nom})",
        Precision.MANUELLE,
    )
    st.session_state["_vider_saisie"] = True


def effacer_point() -> None:
    """Plus de point de recherche : liste alphabétique, tout le département."""
    st.session_state["point"] = None
    st.session_state["_vider_saisie"] = True


def filtres_courants() -> Filtres:
    """Les filtres tels que les widgets les portent."""
    etat = st.session_state
    return Filtres(
        types=tuple(etat.get("f_types") or ()),
        axes=tuple(etat.get("f_axes") or ()),
        publics=tuple(etat.get("f_publics") or ()),
        territoire=etat.get("f_territoire") or "",
        texte=(etat.get("f_texte") or "").strip(),
        rayon_km=etat.get("f_rayon") or None,
        langues=tuple(etat.get("f_langues") or ()),
        ouvert_maintenant=bool(etat.get("f_ouvert")),
        partenaires=bool(etat.get("f_partenaires")),
    )


def boutons_filtres_actifs(actifs: Mapping[str, str], point: PointRecherche | None) -> None:
    """Un bouton « ✕ » par filtre actif et pour le point ; leurs libellés, saisis, sont échappés."""
    if not actifs and point is None:
        return
    with st.container(horizontal=True, key="filtres_actifs"):
        if point is not None:
            st.button(
                f"✕ Autour de : {litteral(point.libelle)}", on_click=effacer_point, key="ote_point"
            )
        for critere, libelle in actifs.items():
            st.button(
                f"✕ {litteral(libelle)}",
                on_click=oter_filtre,
                args=(critere,),
                key=f"ote_{critere}",
                help="Retirer ce filtre",
            )
        if len(actifs) > 1:
            st.button("Retirer tous les filtres", on_click=oter_tous_les_filtres)


def oter_filtre(critere: str) -> None:
    """Retire un seul filtre (bouton « ✕ » à côté du filtre actif)."""
    st.session_state[CLES_FILTRES[critere]] = _VIDES[critere]


def oter_tous_les_filtres() -> None:
    """Retire tous les filtres, garde le point de recherche."""
    for critere in CLES_FILTRES:
        oter_filtre(critere)


def fiche_demandee() -> str:
    """L'identifiant de la fiche que l'URL demande d'ouvrir (`?acteur=…`), ou une chaîne vide."""
    return st.query_params.get(PARAMETRE_FICHE, "").strip()[:100]


def signalement_demande() -> bool:
    """Vrai si le lien vers la fiche est « Signaler une erreur » (`&signaler=1`)."""
    return st.query_params.get(PARAMETRE_SIGNALER, "") == "1"


def revenir_a_la_recherche() -> None:
    """Quitte la page d'une fiche : la recherche (restée dans l'URL) reprend."""
    st.query_params.pop(PARAMETRE_FICHE, None)
    st.query_params.pop(PARAMETRE_SIGNALER, None)


def ecrire_url(filtres: Filtres, point: PointRecherche | None) -> None:
    """Met l'URL à jour (seulement si elle change, pour ne pas relancer la page pour rien)."""
    parametres = vers_parametres(filtres, point)
    if parametres != st.query_params.to_dict():
        st.query_params.from_dict(parametres)


def suivre_clic(retour: Mapping[str, object] | None) -> str:
    """Un nouveau clic sur la carte devient le point de recherche (et relance la page).

    Renvoie l'avertissement à montrer si le clic tombe hors de l'Isère, sinon une chaîne vide.
    """
    clic = (retour or {}).get("last_clicked")
    if not isinstance(clic, dict) or clic == st.session_state.get("dernier_clic"):
        return ""
    st.session_state["dernier_clic"] = clic
    commune = commune_contenant(clic["lat"], clic["lng"], _chemin_communes())
    if commune is None:
        return "Ce point est hors de l'Isère : cliquez dans le département."
    point_clique(clic["lat"], clic["lng"], commune)
    st.rerun()
    return ""


def afficher_plus(combien: int) -> None:
    """Montre la tranche suivante de la liste."""
    st.session_state["nb_visibles"] = st.session_state.get("nb_visibles", combien) + combien
