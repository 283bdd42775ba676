"""La fiche en quelques lignes à coller dans un SMS ou un courriel : noms et numéros seulement.

Ni adresse, ni horaires : un SMS se relit par-dessus l'épaule. Sans contrôles bidirectionnels
(certains téléphones les montrent en carrés) : chaque numéro suit un nom en lettres latines ou
ouvre sa ligne, ce qui suffit à garder son ordre dans un texte arabe.
"""

from __future__ import annotations

from cartographie.remise.contenu import Fiche
from cartographie.remise.langues import sans_controles


def texte_sms(fiche: Fiche) -> str:
    """Le titre, chaque lieu qui a un téléphone (« nom : numéro »), puis les numéros nationaux."""
    lignes = [fiche.titre]
    for c in fiche.contacts:
        if c.telephone:
            lignes.append(f"{c.nom} : {c.telephone}")
    lignes.extend(f"{n.numero} — {n.libelle}" for n in fiche.numeros)
    return sans_controles("\n".join(lignes))
