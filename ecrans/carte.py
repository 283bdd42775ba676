"""Trouver une ressource : commune ou clic sur la carte, filtres, liste triée, carte, fiche à remettre."""

import streamlit as st

from cartographie import config, horloge
from cartographie.communes import charger_communes
from cartographie.modele import Axe, Langue, Precision, Public, TypeActeur
from cartographie.recherche.annuaire import Annuaire
from cartographie.recherche.carte import donnees_carte
from cartographie.recherche.filtres import RAYONS_KM, accorder, intitule, lien_fiche
from cartographie.recherche.presentation import html_couvrant, html_fiche, html_resultat
from cartographie.zones import zone_lisible
from ui import carte, remise, suivi
from ui import etat_recherche as etat
from ui.base import curseur
from ui.signalement import formulaire_signalement
from ui.texte import litteral

PAR_PAGE = 20
PARTAGE = "Pour partager cette recherche, copiez l'adresse de la page"
PARTAGE_SANS_ADRESSE = " : le lien la rouvre sur la commune, sans l'adresse ni le point choisi."

# Un seul instantané de l'annuaire pour toute la page (une lecture de l'empreinte de la base).
annuaire = Annuaire(curseur())

# Le lien du code QR d'une fiche à remettre (`?fiches=…`) n'ouvre que les lieux choisis.
if remise.vue_partagee(annuaire):
    st.stop()
acteur_demande = etat.fiche_demandee()
if acteur_demande:
    # La page d'une fiche (lien « Voir la fiche », ou lien partagé) : rien d'autre.
    fiche = annuaire.fiche(acteur_demande)
    st.button("← Retour à la recherche", on_click=etat.revenir_a_la_recherche)
    if fiche is None:
        st.warning("Cette fiche n'existe pas ou n'est plus publiée.")
        st.stop()
    suivi.noter("acteur_consulte", "fiche", acteur_id=fiche.id, types=[fiche.type])
    st.title(litteral(fiche.nom))
    communes = charger_communes(config.lire_chemin("COMMUNES_GEOJSON"))
    st.html(
        html_fiche(
            fiche,
            horloge.aujourd_hui(),
            zone=zone_lisible(fiche.zone_eligibilite, communes),
        )
    )
    remise.bouton_ajouter(fiche.id)  # la fiche à remettre se télécharge depuis la recherche
    formulaire_signalement(fiche.id, ouvert=etat.signalement_demande())
    st.stop()

st.title("Trouver une ressource")
territoires = list(annuaire.territoires)
etat.initialiser_depuis_url(territoires)
etat.vider_saisie_si_demande()

# --- Point de recherche et rayon -------------------------------------------------------------
col_saisie, col_choix, col_rayon = st.columns([4, 4, 2], vertical_alignment="bottom")
saisie = col_saisie.text_input(
    "Adresse, commune ou code postal",
    key="saisie_lieu",
    placeholder="ex. Voiron, 38500, 12 rue Mainssieux Voiron",
    on_change=etat.saisie_changee,
    help="Ou cliquez sur la carte. Majuscules et accents facultatifs.",
)
trouvees = etat.suggestions(saisie)
position = etat.position_saisie()
if position is not None:
    # Une adresse tapée : dire ce qui a été trouvé, et avec quelle précision.
    if position.localisee and position.code_insee:
        col_choix.info(f"{position.precision.libelle} : {litteral(position.libelle)}")
        if position.message:
            col_choix.caption(litteral(position.message))
    else:
        col_choix.error(litteral(position.message or "Adresse non reconnue."))
elif trouvees:
    etat.preparer_choix(trouvees)
    par_code = {c.code_insee: c for c in trouvees}
    col_choix.selectbox(
        f"Communes trouvées ({len(trouvees)})",
        options=list(par_code),
        format_func=lambda code: par_code[code].libelle,
        key="choix_commune",
        on_change=etat.choix_change,
    )
elif saisie.strip():
    col_choix.warning(f"Aucune commune de l'Isère ne correspond à « {litteral(saisie.strip())} ».")
col_rayon.selectbox(
    "Rayon",
    options=[*RAYONS_KM, etat.TOUT_LE_DEPARTEMENT],
    format_func=lambda r: f"{r} km" if r else "Tout le département",
    key="f_rayon",
)

# --- Filtres ---------------------------------------------------------------------------------
# Replié tant qu'aucun de ses filtres n'a été actif : sur un téléphone, la liste reste proche.
# Une fois un filtre posé, il reste ouvert : ôter le dernier filtre ne le referme pas sous les doigts.
if set(etat.filtres_courants().actifs()) - {"rayon_km"}:
    st.session_state["affinage_ouvert"] = True
