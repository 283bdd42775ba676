"""Banc du géocodage hors ligne : 10 000 adresses synthétiques (graine fixe), lignes par seconde.

Deux mesures, chacune comparée dans la même exécution à une référence naïve :
1. reconnaître la commune (nom tolérant + code postal) avec l'index du géocodeur, contre un
   balayage linéaire des 512 communes qui normalise chaque nom à chaque adresse ;
2. contrôler qu'un point tombe dans sa commune / trouver sa commune (contrôle DDFE), avec
   l'arbre STRtree et les géométries préparées, contre un balayage linéaire des polygones.
Cible : tout le lot de 10 000 en moins de 10 s.

    .venv/bin/python bench/bench_geocodage.py
"""

from __future__ import annotations

import random
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shapely.geometry import Point

from cartographie import config
from cartographie.communes import Commune, charger_communes, commune_contenant, geometrie_commune
from cartographie.geocodage.chaine import Geocodeur
from cartographie.geocodage.demande import Demande
from cartographie.texte import normaliser

COMMUNES = config.DOSSIER_DONNEES / "isere_communes.geojson"
N = 10_000
N_NAIF = 500  # la référence naïve est lente : un échantillon suffit pour son débit
VOIES = ("rue", "avenue", "place", "chemin", "boulevard", "impasse", "route")
NOMS_VOIES = ("de la République", "Jean Jaurès", "des Alpes", "du Stade", "Victor Hugo", "Haute")


def _sans_accents(texte: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", texte) if not unicodedata.combining(c))


def _variante(nom: str, hasard: random.Random) -> str:
    """Le nom comme on le tape : majuscules, sans accents, « St », espaces au lieu des tirets."""
    choix = hasard.random()
    if choix < 0.2:
        nom = nom.upper()
    elif choix < 0.4:
        nom = _sans_accents(nom).lower()
    if hasard.random() < 0.5:
        nom = nom.replace("Saint-", "St-").replace("SAINT-", "ST ")
    if hasard.random() < 0.3:
        nom = nom.replace("-", " ")
    return nom


def adresses(communes: list[Commune], n: int, graine: int = 42) -> list[tuple[Demande, str]]:
    """(demande, code INSEE attendu) ; un quart par ancien nom de commune fusionnée quand il y en a."""
    hasard = random.Random(graine)
    lot = []
    for _ in range(n):
        commune = hasard.choice(communes)
        nom = commune.nom
        if commune.anciens_noms and hasard.random() < 0.25:
            nom = hasard.choice(commune.anciens_noms)
        adresse = ""
        if hasard.random() < 0.7:
            adresse = f"{hasard.randint(1, 120)} {hasard.choice(VOIES)} {hasard.choice(NOMS_VOIES)}"
        code_postal = hasard.choice(commune.codes_postaux) if hasard.random() < 0.8 else ""
        lot.append(
            (
                Demande(adresse=adresse, code_postal=code_postal, commune=_variante(nom, hasard)),
                commune.code_insee,
            )
        )
    return lot


def naif(demande: Demande, communes: list[Commune]) -> str:
    """Référence : parcourt toutes les communes et normalise leurs noms à chaque adresse."""
    cle = normaliser(demande.commune)
    trouvees = [
        c for c in communes if cle in {normaliser(c.nom), *(normaliser(a) for a in c.anciens_noms)}
    ]
    if demande.code_postal:
        trouvees = [c for c in trouvees if demande.code_postal in c.codes_postaux] or trouvees
    return trouvees[0].code_insee if len(trouvees) == 1 else ""


def contenant_naif(point: Point, geometries: list[tuple[str, object]]) -> str:
    """Référence : teste chaque polygone (non préparé) l'un après l'autre."""
    for code, geometrie in geometries:
        if geometrie.contains(point):
            return code
    return ""


def mesurer(nom: str, fonction, lot: list, reference=None) -> float:
    debut = time.perf_counter()
    resultats = [fonction(x) for x in lot]
    duree = time.perf_counter() - debut
    debit = len(lot) / duree
    print(f"  {nom:<44} {len(lot):>6} lignes  {duree:7.3f} s  {debit:>10,.0f} lignes/s")
    if reference is not None:
        justes = sum(r == attendu for r, attendu in zip(resultats, reference, strict=True))
        print(f"  {'':<44} {justes}/{len(lot)} communes attendues retrouvées")
    return debit


def main() -> None:
    communes = charger_communes(COMMUNES)
    geocodeur = Geocodeur(COMMUNES)  # hors ligne, sans base : ce que mesure le banc
    geocodeur.geocoder(Demande(commune="Voiron"))  # construit l'index (une fois par processus)
    lot = adresses(communes, N)
    attendus = [code for _, code in lot]

    print(f"Géocodage hors ligne de {N} adresses synthétiques (graine 42)")
    indexe = mesurer(
        "chaîne du géocodeur (index des noms)",
        lambda x: geocodeur.geocoder(x[0]).code_insee,
        lot,
        attendus,
    )
    lineaire = mesurer(
        "référence : balayage linéaire des communes",
        lambda x: naif(x[0], communes),
        lot[:N_NAIF],
        attendus[:N_NAIF],
    )
    print(f"  → {indexe / lineaire:.0f} × plus rapide ; lot entier en {N / indexe:.2f} s")

    hasard = random.Random(7)
    points = [Point(hasard.uniform(4.75, 6.35), hasard.uniform(44.70, 45.88)) for _ in range(N)]
    geometries = [(c.code_insee, geometrie_commune(c.code_insee, COMMUNES)) for c in communes]
    print(f"\nCommune d'un point (contrôle DDFE), {N} points tirés dans l'emprise de l'Isère")
    arbre = mesurer(
        "STRtree + géométries préparées",
        lambda p: (c.code_insee if (c := commune_contenant(p.y, p.x, COMMUNES)) else ""),
        points,
    )
    scan = mesurer(
        "référence : balayage linéaire des polygones",
        lambda p: contenant_naif(p, geometries),
        points[:N_NAIF],
    )
    print(f"  → {arbre / scan:.0f} × plus rapide ; lot entier en {N / arbre:.2f} s")


if __name__ == "__main__":
    main()
