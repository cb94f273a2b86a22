"""The follow-up list for board meetings: filtered, grouped, exported, kept and closed."""
