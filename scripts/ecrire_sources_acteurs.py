"""Écrit data/SOURCES_ACTEURS.md, fiche par fiche, depuis data/sources_acteurs.csv.

Chaque fait d'une fiche (téléphone, adresse, horaires, existence, fermeture…) a une ligne dans
`sources_acteurs.csv` : la page publique qui le donne, la date qu'elle montre (ou celle de sa
lecture), sa qualité (primaire, presse, agrégateur, miroir). Ce script en tire la page lisible ;
`tests/test_donnees.py` vérifie qu'elle est à jour et qu'aucun fait n'est sans source.

    .venv/bin/python scripts/ecrire_sources_acteurs.py
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

DONNEES = Path(__file__).resolve().parents[1] / "data"
ACTEURS, SOURCES, PAGE = (
    DONNEES / "acteurs.csv",
    DONNEES / "sources_acteurs.csv",
    DONNEES / "SOURCES_ACTEURS.md",
)

ENTETE = """# Sources de `data/acteurs.csv`

Écrit par `scripts/ecrire_sources_acteurs.py` depuis `data/sources_acteurs.csv` (ne pas modifier
à la main). Une section par fiche, un fait par ligne : la page publique qui le donne, la date que
la page montre (sinon celle de sa lecture, 2026-11-29), sa qualité. Un champ d'une fiche sans
ligne ici est vide dans `acteurs.csv` : rien n'est inventé (`tests/test_donnees.py`).

Lecture des pages : par l'outil de recherche du projet, qui ne donne que des extraits de copies
stockées ; un fait absent d'un extrait n'a pas été reporté. « Protocole départemental
2022-2024 » désigne le texte du protocole (`../shared/seed/`). Rien ici ne rend une fiche
« vérifiée » : seule la DDFE le fait, après avoir confirmé auprès de la structure.

Qualité : `primaire` (site de la structure, autorité publique), `presse`, `agregateur`
(annuaire privé), `miroir` (copie d'un document) — une source faible est à remplacer dès qu'une
page primaire existe.
"""


def _echapper(texte: str) -> str:
    return texte.replace("|", "/").replace("\n", " ").strip()


def page() -> str:
    """Le contenu de SOURCES_ACTEURS.md."""
    with ACTEURS.open(encoding="utf-8", newline="") as fichier:
        acteurs = list(csv.DictReader(fichier))
    with SOURCES.open(encoding="utf-8", newline="") as fichier:
        par_fiche: dict[str, list[dict[str, str]]] = defaultdict(list)
        for ligne in csv.DictReader(fichier):
            par_fiche[ligne["id"]].append(ligne)
    morceaux = [ENTETE]
    for acteur in sorted(acteurs, key=lambda a: a["id"]):
        etat = "" if acteur["statut"] == "actif" else f" — {acteur['statut']}"
        morceaux.append(f"\n## `{acteur['id']}` — {_echapper(acteur['nom'])}{etat}\n")
        lignes = par_fiche.get(acteur["id"], [])
        if not lignes:
            morceaux.append("\nAucune source.\n")
            continue
        morceaux.append(
            "\n| fait | valeur | page | date | qualité | note |\n|---|---|---|---|---|---|\n"
        )
        for s in lignes:
            morceaux.append(
                f"| {s['champ']} | {_echapper(s['valeur'])[:120]} | {_echapper(s['url'])} |"
                f" {s['date_page'] or s['date_lecture'] + ' (lue)'} | {s['qualite']} |"
                f" {_echapper(s['note'])} |\n"
            )
    return "".join(morceaux)


if __name__ == "__main__":
    PAGE.write_text(page(), encoding="utf-8")
    print(f"{PAGE} écrit.")
