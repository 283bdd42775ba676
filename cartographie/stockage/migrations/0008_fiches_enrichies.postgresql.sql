-- Variante PostgreSQL de 0008_fiches_enrichies.sql : tableaux vides écrits '{}', expression
-- régulière par l'opérateur !~ (tiret en fin de classe plutôt qu'échappé).

ALTER TABLE acteur ADD COLUMN nature VARCHAR DEFAULT 'ressource';
ALTER TABLE acteur ADD COLUMN horaires_precisions VARCHAR DEFAULT '';
ALTER TABLE acteur ADD COLUMN modes_accueil VARCHAR[] DEFAULT '{}';
ALTER TABLE acteur ADD COLUMN modes_orientation VARCHAR[] DEFAULT '{}';
ALTER TABLE acteur ADD COLUMN conditions_acces VARCHAR DEFAULT '';
ALTER TABLE acteur ADD COLUMN frais VARCHAR;
ALTER TABLE acteur ADD COLUMN langues VARCHAR[] DEFAULT '{}';
ALTER TABLE acteur ADD COLUMN accessibilite_fauteuil VARCHAR DEFAULT 'inconnu';
ALTER TABLE acteur ADD COLUMN lien_acceslibre VARCHAR DEFAULT '';
ALTER TABLE acteur ADD COLUMN capacite INTEGER;
ALTER TABLE acteur ADD COLUMN capacite_date DATE;
ALTER TABLE acteur ADD COLUMN zone_eligibilite VARCHAR[] DEFAULT '{}';
ALTER TABLE acteur ADD COLUMN date_source DATE;

-- Les horaires deviennent la syntaxe OpenStreetMap (validée à l'enregistrement et à l'import) :
-- le texte libre d'avant passe dans les précisions, sans rien perdre. Une valeur qui commence
-- comme une règle OpenStreetMap (jours en anglais abrégés, 24/7, PH) reste en place.
UPDATE acteur
SET horaires_precisions = horaires_accueil, horaires_accueil = ''
WHERE horaires_accueil <> ''
  AND horaires_accueil !~ '^(24/7|(Mo|Tu|We|Th|Fr|Sa|Su|PH)[ ,;:0-9-])';

-- Une date de vérification veut dire que quelqu'un a confirmé la fiche. Le chargement initial
-- recopiait la date de mise à jour : ces dates ne prouvaient rien. Seule une vérification
-- réellement faite (« Marquer comme vérifiée », dans l'historique) garde sa date.
UPDATE acteur
SET date_verification = (
    SELECT max(CAST((h.horodatage AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Paris' AS DATE))
    FROM historique_acteur h
    WHERE h.acteur_id = acteur.id AND h.action = 'verification'
);
