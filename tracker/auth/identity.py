"""People from the identity provider: groups mapped to role, bodies and unit; the sign-in log."""

from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, update
from sqlmodel import Session, select

from tracker.models import (
    Body,
    BodyMember,
    BodySecretary,
    GroupMapping,
    Role,
    SignIn,
    Unit,
    User,
    UserUnit,
    utcnow,
)

# When a person is in several groups, the role that may do most wins.
ROLE_RANK = [Role.ADMIN, Role.SECRETARY, Role.AUDITOR, Role.OWNER, Role.ELECTED, Role.VIEWER]
LOG_KEPT = timedelta(days=365)


class SignInRefused(Exception):
    """The provider vouched for the person, but the tracker does not let them in."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Grant:
    """What a person's groups give them: a role, the bodies they are secretary of, units."""

    role: str | None = None
    bodies: set[int] = field(default_factory=set)
    unit_id: int | None = None  # the first: the person's own unit
    units: set[int] = field(default_factory=set)  # every unit their groups give


def parse_first_mappings(text: str) -> list[tuple[str, str, str]]:
    """Read "group=role[:BODY or unit]; ..." into (group, role, body code or unit name)."""
    mappings = []
    for part in text.split(";"):
        if not part.strip():
            continue
        group, _, target = part.partition("=")
        role, _, scope = target.partition(":")
        if role.strip() not in set(Role):
            raise ValueError(f"TRACKER_OIDC_GROUPS: unknown role {role.strip()!r} in {part!r}")
        mappings.append((group.strip(), role.strip(), scope.strip()))
    return mappings


def ensure_first_mappings(session: Session) -> None:
    """Fill the empty group table from the first-start setting (TRACKER_OIDC_GROUPS)."""
    if session.exec(select(GroupMapping.id).limit(1)).first() is not None:
        return
    for group, role, scope in parse_first_mappings(current_app.config["OIDC_GROUPS"]):
        body = session.exec(select(Body).where(Body.code == scope)).first() if scope else None
        unit = None
        if scope and body is None:
            unit = session.exec(select(Unit).where(Unit.name == scope)).first()
            if unit is None:
                raise ValueError(f"TRACKER_OIDC_GROUPS: no body or unit {scope!r}")
        add_mapping(
            session,
            group=group,
            role=role,
            body_id=body.id if body else None,
            unit_id=unit.id if unit else None,
        )


def add_mapping(
    session: Session, *, group: str, role: str, body_id: int | None, unit_id: int | None
) -> GroupMapping:
    """Map a provider's group to a role, and to a body or unit."""
    mapping = GroupMapping(group_name=group.strip(), role=role, body_id=body_id, unit_id=unit_id)
    session.add(mapping)
    session.flush()
    return mapping


def remove_mapping(session: Session, mapping: GroupMapping) -> None:
    """Stop a provider's group giving a role, body or unit."""
    session.delete(mapping)
    session.flush()


def list_mappings(session: Session) -> list[tuple[GroupMapping, str, str]]:
    """Return every mapping with its body's and unit's names, by group."""
    query = (
        select(GroupMapping, Body.name, Unit.name)
        .outerjoin(Body, Body.id == GroupMapping.body_id)
        .outerjoin(Unit, Unit.id == GroupMapping.unit_id)
        .order_by(GroupMapping.group_name, GroupMapping.id)
    )
    return [(mapping, body or "", unit or "") for mapping, body, unit in session.exec(query)]


def grant_of(session: Session, groups: list[str]) -> Grant:
    """Return what the groups give; no role when none of them is mapped."""
    grant = Grant()
    if not groups:
        return grant
    rows = session.exec(select(GroupMapping).where(GroupMapping.group_name.in_(groups))).all()
    roles = {row.role for row in rows}
    grant.role = next((role for role in ROLE_RANK if role in roles), None)
    # A secretary's bodies are those they edit; an elected member's, those they read.
    grant.bodies = {row.body_id for row in rows if row.body_id and row.role == grant.role}
    grant.unit_id = next((row.unit_id for row in rows if row.unit_id), None)
    grant.units = {row.unit_id for row in rows if row.unit_id}
    return grant


def claims_of(claims: dict) -> tuple[str, str, str, list[str]]:
    """Return the subject, e-mail, name and groups from the ID token's claims."""
    config = current_app.config
    email = str(claims.get(config["OIDC_EMAIL_CLAIM"]) or "").strip().lower()
    name = str(claims.get(config["OIDC_NAME_CLAIM"]) or "").strip() or email
    groups = claims.get(config["OIDC_GROUPS_CLAIM"]) or []
    if isinstance(groups, str):
        groups = [groups]
    return str(claims.get("sub") or ""), email, name, [str(group) for group in groups]


