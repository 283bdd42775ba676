-- Plus aucun index secondaire (CREATE INDEX) : DuckDB 1.5.5 les perd après un arrêt brutal.
--
-- Séquence constatée : une écriture, l'application tuée net (kill -9) avant de fermer la base,
-- puis un processus qui rejoue le journal (WAL) et se ferme sans rien écrire — exactement
-- `python -m cartographie initialiser` au redémarrage. DuckDB charge les index secondaires
-- paresseusement ; le point de contrôle de fermeture les réécrit alors sans les lignes rejouées.
-- L'écriture suivante de ces lignes échoue au COMMIT (« FatalException: Failed to delete all
-- rows from index ») et invalide la connexion : tout le site tombe. Bogue amont :
-- https://github.com/duckdb/duckdb/pull/23848 et https://github.com/duckdb/duckdb/pull/25771
-- (corrigé après 1.5.x). Les clés primaires, chargées dès l'ouverture, ne sont pas touchées
-- (vérifié : tests/test_reprise_apres_arret.py).
--
-- Supprimer l'index répare aussi une base déjà abîmée : les lignes sont intactes, seul l'index
-- était faux. Les deux tables sont petites (quelques centaines de lignes) : un balayage suffit.
-- Ne pas recréer d'index secondaire tant que DuckDB n'est pas passé à une version corrigée
-- (tests/test_schema.py le vérifie).

DROP INDEX IF EXISTS acteur_code_insee;
DROP INDEX IF EXISTS signalement_acteur;
