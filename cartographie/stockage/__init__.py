"""Le seul endroit où vit le SQL : schéma (migrations numérotées) et requêtes, un module par concept."""
