-- Variante PostgreSQL de 0006_identifiant_base.sql (gen_random_uuid au lieu de uuid).

INSERT INTO meta (cle, valeur)
SELECT 'identifiant_base', CAST(gen_random_uuid() AS VARCHAR)
WHERE NOT EXISTS (SELECT 1 FROM meta WHERE cle = 'identifiant_base');
