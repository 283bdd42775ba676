"""Les lieux de la fiche : ceux que la professionnelle a choisis, sinon les plus proches.

Le lien partageable (celui du code QR) ne porte que les identifiants des fiches choisies et la
langue : jamais une adresse tapée, un point cliqué ni rien qui désigne la personne — la même
règle que `cartographie.recherche.filtres.vers_parametres`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

from cartographie.modele import Acteur, TypeActeur
from cartographie.modele.referentiels import Nature
from cartographie.recherche.filtres import Resultat, Resultats
from cartographie.remise.langues import LangueFiche

MAX_CHOISIES = 8
"""Au-delà, la fiche n'est plus « les deux ou trois lieux qui lui conviennent »."""

PROPOSEES_SANS_CHOIX = 5
"""Sans choix, la fiche propose les ressources les plus proches, pas toute la liste."""

# Ce qu'une fiche « par défaut » ne propose jamais : un partenaire sans accueil direct, ni un
# service destiné aux auteurs de violences (il peut être choisi, jamais proposé d'office).
_JAMAIS_PROPOSES = frozenset({TypeActeur.AUTEURS})

PARAMETRE_FICHES = "fiches"
PARAMETRE_LANGUE = "langue"
_ID = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


def proposees(resultats: Resultats) -> list[Resultat]:
    """Sans choix : les ressources les plus proches d'un point ; rien sans point de départ.

    Sans point (« tout le département »), la liste est alphabétique : ses premières fiches ne
    conviennent à personne en particulier.
    """
    if resultats.point is None:
        return []
    return [
        r
        for r in resultats.resultats
        if r.acteur.nature is Nature.RESSOURCE and r.acteur.type not in _JAMAIS_PROPOSES
    ][:PROPOSEES_SANS_CHOIX]


def choisies(
    ids: Sequence[str], resultats: Resultats, acteurs: Mapping[str, Acteur]
) -> list[Resultat]:
    """Les fiches choisies, dans l'ordre voulu, en version publique.

    La distance est celle de la recherche en cours quand la fiche y figure ; une fiche choisie
    lors d'une autre recherche garde sa place, sans distance. Une fiche archivée depuis (plus
    dans `acteurs`) disparaît.
    """
    dans_la_liste = {r.acteur.id: r for r in resultats.resultats}
    choix = []
    for acteur_id in dict.fromkeys(ids):
        if acteur_id in dans_la_liste:
            choix.append(dans_la_liste[acteur_id])
        elif acteur_id in acteurs:
            choix.append(Resultat(acteurs[acteur_id], None))
    return choix[:MAX_CHOISIES]


def lieux_de_la_fiche(
    ids: Sequence[str], resultats: Resultats, acteurs: Mapping[str, Acteur]
) -> list[Resultat]:
    """Ce que la fiche imprimera : le choix s'il y en a un, sinon les plus proches."""
    return choisies(ids, resultats, acteurs) if ids else proposees(resultats)


def deplacer(ids: Sequence[str], acteur_id: str, pas: int) -> list[str]:
    """La liste avec `acteur_id` monté (pas = -1) ou descendu (pas = 1) d'un rang."""
    liste = list(ids)
    if acteur_id not in liste:
        return liste
    rang = liste.index(acteur_id)
    cible = max(0, min(len(liste) - 1, rang + pas))
    liste.insert(cible, liste.pop(rang))
    return liste


def lien_partage(adresse: str, ids: Sequence[str], langue: LangueFiche) -> str:
    """Le lien qui rouvre ces fiches sur un téléphone : identifiants et langue, rien d'autre."""
    parametres = {PARAMETRE_FICHES: ",".join(i for i in dict.fromkeys(ids) if _ID.match(i))}
    if langue is not LangueFiche.FRANCAIS:
        parametres[PARAMETRE_LANGUE] = langue.value
    return f"{adresse.rstrip('/')}/?{urlencode(parametres, safe=',')}"


def depuis_lien(
    parametres: Mapping[str, str], connus: Mapping[str, Acteur]
) -> tuple[list[str], LangueFiche]:
    """Relit un lien partagé : fiches connues (au plus `MAX_CHOISIES`) et langue (français sinon)."""
    ids = [
        i
        for i in dict.fromkeys(parametres.get(PARAMETRE_FICHES, "").split(","))
        if _ID.match(i) and i in connus
    ]
    code = parametres.get(PARAMETRE_LANGUE, "")
    langue = next((lg for lg in LangueFiche if lg.value == code), LangueFiche.FRANCAIS)
    return ids[:MAX_CHOISIES], langue
