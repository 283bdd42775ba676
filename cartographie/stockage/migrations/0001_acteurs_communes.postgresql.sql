-- Variante PostgreSQL de 0001_acteurs_communes.sql (mêmes tables ; types et valeurs par défaut
-- dans la syntaxe du serveur). PostGIS fournit GEOMETRY et les fonctions ST_* ; l'extension
-- se crée ici si le compte de l'application en a le droit, sinon l'administrateur du serveur
-- la crée une fois (`CREATE EXTENSION postgis;`) et cette ligne ne fait plus rien.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE commune (
    code_insee      VARCHAR PRIMARY KEY,
    nom             VARCHAR NOT NULL,
    codes_postaux   VARCHAR[] NOT NULL,
    population      INTEGER,
    epci_code       VARCHAR NOT NULL,
    epci_nom        VARCHAR NOT NULL,
    territoire      VARCHAR NOT NULL,
    anciens_codes   VARCHAR[] NOT NULL,
    latitude        DOUBLE PRECISION NOT NULL,   -- point représentatif, toujours dans le polygone
    longitude       DOUBLE PRECISION NOT NULL,
    geom            GEOMETRY NOT NULL            -- (lon, lat), comme en GeoJSON
);

CREATE TABLE acteur (
    id                      VARCHAR PRIMARY KEY,
    nom                     VARCHAR NOT NULL,
    structure               VARCHAR NOT NULL DEFAULT '',
    type                    VARCHAR NOT NULL,
    description             VARCHAR NOT NULL DEFAULT '',
    adresse                 VARCHAR NOT NULL DEFAULT '',
    complement_adresse      VARCHAR NOT NULL DEFAULT '',
    code_postal             VARCHAR NOT NULL DEFAULT '',
    commune                 VARCHAR NOT NULL,
    code_insee              VARCHAR NOT NULL,
    latitude                DOUBLE PRECISION,
    longitude               DOUBLE PRECISION,
    telephone               VARCHAR NOT NULL DEFAULT '',
    courriel                VARCHAR NOT NULL DEFAULT '',
    site_web                VARCHAR NOT NULL DEFAULT '',
    horaires_accueil        VARCHAR NOT NULL DEFAULT '',
    axes                    VARCHAR[] NOT NULL DEFAULT '{}',
    publics                 VARCHAR[] NOT NULL DEFAULT '{}',
    precision_localisation  VARCHAR NOT NULL DEFAULT 'commune',
    adresse_confidentielle  BOOLEAN NOT NULL DEFAULT false,
    statut                  VARCHAR NOT NULL DEFAULT 'actif',
    date_maj                DATE,
    source                  VARCHAR NOT NULL DEFAULT '',
    date_verification       DATE,
    version                 INTEGER NOT NULL DEFAULT 1  -- verrou optimiste des éditions
);

CREATE INDEX acteur_code_insee ON acteur (code_insee);

CREATE TABLE meta (
    cle     VARCHAR PRIMARY KEY,
    valeur  VARCHAR NOT NULL
);
