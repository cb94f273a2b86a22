"""Turn the seed files' rows into database rows: looked up by natural key, made when missing."""

import re
from datetime import date
from typing import Any

from sqlmodel import Session, SQLModel, select

from tracker.dates import today
from tracker.models import (
    Body,
    BodySecretary,
    DecisionReference,
    Judgement,
    Measure,
    MeasureStatus,
    Meeting,
    Recommendation,
    RecommendationKind,
    RecommendationMeasure,
    RecommendationStatus,
    Role,
    Source,
    SourceKind,
    StatusUpdate,
    Unit,
    UnitKind,
    User,
    utcnow,
)
from tracker.recommendations.services import parse_reference
from tracker.responses.services import set_addressees

_MEETING = re.compile(r"^\s*(?P<body>[A-ZÅÄÖ][A-ZÅÄÖ0-9]*)\s+(?P<date>\d{4}-\d{2}-\d{2})\s*$")


def clean_text(value: Any) -> str:
    """Return text with runs of spaces collapsed and lines stripped, as the documents mean it."""
    if value is None:
        return ""
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in str(value).strip().splitlines()]
    return "\n".join(lines)


def _date(value: Any, what: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"Bad date {value!r} for {what}: expected YYYY-MM-DD") from None


def _check_lengths(row: SQLModel) -> None:
    # SQLite ignores VARCHAR lengths, PostgreSQL does not: fail here, with the field's name.
    for column in row.__table__.columns:
        length = getattr(column.type, "length", None)
        value = getattr(row, column.key, None)
        if length and isinstance(value, str) and len(value) > length:
            raise ValueError(
                f"{row.__tablename__}.{column.key} is {len(value)} characters, at most {length}: "
                f"{value[:60]!r}..."
            )


