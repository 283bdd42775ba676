"""La table des colonnes de `data/acteurs.csv`, écrite depuis la déclaration de la fiche.

`data/README.md` la contient entre deux marques ; `python -m cartographie.modele.documentation`
la réécrit, et un test vérifie qu'elle est à jour : la documentation ne peut pas diverger du
modèle.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cartographie.modele.acteur import Acteur
from cartographie.modele.champs import (
    SEPARATEUR_MULTI,
    Booleen,
    Champ,
    Code,
    Codes,
    Entier,
    Jour,
    Reel,
    Textes,
    champs,
)

DEBUT, FIN = "<!-- colonnes : début (généré) -->", "<!-- colonnes : fin -->"
README = Path(__file__).resolve().parents[2] / "data" / "README.md"
_CODES_AFFICHES = 20


def _format(champ: Champ) -> str:
    codec = champ.codec
    if isinstance(codec, Codes | Code):
        codes = [m.value for m in codec.referentiel]
        liste = ", ".join(f"`{c}`" for c in codes[:_CODES_AFFICHES])
        if len(codes) > _CODES_AFFICHES:
            liste += f"… ({len(codes)} codes)"
        if isinstance(codec, Codes):
            return f"codes séparés par `{SEPARATEUR_MULTI}` : {liste}"
        return f"un code : {liste}"
    if isinstance(codec, Textes):
        return f"textes séparés par `{SEPARATEUR_MULTI}`"
    if isinstance(codec, Booleen):
        return "`true` / `false`"
    if isinstance(codec, Jour):
        return "date AAAA-MM-JJ"
    if isinstance(codec, Entier):
        return "nombre entier"
    if isinstance(codec, Reel):
        return "nombre décimal"
    return "texte" + (f" ({champ.longueur_max} caractères au plus)" if champ.longueur_max else "")


def table() -> str:
    """Le tableau Markdown des colonnes du CSV, dans l'ordre."""
    lignes = [
        "| colonne | libellé | format | sens | data·inclusion |",
        "| --- | --- | --- | --- | --- |",
    ]
    for c in champs(Acteur):
        if not c.csv:
            continue
        obligatoire = " **(obligatoire)**" if c.obligatoire else ""
        lignes.append(
            f"| `{c.nom}` | {c.libelle}{obligatoire} | {_format(c)} | {c.aide.replace('|', '/')} |"
            f" {f'`{c.data_inclusion}`' if c.data_inclusion else ''} |"
        )
    return "\n".join(lignes)


def avec_table(texte: str) -> str:
    """Le README avec la table à jour entre ses marques."""
    debut, fin = texte.index(DEBUT) + len(DEBUT), texte.index(FIN)
    return texte[:debut] + "\n" + table() + "\n" + texte[fin:]


if __name__ == "__main__":
    contenu = README.read_text(encoding="utf-8")
    README.write_text(avec_table(contenu), encoding="utf-8")
    sys.stdout.write(f"{README} : table des colonnes réécrite.\n")
