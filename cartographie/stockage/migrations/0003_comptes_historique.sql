-- Comptes de la DDFE, journal des connexions et historique des fiches.
-- Pas de clé étrangère : DuckDB refuse de mettre à jour une ligne référencée, et l'historique
-- doit survivre à tout (il garde l'identifiant de l'auteur même si son compte est désactivé).

CREATE TABLE compte (
    identifiant         VARCHAR PRIMARY KEY,
    nom                 VARCHAR NOT NULL DEFAULT '',
    role                VARCHAR NOT NULL,          -- administrateur | editeur | statistiques
    empreinte           VARCHAR NOT NULL,          -- argon2id ; jamais le mot de passe
    actif               BOOLEAN NOT NULL DEFAULT true,
    echecs_consecutifs  INTEGER NOT NULL DEFAULT 0,
    bloque_jusqu_a      TIMESTAMP,                 -- UTC
    cree_le             TIMESTAMP NOT NULL,        -- UTC
    derniere_connexion  TIMESTAMP                  -- UTC
);

CREATE SEQUENCE journal_compte_numero;

-- Chaque tentative de connexion et chaque geste d'administration des comptes, sans mot de passe.
CREATE TABLE journal_compte (
    numero       BIGINT PRIMARY KEY DEFAULT nextval('journal_compte_numero'),
    horodatage   TIMESTAMP NOT NULL,               -- UTC
    identifiant  VARCHAR NOT NULL,                 -- tel que saisi (tronqué), même inconnu
    evenement    VARCHAR NOT NULL,                 -- connexion_reussie, connexion_refusee, ...
    detail       VARCHAR NOT NULL DEFAULT '',
    auteur       VARCHAR NOT NULL DEFAULT ''       -- qui a fait le geste (administration)
);

-- Une ligne par version d'une fiche : qui, quand, quoi (avant/après par champ, en JSON) et
-- l'état complet après le changement, pour restaurer une version sans rejouer les différences.
CREATE TABLE historique_acteur (
    acteur_id    VARCHAR NOT NULL,
    version      INTEGER NOT NULL,
    auteur       VARCHAR NOT NULL,
    horodatage   TIMESTAMP NOT NULL,               -- UTC
    action       VARCHAR NOT NULL,
    changements  VARCHAR NOT NULL,                 -- JSON {champ: {"avant": .., "apres": ..}}
    etat         VARCHAR NOT NULL,                 -- JSON de la fiche entière après le changement
    PRIMARY KEY (acteur_id, version)
);
