"""Les résultats de l'audit d'accessibilité automatique, pour la déclaration RGAA.

Le rapport (`data/audit_accessibilite.json`) est écrit par `tests/test_accessibilite.py`
(`make audit-accessibilite`) : axe-core lancé dans Chromium sur chaque page et chaque état qui
compte, sur un écran de bureau et un téléphone. La page « Accessibilité » le cite tel quel : les
chiffres publiés sont ceux que la suite de tests vérifie.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from cartographie.config import DOSSIER_DONNEES

RAPPORT = DOSSIER_DONNEES / "audit_accessibilite.json"
IMPACTS = ("critical", "serious", "moderate", "minor")
LIBELLES_IMPACT = {
    "critical": "critique",
    "serious": "grave",
    "moderate": "modéré",
    "minor": "mineur",
}
LIBELLES_ECRAN = {"bureau": "Ordinateur (1400 × 1000)", "telephone": "Téléphone (390 × 844)"}


@dataclass(frozen=True, slots=True)
class RegleEnfreinte:
    """Une règle d'axe enfreinte quelque part : où, avec quelle gravité."""

    regle: str
    impact: str
    aide: str
    etats: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LigneAudit:
    """Une page dans un état, sur un écran : nombre de règles enfreintes par gravité."""

    etat: str
    ecran: str
    par_impact: dict[str, int]


@dataclass(frozen=True, slots=True)
class Audit:
    """Le rapport d'un audit : quand, avec quoi, et ce qui reste."""

    date: str
    outil: str
    navigateur: str
    normes: tuple[str, ...]
    lignes: tuple[LigneAudit, ...]
    restantes: tuple[RegleEnfreinte, ...]

    @property
    def graves(self) -> int:
        """Violations graves ou critiques, toutes pages confondues (l'objectif est 0)."""
        return sum(
            ligne.par_impact["critical"] + ligne.par_impact["serious"] for ligne in self.lignes
        )


def lire_audit(chemin: Path = RAPPORT) -> Audit | None:
    """Le dernier rapport, ou None s'il n'a jamais été produit."""
    if not chemin.exists():
        return None
    donnees = json.loads(chemin.read_text(encoding="utf-8"))
    lignes: list[LigneAudit] = []
    regles: dict[str, dict] = {}
    for etat in donnees["etats"]:
        for ecran, violations in etat["ecrans"].items():
            compte = dict.fromkeys(IMPACTS, 0)
            for v in violations:
                compte[v["impact"]] = compte.get(v["impact"], 0) + 1
                regle = regles.setdefault(
                    v["regle"], {"impact": v["impact"], "aide": v["aide"], "etats": []}
                )
                ou = (
                    f"{etat['libelle']} ({LIBELLES_ECRAN.get(ecran, ecran).split(' (')[0].lower()})"
                )
                if ou not in regle["etats"]:
                    regle["etats"].append(ou)
            lignes.append(LigneAudit(etat["libelle"], ecran, compte))
    restantes = tuple(
        RegleEnfreinte(nom, r["impact"], r["aide"], tuple(r["etats"]))
        for nom, r in sorted(regles.items(), key=lambda kv: (IMPACTS.index(kv[1]["impact"]), kv[0]))
    )
    return Audit(
        date=donnees["date"],
        outil=donnees["outil"],
        navigateur=donnees["navigateur"],
        normes=tuple(donnees["normes"]),
        lignes=tuple(lignes),
        restantes=restantes,
    )
