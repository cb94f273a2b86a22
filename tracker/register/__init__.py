"""Open by default, closed where the law says: marks, the public register, the archive package."""
