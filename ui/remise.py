"""La fiche à remettre sur « Trouver une ressource » : les lieux choisis (dans la session), le
panneau qui la produit, et la page qu'ouvre son code QR.

Le choix vit dans `st.session_state` (il meurt avec l'onglet) ; la forme et la langue ne sont
gardées nulle part ailleurs. Seul l'événement « fiche imprimée » est compté, avec le format, la
langue et la forme en codes (`suivi.au_telechargement`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from cartographie import config, horloge
from cartographie.modele import Acteur
from cartographie.recherche.annuaire import Annuaire
from cartographie.recherche.filtres import Resultat, Resultats
from cartographie.remise.contenu import composer, mots_sensibles
from cartographie.remise.langues import FormeFiche, LangueFiche, libelle_langue
from cartographie.remise.page import corps_html, page_html
from cartographie.remise.pdf import pdf_fiche
from cartographie.remise.selection import (
    MAX_CHOISIES,
    PARAMETRE_FICHES,
    PROPOSEES_SANS_CHOIX,
    deplacer,
    depuis_lien,
    lien_partage,
    lieux_de_la_fiche,
)
from cartographie.remise.texte_court import texte_sms
from ui import suivi
from ui.texte import litteral

CLE_SELECTION = "remise_selection"
CLE_PANNEAU = "remise_panneau"
CLE_FORME = "remise_forme"
CLE_LANGUE = "remise_langue"
CLES_QR = {forme: f"remise_qr_{forme.value}" for forme in FormeFiche}
CLES_CHOIX = (CLE_FORME, CLE_LANGUE, *CLES_QR.values())
NOMS_FICHIERS = {FormeFiche.STANDARD: "ou-trouver-de-l-aide-isere", FormeFiche.DISCRETE: "contacts"}


def selection() -> list[str]:
    """Les identifiants des fiches choisies, dans l'ordre de la fiche."""
    return list(st.session_state.get(CLE_SELECTION, []))


def _ajouter(acteur_id: str) -> None:
    ids = selection()
    if acteur_id not in ids and len(ids) < MAX_CHOISIES:
        st.session_state[CLE_SELECTION] = [*ids, acteur_id]


def _retirer(acteur_id: str) -> None:
    st.session_state[CLE_SELECTION] = [i for i in selection() if i != acteur_id]


def _deplacer(acteur_id: str, pas: int) -> None:
    st.session_state[CLE_SELECTION] = deplacer(selection(), acteur_id, pas)


def bouton_ajouter(acteur_id: str) -> None:
    """« Ajouter à la fiche » (ou « Retirer de la fiche ») sous un résultat ou une fiche."""
    ids = selection()
    if acteur_id in ids:
        st.button(
            "Retirer de la fiche à remettre",
            key=f"remise_retirer_{acteur_id}",
            on_click=_retirer,
            args=(acteur_id,),
        )
        return
    plein = len(ids) >= MAX_CHOISIES
    st.button(
        "Ajouter à la fiche",
        key=f"remise_ajouter_{acteur_id}",
        on_click=_ajouter,
        args=(acteur_id,),
        disabled=plein,
        help=f"La fiche à remettre tient {MAX_CHOISIES} lieux au plus." if plein else None,
    )


def _acteurs_par_id(annuaire: Annuaire) -> dict[str, Acteur]:
    return {a.id: a for a in annuaire.acteurs}


def _adresse_publique() -> str:
    """L'adresse de l'application pour le code QR : le réglage, sinon celle du navigateur."""
    adresse = config.lire("ADRESSE_PUBLIQUE").strip()
    if adresse:
        return adresse
    url = st.context.url or ""
    morceaux = urlsplit(url)
    return f"{morceaux.scheme}://{morceaux.netloc}" if morceaux.scheme and morceaux.netloc else ""


def _liste_choisie(lieux: list[Resultat]) -> None:
    for rang, lieu in enumerate(lieux):
        a = lieu.acteur
        nom, haut, bas, oter = st.columns([6, 1, 1, 1], vertical_alignment="center")
        nom.text(f"{rang + 1}. {a.nom}")
        haut.button(
            "↑",
            key=f"remise_monter_{a.id}",
            on_click=_deplacer,
            args=(a.id, -1),
            disabled=rang == 0,
            help="Monter",
        )
        bas.button(
            "↓",
            key=f"remise_descendre_{a.id}",
            on_click=_deplacer,
            args=(a.id, 1),
            disabled=rang == len(lieux) - 1,
            help="Descendre",
        )
        oter.button("✕", key=f"remise_oter_{a.id}", on_click=_retirer, args=(a.id,), help="Retirer")


def _garder_les_choix() -> None:
    """Forme, langue et code QR gardés pendant que le panneau est replié.

    Streamlit oublie la valeur d'un widget qui n'est pas dessiné pendant une exécution ; la
    réécrire dans l'état de la session la garde pour la réouverture.
    """
    for cle in CLES_CHOIX:
        if cle in st.session_state:
            st.session_state[cle] = st.session_state[cle]


