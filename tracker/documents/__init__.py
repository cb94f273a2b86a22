"""Word documents the app writes, on the region's letterhead."""