class _Loader:
    """Create rows from seed data, remembering what it made for later references."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.keys: dict[str, Recommendation] = {}

    def add(self, row: SQLModel) -> SQLModel:
        _check_lengths(row)
        self.session.add(row)
        # Flush each row: later rows need its id, and ids then follow the files' order.
        self.session.flush()
        return row

    def first(self, model: type[SQLModel], **where: Any) -> Any:
        query = select(model)
        for name, value in where.items():
            column = getattr(model, name)
            query = query.where(column.is_(None) if value is None else column == value)
        return self.session.exec(query.order_by(*model.__table__.primary_key.columns)).first()

    # Lookups of rows that the files name.

    def body(self, code: str | None) -> Body | None:
        if not code:
            return None
        body = self.first(Body, code=code)
        if body is None:
            raise ValueError(f"Unknown body code {code!r}")
        return body

    def unit(self, name: str | None) -> Unit | None:
        if not name:
            return None
        unit = self.first(Unit, name=name)
        if unit is None:
            raise ValueError(f"Unknown unit {name!r}")
        return unit

    def user(self, email: str | None) -> User | None:
        if not email:
            return None
        user = self.first(User, email=email.strip().lower())
        if user is None:
            raise ValueError(f"Unknown user {email!r}")
        return user

    def meeting(self, text: str | None) -> Meeting | None:
        if not text:
            return None
        match = _MEETING.match(str(text))
        if not match:
            raise ValueError(f'Bad meeting {text!r}: expected body code and date, "RS 2017-12-19"')
        return self.ensure_meeting({"body": match["body"], "held_on": match["date"]})

    # The file's sections.

    def load_file(self, data: dict) -> None:
        """Make the rows of one seed file, section by section, in the order they refer."""
        for item in _items(data, "bodies"):
            self.ensure_body(item)
        for item in _items(data, "units"):
            self.ensure_unit(item)
        for item in _items(data, "users"):
            self.ensure_user(item)
        # Managers are users, and users belong to units: set them once both exist.
        self.set_managers(_items(data, "units"))
        # Secretaries are users too: named once the users exist.
        for item in _items(data, "bodies"):
            self.ensure_secretaries(self.body(item["code"]), item)
        for item in _items(data, "meetings"):
            self.ensure_meeting(item)
        report = data.get("report") or {}
        for item in _items(data, "sources"):
            self.ensure_source(item, report)
        defaults = data.get("defaults") or {}
        for item in _items(data, "measures"):
            self.ensure_measure(defaults | item, report)

    def set_managers(self, units: list[dict]) -> None:
        """Name each unit's manager where the file names one and the unit has none yet."""
        for item in units:
            unit = self.unit(item["name"])
            if item.get("manager") and unit.manager_id is None:
                unit.manager_id = self.user(item["manager"]).id
                self.session.flush()

    def ensure_body(self, item: dict) -> Body:
        return self.first(Body, code=item["code"]) or self.add(
            Body(code=item["code"], name=clean_text(item["name"]))
        )

    def ensure_secretaries(self, body: Body, item: dict) -> None:
        for email in item.get("secretaries") or []:
            user = self.user(email)
            if self.first(BodySecretary, body_id=body.id, user_id=user.id) is None:
                self.add(BodySecretary(body_id=body.id, user_id=user.id))
        if item.get("assumed") and not body.assumed:
            body.assumed = list(item["assumed"])
            self.session.flush()

    def ensure_unit(self, item: dict) -> Unit:
        name = clean_text(item["name"])
        return self.first(Unit, name=name) or self.add(
            Unit(
                name=name,
                kind=UnitKind(item.get("kind", UnitKind.OFFICE)),
                parent_id=_id(self.unit(item.get("parent"))),
            )
        )

    def ensure_user(self, item: dict) -> User:
        email = item["email"].strip().lower()
        return self.first(User, email=email) or self.add(
            User(
                email=email,
                name=clean_text(item["name"]),
                role=Role(item.get("role", Role.VIEWER)),
                unit_id=_id(self.unit(item.get("unit"))),
                language=item.get("language", "sv"),
                password_hash=None,
                placeholder_email=True,  # the documents name roles, not addresses
            )
        )

    def ensure_meeting(self, item: dict) -> Meeting:
        body = self.body(item["body"])
        held_on = _date(item["held_on"], "meeting")
        return self.first(Meeting, body_id=body.id, held_on=held_on) or self.add(
            Meeting(body_id=body.id, held_on=held_on, title=clean_text(item.get("title")))
        )

    def ensure_source(self, item: dict, report: dict) -> Source:
        kind = SourceKind(item["kind"])
        title = clean_text(item["title"])
        source = self.first(Source, kind=kind, title=title) or self.add(
            Source(
                kind=kind,
                title=title,
                dnr=str(item.get("dnr") or ""),
                issuer_id=_id(self.body(item.get("issuer"))),
                addressee_id=_id(self.body(item.get("addressee"))),
                meeting_id=_id(self.meeting(item.get("meeting"))),
                paragraph=str(item.get("paragraph") or ""),
                issued_on=_date(item.get("issued_on"), title),
                auditors=clean_text(item.get("auditors")),
                firm=clean_text(item.get("firm")),
                response_due=_date(item.get("response_due"), title),
                summary=clean_text(item.get("summary")),
                assessment=clean_text(item.get("assessment")),
                assumed=list(item.get("assumed") or []),
                created_at=utcnow(),
            )
        )
        # Every addressee answers for itself; an audit report gets a response each.
        addressees = item.get("addressees") or [item.get("addressee")]
        set_addressees(self.session, source, [_id(self.body(code)) for code in addressees if code])
        defaults = item.get("defaults") or {}
        for rec in item.get("recommendations") or []:
            self.ensure_recommendation(source, defaults | rec, report)
        return source

    def ensure_recommendation(self, source: Source, item: dict, report: dict) -> Recommendation:
        number = str(item.get("number") or "")
        text = clean_text(item["text"])
        if number:
            rec = self.first(Recommendation, source_id=source.id, number=number)
        else:
            rec = self.first(Recommendation, source_id=source.id, text=text)
        if rec is None:
            rec = self.add_recommendation(source, item, number, text)
        if item.get("key"):
            self.keys[item["key"]] = rec
        for reference in item.get("references") or []:
            self.ensure_reference(rec, reference)
        self.ensure_history(item, report, recommendation=rec)
        return rec

    def add_recommendation(
        self, source: Source, item: dict, number: str, text: str
    ) -> Recommendation:
        """Make a recommendation of the source, its status the file's or its last update's."""
        updates = _items(item, "status_updates")
        status = item.get("status") or (updates[-1]["status"] if updates else None)
        now = utcnow()
        return self.add(
            Recommendation(
                source_id=source.id,
                number=number,
                kind=RecommendationKind(item.get("kind", RecommendationKind.RECOMMENDATION)),
                text=text,
                theme=clean_text(item.get("theme")),
                responsible_id=_id(self.user(item.get("responsible"))),
                unit_id=_id(self.unit(item.get("unit"))),
                status=RecommendationStatus(status or RecommendationStatus.OPEN),
                due_date=_date(item.get("due_date"), text[:40]),
                due_meeting_id=_id(self.meeting(item.get("due_meeting"))),
                recurrence=item.get("recurrence") or "",
                due_body_id=_id(self.body(item.get("due_body"))),
                due_period=clean_text(item.get("due_period")),
                assumed=list(item.get("assumed") or []),
                created_at=now,
                updated_at=now,
            )
        )

    def ensure_history(self, item: dict, report: dict, *, recommendation: Recommendation) -> None:
        """Make a recommendation's status updates and the proposed closing decision, if any."""
        updates = _items(item, "status_updates")
        for update in updates:
            self.ensure_update(update, report, recommendation=recommendation)
        if item.get("proposed_decision"):
            # The proposed closing decision is kept as the last report, dated as the one before.
            proposal = {
                "status": RecommendationStatus.REPORTED,
                "judgement": None,
                "text": "Förslag till beslut: " + clean_text(item["proposed_decision"]),
            }
            self.ensure_update(
                (updates[-1] if updates else {}) | proposal, report, recommendation=recommendation
            )

    def ensure_reference(self, rec: Recommendation, text: str) -> DecisionReference:
        code, decided_on, paragraph = parse_reference(text)
        body = self.body(code)
        where = {"body_id": body.id, "decided_on": decided_on, "paragraph": paragraph}
        return self.first(DecisionReference, recommendation_id=rec.id, **where) or self.add(
            DecisionReference(recommendation_id=rec.id, **where)
        )

    def ensure_measure(self, item: dict, report: dict) -> Measure:
        title = clean_text(item["title"])
        unit = self.unit(item.get("unit"))
        measure = self.first(Measure, title=title, unit_id=_id(unit))
        if measure is None:
            measure = self.add_measure(item, title, unit)
        for key in item.get("answers") or []:
            if key not in self.keys:
                raise ValueError(f"Measure {title!r} answers unknown recommendation key {key!r}")
            link = {"recommendation_id": self.keys[key].id, "measure_id": measure.id}
            if self.session.get(RecommendationMeasure, link) is None:
                self.add(RecommendationMeasure(**link))
        for update in _items(item, "status_updates"):
            self.ensure_update(update, report, measure=measure)
        return measure

    def add_measure(self, item: dict, title: str, unit: Unit | None) -> Measure:
        """Make a measure, its status and judgement the file's or its last update's."""
        updates = _items(item, "status_updates")
        last = updates[-1] if updates else {}
        status = item.get("status") or last.get("status") or MeasureStatus.PLANNED
        judgement = item.get("judgement") or last.get("judgement")
        now = utcnow()
        return self.add(
            Measure(
                number=str(item.get("number") or ""),
                title=title,
                description=clean_text(item.get("description")),
                goal=clean_text(item.get("goal")),
                theme=clean_text(item.get("theme")),
                owner_id=_id(self.user(item.get("owner"))),
                unit_id=_id(unit),
                start_date=_date(item.get("start_date"), title),
                due_date=_date(item.get("due_date"), title),
                status=MeasureStatus(status),
                judgement=Judgement(judgement) if judgement else None,
                assumed=list(item.get("assumed") or []),
                created_at=now,
                updated_at=now,
            )
        )

    def ensure_update(
        self,
        item: dict,
        report: dict,
        *,
        measure: Measure | None = None,
        recommendation: Recommendation | None = None,
    ) -> StatusUpdate:
        item = report | item
        text = clean_text(item["text"])
        # An undated document's updates are dated on the day they are registered.
        reported_on = _date(item.get("reported_on"), f"status update {text[:40]!r}") or today()
        target = {"measure_id": _id(measure), "recommendation_id": _id(recommendation)}
        existing = self.first(StatusUpdate, text=text, **target)
        if existing:
            return existing
        statuses = MeasureStatus if measure else RecommendationStatus
        author = self.user(item.get("author"))
        return self.add(
            StatusUpdate(
                **target,
                author_id=_id(author),
                author_name=author.name if author else "",
                reported_on=reported_on,
                text=text,
                status=statuses(item["status"]),
                judgement=Judgement(item["judgement"]) if item.get("judgement") else None,
                meeting_id=_id(self.meeting(item.get("meeting"))),
                created_at=utcnow(),
            )
        )


def _items(data: dict, name: str) -> list:
    """Return a section's list, empty where the file leaves it out or blank."""
    return data.get(name) or []


def _id(row: SQLModel | None) -> int | None:
    return row.id if row is not None else None
