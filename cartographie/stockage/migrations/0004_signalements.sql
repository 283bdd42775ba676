-- Signalements d'erreur déposés depuis la vue publique, et journal des imports de tableurs.
-- Pas de clé étrangère vers acteur : DuckDB refuse de mettre à jour une ligne référencée.
-- Aucune adresse IP ni identifiant de navigateur n'est stocké ; `contact` est facultatif et
-- n'est rempli que si la personne le souhaite.

CREATE SEQUENCE signalement_numero;

CREATE TABLE signalement (
    numero        BIGINT PRIMARY KEY DEFAULT nextval('signalement_numero'),
    acteur_id     VARCHAR NOT NULL,
    depose_le     TIMESTAMP NOT NULL,              -- UTC
    probleme      VARCHAR NOT NULL,
    correction    VARCHAR NOT NULL DEFAULT '',
    contact       VARCHAR NOT NULL DEFAULT '',
    statut        VARCHAR NOT NULL DEFAULT 'ouvert', -- ouvert | traite
    traite_le     TIMESTAMP,                       -- UTC
    traite_par    VARCHAR NOT NULL DEFAULT '',
    note          VARCHAR NOT NULL DEFAULT ''      -- réponse de la DDFE, interne
);

CREATE INDEX signalement_acteur ON signalement (acteur_id, depose_le);

CREATE TABLE import_journal (
    horodatage   TIMESTAMP NOT NULL,               -- UTC
    auteur       VARCHAR NOT NULL,
    fichier      VARCHAR NOT NULL,
    ajoutes      INTEGER NOT NULL,
    modifies     INTEGER NOT NULL,
    archives     INTEGER NOT NULL,
    sauvegarde   VARCHAR NOT NULL                  -- copie de la base prise juste avant
);
