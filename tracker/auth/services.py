"""Users, passwords and the one permission check."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from tracker.auth.permissions import Action, can, require  # noqa: F401 - the one check
from tracker.models import ApiToken, Role, User, new_session_token, utcnow

MIN_PASSWORD = 10

# Production cost: argon2-cffi's default (RFC 9106's low-memory profile, 64 MiB).
_PRODUCTION = PasswordHasher()


class Passwords:
    """The app's password hasher, and the hash checked when the e-mail is unknown."""

    def __init__(self, hasher: PasswordHasher):
        self.hasher = hasher
        self._dummy: str | None = None

    @property
    def dummy_hash(self) -> str:
        """Return a hash to verify against, made on first use at the hasher's own cost."""
        # Verifying against it when the e-mail is unknown keeps timing from telling which
        # e-mails exist; made lazily so that importing or starting the app costs no hash.
        if self._dummy is None:
            self._dummy = self.hasher.hash("not a password")
        return self._dummy


def init_passwords(app: Flask) -> None:
    """Give the app its password hasher: cheap when PASSWORD_HASH_CHEAP (tests), else default."""
    cheap = app.config.get("PASSWORD_HASH_CHEAP", app.config.get("TESTING", False))
    # The least work argon2 allows: tests make hundreds of users and sign-ins.
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1) if cheap else _PRODUCTION
    app.extensions["tracker.passwords"] = Passwords(hasher)


def _passwords() -> Passwords:
    if has_app_context() and "tracker.passwords" in current_app.extensions:
        return current_app.extensions["tracker.passwords"]
    return _OUTSIDE_APP


_OUTSIDE_APP = Passwords(_PRODUCTION)


class EmailTaken(ValueError):
    """Another user already has this e-mail address."""


def hash_password(password: str) -> str:
    """Return an argon2 hash of a password."""
    return _passwords().hasher.hash(password)


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    """Return the active user with this e-mail and password, or None."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    passwords = _passwords()
    stored = user.password_hash if user and user.password_hash else passwords.dummy_hash
    try:
        passwords.hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.password_hash or not user.active:
        return None
    return user


def check_password(user: User, password: str) -> bool:
    """Tell whether a password is the user's own."""
    try:
        return bool(user.password_hash) and _passwords().hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Return why a new password is refused, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD:
        return _l("At least %(min)d characters.", min=MIN_PASSWORD)
    folded = password.strip().casefold()
    if folded in _common_passwords():
        return _l("This password is on a list of common passwords. Choose another.")
    email = email.strip().casefold()
    own = {"".join(text.split()) for text in (email, email.split("@")[0], name.casefold())}
    if "".join(folded.split()) in own - {""}:
        return _l("The password must not be your e-mail address or your name.")
    if _guessability(password, [email, email.split("@")[0], *name.casefold().split()]) < 3:
        return _l(
            "This password is too easy to guess. Add another word or two; "
            "uncommon words and a sentence of your own are better."
        )
    return None


def _guessability(password: str, own: list[str]) -> int:
    """Return zxcvbn's score (0-4), with the user's own words and common Swedish ones."""
    from zxcvbn import zxcvbn

    from tracker.auth.swedish_words import WORDS

    # zxcvbn's time grows with length; the first 100 characters decide the score anyway.
    return zxcvbn(password[:100], user_inputs=[*own, *WORDS])["score"]


def end_sessions(session: Session, user: User) -> None:
    """End every session and remember cookie of the user, by giving them a new session token."""
    # A plain update: not an edit of the user, so it neither bumps the version nor is logged.
    token = new_session_token()
    session.execute(update(User).where(User.id == user.id).values(session_token=token))
    set_committed_value(user, "session_token", token)


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    password: str | None = None,
    unit_id: int | None = None,
    language: str = "sv",
    active: bool = True,
    oidc_subject: str | None = None,
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
        active=active,
        oidc_subject=oidc_subject,
        password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    session.flush()
    return user


def people_choices(session: Session, *, role: Role | None = None) -> list[tuple[int, str]]:
    """Return (id, name) of every user, or of those with a role, by name, for a select box."""
    query = select(User.id, User.name).order_by(User.name)
    if role is not None:
        query = query.where(User.role == role)
    return [(id_, name) for id_, name in session.exec(query)]


def names_of(session: Session, user_ids: list[int | None]) -> dict[int, str]:
    """Return the names of these users, by id."""
    ids = {user_id for user_id in user_ids if user_id}
    if not ids:
        return {}
    return dict(session.exec(select(User.id, User.name).where(User.id.in_(ids))).all())


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
    deactivated = user.active and values.get("active") is False
    update_row(session, user, version=version, values=values)
    if password or deactivated:
        end_sessions(session, user)
    return user


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


def api_tokens_of(session: Session, user_id: int) -> list[ApiToken]:
    """Return a user's API tokens that are not revoked, newest first, for their settings."""
    query = (
        select(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(session.exec(query))
