"""Personal API tokens: made, checked, listed and revoked."""

import hashlib
import secrets
from datetime import date, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, select

from tracker import dates
from tracker.models import ApiToken, User, utcnow

PREFIX = "trk_"
# last_used_at is written at most this often per token, so that reading costs no write each time.
TOUCH_INTERVAL = timedelta(minutes=1)


def hash_token(token: str) -> str:
    """Return the hex SHA-256 a token is stored as."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    session: Session, user: User, *, name: str, expires_on: date | None
) -> tuple[ApiToken, str]:
    """Make a token for a user; return the row and the token, which is never shown again."""
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        name=name.strip(),
        token_hash=hash_token(token),
        hint=token[: len(PREFIX) + 4],
        expires_on=expires_on,
    )
    session.add(row)
    session.flush()
    return row, token


def user_for(session: Session, token: str) -> tuple[ApiToken, User] | None:
    """Return the token's row and its active user, if the token is valid today."""
    query = (
        select(ApiToken, User)
        .join(User, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == hash_token(token),
            ApiToken.revoked_at.is_(None),
            or_(ApiToken.expires_on.is_(None), ApiToken.expires_on >= dates.today()),
        )
    )
    found = session.exec(query).first()
    if found is None or not found[1].active:
        return None
    return found[0], found[1]


def stale(row: ApiToken) -> bool:
    """Tell whether the token's last use is unrecorded or older than TOUCH_INTERVAL."""
    return row.last_used_at is None or utcnow() - row.last_used_at >= TOUCH_INTERVAL


def touch(connection, row: ApiToken) -> None:
    """Note that a token was used now, outside the change log: it is no change to the data."""
    connection.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=utcnow()))


def all_tokens(session: Session) -> list[tuple[ApiToken, User]]:
    """Return every token that is not revoked with its user, by user name."""
    query = (
        select(ApiToken, User)
        .join(User, ApiToken.user_id == User.id)
        .where(ApiToken.revoked_at.is_(None))
        .order_by(User.name, ApiToken.created_at.desc())
    )
    return list(session.exec(query))


def revoke(session: Session, row: ApiToken) -> None:
    """Revoke a token: every request with it is refused from now on."""
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
