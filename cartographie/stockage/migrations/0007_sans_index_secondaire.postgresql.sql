-- Variante PostgreSQL de 0007_sans_index_secondaire.sql : rien à faire. Le bogue qui obligeait
-- DuckDB 1.5.5 à renoncer aux index secondaires ne touche pas PostgreSQL, qui garde
-- acteur_code_insee (0001) et signalement_acteur (0004).

SELECT 1;
