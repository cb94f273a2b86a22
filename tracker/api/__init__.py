"""The JSON API at /api/v1/ for the region's other systems, and personal API tokens."""

from flask import Flask, request


def init_app(app: Flask) -> None:
    """Register the API and the token pages; the API takes no cookie, so no CSRF token."""
    # Importing the views registers the routes on the blueprint.
    from tracker.api import problems, views  # noqa: F401
    from tracker.api.blueprint import bp, token_key
    from tracker.api.token_views import bp as tokens_bp
    from tracker.extensions import csrf
    from tracker.limiter import limiter_of

    app.config.setdefault("API_RATE_LIMIT", "120/minute")
    # Throttled per token, whatever the route: the limit is a setting (TRACKER_API_RATE_LIMIT).
    limiter_of(app).limit(lambda: app.config["API_RATE_LIMIT"], key_func=token_key)(bp)
    app.register_blueprint(bp)
    app.register_blueprint(tokens_bp)
    csrf.exempt(bp)
    # Addresses under /api/ that match no route still answer as the API does.
    for code in (404, 405, 429):
        for error_class, handler in list(app.error_handler_spec[None][code].items()):
            app.error_handler_spec[None][code][error_class] = _api_aware(handler, problems)


def _api_aware(page_handler, problems):
    def handle(error):
        if request.path.startswith("/api/"):
            problem = problems.ApiProblem(error.code, error.name, detail=error.description)
            return problems.response(problem)
        return page_handler(error)

    return handle
