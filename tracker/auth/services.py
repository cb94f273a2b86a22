"""Users, passwords and the one permission check."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort
from flask_login import current_user
from sqlmodel import Session, select

from tracker.models import Measure, Recommendation, Role, User, utcnow

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so that timing does not tell which e-mails exist.
_DUMMY_HASH = _hasher.hash("not a password")

EDITORS = {Role.ADMIN, Role.SECRETARY}


class EmailTaken(ValueError):
    """Another user already has this e-mail address."""


def hash_password(password: str) -> str:
    """Return an argon2 hash of a password."""
    return _hasher.hash(password)


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    """Return the active user with this e-mail and password, or None."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    stored = user.password_hash if user and user.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.password_hash or not user.active:
        return None
    return user


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    password: str | None = None,
    unit_id: int | None = None,
    language: str = "sv",
) -> User:
    """Create a user; raise ValueError if the e-mail is taken or the role unknown."""
    email = email.strip().lower()
    if role not in set(Role):
        raise ValueError(f"unknown role {role!r}")
    if session.exec(select(User).where(User.email == email)).first():
        raise ValueError(f"a user with the e-mail {email} already exists")
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        unit_id=unit_id,
        language=language,
        password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    session.flush()
    return user


def can(user, action: str, target=None) -> bool:
    """Tell whether a user may do an action, on a target where it matters."""
    if user is None or not user.is_authenticated:
        return False
    role = user.role
    if action == "read":
        return True
    if action == "see_overview":
        # The start page's figures over everything; owners see their own items only.
        return role in EDITORS | {Role.VIEWER}
    if action in {"manage_users", "manage_units", "admin", "view_reminder_ledger"}:
        return role == Role.ADMIN
    if action == "renew_feed":
        return isinstance(target, User) and target.id == user.id
    if action in {"edit_source", "edit_recommendation", "edit_meeting", "create_measure"}:
        return role in EDITORS
    if action == "edit_indicator":
        # Indicators, their outcomes (by form or import) and their threshold rules.
        return role in EDITORS
    if action == "edit_measure":
        if role in EDITORS:
            return True
        return role == Role.OWNER and isinstance(target, Measure) and target.owner_id == user.id
    if action == "post_update":
        if role in EDITORS:
            return True
        if role != Role.OWNER:
            return False
        if isinstance(target, Measure):
            return target.owner_id == user.id
        if isinstance(target, Recommendation):
            return target.responsible_id == user.id
        return False
    if action in {"keep_followup_list", "close_items"}:
        # Keeping the record of what a board saw, and recording what it decided.
        return role in EDITORS
    return False


def require(action: str, target=None) -> None:
    """Abort with 403 unless the signed-in user may do the action."""
    if not can(current_user, action, target):
        abort(403)


def list_users(session: Session) -> list[User]:
    """Return every user, by name."""
    return list(session.exec(select(User).order_by(User.name)))


def update_user(session: Session, user: User, *, version: int | None, values: dict) -> User:
    """Change a user; a new password, if given, is hashed; the e-mail must stay unique."""
    from tracker.editing import update_row

    values = dict(values)
    password = values.pop("password", None)
    if "email" in values:
        values["email"] = values["email"].strip().lower()
        taken = session.exec(
            select(User).where(User.email == values["email"], User.id != user.id)
        ).first()
        if taken:
            raise EmailTaken(values["email"])
        if values["email"] != user.email:
            values["placeholder_email"] = False  # an admin entered a real address
    if password:
        values["password_hash"] = hash_password(password)
    return update_row(session, user, version=version, values=values)


def set_language(session: Session, user_id: int, language: str) -> None:
    """Keep the user's choice of language (their own setting: no role check is needed)."""
    user = session.get(User, user_id)
    user.language = language
    session.commit()


def first_sign_in(session: Session, user: User, language: str | None) -> None:
    """Mark the user's first sign-in and take the language their browser asks for."""
    from sqlalchemy import update

    values = {"first_signed_in_at": utcnow()}
    if language in ("sv", "en"):
        values["language"] = language
    # A plain UPDATE: signing in is no edit, so the row's version (optimistic locking) stays.
    session.execute(update(User).where(User.id == user.id).values(**values))
    session.commit()
    session.expire(user)
