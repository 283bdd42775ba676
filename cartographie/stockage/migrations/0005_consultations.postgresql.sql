-- Variante PostgreSQL de 0005_consultations.sql (tableaux vides écrits '{}').

CREATE TABLE consultation (
    horodatage  TIMESTAMP NOT NULL,            -- UTC, tronqué à l'heure
    evenement   VARCHAR NOT NULL,              -- TypeEvenement
    page        VARCHAR NOT NULL,              -- code de la page (carte, fiche, ...)
    session     UUID NOT NULL,                 -- uuid4 aléatoire, vit le temps de l'onglet
    types       VARCHAR[] NOT NULL DEFAULT '{}', -- filtres : codes des référentiels
    axes        VARCHAR[] NOT NULL DEFAULT '{}',
    publics     VARCHAR[] NOT NULL DEFAULT '{}',
    territoire  VARCHAR,                       -- un territoire connu du référentiel
    rayon_km    INTEGER,
    code_insee  VARCHAR,                       -- commune du point cherché, jamais l'adresse
    acteur_id   VARCHAR,                       -- fiche ouverte, imprimée ou partagée
    format      VARCHAR                        -- pdf, csv, impression...
);

-- Ce qui reste des événements bruts passé le délai de conservation : des comptes par jour
-- (heure de Paris), sans session. `dimension` = '' pour le total du jour ; sinon le filtre
-- ou l'objet compté (type, axe, public, territoire, rayon_km, code_insee, acteur_id, format),
-- et `valeur` son code. `evenement` = '*' compte les sessions du jour, tous événements confondus.
CREATE TABLE consultation_agregat (
    jour        DATE NOT NULL,
    evenement   VARCHAR NOT NULL,
    page        VARCHAR NOT NULL,
    dimension   VARCHAR NOT NULL,
    valeur      VARCHAR NOT NULL,
    nombre      BIGINT NOT NULL,
    sessions    BIGINT NOT NULL,
    PRIMARY KEY (jour, evenement, page, dimension, valeur)
);