with st.expander(
    "Affiner : type, public, langue, ouvert maintenant, territoire, mots",
    expanded=st.session_state.get("affinage_ouvert", False),
):
    col_a, col_b = st.columns(2)
    col_a.toggle("Ouvert maintenant", key="f_ouvert", help="D'après les horaires de la fiche.")
    col_b.checkbox(
        "Afficher aussi les partenaires du protocole",
        key="f_partenaires",
        help="Signataires et institutions sans accueil direct du public.",
    )
    col_a.multiselect(
        "Type de structure",
        options=list(TypeActeur),
        format_func=lambda t: t.libelle,
        key="f_types",
        placeholder="Tous les types",
    )
    col_a.multiselect(
        "Public accueilli",
        options=list(Public),
        format_func=lambda p: p.libelle,
        key="f_publics",
        placeholder="Tous les publics",
    )
    col_b.multiselect(
        "Axe du protocole",
        options=list(Axe),
        format_func=lambda a: f"{a.value}. {a.libelle}",
        key="f_axes",
        placeholder="Tous les axes",
    )
    col_a.multiselect(
        "Langue parlée",
        options=list(Langue),
        format_func=lambda x: x.libelle,
        key="f_langues",
        placeholder="Toutes les langues",
    )
    col_b.selectbox(
        "Territoire (CISPD)",
        options=["", *territoires],
        format_func=lambda t: t or "Tous les territoires",
        key="f_territoire",
    )
    st.text_input(
        "Mots dans le nom, la structure ou la description",
        key="f_texte",
        placeholder="ex. écoute, juridique, enfants",
    )

filtres = etat.filtres_courants()
point = st.session_state.get("point")
etat.ecrire_url(filtres, point)
suivi.noter_recherche("carte", filtres, point)

actifs = filtres.actifs()
etat.boutons_filtres_actifs(actifs, point)

# --- Résultats : liste d'abord (elle passe avant la carte sur un téléphone), puis carte -----
resultats = annuaire.rechercher(filtres, point)
col_liste, col_carte = st.columns([5, 7], gap="medium")

with col_liste:
    # Le libellé du point et le texte cherché viennent d'une saisie : affichés tels quels.
    # Titre de niveau 2 (après le h1), cible du lien d'évitement « Aller aux résultats ».
    st.header(litteral(intitule(resultats)), anchor="resultats")
    if point is not None:
        # Les distances partent de ce point : dire s'il est exact ou approximatif.
        st.caption(f"Point de départ — {point.precision.libelle.lower()}")
    if resultats.tronques:
        st.caption(f"Les {len(resultats.resultats)} plus proches sont affichés.")
    remise.panneau(resultats, annuaire)
    if resultats.total:
        # Le lien ne porte que la commune (voir `vers_parametres`) : le dire quand il y a mieux.
        precis = point is not None and point.precision is not Precision.COMMUNE
        st.caption(PARTAGE + (PARTAGE_SANS_ADRESSE if precis else "."))
    else:
        st.info(
            "Aucun acteur ne correspond à cette recherche"
            + (" : " + " ; ".join(litteral(v) for v in actifs.values()) if actifs else "")
            + "."
        )
        for elargi in annuaire.elargissements(filtres, point):
            st.button(
                f"Élargir : sans « {litteral(elargi.libelle)} »"
                f" ({elargi.total} {accorder(elargi.total)})",
                on_click=etat.oter_filtre,
                args=(elargi.critere,),
                key=f"elargir_{elargi.critere}",
            )
    if resultats.couvrants:
        st.subheader("Services qui couvrent cette commune", anchor=False)
        st.caption("Sans lieu d'accueil dans la commune : ils se joignent par téléphone.")
        for couvrant in resultats.couvrants:
            with st.container(border=True):
                st.html(html_couvrant(couvrant, lien_fiche(couvrant.id, filtres, point)))
    visibles = st.session_state.setdefault("nb_visibles", PAR_PAGE)
    for rang, resultat in enumerate(resultats.resultats[:visibles], start=1):
        with st.container(border=True):
            st.html(html_resultat(resultat, rang, lien_fiche(resultat.acteur.id, filtres, point)))
            remise.bouton_ajouter(resultat.acteur.id)
    if len(resultats.resultats) > visibles:
        st.button(f"Afficher {PAR_PAGE} de plus", on_click=etat.afficher_plus, args=(PAR_PAGE,))

with col_carte:
    st.caption("Cliquez sur la carte pour chercher autour d'un point. Liste complète à gauche.")
    retour = carte.afficher(
        donnees_carte(
            resultats.resultats,
            point=point,
            rayon_km=filtres.rayon_km,
            territoire=filtres.territoire,
        ),
        tuiles_url=config.lire("TUILES_URL"),
        tuiles_attribution=config.lire("TUILES_ATTRIBUTION"),
        key="carte",
        height=560,
    )

if avertissement := etat.suivre_clic(retour):
    st.warning(avertissement)
