"""La fiche à remettre : les lieux choisis, sous deux formes, dans la langue de la personne.

- `selection` : les fiches choisies (ou, sans choix, les ressources les plus proches) et le lien
  partageable qui les rouvre ;
- `langues` : les langues proposées et leurs catalogues (gettext `.po`, lus par Babel) ;
- `contenu` : ce que dit la fiche, une fois, pour toutes ses sorties (forme standard ou
  discrète) ;
- `pdf`, `page`, `texte_court`, `qr` : le PDF, la page HTML à imprimer, le texte pour un SMS et
  le code QR.

Rien ne concerne la personne : ni nom, ni adresse, ni point de départ de la recherche.
"""
