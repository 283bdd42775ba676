"""Le formulaire d'une fiche : des valeurs typées (celles des widgets) à une fiche enregistrée.

Les valeurs arrivent déjà typées (un type d'acteur, une commune, des axes) : pas de détour par
du texte de tableur. Elles passent par la validation unique (`cartographie.validation.valider`),
puis la fiche est placée une fois (`positions.localiser`) et écrite (`ecritures`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb

from cartographie.communes import Commune, commune_par_code
from cartographie.edition.ecritures import creer, identifiant_libre, modifier
from cartographie.edition.positions import localiser, verifier_position_manuelle
from cartographie.geocodage.chaine import Geocodeur
from cartographie.modele import Acteur, Precision, Statut, champs
from cartographie.modele.champs import Reel, Textes
from cartographie.validation import ErreurDonnees, valider

CHAMPS_SAISIS: tuple[str, ...] = tuple(c.nom for c in champs(Acteur) if c.saisi)
"""Les champs que le formulaire montre, dans l'ordre de la déclaration."""
POSITION_MANUELLE = "position_manuelle"
"""Clé de la case « ajuster la position à la main » (sinon latitude et longitude sont ignorées)."""

_NOMBRE = Reel()


def acteur_depuis_formulaire(
    saisie: Mapping[str, object],
    existant: Acteur | None,
    identifiant: str,
    chemin_communes: Path | str,
) -> Acteur:
    """La fiche que décrit le formulaire, validée, sans position calculée ; `ErreurDonnees`.

    Le statut, les dates et la version ne se saisissent pas : ils viennent de la fiche ouverte.
    """
    commune = saisie.get("commune")
    if not isinstance(commune, Commune):
        raise ErreurDonnees(0, "commune", "valeur obligatoire manquante")
    if saisie.get("type") is None:
        raise ErreurDonnees(0, "type", "valeur obligatoire manquante")
    valeurs = {c: saisie[c] for c in CHAMPS_SAISIS if c in saisie and c != "commune"}
    for champ in champs(Acteur):
        # Les listes de codes se tapent comme dans un tableur, séparées par « | ».
        if isinstance(champ.codec, Textes) and isinstance(valeurs.get(champ.nom), str):
            valeurs[champ.nom] = champ.codec.lire(valeurs[champ.nom])
    for multiple in ("axes", "publics"):
        valeurs[multiple] = tuple(valeurs.get(multiple) or ())
    manuelle = bool(saisie.get(POSITION_MANUELLE))
    valeurs["latitude"] = _coordonnee(saisie, "latitude") if manuelle else None
    valeurs["longitude"] = _coordonnee(saisie, "longitude") if manuelle else None
    if existant is not None:
        gardes = {
            "statut": existant.statut,
            "date_maj": existant.date_maj,
            "date_verification": existant.date_verification,
            "version": existant.version,
        }
    else:
        gardes = {"statut": Statut.ACTIF}
    acteur = Acteur(
        **valeurs,
        **gardes,
        id=identifiant,
        commune=commune.nom,
        code_insee=commune.code_insee,
        precision_localisation=Precision.MANUELLE if manuelle else Precision.COMMUNE,
    )
    acteur = valider(acteur, 0, chemin_communes)
    if manuelle:
        verifier_position_manuelle(acteur, chemin_communes)
    return acteur


def enregistrer_formulaire(
    con: duckdb.DuckDBPyConnection,
    saisie: Mapping[str, object],
    existant: Acteur | None,
    auteur: str,
    chemin_communes: Path | str,
    geocodeur: Geocodeur | None = None,
) -> Acteur:
    """Valide puis crée (si `existant` est None) ou modifie la fiche ouverte par la personne.

    `existant` est la fiche telle qu'elle a été ouverte : sa version sert de verrou.
    """
    if existant is not None:
        identifiant = existant.id
    else:
        commune = saisie.get("commune")
        nom_commune = commune.nom if isinstance(commune, Commune) else ""
        identifiant = identifiant_libre(con, str(saisie.get("nom") or ""), nom_commune)
    acteur = acteur_depuis_formulaire(saisie, existant, identifiant, chemin_communes)
    acteur = localiser(acteur, existant, geocodeur or Geocodeur(chemin_communes))
    if existant is None:
        return creer(con, acteur, auteur)
    return modifier(con, acteur, existant.version, auteur)


def saisie_de(acteur: Acteur, chemin_communes: Path | str) -> dict[str, object]:
    """Les valeurs qu'un formulaire ouvert sur `acteur` contient avant toute frappe."""
    saisie: dict[str, object] = {c: getattr(acteur, c) for c in CHAMPS_SAISIS}
    saisie["commune"] = commune_par_code(acteur.code_insee, chemin_communes)
    saisie[POSITION_MANUELLE] = acteur.precision_localisation is Precision.MANUELLE
    return saisie


def _coordonnee(saisie: Mapping[str, object], colonne: str) -> float | None:
    valeur = saisie.get(colonne)
    if valeur is None or isinstance(valeur, float):
        return valeur
    try:
        return _NOMBRE.lire(str(valeur).strip())
    except ValueError as erreur:
        raise ErreurDonnees(0, colonne, str(erreur)) from None
