"""The organisation tree: region, divisions, operational areas, health centres."""
