"""Sources: audit reports, decisions of a body, internal plans."""
