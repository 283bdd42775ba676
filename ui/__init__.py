"""Aides propres à Streamlit, écrites une fois : connexion en cache, bandeau, gardes d'accès."""
