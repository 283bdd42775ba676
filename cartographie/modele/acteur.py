"""La fiche d'un acteur, déclarée une fois : chaque champ, son libellé et ses usages.

L'ordre des champs est celui des colonnes de `data/acteurs.csv` et de la table `acteur`. Tout le
reste (lecture et écriture des CSV, colonnes stockées, historique, formulaire, exports) se
déduit de cette déclaration par `cartographie.modele.champs` ; la table, elle, vient des
migrations SQL numérotées, et un test vérifie qu'elles s'accordent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cartographie.modele.champs import champ, colonnes, libelles
from cartographie.modele.referentiels import (
    Accessibilite,
    Axe,
    Frais,
    Langue,
    ModeAccueil,
    ModeOrientation,
    Nature,
    Precision,
    Public,
    Statut,
    TypeActeur,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Acteur:
    """Une structure ou un service qui aide les victimes.

    Les noms de champs suivent le schéma data·inclusion quand il en a un ; `territoire` est
    déduit de `code_insee` et n'est jamais saisi.
    """

    id: str = champ(
        "Identifiant",
        obligatoire=True,
        saisi=False,
        longueur_max=100,
        data_inclusion="id",
        aide="slug ASCII minuscule à tirets, unique et stable",
    )
    nom: str = champ(
        "Nom",
        obligatoire=True,
        longueur_max=200,
        data_inclusion="nom",
        aide="nom du service tel qu'un professionnel le dit",
    )
    structure: str = champ("Structure", defaut="", longueur_max=200, aide="organisme porteur")
    type: TypeActeur = champ("Type", obligatoire=True, aide="type d'acteur (référentiel)")
    nature: Nature = champ(
        "Nature",
        defaut=Nature.RESSOURCE,
        aide="ressource : une porte où une victime ou une professionnelle peut s'adresser ;"
        " partenaire : signataire ou institution sans accueil direct (cachée par défaut)",
    )
    description: str = champ(
        "Description",
        defaut="",
        longueur_max=5000,
        multiligne=True,
        data_inclusion="description",
    )
    adresse: str = champ(
        "Adresse",
        defaut="",
        confidentiel=True,
        longueur_max=300,
        data_inclusion="adresse",
        aide="numéro et voie ; jamais montrée au public si l'adresse est confidentielle",
    )
    complement_adresse: str = champ(
        "Complément d'adresse",
        defaut="",
        confidentiel=True,
        longueur_max=300,
        data_inclusion="complement_adresse",
    )
    code_postal: str = champ(
        "Code postal", defaut="", longueur_max=10, data_inclusion="code_postal"
    )
    commune: str = champ(
        "Commune",
        obligatoire=True,
        longueur_max=100,
        data_inclusion="commune",
        aide="nom officiel 2026",
    )
    code_insee: str = champ(
        "Code INSEE",
        obligatoire=True,
        saisi=False,
        longueur_max=10,
        data_inclusion="code_insee",
        aide="code commune 2026 (un code de 2018 fusionné depuis est accepté)",
    )
    latitude: float | None = champ(
        "Latitude", defaut=None, confidentiel=True, data_inclusion="latitude"
    )
    longitude: float | None = champ(
        "Longitude", defaut=None, confidentiel=True, data_inclusion="longitude"
    )
    telephone: str = champ(
        "Téléphone",
        defaut="",
        longueur_max=200,
        data_inclusion="telephone",
        aide="04 76 12 34 56, +33 4 76 12 34 56, ou un numéro court (3919, 115…)",
    )
    courriel: str = champ("Courriel", defaut="", longueur_max=254, data_inclusion="courriel")
    site_web: str = champ("Site web", defaut="", longueur_max=2000, data_inclusion="site_web")
    horaires_accueil: str = champ(
        "Horaires d'accueil",
        defaut="",
        longueur_max=1000,
        multiligne=True,
        data_inclusion="horaires_accueil",
        aide="syntaxe OpenStreetMap, ex. « Mo-Fr 09:00-12:00,14:00-17:00; PH off », « 24/7 »",
    )
    horaires_precisions: str = champ(
        "Précisions sur les horaires",
        defaut="",
        longueur_max=500,
        multiligne=True,
        aide="ce que la syntaxe ne sait pas dire (« sur rendez-vous le mercredi »…)",
    )
    modes_accueil: tuple[ModeAccueil, ...] = champ(
        "Modes d'accueil", defaut=(), data_inclusion="modes_accueil"
    )
    modes_orientation: tuple[ModeOrientation, ...] = champ(
        "Comment y accéder", defaut=(), data_inclusion="modes_mobilisation"
    )
    conditions_acces: str = champ(
        "Conditions d'accès",
        defaut="",
        longueur_max=1000,
        multiligne=True,
        data_inclusion="conditions_acces",
    )
    frais: Frais | None = champ("Frais", defaut=None, data_inclusion="frais")
    langues: tuple[Langue, ...] = champ(
        "Langues parlées", defaut=(), aide="codes ISO 639-1 séparés par | (fr|ar|uk)"
    )
    accessibilite_fauteuil: Accessibilite = champ("Accès en fauteuil", defaut=Accessibilite.INCONNU)
    lien_acceslibre: str = champ(
        "Fiche acceslibre", defaut="", longueur_max=500, aide="lien vers acceslibre.beta.gouv.fr"
    )
    capacite: int | None = champ(
        "Capacité (places)",
        defaut=None,
        aide="nombre de places d'hébergement, si une source le donne",
    )
    capacite_date: date | None = champ("Capacité connue au", defaut=None)
    zone_eligibilite: tuple[str, ...] = champ(
        "Zone couverte",
        defaut=(),
        longueur_max=2000,
        data_inclusion="zone_eligibilite",
        aide="codes officiels séparés par | : communes (INSEE), intercommunalités (SIREN),"
        " 38 pour tout le département",
    )
    axes: tuple[Axe, ...] = champ("Axes du protocole", defaut=())
    publics: tuple[Public, ...] = champ("Publics", defaut=())
    territoire: str = champ(
        "Territoire",
        defaut="",
        stocke=False,
        suivi=False,
        saisi=False,
        aide="déduit de code_insee (toujours vide dans un fichier)",
    )
    precision_localisation: Precision = champ(
        "Précision de la position", defaut=Precision.COMMUNE, saisi=False
    )
    adresse_confidentielle: bool = champ(
        "Adresse confidentielle",
        defaut=False,
        aide="hébergement : l'adresse et le point exact ne sont jamais montrés au public",
    )
    statut: Statut = champ("Statut", defaut=Statut.ACTIF, saisi=False)
    date_maj: date | None = champ(
        "Date de mise à jour", defaut=None, saisi=False, data_inclusion="date_maj"
    )
    source: str = champ(
        "Source",
        defaut="",
        longueur_max=4000,
        aide="URL des pages publiques d'où viennent les faits (détail dans data/SOURCES_ACTEURS.md)",
    )
    date_source: date | None = champ(
        "Date des coordonnées",
        defaut=None,
        aide="date de la page la plus récente qui donne les coordonnées (téléphone, adresse,"
        " horaires) : au-delà de 24 mois, la fiche est « à confirmer »",
    )
    date_verification: date | None = champ(
        "Date de vérification",
        defaut=None,
        csv=False,
        saisi=False,
        aide="dernière confirmation auprès de la structure : jamais remplie par un import",
    )
    version: int = champ(
        "Version", defaut=1, csv=False, suivi=False, saisi=False, aide="verrou optimiste"
    )


COLONNES_CSV: tuple[str, ...] = colonnes(Acteur, "csv")
"""Colonnes de `data/acteurs.csv`, dans l'ordre, documentées dans `data/README.md`."""

COLONNES_STOCKEES: tuple[str, ...] = colonnes(Acteur, "stocke")
"""Colonnes de la table `acteur`."""

CHAMPS_SUIVIS: tuple[str, ...] = colonnes(Acteur, "suivi")
"""Champs dont l'historique garde l'avant/après ; le territoire se déduit de la commune."""

LIBELLES_CHAMPS: dict[str, str] = libelles(Acteur)
"""Libellé français de chaque champ, pour les messages et l'historique."""
