"""Answer links: signed, single-use, bound to a person, an item and a deadline (decision 0030)."""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlmodel import Session, select

from tracker.models import AnswerLink, Measure, Recommendation, User, utcnow

SALT = "tracker.answer-link"
TARGETS = {"measure": Measure, "recommendation": Recommendation}


class Refusal(StrEnum):
    FORGED = "forged"  # not signed by us, or no such link
    USED = "used"  # its update is saved already
    EXPIRED = "expired"  # older than ANSWER_LINK_DAYS
    REPLACED = "replaced"  # a newer reminder's link replaced it
    REVOKED = "revoked"  # the person signed out everywhere, or was deactivated
    OFF = "off"  # this installation turned the links off


class LinkRefused(Exception):
    def __init__(self, reason: Refusal, link: AnswerLink | None = None):
        super().__init__(reason.value)
        self.reason = reason
        self.link = link


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def new_link(session: Session, user: User, *, item_type: str, item_id: int, deadline: date) -> str:
    """Make the token of a new link for a person's item; it replaces their older ones."""
    link = AnswerLink(
        user_id=user.id,
        item_type=item_type,
        item_id=item_id,
        deadline=deadline,
        nonce=secrets.token_urlsafe(24),
        session_token=user.session_token,
    )
    session.add(link)
    session.flush()
    return _serializer().dumps({"k": link.id, "n": link.nonce})


@dataclass
class Opened:
    link: AnswerLink
    user: User
    target: Measure | Recommendation


def open_link(session: Session, token: str, *, expired_ok: bool = False) -> Opened:
    """Return the link a token names with its person and item; raise LinkRefused if it may
    not be used (expired_ok: an expired link still names whose text is kept)."""
    if not current_app.config["ANSWER_LINKS"]:
        raise LinkRefused(Refusal.OFF)
    try:
        data = _serializer().loads(token)
    except BadSignature:
        raise LinkRefused(Refusal.FORGED) from None
    link = isinstance(data, dict) and session.get(AnswerLink, data.get("k"))
    if not link or not secrets.compare_digest(link.nonce, str(data.get("n", ""))):
        raise LinkRefused(Refusal.FORGED)
    user = session.get(User, link.user_id)
    target = session.get(TARGETS[link.item_type], link.item_id)
    if user is None or target is None:
        raise LinkRefused(Refusal.FORGED)
    if link.used_at is not None:
        raise LinkRefused(Refusal.USED, link)
    if not user.active or user.session_token != link.session_token:
        raise LinkRefused(Refusal.REVOKED, link)
    newest = session.exec(
        select(AnswerLink.id)
        .where(
            AnswerLink.user_id == link.user_id,
            AnswerLink.item_type == link.item_type,
            AnswerLink.item_id == link.item_id,
        )
        .order_by(AnswerLink.id.desc())
        .limit(1)
    ).one()
    if newest != link.id:
        raise LinkRefused(Refusal.REPLACED, link)
    days = current_app.config["ANSWER_LINK_DAYS"]
    if link.created_at + timedelta(days=days) < utcnow() and not expired_ok:
        raise LinkRefused(Refusal.EXPIRED, link)
    return Opened(link, user, target)


def is_expired(link: AnswerLink) -> bool:
    """Tell whether a link is past its days."""
    return link.created_at + timedelta(days=current_app.config["ANSWER_LINK_DAYS"]) < utcnow()


def use(session: Session, link: AnswerLink) -> None:
    """Mark a link used: it opens nothing again."""
    link.used_at = utcnow()
    link.draft = ""
    session.add(link)


def keep_draft(session: Session, link: AnswerLink, text: str) -> None:
    """Keep what was typed into an expired link's form, for its person after sign-in."""
    link.draft = text
    session.add(link)
    session.commit()


def draft_for(session: Session, user: User, *, item_type: str, item_id: int) -> str:
    """Return the text a person typed into an expired link for an item, if any."""
    row = session.exec(
        select(AnswerLink.draft)
        .where(
            AnswerLink.user_id == user.id,
            AnswerLink.item_type == item_type,
            AnswerLink.item_id == item_id,
            AnswerLink.used_at.is_(None),
            AnswerLink.draft != "",
        )
        .order_by(AnswerLink.id.desc())
        .limit(1)
    ).first()
    return row or ""


def drop_drafts(session: Session, user: User, *, item_type: str, item_id: int) -> None:
    """Forget what a person typed into expired links for an item: it is posted now."""
    query = select(AnswerLink).where(
        AnswerLink.user_id == user.id,
        AnswerLink.item_type == item_type,
        AnswerLink.item_id == item_id,
        AnswerLink.draft != "",
    )
    for link in session.exec(query):
        link.draft = ""
        session.add(link)
