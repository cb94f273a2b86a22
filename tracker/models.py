"""The whole schema of the tracker: every table, one short comment per field."""

import secrets
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel


def new_session_token() -> str:
    """Return a fresh random session token."""
    return secrets.token_urlsafe(32)


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


# Constraint names are fixed so that SQLite batch migrations and PostgreSQL agree.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Role(StrEnum):
    ADMIN = "admin"
    SECRETARY = "secretary"
    OWNER = "owner"
    VIEWER = "viewer"
    ELECTED = "elected"  # förtroendevald: reads their bodies' items, lists and answers
    AUDITOR = "auditor"  # revisor: reads everything, records the follow-up findings


class UnitKind(StrEnum):
    REGION = "region"
    DIVISION = "division"
    AREA = "area"
    HEALTH_CENTRE = "health_centre"
    OFFICE = "office"


class SourceKind(StrEnum):
    AUDIT_REPORT = "audit_report"
    DECISION = "decision"
    PLAN = "plan"
    PROPOSAL = "proposal"  # a body's proposal to another ("föreslår regionstyrelsen besluta")


class RecommendationKind(StrEnum):
    RECOMMENDATION = "recommendation"
    ASSIGNMENT = "assignment"
    PROPOSAL = "proposal"  # a point a body proposes; followed until the addressee decides


class RecommendationStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    PARTLY_IMPLEMENTED = "partly_implemented"  # delvis genomförd
    REPORTED = "reported"
    CLOSED = "closed"
    NOT_IMPLEMENTED = "not_implemented"
    NO_LONGER_RELEVANT = "no_longer_relevant"


CLOSED_RECOMMENDATION_STATUSES = (
    RecommendationStatus.CLOSED,
    RecommendationStatus.NOT_IMPLEMENTED,
    RecommendationStatus.NO_LONGER_RELEVANT,
)
# Which items and measures are overdue: tracker/overdue.py.


class MeasureStatus(StrEnum):
    PLANNED = "planned"
    ONGOING = "ongoing"
    DONE = "done"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"


CLOSED_MEASURE_STATUSES = (MeasureStatus.DONE, MeasureStatus.CANCELLED)


class ResponseStatus(StrEnum):
    NOT_STARTED = "not_started"
    DRAFTING = "drafting"
    SENT_FOR_INPUT = "sent_for_input"
    ADOPTED = "adopted"
    SENT = "sent"  # sent to the auditors


class Position(StrEnum):
    AGREES = "agrees"  # instämmer
    PARTLY_AGREES = "partly_agrees"  # instämmer delvis
    DISAGREES = "disagrees"  # instämmer inte


class Recurrence(StrEnum):
    EVERY_MEETING = "every_meeting"  # "vid varje sammanträde"
    YEARLY = "yearly"  # "årligen"


class Assessment(StrEnum):
    ADDRESSED = "addressed"  # åtgärdad
    PARTLY_ADDRESSED = "partly_addressed"  # delvis åtgärdad
    NOT_ADDRESSED = "not_addressed"  # ej åtgärdad


class Implementation(StrEnum):
    """How far a recommendation was carried out, on the European Court of Auditors' scale."""

    FULLY = "fully"  # genomförd fullt ut
    MOSTLY = "mostly"  # genomförd i huvudsak
    PARTLY = "partly"  # genomförd i vissa delar
    NOT = "not"  # inte genomförd
    NO_LONGER_RELEVANT = "no_longer_relevant"  # inte längre aktuell


class Grader(StrEnum):
    BOARD = "board"  # the board, when it reports
    AUDITORS = "auditors"  # the auditors, in their follow-up


class UpdateWay(StrEnum):
    REMINDER = "reminder"  # the reminder mail's link
    BEHALF = "behalf"  # typed by a secretary "på uppdrag av" the author
    BULK = "bulk"  # one of several items changed at once
    EXCEL = "excel"  # an uploaded workbook


