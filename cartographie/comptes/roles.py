"""Les comptes de la DDFE et leurs rôles (réexportés par `cartographie.comptes`).

À part du module `comptes` pour que le stockage puisse construire des `Compte` sans import
circulaire, comme `modele` le fait pour les acteurs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cartographie.modele import Referentiel


class Role(Referentiel):
    """Ce qu'un compte a le droit de faire ; l'administrateur a tous les droits."""

    ADMINISTRATEUR = ("administrateur", "Administrateur (tout, gère les comptes)")
    EDITEUR = ("editeur", "Éditeur (modifie les fiches)")
    STATISTIQUES = ("statistiques", "Statistiques (consultation des chiffres seulement)")


@dataclass(frozen=True, slots=True)
class Compte:
    """Un compte local ; l'empreinte du mot de passe n'en fait jamais partie."""

    identifiant: str
    nom: str
    role: Role
    actif: bool = True
    cree_le: datetime | None = None
    derniere_connexion: datetime | None = None

    def peut(self, *roles: Role) -> bool:
        """Vrai si le compte est actif et a l'un des rôles (l'administrateur les a tous)."""
        return self.actif and (self.role is Role.ADMINISTRATEUR or self.role in roles)

    @property
    def libelle(self) -> str:
        """Le nom affiché : le nom complet s'il est connu, sinon l'identifiant."""
        return self.nom or self.identifiant
