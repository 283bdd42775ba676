"""Les référentiels du modèle : des énumérations dont chaque membre porte un libellé français.

Les référentiels sont des énumérations dans le code : leurs codes sont stockés (stables, sans
accent), leurs libellés sont ceux que lisent les professionnels. Un code inconnu est une erreur
de saisie, pas une nouvelle catégorie.
"""

from __future__ import annotations

import functools
from enum import StrEnum

from babel import Locale


class Referentiel(StrEnum):
    """Énumération dont chaque membre porte un libellé français."""

    libelle: str

    def __new__(cls, code: str, libelle: str) -> Referentiel:
        membre = str.__new__(cls, code)
        membre._value_ = code
        membre.libelle = libelle
        return membre

    @classmethod
    def depuis(cls, texte: str) -> Referentiel:
        """Retrouve un membre par son code ou son libellé ; lève ValueError sinon."""
        valeur = texte.strip()
        membre = _par_texte(cls).get(valeur)
        if membre is None:
            raise ValueError(f"« {valeur} » n'est pas une valeur admise ({cls.valeurs_admises()})")
        return membre

    @classmethod
    def valeurs_admises(cls) -> str:
        """Les codes admis, pour les messages d'erreur."""
        return ", ".join(m.value for m in cls)


@functools.cache
def _par_texte(referentiel: type[Referentiel]) -> dict[str, Referentiel]:
    """Code et libellé → membre (un import de 50 000 lignes en lit 350 000)."""
    par_texte: dict[str, Referentiel] = {}
    for membre in referentiel:  # le premier membre qui porte ce code ou ce libellé
        par_texte.setdefault(membre.value, membre)
        par_texte.setdefault(membre.libelle, membre)
    return par_texte


class TypeActeur(Referentiel):
    """Type d'acteur ou de service, tel que le protocole les nomme."""

    ACCUEIL_DE_JOUR = ("accueil_de_jour", "Accueil de jour")
    LEAO = ("leao", "Lieu d'accueil, d'écoute et d'orientation (LEAO)")
    HEBERGEMENT = ("hebergement", "Hébergement (urgence / insertion)")
    ERPE = ("erpe", "Espace rencontre parents-enfants (ERPE)")
    ISCG = ("iscg", "Intervenant social en commissariat / gendarmerie (ISCG)")
    AIDE_VICTIMES = ("aide_victimes", "Aide aux victimes (France Victimes)")
    ACCES_DROIT = ("acces_droit", "CIDFF / accès au droit")
    AUTEURS = ("auteurs", "Prise en charge des auteurs")
    SANTE = ("sante", "Santé (UMJ, urgences, maison des femmes)")
    PLANNING_FAMILIAL = ("planning_familial", "Planning familial / CPEF / EVARS")
    FORCES_ORDRE = ("forces_ordre", "Forces de l'ordre")
    JUSTICE = ("justice", "Justice")
    INSTITUTION = ("institution", "Institution / coordination")
    PROSTITUTION = ("prostitution", "Accompagnement prostitution / traite")
    LOGEMENT_INSERTION = ("logement_insertion", "Logement, emploi et insertion")
    ACTION_SOCIALE = ("action_sociale", "Action sociale et familiale")
    EDUCATION = ("education", "Éducation et jeunesse")


class Axe(Referentiel):
    """Les quatre axes du protocole départemental."""

    VIOLENCES_INTRAFAMILIALES = ("1", "Violences intrafamiliales")
    VIOLENCES_SEXUELLES = ("2", "Viols, agressions sexuelles et harcèlement")
    PROSTITUTION = ("3", "Prostitution")
    OUTILS_DEPARTEMENTAUX = ("4", "Outils départementaux")