class MarkKind(StrEnum):
    SECRET = "secret"  # sekretess enligt OSL: chapter and section, until a date
    PERSONAL_DATA = "personal_data"  # personuppgifter that are not published
    OPEN = "open"  # lifts a mark inherited from above, with the reason


class Judgement(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    DELAYED = "delayed"


class Versioned(SQLModel):
    """Give a table optimistic locking through SQLAlchemy's version counter."""

    version: int = Field(default=1, nullable=False)  # bumped on every update

    @declared_attr
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}


class Unit(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)  # "Hälsocentral Kiruna"
    kind: str = Field(default=UnitKind.OFFICE, max_length=20)  # a UnitKind
    parent_id: int | None = Field(default=None, foreign_key="unit.id")  # the tree
    # use_alter: unit and user point at each other, so this key is added after both tables.
    manager_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("user.id", use_alter=True), nullable=True),
    )  # the unit's manager, who gets escalations


class User(UserMixin, Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)  # sign-in name, stored lower-case
    name: str = Field(max_length=200)  # shown to others
    role: str = Field(default=Role.VIEWER, max_length=20)  # a Role
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    language: str = Field(default="sv", max_length=5)  # interface and e-mail language
    # A demo user's made-up address from the seed: never mailed until an admin enters a real one.
    placeholder_email: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # None until the user first signs in; that sign-in takes the browser's language.
    first_signed_in_at: datetime | None = None
    # The weekly digest mail; overdue reminders and escalations are sent regardless.
    digest: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    # A secretary's wish for a copy of escalations about the bodies they are secretary of.
    escalation_copies: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # SHA-256 of the secret in the private calendar feed's URL; None: no feed (or turned off).
    feed_token: str | None = Field(default=None, max_length=64, unique=True, index=True)
    # Flask-Login's alternative id: in every session and remember cookie; a new one ends them all.
    session_token: str = Field(default_factory=new_session_token, max_length=64, unique=True)
    password_hash: str | None = Field(default=None, max_length=255)  # None: cannot sign in
    active: bool = Field(default=True)  # inactive users cannot sign in
    # The identity provider's subject ("sub") of a user who signs in there; None: never has.
    oidc_subject: str | None = Field(default=None, max_length=255, unique=True)
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return self.session_token


class Body(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)  # "RS", "HSN", "REV"
    name: str = Field(max_length=200)  # "Regionstyrelsen"
    secretary_id: int | None = Field(default=None, foreign_key="user.id")  # the body's secretary
    # Fields whose values the documents do not give ("secretaries"), shown as assumed.
    assumed: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class BodySecretary(SQLModel, table=True):
    """A body's secretaries: they edit its papers and are chased for its answers."""

    __tablename__ = "body_secretary"
    body_id: int = Field(foreign_key="body.id", primary_key=True)
    user_id: int = Field(foreign_key="user.id", primary_key=True)


class BodyMember(SQLModel, table=True):
    """An elected member (förtroendevald) of a body, who reads its items."""

    __tablename__ = "body_member"
    body_id: int = Field(foreign_key="body.id", primary_key=True)
    user_id: int = Field(foreign_key="user.id", primary_key=True, index=True)


class UserUnit(SQLModel, table=True):
    """A unit a person's provider groups give them besides their own: an owner reads its items."""

    __tablename__ = "user_unit"
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True)


class GroupMapping(SQLModel, table=True):
    """An identity provider's group, and the role, body and unit its members get."""

    __table_args__ = (UniqueConstraint("group_name", "role", "body_id", "unit_id"),)
    id: int | None = Field(default=None, primary_key=True)
    group_name: str = Field(max_length=200, index=True)  # as the groups claim names it
    role: str = Field(max_length=20)  # a Role
    body_id: int | None = Field(default=None, foreign_key="body.id")  # a secretary's or member's
    unit_id: int | None = Field(default=None, foreign_key="unit.id")  # the members' unit


