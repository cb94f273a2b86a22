"""Flask-Limiter, one per app: Redis when TRACKER_REDIS_URL is set, else in memory."""

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address


def init_app(app: Flask) -> Limiter:
    """Give the app its limiter; several workers share counts only through Redis."""
    # One per app, not one per process: Flask-Limiter keeps the first app's storage otherwise.
    # TRACKER_REDIS_URL (REDIS_URL) wins: several workers must count in one place.
    storage = app.config.get("REDIS_URL") or app.config.get("RATELIMIT_STORAGE_URI")
    app.config["RATELIMIT_STORAGE_URI"] = storage or "memory://"
    # Redis down must not stop sign-in: each process counts on its own until Redis is back,
    # and Flask-Limiter logs "Rate limit storage unreachable - falling back to in-memory
    # storage" (a warning, to stderr) when it switches.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    # A count that fails after the answer was made (Redis gone mid-request) is logged, not a 500.
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    limiter = Limiter(key_func=get_remote_address, app=app)
    app.extensions["tracker.limiter"] = limiter
    return limiter


def limiter_of(app: Flask) -> Limiter:
    """Return the app's limiter (sign-in and the API share it)."""
    return app.extensions["tracker.limiter"]
