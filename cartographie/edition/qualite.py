"""Le rapport de qualité des fiches, pour la DDFE : ce qui est joignable, daté, placé, vérifié, et
les territoires où manque une forme d'aide.

Un seul calcul, lu par `python -m cartographie qualite` et par la page « Fiches à vérifier ».
Les parts se comptent sur les fiches actives ; une ligne par nature, par type et par territoire.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from cartographie.communes import Commune
from cartographie.couverture.types_d_aide import AIDE_DU_TYPE, Aide
from cartographie.edition.fraicheur import MOIS_COORDONNEES, est_a_jour
from cartographie.horloge import mois_avant
from cartographie.modele import Acteur, Nature, Precision, Statut
from cartographie.zones import couvre

_A_L_ADRESSE = frozenset({Precision.MANUELLE, Precision.ADRESSE, Precision.RUE})


@dataclass(frozen=True, slots=True)
class LigneQualite:
    """Les indicateurs d'un groupe de fiches actives (une nature, un type ou un territoire)."""

    groupe: str
    valeur: str
    fiches: int
    contact_direct: int
    horaires_structures: int
    a_l_adresse: int
    source_recente: int
    verifiees: int


@dataclass(frozen=True, slots=True)
class RapportQualite:
    """Les lignes du rapport et, par territoire, les formes d'aide sans aucune ressource."""

    lignes: tuple[LigneQualite, ...]
    manques: dict[str, tuple[Aide, ...]]
    aujourd_hui: date


def contact_direct(acteur: Acteur) -> bool:
    """Un téléphone ou un courriel du service lui-même."""
    return bool(acteur.telephone or acteur.courriel)


def _ligne(
    groupe: str, valeur: str, acteurs: Sequence[Acteur], aujourd_hui: date, mois: int
) -> LigneQualite:
    limite = mois_avant(aujourd_hui, MOIS_COORDONNEES)

    def compter(critere: Callable[[Acteur], bool]) -> int:
        return sum(1 for a in acteurs if critere(a))

    return LigneQualite(
        groupe,
        valeur,
        len(acteurs),
        compter(contact_direct),
        compter(lambda a: bool(a.horaires_accueil)),
        compter(lambda a: a.precision_localisation in _A_L_ADRESSE),
        compter(lambda a: a.date_source is not None and a.date_source >= limite),
        compter(lambda a: est_a_jour(a, aujourd_hui, mois)),
    )


def rapport(
    acteurs: Iterable[Acteur], communes: Sequence[Commune], aujourd_hui: date, mois: int = 12
) -> RapportQualite:
    """Le rapport des fiches actives ; `mois` est le seuil de vérification (12 par défaut)."""
    actifs = [a for a in acteurs if a.statut is Statut.ACTIF]
    lignes = [_ligne("Ensemble", "toutes les fiches actives", actifs, aujourd_hui, mois)]
    for nature in Nature:
        groupe = [a for a in actifs if a.nature is nature]
        lignes.append(_ligne("Nature", nature.libelle, groupe, aujourd_hui, mois))
    for type_ in sorted({a.type for a in actifs}, key=lambda t: t.libelle):
        groupe = [a for a in actifs if a.type is type_]
        lignes.append(_ligne("Type", type_.libelle, groupe, aujourd_hui, mois))
    territoires = sorted({c.territoire for c in communes})
    for territoire in territoires:
        groupe = [a for a in actifs if a.territoire == territoire]
        lignes.append(_ligne("Territoire", territoire, groupe, aujourd_hui, mois))
    ressources = [a for a in actifs if a.nature is Nature.RESSOURCE]
    manques = {t: _aides_absentes(t, ressources, communes) for t in territoires}
    return RapportQualite(tuple(lignes), manques, aujourd_hui)


def _aides_absentes(
    territoire: str, ressources: Sequence[Acteur], communes: Sequence[Commune]
) -> tuple[Aide, ...]:
    """Les formes d'aide sans aucune ressource située dans le territoire ni couvrant une de ses
    communes."""
    siennes = [c for c in communes if c.territoire == territoire]
    presentes = {
        AIDE_DU_TYPE[a.type]
        for a in ressources
        if a.type in AIDE_DU_TYPE
        and (a.territoire == territoire or any(couvre(a.zone_eligibilite, c) for c in siennes))
    }
    return tuple(aide for aide in Aide if aide not in presentes)


def pour_cent(partie: int, total: int) -> str:
    """« 42 % », ou « — » sans fiche."""
    return f"{round(100 * partie / total)} %" if total else "—"


def en_texte(rapport_: RapportQualite) -> str:
    """Le rapport lisible au terminal (ligne de commande), en français."""
    entete = (
        f"{'Groupe':<12} {'':<46} {'fiches':>6} {'contact':>8} {'horaires':>9}"
        f" {'adresse':>8} {'src<24m':>8} {'vérif.':>7}"
    )
    lignes = [f"Qualité des fiches actives au {rapport_.aujourd_hui:%d/%m/%Y}", "", entete]
    for ligne in rapport_.lignes:
        n = ligne.fiches
        lignes.append(
            f"{ligne.groupe:<12} {ligne.valeur[:46]:<46} {n:>6}"
            f" {pour_cent(ligne.contact_direct, n):>8} {pour_cent(ligne.horaires_structures, n):>9}"
            f" {pour_cent(ligne.a_l_adresse, n):>8} {pour_cent(ligne.source_recente, n):>8}"
            f" {pour_cent(ligne.verifiees, n):>7}"
        )
    lignes += [
        "",
        "contact : téléphone ou courriel du service ; horaires : au format OpenStreetMap ;",
        "adresse : placée à l'adresse ou à la rue ; src<24m : coordonnées sourcées depuis moins de",
        "24 mois ; vérif. : confirmée depuis moins de 12 mois (« Marquer comme vérifiée »).",
        "",
        "Formes d'aide sans aucune ressource dans le territoire (ni service qui le couvre) :",
    ]
    for territoire, aides in rapport_.manques.items():
        manque = ", ".join(a.libelle for a in aides) if aides else "aucune"
        lignes.append(f"- {territoire} : {manque}")
    return "\n".join(lignes)