class SignIn(SQLModel, table=True):
    """The sign-in log: who signed in (or was refused), when, how and from where; 12 months."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    email: str = Field(default="", max_length=254)  # as typed or as the provider said
    method: str = Field(max_length=20)  # "password" or "oidc"
    address: str = Field(default="", max_length=64)  # the client's IP address
    outcome: str = Field(max_length=30)  # "signed_in", or why it was refused


class Meeting(Versioned, table=True):
    __table_args__ = (UniqueConstraint("body_id", "held_on"),)
    id: int | None = Field(default=None, primary_key=True)
    body_id: int = Field(foreign_key="body.id", index=True)
    held_on: date = Field(index=True)  # the meeting's date
    title: str = Field(default="", max_length=200)  # optional, "Sammanträde"


class Source(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # a SourceKind
    title: str = Field(max_length=300)
    dnr: str = Field(default="", max_length=50)  # registry number, "00521-2019"
    issuer_id: int | None = Field(default=None, foreign_key="body.id")  # who issued it
    addressee_id: int | None = Field(default=None, foreign_key="body.id")  # who must act
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")  # a decision's
    paragraph: str = Field(default="", max_length=20)  # a decision's §
    issued_on: date | None = None  # the report's or decision's date
    auditors: str = Field(default="", max_length=300)  # "Region Norrbottens revisorer"
    firm: str = Field(default="", max_length=200)  # "PwC"
    response_due: date | None = Field(default=None, index=True)  # "yttrande senast"
    summary: str = Field(default="", max_length=10000)
    # The auditors' overall assessment ("Vår samlade revisionella bedömning"), quoted in answers.
    assessment: str = Field(default="", max_length=4000, sa_column_kwargs={"server_default": ""})
    follows_id: int | None = Field(default=None, foreign_key="source.id")  # the report reviewed
    # "Begränsad": seen only by its bodies' people and the auditors (tracker/auth/visibility.py).
    restricted: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Fields whose values the documents do not give and the seed had to assume.
    assumed: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class SourceAttachment(SQLModel, table=True):
    """The file a source was registered from (the auditors' report), with the text read."""

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    name: str = Field(max_length=200)  # the uploaded file's name, checked
    file: str = Field(max_length=100, unique=True)  # its name under EVIDENCE_DIR
    media_type: str = Field(max_length=100)  # read from its content: PDF or Word
    size: int  # bytes
    pages: int = Field(default=0)  # pages read (a Word file counts its page breaks)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))  # kept for search
    # What the app proposed from the text: values, addressees (matched and unmatched) and
    # recommendation drafts, each with its page; kept as proposed, not as saved.
    proposal: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    uploaded_by_id: int | None = Field(default=None, foreign_key="user.id")
    uploaded_at: datetime = Field(default_factory=utcnow)


class SourceAddressee(SQLModel, table=True):
    """Every body a source is addressed to; each answers and acts for itself."""

    source_id: int = Field(foreign_key="source.id", primary_key=True)
    body_id: int = Field(foreign_key="body.id", primary_key=True, index=True)


class RecommendationMeasure(SQLModel, table=True):
    recommendation_id: int = Field(foreign_key="recommendation.id", primary_key=True)
    measure_id: int = Field(foreign_key="measure.id", primary_key=True, index=True)


class Recommendation(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    number: str = Field(default="", max_length=20)  # the point's number in the source
    kind: str = Field(max_length=20)  # a RecommendationKind
    text: str = Field(max_length=10000)
    theme: str = Field(default="", max_length=100, index=True)  # "Digitalisering"
    responsible_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    status: str = Field(default=RecommendationStatus.OPEN, max_length=20, index=True)
    # Report back by this date (the latest, for a period), else at this meeting.
    due_date: date | None = Field(default=None, index=True)
    due_meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True)
    recurrence: str = Field(default="", max_length=20)  # a Recurrence, "" if once
    due_body_id: int | None = Field(default=None, foreign_key="body.id")  # reported to
    due_period: str = Field(default="", max_length=50)  # "våren 2018"; due_date is the latest
    # The first report-back date set; a moved deadline keeps it (DateMove says why).
    original_due_date: date | None = None
    # Marked by the auditors or the board as a priority ("" for neither), a Grader.
    priority_by: str = Field(default="", max_length=20, sa_column_kwargs={"server_default": ""})
    assumed: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class DecisionReference(Versioned, table=True):
    __table_args__ = (UniqueConstraint("recommendation_id", "body_id", "decided_on", "paragraph"),)
    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", index=True)
    body_id: int = Field(foreign_key="body.id")
    decided_on: date  # the meeting date, "170301" in "RS 170301 § 52"
    paragraph: str = Field(max_length=20)  # "52"
    dnr: str = Field(default="", max_length=50)  # the decision's registry number


class Measure(Versioned, table=True):
    # The overdue counts read the open measures' deadlines from this index alone.
    __table_args__ = (Index("ix_measure_status_due_date", "status", "due_date"),)
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(default="", max_length=20)  # "Nr" in a plan's table
    title: str = Field(max_length=300)
    description: str = Field(default="", max_length=10000)
    goal: str = Field(default="", max_length=1000)  # the objective it serves ("Mål")
    theme: str = Field(default="", max_length=100, index=True)  # perspective or theme
    owner_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    start_date: date | None = None
    due_date: date | None = Field(default=None, index=True)
    original_due_date: date | None = None  # the first due date set; a move keeps it
    status: str = Field(default=MeasureStatus.PLANNED, max_length=20, index=True)
    judgement: str | None = Field(default=None, max_length=20)  # a Judgement
    assumed: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class StatusUpdate(SQLModel, table=True):
    """Append-only: rows are inserted, never updated or deleted."""

    __table_args__ = (
        CheckConstraint("(measure_id IS NULL) <> (recommendation_id IS NULL)", name="one_target"),
    )
    id: int | None = Field(default=None, primary_key=True)
    measure_id: int | None = Field(default=None, foreign_key="measure.id", index=True)
    recommendation_id: int | None = Field(default=None, foreign_key="recommendation.id", index=True)
    author_id: int | None = Field(default=None, foreign_key="user.id")
    author_name: str = Field(default="", max_length=200)  # kept if the user is renamed
    reported_on: date  # the date the update speaks for
    text: str = Field(max_length=10000)
    status: str = Field(max_length=20)  # the status it set on its target
    judgement: str | None = Field(default=None, max_length=20)  # a measure's Judgement
    # How it came in: "" on the page, or an UpdateWay (the reminder's link, on someone's
    # behalf, a bulk change, an Excel upload).
    via: str = Field(default="", max_length=20, sa_column_kwargs={"server_default": ""})
    # Who typed it, when not the author: a secretary posting "på uppdrag av" the author.
    entered_by_id: int | None = Field(default=None, foreign_key="user.id")
    entered_by_name: str = Field(
        default="", max_length=200, sa_column_kwargs={"server_default": ""}
    )
    # The meeting it was reported at ("RS 2017-12-19"); None: not reported to a meeting.
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)


