"""Les normes minimales du Conseil de l'Europe, et ce que la cartographie permet d'en comparer.

Chaque norme cite sa source telle qu'elle a été lue. Quand une donnée manque (population
féminine par commune, capacité d'un hébergement, type d'acteur distinct), la comparaison le
dit au lieu d'estimer : un chiffre deviné se retrouverait dans le bilan annuel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cartographie.consultations.statistiques import Lignes
from cartographie.couverture.calcul import TableCouverture
from cartographie.couverture.types_d_aide import Aide


@dataclass(frozen=True, slots=True)
class Source:
    """Un texte de référence, et où il a été lu."""

    titre: str
    auteur: str
    annee: int
    url: str
    lu: str  # ce que la page consultée en reprend


ETUDE_2008 = Source(
    titre="Combating violence against women: minimum standards for support services",
    auteur="Conseil de l'Europe, Direction générale des droits de l'homme et des affaires"
    " juridiques, Strasbourg",
    annee=2008,
    url="https://femcities.at/de/topics/combatting-violence-against-women/?artikel_media_id=22",
    lu="tableau « Required provisions and their minimum levels of provision » de l'étude,"
    " repris par le réseau FEMCITIES (étude publiée en septembre 2008)",
)
RAPPORT_EXPLICATIF = Source(
    titre="Rapport explicatif de la Convention du Conseil de l'Europe sur la prévention et la"
    " lutte contre la violence à l'égard des femmes et la violence domestique (Convention"
    " d'Istanbul, STCE n° 210), article 23 « Refuges »",
    auteur="Conseil de l'Europe",
    annee=2011,
    url="https://eige.europa.eu/publications-resources/thesaurus/terms/1180",
    lu="thésaurus de l'Institut européen pour l'égalité entre les hommes et les femmes (EIGE),"
    " entrée « women's shelter », qui résume la recommandation du rapport explicatif",
)
SOURCES = (ETUDE_2008, RAPPORT_EXPLICATIF)

POPULATION_FEMININE_ABSENTE = (
    "la population féminine par commune n'est pas dans le référentiel des communes (elle est"
    " publiée par l'INSEE, recensement, population par sexe) : à ajouter pour calculer"
)


@dataclass(frozen=True, slots=True)
class Norme:
    """Une norme minimale, citée mot pour mot (anglais) et traduite."""

    service: str
    citation: str  # texte original tel que lu ; vide si non retrouvé
    traduction: str
    sources: tuple[Source, ...]
    retrouvee: bool = True  # False : chiffre non retrouvé dans les sources consultées


REFUGES = Norme(
    service="Refuges (hébergement spécialisé)",
    citation="One family place per 10 000 of the population.",
    traduction="une place « famille » (un lit pour la mère et le nombre moyen d'enfants) pour"
    " 10 000 habitants",
    sources=(ETUDE_2008, RAPPORT_EXPLICATIF),
)
REFUGE_PAR_REGION = Norme(
    service="Refuges : présence",
    citation="There should at least be one specialized shelter for victims of violence against"
    " women in every province/region.",
    traduction="au moins un refuge spécialisé par province ou région",
    sources=(ETUDE_2008,),
)
CENTRES_VIOL = Norme(
    service="Centres d'aide aux victimes de viol (rape crisis centres)",
    citation="One per 200 000 women. There should be at least one centre per region.",
    traduction="un centre pour 200 000 femmes, au moins un par région",
    sources=(ETUDE_2008,),
)
CENTRES_AGRESSION = Norme(
    service="Centres de prise en charge des agressions sexuelles (sexual assault centres)",
    citation="One per 400 000 women",
    traduction="un centre pour 400 000 femmes (signalement, examens médico-légaux et soins)",
    sources=(ETUDE_2008,),
)
CENTRES_CONSEIL = Norme(
    service="Centres de conseil pour les femmes (women's counselling centres)",
    citation="",
    traduction="un centre pour 50 000 femmes (chiffre donné par la demande de la DDFE)",
    sources=(ETUDE_2008,),
    retrouvee=False,
)
NORMES = (REFUGES, REFUGE_PAR_REGION, CENTRES_VIOL, CENTRES_AGRESSION, CENTRES_CONSEIL)


@dataclass(frozen=True, slots=True)
class Comparaison:
    """Une norme appliquée à l'Isère : ce qu'elle demande, ce qui existe, ce qui manque."""

    norme: Norme
    requis: str
    existant: str
    constat: str
    donnees_manquantes: str = ""


def _nombre(valeur: float) -> str:
    return f"{valeur:,.0f}".replace(",", "\u202f")


def comparer(table: TableCouverture) -> list[Comparaison]:
    """Les normes comparées aux ressources du département (une ligne par norme)."""
    population = int(table.populations.sum())
    hebergements = [r for r in table.ressources if r.aide is Aide.HEBERGEMENT]
    connues = [r.capacite for r in hebergements if r.capacite is not None]
    requis = f"{math.ceil(population / 10_000)} places ({_nombre(population)} habitants)"
    inconnues = len(hebergements) - len(connues)
    manques = []
    if not hebergements:
        existant, constat = "aucun hébergement", "en dessous de la norme"
    elif not connues:
        existant = f"{len(hebergements)} hébergement(s), capacité inconnue"
        constat = "non calculable"
        manques.append(
            f"capacité inconnue pour les {len(hebergements)} hébergement(s) (champ « Capacité"
            " (places) » des fiches)"
        )
    else:
        places = sum(connues)
        atteinte = places >= math.ceil(population / 10_000)
        if inconnues:
            existant = f"au moins {places} places"
            constat = "atteinte" if atteinte else "non établie (capacités incomplètes)"
            manques.append(
                f"capacité inconnue pour {inconnues} hébergement(s) sur {len(hebergements)}"
            )
        else:
            existant = f"{places} places"
            constat = "atteinte" if atteinte else "en dessous de la norme"
    if hebergements:
        manques.append("une place de fiche n'est pas forcément une « place famille »")
    refuges = Comparaison(REFUGES, requis, existant, constat, " ; ".join(manques))
    presence = Comparaison(
        REFUGE_PAR_REGION,
        "au moins 1 dans le département",
        f"{len(hebergements)} hébergement(s)",
        "atteinte" if hebergements else "en dessous de la norme",
    )
    sante = table.nombre_de_ressources(Aide.SANTE)
    ecoute = table.nombre_de_ressources(Aide.LEAO) + table.nombre_de_ressources(
        Aide.ACCUEIL_DE_JOUR
    )
    viol = Comparaison(
        CENTRES_VIOL,
        "non calculable",
        "pas de type distinct dans le référentiel",
        "non calculable",
        f"{POPULATION_FEMININE_ABSENTE} ; le référentiel des types n'a pas de « centre d'aide"
        " aux victimes de violences sexuelles » distinct",
    )
    agression = Comparaison(
        CENTRES_AGRESSION,
        "non calculable",
        f"{sante} ressource(s) « santé » (UMJ, urgences et maison des femmes confondues)",
        "non calculable",
        f"{POPULATION_FEMININE_ABSENTE} ; l'UMJ n'est pas un type distinct des autres"
        " ressources de santé",
    )
    conseil = Comparaison(
        CENTRES_CONSEIL,
        "non calculable",
        f"{ecoute} lieu(x) d'écoute (LEAO) ou accueil(s) de jour",
        "non calculable",
        f"{POPULATION_FEMININE_ABSENTE} ; le chiffre de 1 pour 50 000 femmes n'a pas été"
        " retrouvé dans les sources consultées : à vérifier dans l'étude de 2008 avant de"
        " l'utiliser",
    )
    return [refuges, presence, viol, agression, conseil]


def tableau_normes(comparaisons: list[Comparaison]) -> Lignes:
    """Le tableau des normes, tel que montré et exporté."""
    return [
        {
            "Service": c.norme.service,
            "Norme (Conseil de l'Europe)": c.norme.traduction,
            "Texte cité": c.norme.citation or "non retrouvé dans les sources consultées",
            "Requis en Isère": c.requis,
            "Existant (fiches actives)": c.existant,
            "Constat": c.constat,
            "Données manquantes": c.donnees_manquantes or "—",
            "Source": " ; ".join(f"{s.titre} ({s.annee}), {s.url}" for s in c.norme.sources),
        }
        for c in comparaisons
    ]


def references() -> list[str]:
    """Les sources, une ligne chacune : titre, auteur, année, adresse, où le texte a été lu."""
    return [f"« {s.titre} », {s.auteur}, {s.annee}. Lu : {s.lu}. {s.url}" for s in SOURCES]
