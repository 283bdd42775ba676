-- Cache du géocodage en ligne : une adresse déjà demandée au service national ne l'est plus
-- jamais (le cache survit aux redémarrages). N'y entrent que les réponses du service, pas les
-- replis hors ligne (recalculés à coût nul depuis le référentiel) ni les adresses tapées dans
-- la recherche (données personnelles possibles).

CREATE TABLE geocodage_cache (
    cle                     VARCHAR PRIMARY KEY,  -- adresse normalisée | code INSEE ou postal
    trouve                  BOOLEAN NOT NULL,     -- false : le service n'a rien d'acceptable
    latitude                DOUBLE,
    longitude               DOUBLE,
    precision_localisation  VARCHAR NOT NULL,
    code_insee              VARCHAR NOT NULL DEFAULT '',
    libelle                 VARCHAR NOT NULL DEFAULT '',
    score                   DOUBLE,
    source                  VARCHAR NOT NULL,     -- 'ban'
    date_geocodage          TIMESTAMP NOT NULL DEFAULT current_timestamp
);
