"""The whole schema of the tracker: every table, one short comment per field."""

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel


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


class RecommendationKind(StrEnum):
    RECOMMENDATION = "recommendation"
    ASSIGNMENT = "assignment"


class RecommendationStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    REPORTED = "reported"
    CLOSED = "closed"
    NOT_IMPLEMENTED = "not_implemented"
    NO_LONGER_RELEVANT = "no_longer_relevant"


CLOSED_RECOMMENDATION_STATUSES = (
    RecommendationStatus.CLOSED,
    RecommendationStatus.NOT_IMPLEMENTED,
    RecommendationStatus.NO_LONGER_RELEVANT,
)


class MeasureStatus(StrEnum):
    PLANNED = "planned"
    ONGOING = "ongoing"
    DONE = "done"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"


CLOSED_MEASURE_STATUSES = (MeasureStatus.DONE, MeasureStatus.CANCELLED)


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
    # The secret in the private calendar feed's URL; None until the user asks for one.
    feed_token: str | None = Field(default=None, max_length=64, unique=True, index=True)
    password_hash: str | None = Field(default=None, max_length=255)  # None: cannot sign in
    active: bool = Field(default=True)  # inactive users cannot sign in
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def is_active(self) -> bool:
        return self.active


class Body(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)  # "RS", "HSN", "REV"
    name: str = Field(max_length=200)  # "Regionstyrelsen"


class Meeting(Versioned, table=True):
    __table_args__ = (UniqueConstraint("body_id", "held_on"),)
    id: int | None = Field(default=None, primary_key=True)
    body_id: int = Field(foreign_key="body.id", index=True)
    held_on: date  # the meeting's date
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
    response_due: date | None = None  # "yttrande senast"
    summary: str = Field(default="", max_length=10000)
    created_at: datetime = Field(default_factory=utcnow)


class RecommendationMeasure(SQLModel, table=True):
    recommendation_id: int = Field(foreign_key="recommendation.id", primary_key=True)
    measure_id: int = Field(foreign_key="measure.id", primary_key=True)


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
    due_date: date | None = None  # report-back by this date...
    due_meeting_id: int | None = Field(default=None, foreign_key="meeting.id")  # ...or here
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class DecisionReference(Versioned, table=True):
    __table_args__ = (UniqueConstraint("recommendation_id", "body_id", "decided_on", "paragraph"),)
    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", index=True)
    body_id: int = Field(foreign_key="body.id")
    decided_on: date  # the meeting date, "170301" in "RS 170301 § 52"
    paragraph: str = Field(max_length=20)  # "52"


class Measure(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(default="", max_length=20)  # "Nr" in a plan's table
    title: str = Field(max_length=300)
    description: str = Field(default="", max_length=10000)
    goal: str = Field(default="", max_length=1000)  # the objective it serves ("Mål")
    theme: str = Field(default="", max_length=100)  # perspective or theme
    owner_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    start_date: date | None = None
    due_date: date | None = None
    status: str = Field(default=MeasureStatus.PLANNED, max_length=20, index=True)
    judgement: str | None = Field(default=None, max_length=20)  # a Judgement
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
    created_at: datetime = Field(default_factory=utcnow)


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
    sent_at: datetime | None = None  # None: not sent (yet)
    attempts: int = Field(default=0)  # claims so far; retries stop at the cap
    error: str = Field(default="", max_length=1000)  # why the last send failed


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
    digest: str = Field(max_length=64)  # SHA-256 of the snapshot, shows it is unchanged
    made_by_id: int | None = Field(default=None, foreign_key="user.id")
    made_by_name: str = Field(default="", max_length=200)  # the signature, kept on renames
    made_at: datetime = Field(default_factory=utcnow)


class ClosingDecision(SQLModel, table=True):
    """A body's decision that closes one or more items: written once, never changed."""

    __table_args__ = (
        CheckConstraint(
            "outcome IN ('closed', 'not_implemented', 'no_longer_relevant')", name="outcome"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    body_id: int = Field(foreign_key="body.id")  # who decided
    decided_on: date  # the meeting date of the decision
    paragraph: str = Field(max_length=20)  # the minutes' §
    outcome: str = Field(max_length=20)  # a closing RecommendationStatus
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


# Indicators (styrmått), their outcomes per period, and the rules that turn an outcome below
# a threshold into an assignment. Goal fulfilment, trend and the women/men gap are computed
# from these rows (tracker/indicators/services.py) and never stored.


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
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Outcome(Versioned, table=True):
    __table_args__ = (
        UniqueConstraint("indicator_id", "year", "period", "scope_id"),
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
