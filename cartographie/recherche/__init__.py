"""Trouver une ressource : filtres, index en mémoire, annuaire public, carte."""