class AnswerLink(SQLModel, table=True):
    """A reminder's link that opens one item's status-update form without a password.

    Single-use; only the newest link of a person for an item works; it dies with the person's
    sessions (session_token) and after ANSWER_LINK_DAYS (decision record 0030).
    """

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)  # whose update it posts
    item_type: str = Field(max_length=20)  # measure or recommendation
    item_id: int
    deadline: date  # the deadline the reminder was about
    nonce: str = Field(max_length=64, unique=True)  # the secret the signed token carries
    session_token: str = Field(max_length=64)  # the user's at the time: a new one revokes
    created_at: datetime = Field(default_factory=utcnow)
    used_at: datetime | None = None  # set when its update is saved: used once
    # What was typed when the link had expired, waiting for the person to sign in.
    draft: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class Deputy(SQLModel, table=True):
    """Someone who stands in for a person during an absence: reminders go to them."""

    __table_args__ = (CheckConstraint("starts_on <= ends_on", name="period"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)  # the absent person
    deputy_id: int = Field(foreign_key="user.id", index=True)  # who stands in
    starts_on: date  # first day away
    ends_on: date  # last day away
    created_at: datetime = Field(default_factory=utcnow)


class ImplementationGrade(SQLModel, table=True):
    """Append-only: how far an item was carried out, by the board or the auditors, dated."""

    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", index=True)
    grader: str = Field(max_length=20)  # a Grader: the board's or the auditors' grade
    grade: str = Field(max_length=20)  # an Implementation
    graded_on: date  # the report or follow-up the grade is from
    text: str = Field(default="", max_length=2000)  # the reason, in the grader's words
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")
    recorded_by_name: str = Field(default="", max_length=200)  # kept if the user is renamed
    recorded_at: datetime = Field(default_factory=utcnow)


class DateMove(SQLModel, table=True):
    """Append-only: a report-back deadline or due date moved, why, and who agreed."""

    __table_args__ = (
        CheckConstraint("(measure_id IS NULL) <> (recommendation_id IS NULL)", name="one_target"),
    )
    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int | None = Field(default=None, foreign_key="recommendation.id", index=True)
    measure_id: int | None = Field(default=None, foreign_key="measure.id", index=True)
    old_date: date  # the deadline before the move
    new_date: date | None = None  # None: the deadline was taken away
    reason: str = Field(max_length=1000)  # why it moved
    agreed_by: str = Field(max_length=300)  # who agreed, or the decision that moved it
    moved_by_id: int | None = Field(default=None, foreign_key="user.id")
    moved_by_name: str = Field(default="", max_length=200)
    moved_at: datetime = Field(default_factory=utcnow)


class Mark(SQLModel, table=True):
    """A secrecy or personal-data mark on a source, an item, a status update or a file.

    Marks are inherited downwards (a source's items and their updates, its report file) unless
    a mark of kind OPEN on the row below lifts it. Never deleted: lifting sets lifted_at.
    """

    __table_args__ = (Index("ix_mark_target", "target_type", "target_id"),)
    id: int | None = Field(default=None, primary_key=True)
    target_type: str = Field(max_length=20)  # source, recommendation, status_update, attachment
    target_id: int
    kind: str = Field(max_length=20)  # a MarkKind
    law: str = Field(default="", max_length=40)  # the OSL chapter and section, "21:7"
    ends_on: date | None = None  # secret until this day; None: until lifted
    reason: str = Field(default="", max_length=1000)  # why, in the marker's words
    marked_by_id: int | None = Field(default=None, foreign_key="user.id")
    marked_by_name: str = Field(default="", max_length=200)
    marked_at: datetime = Field(default_factory=utcnow)
    lifted_at: datetime | None = None  # the mark no longer holds
    lifted_by_name: str = Field(default="", max_length=200)
    lifted_reason: str = Field(default="", max_length=1000)


class ChangeLog(SQLModel, table=True):
    """Append-only: written by the session hook in tracker/changelog.py."""

    id: int | None = Field(default=None, primary_key=True)
    changed_at: datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    entity: str = Field(max_length=50)  # the table name
    entity_id: int = Field(index=True)
    action: str = Field(max_length=10)  # insert, update, delete
    changes: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    reason: str = Field(default="", max_length=1000)  # why, where a reason is asked


class Reminder(SQLModel, table=True):
    """The reminder ledger: one row per reminder claimed, so that each is sent exactly once."""

    __table_args__ = (UniqueConstraint("item_type", "item_id", "kind", "deadline", "recipient_id"),)
    id: int | None = Field(default=None, primary_key=True)
    item_type: str = Field(max_length=20)  # measure, recommendation, source, meeting, user
    item_id: int  # the reminded row's id (the recipient's own id for a digest)
    kind: str = Field(max_length=20)  # the window: "before_7", "on_day", "overdue_14", "digest"
    deadline: date  # the deadline reminded of (a digest's date); a moved one gets new rows
    recipient_id: int = Field(foreign_key="user.id", index=True)
    address: str = Field(default="", max_length=254)  # the e-mail address it went to
    subject: str = Field(default="", max_length=300)  # as sent, in the recipient's language
    claimed_at: datetime | None = Field(default=None, index=True)  # None: free to retry
    # The scheduler that claimed it ("" for a command), and when it last said it is alive:
    # a claim whose scheduler stopped beating is retried within minutes.
    claimed_by: str = Field(default="", max_length=100, sa_column_kwargs={"server_default": ""})
    heartbeat_at: datetime | None = None
    sent_at: datetime | None = None  # None: not sent (yet)
    attempts: int = Field(default=0)  # claims so far; retries stop at the cap
    error: str = Field(default="", max_length=1000)  # why the last send failed
    # The mail's Message-ID and when it was handed to the mail server, both committed first:
    # a send whose scheduler died in between is checked, never re-sent blindly (decision 0023).
    message_id: str = Field(default="", max_length=250, sa_column_kwargs={"server_default": ""})
    sending_at: datetime | None = None
    uncertain_at: datetime | None = None  # in flight when its scheduler died: not re-sent


class ReminderRun(SQLModel, table=True):
    """One reminder run's summary; the first run marks when reminders began."""

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(index=True)  # the run's moment (a `remind --today` day's noon)
    sent: int = Field(default=0)
    failed: int = Field(default=0)
    placeholders: int = Field(default=0)  # reminders not mailed: a seeded placeholder address
    before_start: int = Field(
        default=0
    )  # not backfilled: the deadline passed before reminders began


# Follow-up: the lists kept as shown to a meeting, and the decisions that close items.


class KeptList(SQLModel, table=True):
    """A follow-up list as it was shown to a meeting: written once, never changed."""

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)  # the meeting it was for
    title: str = Field(max_length=300)  # "Återrapportering till Regionstyrelsen ..."
    dated: date  # the day it was made, in the region's calendar
    grouping: str = Field(max_length=20)  # theme, source or body
    criteria: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # URL
    snapshot: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # rows
    item_count: int = Field(default=0)  # rows in the snapshot
    fingerprint: str = Field(max_length=64)  # SHA-256 of the snapshot, shows it is unchanged
    made_by_id: int | None = Field(default=None, foreign_key="user.id")
    made_by_name: str = Field(default="", max_length=200)  # the signature, kept on renames
    made_at: datetime = Field(default_factory=utcnow)


