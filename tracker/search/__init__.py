"""Full-text search over sources, recommendations, measures and status updates."""
