"""Géocodage : la chaîne (référentiel hors ligne, Base Adresse Nationale), la saisie libre."""
