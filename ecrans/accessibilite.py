"""Accessibilité : la déclaration RGAA, avec les résultats de l'audit que la suite de tests vérifie."""

import streamlit as st

from cartographie import config
from cartographie.accessibilite import LIBELLES_ECRAN, LIBELLES_IMPACT, lire_audit

st.title("Accessibilité")

service = config.lire("MARQUE_ETAT").strip() or (
    "La délégation départementale aux droits des femmes et à l'égalité de l'Isère (DDFE)"
)
st.markdown(
    f"{service} s'engage à rendre ses services numériques accessibles, conformément à"
    " l'article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration d'accessibilité"
    " s'applique à la **Cartographie des acteurs — violences faites aux femmes et"
    " intrafamiliales, Isère**."
)

st.header("État de conformité", anchor=False)
st.markdown(
    "Aucun audit complet des 106 critères du RGAA 4.1 n'a encore été mené par un auditeur"
    " indépendant : au sens du RGAA, le site est donc déclaré **non conforme** tant que cet"
    " audit n'a pas eu lieu. En attendant, l'application est vérifiée à chaque modification par"
    " les tests automatiques décrits ci-dessous, et les points listés ont été vérifiés à la main."
)

audit = lire_audit()
st.header("Résultats des tests automatiques", anchor=False)
if audit is None:
    st.info("Aucun audit automatique n'a encore été enregistré.")
else:
    st.markdown(
        f"Audit du **{audit.date}** : {audit.outil} lancé dans {audit.navigateur}, sur un"
        " ordinateur (fenêtre de 1400 × 1000 pixels) et un téléphone (390 × 844), pour chaque"
        " page publique et de l'espace DDFE, dans les états qui comptent (page vide, après une"
        " recherche, filtres ouverts, message d'erreur, aperçu d'un import). Règles : WCAG 2.0,"
        " 2.1 et 2.2, niveaux A et AA (dont dérive le RGAA), et bonnes pratiques d'axe."
    )
    if audit.graves == 0:
        st.success("Aucune violation grave ni critique, sur aucune page ni aucun écran.")
    else:
        st.error(f"{audit.graves} violations graves ou critiques restent à corriger.")
    st.table(
        [
            {
                "Page et état": ligne.etat,
                "Écran": LIBELLES_ECRAN.get(ligne.ecran, ligne.ecran),
                **{
                    f"Règles enfreintes — {libelle}": ligne.par_impact.get(impact, 0)
                    for impact, libelle in LIBELLES_IMPACT.items()
                },
            }
            for ligne in audit.lignes
        ]
    )
    if audit.restantes:
        st.subheader("Ce qui reste (gravité mineure ou modérée)", anchor=False)
        for regle in audit.restantes:
            st.markdown(
                f"- **{regle.regle}** ({LIBELLES_IMPACT.get(regle.impact, regle.impact)}) :"
                f" {regle.aide} — {', '.join(regle.etats)}."
            )

st.header("Vérifié par des tests de parcours", anchor=False)
st.markdown(
    """
- **Clavier seul** : du chargement de la page au lien d'appel d'un résultat et à « Quitter
  rapidement » avec Tab, Entrée, les flèches et Échap ; lien « Aller aux résultats » en premier
  arrêt ; focus visible à chaque arrêt ; la carte ne retient pas le focus.
- **Téléphone (390 × 844)** : champ de recherche dans le premier tiers de l'écran, bandeau
  d'urgence compact (les cinq numéros à un geste), « Quitter rapidement » toujours visible,
  liste avant la carte, cibles tactiles d'au moins 44 × 44 pixels.
- **Reflow et zoom** : à 320 pixels de large et à 200 % de zoom, pas de défilement horizontal
  et rien de perdu (WCAG 1.4.10).
- **Langue** : document en français (`lang="fr"`), textes et libellés lus par les lecteurs
  d'écran en français, y compris ceux du cadre Streamlit.
"""
)

st.header("Non-conformités et limites connues", anchor=False)
st.markdown(
    """
- **Carte** : c'est une illustration. Toutes ses informations (nom, type, commune, distance,
  téléphone) sont dans la liste des résultats, qui passe avant elle. Chaque marqueur porte la
  couleur et le sigle de son type, expliqués par la légende ; les marqueurs ne reçoivent pas le
  focus (au clavier, la liste donne les mêmes informations) ; la carte se déplace aux flèches.
- **Message « Page introuvable »** (adresse inconnue) : sur un téléphone, il recouvre les
  numéros d'urgence jusqu'à sa fermeture ; « Quitter rapidement » reste visible.
- **Textes du cadre Streamlit** : traduits en français par un script de la page ; pendant le
  tout premier affichage, avant ce script, quelques libellés peuvent être lus en anglais.
- **Fiche à remettre (PDF)** : document non balisé pour les lecteurs d'écran ; les mêmes
  informations sont dans la page.
- **Tableaux de l'espace DDFE** (grilles interactives) : lecture partielle par les lecteurs
  d'écran ; chaque tableau s'exporte en CSV.
- **Non vérifié à ce jour** : restitution avec les lecteurs d'écran NVDA, JAWS et VoiceOver ;
  modes de contraste élevé.
"""
)

st.header("Signaler un problème", anchor=False)
contact = config.lire("CONTACT_ACCESSIBILITE").strip()
if contact:
    lien = contact if contact.startswith(("http://", "https://")) else f"mailto:{contact}"
    st.markdown(
        "Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez-nous : nous vous"
        f" répondrons et vous donnerons l'information par un autre moyen. Contact : [{contact}]({lien})."
    )
else:
    st.markdown(
        "Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez la délégation"
        " départementale aux droits des femmes et à l'égalité de l'Isère, à la préfecture de"
        " l'Isère : elle vous répondra et vous donnera l'information par un autre moyen."
    )
st.markdown(
    "En cas d'urgence, n'attendez pas de réponse : les numéros en haut de chaque page"
    " (3919, 17, 114 par SMS, 115, 119) répondent à toute heure."
)

st.header("Voies de recours", anchor=False)
st.markdown(
    """
Si vous nous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou
à un service et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez :

- écrire un message au Défenseur des droits (formulaire en ligne sur defenseurdesdroits.fr) ;
- contacter le délégué du Défenseur des droits dans votre région ;
- envoyer un courrier, gratuitement, sans timbre : Défenseur des droits, Libre réponse 71120,
  75342 Paris CEDEX 07.
"""
)
