"""Les numéros d'urgence, écrits une fois : bandeau de chaque page et fiche PDF à remettre."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NumeroUrgence:
    """Un numéro national, avec ce qu'il faut savoir pour le composer sans hésiter."""

    numero: str
    libelle: str
    precision: str
    par_sms: bool = False
    # Quelques lettres sous le numéro dans le bandeau compact d'un téléphone.
    court: str = ""

    @property
    def lien(self) -> str:
        """Lien `tel:` (ou `sms:`) qui compose le numéro sur un téléphone."""
        return f"{'sms' if self.par_sms else 'tel'}:{self.numero}"


NUMEROS_URGENCE: tuple[NumeroUrgence, ...] = (
    NumeroUrgence(
        "3919",
        "Violences Femmes Info",
        "24 h/24, 7 j/7, gratuit, anonyme, n'apparaît pas sur les factures",
        court="Femmes",
    ),
    NumeroUrgence("17", "Police / gendarmerie", "en cas de danger immédiat", court="Police"),
    NumeroUrgence(
        "114",
        "Urgence par SMS",
        "pour les personnes qui ne peuvent pas parler",
        True,
        court="SMS",
    ),
    NumeroUrgence("115", "Hébergement d'urgence", "SAMU social, 24 h/24", court="Hébergement"),
    NumeroUrgence("119", "Enfance en danger", "24 h/24, gratuit", court="Enfance"),
)