def sign_in_from_claims(session: Session, claims: dict) -> User:
    """Return the user the provider vouched for, created or updated from their groups."""
    subject, email, name, groups = claims_of(claims)
    if not subject or not email:
        raise SignInRefused("no_email")
    ensure_first_mappings(session)
    grant = grant_of(session, groups)
    user = session.exec(select(User).where(User.oidc_subject == subject)).first()
    # A user an administrator made before single sign-on is found by e-mail, then by subject.
    user = user or session.exec(select(User).where(User.email == email)).first()
    if grant.role is None:
        raise SignInRefused("no_group")
    if user is None:
        user = User(email=email, name=name, role=grant.role, oidc_subject=subject)
        session.add(user)
        session.flush()
    elif not user.active:
        raise SignInRefused("deactivated")
    # The groups decide at every sign-in: a change at the provider takes effect here.
    values = {"name": name, "email": email, "role": grant.role, "oidc_subject": subject}
    if grant.unit_id:
        values["unit_id"] = grant.unit_id
    for key, value in values.items():
        if getattr(user, key) != value:
            setattr(user, key, value)
    set_user_bodies(session, user, grant.bodies)
    set_user_units(session, user, grant.units)
    session.flush()
    return user


def set_user_units(session: Session, user: User, units: set[int]) -> None:
    """Give the user exactly these units from their groups (an owner reads their items)."""
    current = set(session.exec(select(UserUnit.unit_id).where(UserUnit.user_id == user.id)))
    if current == units:
        return
    session.execute(delete(UserUnit).where(UserUnit.user_id == user.id))
    session.add_all(UserUnit(user_id=user.id, unit_id=unit_id) for unit_id in sorted(units))
    session.flush()


def set_bodies(session: Session, user: User, bodies: set[int], link) -> None:
    """Make the user secretary (BodySecretary) or member (BodyMember) of exactly these bodies."""
    current = set(session.exec(select(link.body_id).where(link.user_id == user.id)))
    if current == bodies:
        return
    session.execute(delete(link).where(link.user_id == user.id))
    for body_id in sorted(bodies):
        session.add(link(body_id=body_id, user_id=user.id))
    session.flush()


def set_user_bodies(session: Session, user: User, bodies: set[int]) -> None:
    """Set the bodies of a secretary (those they edit) or elected member (those they read)."""
    for role, link in ((Role.SECRETARY, BodySecretary), (Role.ELECTED, BodyMember)):
        set_bodies(session, user, bodies if user.role == role else set(), link)


def bodies_of_user(session: Session, user: User) -> set[int]:
    """Return the bodies a user is secretary or elected member of."""
    return {
        body_id
        for link in (BodySecretary, BodyMember)
        for body_id in session.exec(select(link.body_id).where(link.user_id == user.id))
    }


def may_use_password(email: str) -> bool:
    """Tell whether a password sign-in is open to this e-mail address."""
    config = current_app.config
    return config["PASSWORD_SIGN_IN"] or email.strip().lower() in config["BREAK_GLASS"]


def log_sign_in(
    session: Session, *, user: User | None, email: str, method: str, address: str, outcome: str
) -> None:
    """Write one row of the sign-in log, and drop the rows older than twelve months."""
    session.add(
        SignIn(
            user_id=user.id if user else None,
            email=email[:254],
            method=method,
            address=(address or "")[:64],
            outcome=outcome,
        )
    )
    session.execute(delete(SignIn).where(SignIn.at < utcnow() - LOG_KEPT))


def sign_ins(session: Session, limit: int = 500) -> list[tuple[SignIn, str]]:
    """Return the latest sign-ins with the user's current name, newest first."""
    query = (
        select(SignIn, User.name)
        .outerjoin(User, User.id == SignIn.user_id)
        .order_by(SignIn.at.desc(), SignIn.id.desc())
        .limit(limit)
    )
    return [(row, name or "") for row, name in session.exec(query)]


def mark_signed_in(session: Session, user: User) -> None:
    """Note a user's first sign-in without counting it as an edit."""
    if user.first_signed_in_at is None:
        session.execute(update(User).where(User.id == user.id).values(first_signed_in_at=utcnow()))
