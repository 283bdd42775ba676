-- Un identifiant tiré au hasard pour chaque base. L'index de recherche que le processus garde en
-- mémoire est rattaché à la base dont il est tiré : une base recréée au même chemin, ou une autre
-- base ouverte au même moment, ne peut pas hériter de l'index d'une autre. Les copies faites par
-- `stockage.imports.sauvegarder` reçoivent le leur ; une copie de fichier à la main garde celui
-- de l'originale (à n'ouvrir qu'à sa place, application arrêtée, comme le dit le README).

INSERT INTO meta (cle, valeur)
SELECT 'identifiant_base', CAST(uuid() AS VARCHAR)
WHERE NOT EXISTS (SELECT 1 FROM meta WHERE cle = 'identifiant_base');
