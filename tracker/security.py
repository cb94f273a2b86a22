"""Protections every request shares: bounded ids, clean query strings, headers, throttling."""

from datetime import UTC, datetime

from flask import Flask, abort, current_app, request
from flask.wrappers import Request
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

from tracker.text import has_control

# Ids are PostgreSQL integers: a larger number cannot name a row, so it is refused early.
MAX_ID = 2**31 - 1


def bounded_int(value) -> int:
    """Return value as an integer a database column can hold; raise ValueError otherwise."""
    number = int(value)
    if not -MAX_ID <= number <= MAX_ID:
        raise ValueError(f"{value!r} is out of range")
    return number


class RowIdConverter(IntegerConverter):
    """An <int:…> path part that a database id can hold; larger numbers match no page."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)


class BoundedArgs(ImmutableMultiDict):
    """Query and form values whose `type=int` refuses numbers no column can hold."""

    def get(self, key, default=None, type=None):
        return super().get(key, default, bounded_int if type is int else type)

    def getlist(self, key, type=None):
        return super().getlist(key, bounded_int if type is int else type)


class BoundedRequest(Request):
    parameter_storage_class = BoundedArgs


def init_app(app: Flask) -> None:
    """Install the converters, the query-string check, the headers and the limiter."""
    app.request_class = BoundedRequest
    app.url_map.converters["int"] = RowIdConverter

    @app.before_request
    def _refuse_control_characters():
        # PostgreSQL refuses NUL outright; other control characters are never meant.
        if any(has_control(key) or has_control(value) for key, value in request.args.items(True)):
            abort(400)

    @app.after_request
    def _transport_and_caching(response):
        if current_app.config["ENV_NAME"] != "development":
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        # A file the public register offers to everyone may be kept; other downloads not.
        attachment = (
            "attachment" in response.headers.get("Content-Disposition", "")
            and not response.cache_control.public
        )
        private = request.endpoint != "static" and current_user.is_authenticated
        if attachment or private:
            # Shared computers and proxies must not keep what a signed-in user saw.
            response.headers["Cache-Control"] = "no-store"
        return response


def retry_at() -> datetime | None:
    """Return when the limit this request broke lets requests through again."""
    limit = current_app.extensions["tracker.limiter"].current_limit
    return datetime.fromtimestamp(limit.reset_at, UTC) if limit else None
