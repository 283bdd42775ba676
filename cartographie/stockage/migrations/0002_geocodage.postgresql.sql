-- Variante PostgreSQL de 0002_geocodage.sql (DOUBLE PRECISION).

CREATE TABLE geocodage_cache (
    cle                     VARCHAR PRIMARY KEY,  -- adresse normalisée | code INSEE ou postal
    trouve                  BOOLEAN NOT NULL,     -- false : le service n'a rien d'acceptable
    latitude                DOUBLE PRECISION,
    longitude               DOUBLE PRECISION,
    precision_localisation  VARCHAR NOT NULL,
    code_insee              VARCHAR NOT NULL DEFAULT '',
    libelle                 VARCHAR NOT NULL DEFAULT '',
    score                   DOUBLE PRECISION,
    source                  VARCHAR NOT NULL,     -- 'ban'
    date_geocodage          TIMESTAMP NOT NULL DEFAULT current_timestamp  -- UTC (TimeZone = UTC)
);
