"""Audit axe-core d'une page ouverte dans Playwright (axe servi depuis static/vendor/, hors ligne).

axe est injecté dans la page et dans chacun de ses cadres (la carte est un iframe) : `axe.run`
de la page interroge alors les cadres et rend un seul rapport. Règles : WCAG 2.0, 2.1 et 2.2
niveaux A et AA (le RGAA 4.1 en dérive) et les bonnes pratiques d'axe (ordre des titres,
régions…).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
AXE = RACINE / "static" / "vendor" / "axe-core" / "axe.min.js"
ETIQUETTES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
GRAVES = ("serious", "critical")

_LANCER = """async (etiquettes) => {
    const r = await axe.run(document, {
        runOnly: {type: "tag", values: etiquettes},
        resultTypes: ["violations"],
        iframes: true,
    });
    return r.violations.map(v => ({
        regle: v.id,
        impact: v.impact,
        aide: v.help,
        cibles: v.nodes.slice(0, 8).map(n => n.target.join(" ")),
        noeuds: v.nodes.length,
    }));
}"""


@dataclass(frozen=True)
class Violation:
    """Une règle enfreinte sur une page, avec ses premiers éléments fautifs."""

    regle: str
    impact: str
    aide: str
    cibles: tuple[str, ...]
    noeuds: int

    @property
    def grave(self) -> bool:
        return self.impact in GRAVES


def injecter(page) -> None:
    """Charge axe dans la page et dans chaque cadre de même origine (sans réseau)."""
    source = AXE.read_text(encoding="utf-8")
    for cadre in page.frames:
        try:
            deja = cadre.evaluate("() => typeof window.axe !== 'undefined'")
            if not deja:
                cadre.evaluate(source)
        except Exception:  # un cadre détaché pendant l'injection : ignoré
            continue


def auditer(page) -> list[Violation]:
    """Les violations de la page telle qu'elle est affichée maintenant."""
    injecter(page)
    brutes = page.evaluate(_LANCER, ETIQUETTES)
    return [
        Violation(v["regle"], v["impact"] or "", v["aide"], tuple(v["cibles"]), v["noeuds"])
        for v in brutes
    ]


def resume(violations: Iterable[Violation]) -> str:
    """Une ligne par règle : « serious color-contrast (3) : Elements must… — cible ».

    Sert aux messages d'échec : ce qui casse se lit sans rouvrir le navigateur.
    """
    return "\n".join(
        f"{v.impact} {v.regle} ({v.noeuds}) : {v.aide} — {', '.join(v.cibles[:3])}"
        for v in violations
    )


def ecrire_rapport(chemin: Path, rapport: dict[str, dict[str, list[Violation]]]) -> None:
    """Écrit {page: {écran: [violations]}} en JSON (relu par la page « Accessibilité »)."""
    chemin.parent.mkdir(parents=True, exist_ok=True)
    donnees = {
        etat: {fenetre: [asdict(v) for v in vs] for fenetre, vs in par_fenetre.items()}
        for etat, par_fenetre in rapport.items()
    }
    chemin.write_text(json.dumps(donnees, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
