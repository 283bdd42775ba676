"""La table par commune pour les machines : CSV (virgule, point décimal) ou JSON.

Pour un tableur français, la page et le bilan annuel donnent leurs propres fichiers ; ici, des
colonnes stables (`code_insee`, `type`, `distance_km`, `acteur_id`…) qu'un script relit. Chaque
ligne dit sa mesure (`mesure` = `vol_d_oiseau`), le JSON la décrit en toutes lettres.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from cartographie.couverture.calcul import MESURE, MESURE_DETAIL, TableCouverture
from cartographie.echanges.exportation import neutraliser

COLONNES = (
    "code_insee",
    "commune",
    "territoire",
    "population",
    "type",
    "type_libelle",
    "distance_km",
    "mesure",
    "acteur_id",
    "acteur_nom",
    "zone_couverte",
)
FORMATS = ("csv", "json")


def en_csv(table: TableCouverture) -> str:
    """Une ligne par commune et par aide ; cellule vide : aucune ressource de cette aide."""
    sortie = io.StringIO(newline="")
    ecrivain = csv.DictWriter(sortie, fieldnames=COLONNES, lineterminator="\n")
    ecrivain.writeheader()
    for ligne in table.lignes():
        ecrivain.writerow(
            {
                **ligne,
                "distance_km": "" if ligne["distance_km"] is None else ligne["distance_km"],
                "acteur_id": ligne["acteur_id"] or "",
                "acteur_nom": ligne["acteur_nom"] or "",
                "zone_couverte": "oui" if ligne["zone_couverte"] else "non",
            }
        )
    return sortie.getvalue()


def en_json(table: TableCouverture, calcule_le: date) -> str:
    """Un objet : la mesure en toutes lettres, la date du calcul et les lignes (null : aucune)."""
    return json.dumps(
        {"mesure": MESURE_DETAIL, "calcule_le": calcule_le.isoformat(), "lignes": table.lignes()},
        ensure_ascii=False,
        indent=1,
    )


def en_csv_tableur(table: TableCouverture) -> bytes:
    """La même table pour un tableur français : `;`, virgule décimale, oui/non, UTF-8 avec BOM,
    noms de fiches protégés contre l'exécution comme formule."""
    sortie = io.StringIO(newline="")
    ecrivain = csv.writer(sortie, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow([*COLONNES[:6], f"distance_km ({MESURE})", *COLONNES[7:]])
    for ligne in table.lignes():
        distance = ligne["distance_km"]
        valeurs = {
            **ligne,
            "distance_km": "" if distance is None else str(distance).replace(".", ","),
            "acteur_id": ligne["acteur_id"] or "",
            "acteur_nom": neutraliser(str(ligne["acteur_nom"] or "")),
            "zone_couverte": "oui" if ligne["zone_couverte"] else "non",
        }
        ecrivain.writerow([valeurs[c] for c in COLONNES])
    return sortie.getvalue().encode("utf-8-sig")
