"""The follow-up list: open items for a meeting, grouped, kept as frozen copies, and closed."""