class ClosingDecision(SQLModel, table=True):
    """A body's decision that closes one or more items: written once, never changed."""

    __table_args__ = (
        CheckConstraint(
            "outcome IN ('closed', 'not_implemented', 'no_longer_relevant', 'in_progress')",
            name="outcome",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    body_id: int = Field(foreign_key="body.id")  # who decided
    decided_on: date  # the meeting date of the decision
    paragraph: str = Field(max_length=20)  # the minutes' §
    dnr: str = Field(default="", max_length=50)  # the decision's registry number
    formula: str = Field(default="", max_length=30)  # the board's words, a closing FORMULA key
    outcome: str = Field(max_length=20)  # a closing RecommendationStatus, or in_progress
    text: str = Field(max_length=2000)  # the decision as minuted
    evidence_name: str = Field(default="", max_length=200)  # uploaded file's name, "" if none
    evidence_file: str = Field(default="", max_length=100)  # its name under EVIDENCE_DIR
    evidence_type: str = Field(default="", max_length=100)  # media type read from its content
    evidence_size: int | None = None  # bytes
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")
    recorded_at: datetime = Field(default_factory=utcnow)


class ClosedItem(SQLModel, table=True):
    """One item closed by a decision; many items can share one decision."""

    __table_args__ = (UniqueConstraint("decision_id", "recommendation_id"),)
    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="closingdecision.id", index=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", index=True)


# Responses (yttranden): one addressed body's answer to an audit report, and the auditors'
# follow-up review of the answers.


class Response(Versioned, table=True):
    __table_args__ = (UniqueConstraint("source_id", "body_id"),)
    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)  # the audit report
    body_id: int = Field(foreign_key="body.id")  # the addressee that answers
    status: str = Field(default=ResponseStatus.NOT_STARTED, max_length=20)  # a ResponseStatus
    responsible_id: int | None = Field(default=None, foreign_key="user.id")  # the drafter
    input_contact_id: int | None = Field(default=None, foreign_key="user.id")  # the division's
    input_due: date | None = None  # the division's input to the draft by this date
    response_due: date | None = None  # to the auditors by this date
    proposed_decision: str = Field(default="", max_length=4000)  # "Regionstyrelsen beslutar ..."
    adopted_on: date | None = None  # the meeting that adopted it
    paragraph: str = Field(default="", max_length=20)  # its §
    dnr: str = Field(default="", max_length=50)  # the ärende's registry number, set while drafting
    dated: date | None = None  # the yttrande's date; None: the adopting meeting's
    decision_text: str = Field(default="", max_length=4000)  # the decision as minuted
    # Once adopted: the answer as adopted, and its SHA-256, like a kept list.
    snapshot: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    fingerprint: str = Field(default="", max_length=64)
    adopted_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ResponsePosition(Versioned, table=True):
    """The board's position on one recommendation, with its answer."""

    __table_args__ = (UniqueConstraint("response_id", "recommendation_id"),)
    id: int | None = Field(default=None, primary_key=True)
    response_id: int = Field(foreign_key="response.id", index=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", index=True)
    position: str = Field(default="", max_length=20)  # a Position, "" until taken
    answer: str = Field(default="", max_length=10000)  # the answer text


class PromisedMeasure(SQLModel, table=True):
    """A measure an answer promises."""

    position_id: int = Field(foreign_key="responseposition.id", primary_key=True)
    measure_id: int = Field(foreign_key="measure.id", primary_key=True, index=True)


class ReviewFinding(Versioned, table=True):
    """A follow-up review's finding on an earlier recommendation, with the auditors' assessment."""

    __table_args__ = (UniqueConstraint("source_id", "recommendation_id"),)
    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)  # the follow-up review
    recommendation_id: int = Field(foreign_key="recommendation.id", index=True)  # the earlier one
    assessment: str = Field(max_length=20)  # an Assessment
    text: str = Field(default="", max_length=4000)  # the auditors' words


# Indicators (styrmått), their outcomes per period, and the rules that turn an outcome below
# a threshold into an assignment. Goal fulfilment, trend and the women/men gap are computed
# from these rows (tracker/indicators/services/fulfilment.py) and never stored.


class Perspective(StrEnum):
    SOCIETY = "society"
    CITIZENS = "citizens"
    OPERATIONS = "operations"
    EMPLOYEES = "employees"
    FINANCE = "finance"


class MeasureUnit(StrEnum):
    PERCENT = "percent"
    COUNT = "count"
    DAYS = "days"
    MSEK = "msek"  # millions of kronor, "mnkr"


class TargetKind(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    INCREASE = "increase"
    DECREASE = "decrease"


class Period(StrEnum):
    T1 = "T1"  # January-April, the April interim report (DÅ04)
    T2 = "T2"  # January-August, the August interim report (DÅ08)
    YEAR = "year"  # the full year (ÅR)


class RuleComparison(StrEnum):
    BELOW = "below"
    ABOVE = "above"


class Indicator(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=30, unique=True)  # short key used in import files
    name: str = Field(max_length=300)  # "Andel medicinsk bedömning inom 3 dagar"
    description: str = Field(default="", max_length=4000)  # how it is measured
    perspective: str = Field(max_length=20, index=True)  # a Perspective
    objective: str = Field(default="", max_length=300)  # strategic objective (strategiskt mål)
    success_factor: str = Field(default="", max_length=300)  # framgångsfaktor
    measure_unit: str = Field(default=MeasureUnit.PERCENT, max_length=10)  # a MeasureUnit
    target_kind: str = Field(default=TargetKind.AT_LEAST, max_length=10)  # a TargetKind
    target_value: float | None = None  # the number, for at least / at most
    target_women: float | None = None  # a separate number for women, where one is set
    target_men: float | None = None  # a separate number for men, where one is set
    margin: float = Field(default=0)  # "partly met" within this much of the target
    baseline_value: float | None = None  # ingångsvärde
    baseline_women: float | None = None
    baseline_men: float | None = None
    baseline_year: int | None = None  # the baseline's period: year...
    baseline_period: str | None = Field(default=None, max_length=4)  # ...and a Period
    follows_t1: bool = Field(default=True)  # followed up in the April interim report
    follows_t2: bool = Field(default=True)  # followed up in the August interim report
    follows_year: bool = Field(default=True)  # followed up in the annual report
    split_by_sex: bool = Field(default=False)  # outcomes are given for women and men
    responsible_unit_id: int | None = Field(default=None, foreign_key="unit.id")
    # Fields whose values the documents do not give and the seed had to assume.
    assumed: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Outcome(Versioned, table=True):
    __table_args__ = (
        UniqueConstraint("indicator_id", "year", "period", "scope_id"),
        # An indicator's latest outcome per scope is read from this index alone.
        Index("ix_outcome_latest", "indicator_id", "scope_id", "year", "period"),
        CheckConstraint(
            "value IS NOT NULL OR women IS NOT NULL OR men IS NOT NULL", name="some_value"
        ),
        CheckConstraint(
            "(unit_id IS NULL AND scope_id = 0) OR scope_id = unit_id", name="scope_is_unit"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    year: int  # 2022
    period: str = Field(max_length=4)  # a Period
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)  # None: overall
    # unit_id, or 0 for the overall outcome: NULLs never collide in a unique key, this does.
    scope_id: int = Field(default=0)
    value: float | None = None  # the outcome for everyone
    women: float | None = None  # K
    men: float | None = None  # M
    note: str = Field(default="", max_length=500)  # "Jan-aug", "ackumulerat T1 och T2"
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class MeasureIndicator(SQLModel, table=True):
    """A measure names the indicators it aims to move."""

    measure_id: int = Field(foreign_key="measure.id", primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", primary_key=True, index=True)


class ThresholdRule(Versioned, table=True):
    """A decision's rule: units on the wrong side of a threshold must describe their measures."""

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    source_id: int = Field(foreign_key="source.id")  # the decision that set the rule
    comparison: str = Field(default=RuleComparison.BELOW, max_length=10)  # a RuleComparison
    threshold: float  # "lägre än 80 procent": 80
    unit_kind: str = Field(default=UnitKind.HEALTH_CENTRE, max_length=20)  # "": any unit
    text: str = Field(max_length=2000)  # what the unit must do; the assignment's text
    theme: str = Field(default="", max_length=100)  # the assignments' theme
    deadline_days: int = Field(default=30)  # report back this many days after the outcome
    active: bool = Field(default=True)  # inactive rules create nothing
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ThresholdAssignment(SQLModel, table=True):
    """Append-only: one row per assignment a rule made; the key makes a rerun create nothing."""

    __table_args__ = (UniqueConstraint("rule_id", "year", "period", "unit_id"),)
    id: int | None = Field(default=None, primary_key=True)
    rule_id: int = Field(foreign_key="thresholdrule.id")
    year: int
    period: str = Field(max_length=4)  # a Period
    unit_id: int = Field(foreign_key="unit.id")
    recommendation_id: int = Field(foreign_key="recommendation.id", index=True)
    value: float  # the unit's outcome that crossed the threshold
    created_at: datetime = Field(default_factory=utcnow)


class ApiToken(SQLModel, table=True):
    """A personal API token: only its SHA-256 is stored; the token is shown once."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)  # whose role the token carries
    name: str = Field(max_length=100)  # "Diariet", what the owner calls it
    token_hash: str = Field(max_length=64, unique=True)  # hex SHA-256 of the token
    hint: str = Field(default="", max_length=12)  # the token's first characters, to tell apart
    expires_on: date | None = None  # last valid day; None: until revoked
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None  # at most a minute out of date
    revoked_at: datetime | None = None  # set on revoking; a revoked token never works again