def panneau(resultats: Resultats, annuaire: Annuaire) -> None:
    """Le panneau de la fiche à remettre : lieux choisis, forme, langue, téléchargements."""
    ids = selection()
    if not ids and not resultats.total:
        return  # ni choix ni résultat : rien à remettre de plus que le bandeau des numéros
    titre = f"Fiche à remettre — {len(ids)} lieu(x) choisi(s)" if ids else "Fiche à remettre"
    # Replié, le panneau n'est pas calculé (son contenu coûtait ~15 % d'une recherche) ; il
    # s'ouvre de lui-même au premier lieu choisi (nouveau titre, nouvel état par défaut).
    with st.expander(titre, expanded=bool(ids), key=CLE_PANNEAU, on_change="rerun") as boite:
        if not boite.open:
            _garder_les_choix()
            return
        acteurs = _acteurs_par_id(annuaire) if ids else {}
        lieux = lieux_de_la_fiche(ids, resultats, acteurs)
        if ids:
            _liste_choisie(lieux)
        elif lieux:
            st.caption(
                f"Aucun lieu choisi : la fiche propose les {len(lieux)} ressources les plus"
                " proches. Choisissez-les avec « Ajouter à la fiche » sous chaque résultat."
            )
        else:
            st.caption(
                "Aucun lieu choisi, ni commune de départ : la fiche ne donnera que les numéros"
                " nationaux. Ajoutez des lieux avec « Ajouter à la fiche » sous chaque résultat"
                f" (sans choix, les {PROPOSEES_SANS_CHOIX} ressources les plus proches"
                " d'une commune)."
            )
        st.caption("Les numéros nationaux 3919, 17, 114, 115 et 119 y figurent toujours.")
        forme = st.radio(
            "Forme",
            list(FormeFiche),
            format_func=lambda f: f.libelle,
            key=CLE_FORME,
            horizontal=True,
            help="Discrète : titre « Contacts utiles », aucun mot qui évoque les violences,"
            " sans couleur ni pied de page — pour une femme dont le conjoint pourrait la trouver.",
        )
        langue = st.selectbox(
            "Langue de la fiche",
            list(LangueFiche),
            format_func=libelle_langue,
            key=CLE_LANGUE,
            help="Le texte de la fiche est traduit ; les noms et adresses restent tels quels.",
        )
        # En discret, pas de code QR d'office : il ouvre ce site, dont le nom parle de violences.
        avec_qr = st.checkbox(
            "Code QR pour retrouver ces lieux sur son téléphone",
            value=forme is FormeFiche.STANDARD,
            key=CLES_QR[forme],
            help="Le lien ne porte que les fiches choisies et la langue. Il ouvre ce site,"
            " dont le bandeau nomme les violences : à proposer avec prudence en forme discrète.",
        )
        if forme is FormeFiche.DISCRETE:
            for lieu in lieux:
                mots = mots_sensibles(f"{lieu.acteur.nom} {lieu.acteur.adresse}")
                if mots:
                    st.warning(
                        f"Le nom « {litteral(lieu.acteur.nom)} » sera imprimé tel quel et évoque"
                        " les violences : retirez ce lieu de la fiche discrète si besoin."
                    )
        adresse = _adresse_publique()
        lien = None
        if avec_qr and lieux and adresse:
            lien = lien_partage(adresse, [r.acteur.id for r in lieux], langue)
        elif avec_qr and lieux:
            st.caption("Adresse de l'application inconnue : pas de code QR.")
        fiche = composer(lieux, langue, forme, le=horloge.aujourd_hui(), lien=lien)
        codes = {"langue": langue.value, "forme": forme.value}
        nom = NOMS_FICHIERS[forme]
        col_pdf, col_page = st.columns(2)
        col_pdf.download_button(
            "Télécharger la fiche à remettre (PDF)",
            data=suivi.au_telechargement(
                lambda: pdf_fiche(fiche), "fiche_imprimee", "carte", format="pdf", **codes
            ),
            file_name=f"{nom}.pdf",
            mime="application/pdf",
            on_click="ignore",
            key="remise_pdf",
        )
        col_page.download_button(
            "Page à imprimer (HTML)",
            data=suivi.au_telechargement(
                lambda: page_html(fiche), "fiche_imprimee", "carte", format="impression", **codes
            ),
            file_name=f"{nom}.html",
            mime="text/html",
            on_click="ignore",
            key="remise_page",
            help="La même fiche en page web : l'ouvrir puis l'imprimer depuis le navigateur.",
        )
        st.text("Texte pour un SMS ou un courriel (noms et numéros) :")
        st.code(texte_sms(fiche), language=None, wrap_lines=True)


def vue_partagee(annuaire: Annuaire) -> bool:
    """La page qu'ouvre le code QR (`?fiches=…&langue=…`) ; vrai si elle a été montrée.

    Forme discrète : le lien ne dit pas sous quelle forme la fiche a été remise, et le téléphone
    peut être regardé par d'autres.
    """
    parametres = st.query_params.to_dict()
    if PARAMETRE_FICHES not in parametres:
        return False
    acteurs = _acteurs_par_id(annuaire)
    ids, langue = depuis_lien(parametres, acteurs)
    lieux = [Resultat(acteurs[i], None) for i in ids]
    fiche = composer(lieux, langue, FormeFiche.DISCRETE, le=horloge.aujourd_hui())
    st.html(corps_html(fiche, avec_qr=False))
    st.button("Chercher d'autres lieux", on_click=st.query_params.clear, key="remise_quitter")
    return True
