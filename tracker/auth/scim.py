"""SCIM 2.0 /Users for the identity provider's provisioning: people who leave are deactivated.

The provider (Entra ID's or AD FS's provisioning) lists, creates, changes and removes users
here with a bearer token (TRACKER_SCIM_TOKEN). Removing or deactivating a user never deletes
them: their sign-ins end, their name stays on what they wrote, and their open items show on
their bodies' secretaries' start page as needing a new owner. Roles still come from the
groups at sign-in (tracker/auth/identity.py), not from here.
"""

import hmac

from flask import Blueprint, current_app, request
from pydantic import ValidationError
from scim2_models import Context, Email, Error, ListResponse, Meta, PatchOp
from scim2_models import User as ScimUser
from sqlmodel import func, select

from tracker.auth.services import create_user, update_user
from tracker.db import get_session
from tracker.editing import saving
from tracker.models import Role, User

bp = Blueprint("scim", __name__, url_prefix="/scim/v2")
MEDIA_TYPE = "application/scim+json"


def _answer(model, status: int = 200, context=Context.RESOURCE_QUERY_RESPONSE):
    body = model.model_dump_json(scim_ctx=context, exclude_none=True)
    return current_app.response_class(body, status=status, mimetype=MEDIA_TYPE)


def _error(status: int, detail: str):
    return _answer(Error(status=status, detail=detail), status, Context.DEFAULT)


@bp.before_request
def _token():
    expected = current_app.config.get("SCIM_TOKEN") or ""
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer" or not hmac.compare_digest(given, expected):
        return _error(401, "A valid bearer token is needed.")
    return None


def _out(user: User) -> ScimUser:
    return ScimUser(
        id=str(user.id),
        external_id=user.oidc_subject,
        user_name=user.email,
        display_name=user.name,
        active=user.active,
        emails=[Email(value=user.email, primary=True)],
        meta=Meta(resource_type="User", location=f"{request.host_url}scim/v2/Users/{user.id}"),
    )


def _read(context) -> ScimUser:
    given = request.get_json(force=True, silent=True) or {}
    return ScimUser.model_validate(given, scim_ctx=context)


def _found(user_id: int) -> User | None:
    return get_session().get(User, user_id)


def set_active(session, user: User, active: bool) -> None:
    """Activate or deactivate a user; deactivating ends every sign-in at once."""
    if user.active != active:
        update_user(session, user, version=None, values={"active": active})


def _rename(session, user: User, name: str) -> None:
    update_user(session, user, version=None, values={"name": name})


@bp.get("/Users")
def users():
    """List the users as SCIM resources, filtered by userName."""
    session = get_session()
    query = select(User).order_by(User.id)
    wanted = request.args.get("filter", "")
    if wanted:
        # The one filter provisioning sends: userName eq "someone@region.example".
        attribute, _, value = wanted.partition(" eq ")
        if attribute.strip() != "userName" or not value.strip().startswith('"'):
            return _error(400, 'Only the filter userName eq "..." is supported.')
        query = query.where(User.email == value.strip().strip('"').lower())
    start = max(1, request.args.get("startIndex", 1, type=int))
    count = min(max(0, request.args.get("count", 100, type=int)), 500)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.offset(start - 1).limit(count)).all()
    listed = ListResponse[ScimUser](
        total_results=total,
        start_index=start,
        items_per_page=len(rows),
        resources=[_out(user) for user in rows],
    )
    return _answer(listed, context=Context.SEARCH_RESPONSE)


@bp.get("/Users/<int:user_id>")
def user(user_id: int):
    """Return one user as a SCIM resource."""
    found = _found(user_id)
    return _answer(_out(found)) if found else _error(404, "No such user.")


@bp.post("/Users")
def create():
    """Create a user the identity provider provisions, as a reader until their groups decide."""
    try:
        given = _read(Context.RESOURCE_CREATION_REQUEST)
    except ValidationError as error:
        return _error(400, str(error))
    session = get_session()
    email = (given.user_name or "").strip().lower()
    if not email:
        return _error(400, "userName is required.")
    if session.exec(select(User).where(User.email == email)).first():
        return _error(409, "A user with this userName exists.")
    with saving(session):
        created = create_user(
            session,
            email=email,
            name=given.display_name or email,
            role=Role.VIEWER,  # until their groups decide at their first sign-in
            active=given.active is not False,
            oidc_subject=given.external_id,
        )
    return _answer(_out(created), 201, Context.RESOURCE_CREATION_RESPONSE)


@bp.put("/Users/<int:user_id>")
def replace(user_id: int):
    """Replace a user's name and active flag."""
    found = _found(user_id)
    if found is None:
        return _error(404, "No such user.")
    try:
        given = _read(Context.RESOURCE_REPLACEMENT_REQUEST)
    except ValidationError as error:
        return _error(400, str(error))
    session = get_session()
    with saving(session):
        if given.display_name:
            _rename(session, found, given.display_name)
        set_active(session, found, given.active is not False)
    return _answer(_out(found), context=Context.RESOURCE_REPLACEMENT_RESPONSE)


def _truth(value) -> bool:
    # Entra ID sends "False" as a string.
    return value if isinstance(value, bool) else str(value).strip().lower() == "true"


@bp.patch("/Users/<int:user_id>")
def patch(user_id: int):
    """Change a user's name or active flag."""
    found = _found(user_id)
    if found is None:
        return _error(404, "No such user.")
    try:
        operations = (
            PatchOp[ScimUser]
            .model_validate(
                request.get_json(force=True, silent=True) or {},
                scim_ctx=Context.RESOURCE_PATCH_REQUEST,
            )
            .operations
        )
    except ValidationError as error:
        return _error(400, str(error))
    session = get_session()
    with saving(session):
        for operation in operations or []:
            _apply(session, found, operation)
    return _answer(_out(found), context=Context.RESOURCE_PATCH_RESPONSE)


def _apply(session, found: User, operation) -> None:
    value = operation.value
    if operation.path:
        value = {operation.path: value}
    if not isinstance(value, dict) or str(operation.op.value).lower() == "remove":
        return
    for key, item in value.items():
        if key == "active":
            set_active(session, found, _truth(item))
        elif key == "displayName" and item:
            _rename(session, found, str(item))


@bp.delete("/Users/<int:user_id>")
def remove(user_id: int):
    """Deactivate a user the provider removes; they are never deleted."""
    found = _found(user_id)
    if found is None:
        return _error(404, "No such user.")
    session = get_session()
    # Never deleted: what they wrote keeps their name, and their items find a new owner.
    with saving(session):
        set_active(session, found, False)
    return current_app.response_class(status=204)
