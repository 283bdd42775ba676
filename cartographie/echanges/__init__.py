"""Entrées et sorties de fiches : CSV initial, import de tableurs, exports."""