class Public(Referentiel):
    """Publics accueillis."""

    FEMMES_VICTIMES = ("femmes_victimes", "Femmes victimes")
    ENFANTS_COVICTIMES = ("enfants_covictimes", "Enfants co-victimes")
    AUTEURS = ("auteurs", "Auteurs de violences")
    FEMMES_ETRANGERES = ("femmes_etrangeres", "Femmes étrangères / exilées")
    JEUNES = ("jeunes", "Jeunes / mineurs")
    PROSTITUTION = ("prostitution", "Personnes en situation de prostitution")
    FAMILLES = ("familles", "Familles / parents")
    PROFESSIONNELS = ("professionnels", "Professionnels")
    GRAND_PUBLIC = ("grand_public", "Grand public")


class Precision(Referentiel):
    """D'où vient la position d'un acteur, du plus précis au moins précis."""

    MANUELLE = ("manuelle", "Position saisie à la main")
    ADRESSE = ("adresse", "Position à l'adresse")
    RUE = ("rue", "Position à la rue")
    COMMUNE = ("commune", "Position approximative : centre de la commune")
    NON_LOCALISE = ("non_localise", "Non localisé")


class Nature(Referentiel):
    """Ce qu'est la fiche pour une professionnelle : une porte où orienter, ou un partenaire."""

    RESSOURCE = ("ressource", "Ressource (accueil, écoute, orientation)")
    PARTENAIRE = ("partenaire", "Partenaire du protocole (sans accueil direct)")


class ModeAccueil(Referentiel):
    """Comment le service reçoit (data·inclusion : `modes_accueil`)."""

    SUR_PLACE = ("sur_place", "Sur place")
    TELEPHONE = ("telephone", "Par téléphone")
    A_DISTANCE = ("a_distance", "À distance (visio, en ligne)")


class ModeOrientation(Referentiel):
    """Comment y accéder (data·inclusion : `modes_mobilisation`, `mobilisable_par`)."""

    SANS_RENDEZ_VOUS = ("sans_rendez_vous", "Sans rendez-vous")
    SUR_RENDEZ_VOUS = ("sur_rendez_vous", "Sur rendez-vous")
    TELEPHONE = ("telephone", "Par téléphone")
    COURRIEL = ("courriel", "Par courriel")
    PROFESSIONNEL = ("professionnel", "Sur orientation d'un professionnel")
    VIA_115 = ("via_115", "Via le 115")
    FORCES_ORDRE = ("forces_ordre", "Via les forces de l'ordre")


class Frais(Referentiel):
    """Ce que coûte le service (data·inclusion : `frais`)."""

    GRATUIT = ("gratuit", "Gratuit")
    GRATUIT_SOUS_CONDITIONS = ("gratuit_sous_conditions", "Gratuit sous conditions")
    PAYANT = ("payant", "Payant")


class Accessibilite(Referentiel):
    """Accès en fauteuil roulant ; « inconnu » tant qu'une source ne le dit pas."""

    INCONNU = ("inconnu", "Non renseigné")
    OUI = ("oui", "Accessible en fauteuil")
    NON = ("non", "Non accessible en fauteuil")


def _langues() -> dict[str, tuple[str, str]]:
    """Les langues ISO 639-1 et leur nom en français (CLDR, par Babel), « français » d'abord."""
    noms = Locale("fr").languages
    codes = sorted(
        (c for c in noms if len(c) == 2 and c.isalpha() and c.islower()),
        key=lambda c: (c != "fr", noms[c]),
    )
    return {c.upper(): (c, noms[c]) for c in codes}


Langue = Referentiel("Langue", _langues())  # type: ignore[misc]
"""Les langues parlées, par leur code ISO 639-1 (`fr`, `ar`, `uk`…) ; libellé en français."""


class StatutSignalement(Referentiel):
    """Où en est un signalement d'erreur dans la file de la DDFE."""

    OUVERT = ("ouvert", "À traiter")
    GROUPE = ("groupe", "Groupé (fiche très signalée)")
    TRAITE = ("traite", "Traité")


class Statut(Referentiel):
    """Cycle de vie d'une fiche : on archive, on ne supprime pas."""

    ACTIF = ("actif", "Actif")
    ARCHIVE = ("archive", "Archivé")
