"""Suivi des consultations (objectif 22) : événements, écriture par lots, conservation, statistiques."""
