"""Fiches d'acteurs fabriquées pour les tests de recherche, de carte et de page."""

from __future__ import annotations

from dataclasses import replace

import duckdb

from cartographie.modele import Acteur, Axe, Precision, Public, TypeActeur
from cartographie.stockage import acteurs as depot_acteurs

# Un hébergement confidentiel à Voiron, à une position exacte qui ne doit jamais sortir.
SECRET_LAT, SECRET_LON = 45.36421, 5.60187
SECRET_ADRESSE = "12 impasse des Tilleuls"

# Les champs de texte libre d'une fiche : du HTML y est gardé tel quel, puis montré comme texte.
CHAMPS_TEXTE_LIBRE = (
    "nom",
    "structure",
    "description",
    "adresse",
    "complement_adresse",
    "horaires_precisions",
    "conditions_acces",
    "source",
)
"""Les champs de texte libre : n'importe quel texte y est gardé tel quel (et montré comme texte).
Les horaires d'accueil, eux, suivent la syntaxe OpenStreetMap : un texte piégé y est refusé."""

HOSTILE = '<script>alert("nom")</script><img src=x onerror=alert(1)>${alert(2)}`'


def acteur(identifiant: str, **champs: object) -> Acteur:
    """Un acteur actif valide à Grenoble, modifiable champ par champ."""
    base = Acteur(
        id=identifiant,
        nom=f"Acteur {identifiant}",
        type=TypeActeur.LEAO,
        code_insee="38185",
        commune="Grenoble",
        code_postal="38000",
        latitude=45.1885,
        longitude=5.7245,
        telephone="04 76 00 00 00",
        axes=(Axe.VIOLENCES_INTRAFAMILIALES,),
        publics=(Public.FEMMES_VICTIMES,),
        precision_localisation=Precision.ADRESSE,
    )
    return replace(base, **champs)


def confidentiel() -> Acteur:
    """Le lieu d'hébergement dont l'adresse est secrète."""
    return acteur(
        "hebergement-secret",
        nom="Hébergement confidentiel de test",
        type=TypeActeur.HEBERGEMENT,
        code_insee="38563",
        commune="Voiron",
        code_postal="38500",
        adresse=SECRET_ADRESSE,
        latitude=SECRET_LAT,
        longitude=SECRET_LON,
        adresse_confidentielle=True,
    )


def hostile() -> Acteur:
    """Une fiche dont chaque texte contient du HTML et du JavaScript."""
    return acteur(
        "fiche-hostile",
        nom=HOSTILE,
        structure=HOSTILE,
        description=HOSTILE,
        horaires_accueil=HOSTILE,
        horaires_precisions=HOSTILE,
        conditions_acces=HOSTILE,
        adresse=HOSTILE,
        site_web="javascript:alert(3)",
        telephone='04 76 <b>"',
        type=TypeActeur.HEBERGEMENT,
        code_insee="38563",
        commune="Voiron",
        code_postal="38500",
        latitude=45.37,
        longitude=5.59,
    )


def ajouter(con: duckdb.DuckDBPyConnection, *acteurs: Acteur) -> None:
    """Insère des fiches dans une base déjà initialisée."""
    depot_acteurs.inserer(con, acteurs)
