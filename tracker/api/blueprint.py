"""The API's blueprint: token sign-in, problems as answers, and what every route uses."""

from functools import wraps

from flask import Blueprint, g, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import Session
from werkzeug.exceptions import HTTPException

from tracker import db
from tracker.api import problems, schemas, tokens
from tracker.api.body_checks import refuse_control_characters, refuse_deep_json
from tracker.api.problems import ApiProblem
from tracker.auth.permissions import can
from tracker.auth.visibility import row_visible
from tracker.changelog import set_actor
from tracker.extensions import login_manager
from tracker.models import User

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Ids in paths: PostgreSQL's integer; larger ones are no row.
ID = "int(min=1, max=2147483647)"
# Routes anyone may read: the description of the API, not its data.
OPEN = {"api.description", "api.docs"}


@bp.before_request
def _authenticate():
    # The API never reads the session cookie: a token is the only way in, so no CSRF applies.
    g._login_user = login_manager.anonymous_user()
    set_actor(db.get_session(), None)
    if request.endpoint in OPEN:
        return
    token = bearer_token()
    if token is None:
        raise ApiProblem(401, _("Send a personal API token as Authorization: Bearer <token>."))
    # Looked up and marked used in transactions of their own, ended before the request's
    # session begins: on SQLite a writing request holds the write lock from its first query.
    with Session(db.engine()) as lookup:
        found = tokens.user_for(lookup, token)
    if found is None:
        raise ApiProblem(401, _("The token is unknown, expired or revoked."))
    row, user = found
    if tokens.stale(row):
        with db.engine().execution_options(write=True).begin() as connection:
            tokens.touch(connection, row)
    g._login_user = db.get_session().get(User, user.id)
    set_actor(db.get_session(), user.id)


# After the token: an unknown caller learns nothing of how its body would be read.
bp.before_request(refuse_deep_json)
bp.before_request(refuse_control_characters)


@bp.errorhandler(ApiProblem)
def _problem(error: ApiProblem):
    db.get_session().rollback()
    return problems.response(error)


@bp.errorhandler(HTTPException)
def _http_problem(error: HTTPException):
    return problems.response(ApiProblem(error.code or 500, error.name, detail=error.description))


def bearer_token() -> str | None:
    """Return the token sent as "Authorization: Bearer <token>", if one is."""
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def token_key() -> str:
    """Return the throttling key: the token's hash, else the caller's address."""
    token = bearer_token()
    if token is not None:
        return "api-token:" + tokens.hash_token(token)
    return "api-address:" + (request.remote_addr or "")


def allowed(action: str, load=None):
    """Refuse with 403, before the body is read, unless the token's role may do the action."""

    def decorate(view):
        @wraps(view)
        def guarded(**kwargs):
            target = load(**kwargs) if load else None
            if not can(current_user, action, target):
                raise ApiProblem(403, _("Your role does not allow this."))
            return view(**kwargs)

        return guarded

    return decorate


def found(table, id_: int):
    """Return a row by id, or answer 404."""
    row = db.get_session().get(table, id_)
    # A restricted source's rows are not there for someone outside its bodies.
    if row is None or not row_visible(db.get_session(), row):
        raise ApiProblem(404, _("No such row"), detail=_("There is no such row: %(id)s.", id=id_))
    return row


def size(query: schemas.Paging) -> dict:
    """Return a list query's paging as the list services take it."""
    return {"page": query.page, "size": query.per_page}


def created(data: dict, endpoint: str, **args):
    """Answer 201 with the new row and its address."""
    return data, 201, {"Location": url_for(endpoint, **args)}
