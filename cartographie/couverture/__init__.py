"""Couverture du territoire : à quelle distance de chaque commune est l'aide la plus proche.

Python pur, sans Streamlit : la page « Couverture du territoire », le bilan annuel (PDF, XLSX)
et la commande `python -m cartographie couverture` s'en servent pareil.

- `types_d_aide` : les formes d'aide mesurées et les types d'acteurs qu'elles regroupent ;
- `calcul` : la table par commune et par aide (distance à vol d'oiseau, ressource la plus proche) ;
- `synthese` : chiffres par territoire et pour le département, zones blanches ;
- `simulation` : « et si une ressource ouvrait ici ? », en mémoire ;
- `normes` : les normes minimales du Conseil de l'Europe, et ce qu'on peut en comparer ;
- `carte_image`, `rapport` : le bilan annuel de l'objectif 22.
"""
