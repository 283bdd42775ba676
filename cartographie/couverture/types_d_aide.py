"""Les formes d'aide dont on mesure la couverture, et les types d'acteurs qui les rendent.

Déclaré une fois ici : la table, la page, le bilan annuel et la ligne de commande en dérivent.
Seuls les types où une femme (ou une professionnelle pour elle) peut s'adresser entrent : la
justice, les institutions, les auteurs… ne sont pas une porte d'aide mesurable en distance.
"""

from __future__ import annotations

from cartographie.modele import Referentiel, TypeActeur


class Aide(Referentiel):
    """Une forme d'aide essentielle, dans l'ordre où le protocole les présente."""

    ACCUEIL_DE_JOUR = ("accueil_de_jour", "Accueil de jour")
    LEAO = ("leao", "Lieu d'écoute (LEAO)")
    HEBERGEMENT = ("hebergement", "Hébergement")
    FORCES_ORDRE = ("forces_ordre_iscg", "Intervenant social / forces de l'ordre")
    AIDE_VICTIMES = ("aide_victimes_droit", "Aide aux victimes / accès au droit")
    SANTE = ("sante", "Santé (urgences, UMJ, maison des femmes)")
    ERPE = ("erpe", "Espace rencontre parents-enfants (ERPE)")
    CPEF = ("cpef", "CPEF / santé sexuelle")


TYPES_PAR_AIDE: dict[Aide, frozenset[TypeActeur]] = {
    Aide.ACCUEIL_DE_JOUR: frozenset({TypeActeur.ACCUEIL_DE_JOUR}),
    Aide.LEAO: frozenset({TypeActeur.LEAO}),
    Aide.HEBERGEMENT: frozenset({TypeActeur.HEBERGEMENT}),
    Aide.FORCES_ORDRE: frozenset({TypeActeur.ISCG, TypeActeur.FORCES_ORDRE}),
    Aide.AIDE_VICTIMES: frozenset({TypeActeur.AIDE_VICTIMES, TypeActeur.ACCES_DROIT}),
    Aide.SANTE: frozenset({TypeActeur.SANTE}),
    Aide.ERPE: frozenset({TypeActeur.ERPE}),
    Aide.CPEF: frozenset({TypeActeur.PLANNING_FAMILIAL}),
}

AIDE_DU_TYPE: dict[TypeActeur, Aide] = {t: aide for aide, ts in TYPES_PAR_AIDE.items() for t in ts}
"""Type d'acteur → forme d'aide ; un type absent (justice, institution…) n'est pas mesuré."""
