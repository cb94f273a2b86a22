"""Make the demo rows in memory, parents first, with the same ids and texts for a seed."""

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from tracker.demo import texts
from tracker.demo.indicator_rows import IndicatorRows
from tracker.demo.response_rows import ResponseRows
from tracker.demo.rich_rows import RichRows
from tracker.demo.volumes import (
    BODIES,
    BUSY_OPEN,
    BUSY_OWNERS,
    CLOSED_MEASURE,
    CLOSED_RECOMMENDATION,
    DOMAIN,
    OPEN_MEASURE,
    OPEN_RECOMMENDATION,
    OPEN_SHARE,
    YEARS_AHEAD,
    YEARS_BACK,
    volumes,
)
from tracker.models import (
    Body,
    Judgement,
    Measure,
    Meeting,
    Recommendation,
    RecommendationKind,
    Role,
    Source,
    SourceKind,
    StatusUpdate,
    Unit,
    UnitKind,
    User,
)


class _Builder(IndicatorRows, RichRows, ResponseRows):
    def __init__(self, connection: Connection, scale: float, seed: int, today: date):
        self.connection = connection
        self.rng = random.Random(seed)
        self.today = today
        self.n = volumes(scale)
        self.start = today - timedelta(days=365 * YEARS_BACK)
        self.end = today + timedelta(days=365 * YEARS_AHEAD)

    # Helpers.

    def next_id(self, model) -> int:
        return (self.connection.execute(select(func.max(model.id))).scalar() or 0) + 1

    def day_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def moment(self, day: date) -> datetime:
        return datetime.combine(day, time(9), tzinfo=UTC)

    # The rows, parents first.

    def bodies(self) -> list[int]:
        existing = dict(self.connection.execute(select(Body.code, Body.id)).all())
        new = [
            {"id": None, "code": code, "name": name, "version": 1}
            for code, name in BODIES
            if code not in existing
        ]
        first = self.next_id(Body)
        for offset, row in enumerate(new):
            row["id"] = first + offset
            existing[row["code"]] = row["id"]
        self.rows = {"body": new}
        self.body_ids = {code: existing[code] for code, _name in BODIES}
        return list(self.body_ids.values())

    def units(self) -> None:
        taken = set(self.connection.execute(select(Unit.name)).scalars())
        count = self.n["unit"]
        first = self.next_id(Unit)
        rows = [{"name": "Region Norrskog", "kind": UnitKind.REGION, "parent_id": None}]
        divisions = ("Division Norr", "Division Söder", "Division Öst", "Division Väst")
        rows += [
            {"name": name, "kind": UnitKind.DIVISION, "parent_id": first} for name in divisions
        ]
        areas = max(1, count // 6)
        places = [f"{place}{part}" for part in ("", " norra", " södra") for place in texts.PLACES]
        rows += [
            {
                "name": f"VO {places[i % len(places)]}",
                "kind": UnitKind.AREA,
                "parent_id": first + 1 + i % len(divisions),
            }
            for i in range(areas)
        ]
        centres = (
            f"Hälsocentral {place} {n}".removesuffix(" 1") for n in range(1, 99) for place in places
        )
        while len(rows) < count:
            rows.append(
                {
                    "name": next(centres),
                    "kind": UnitKind.HEALTH_CENTRE,
                    "parent_id": first + 1 + len(divisions) + len(rows) % areas,
                }
            )
        rows = [row for row in rows[:count] if row["name"] not in taken]
        for offset, row in enumerate(rows):
            row.update(id=first + offset, manager_id=None, version=1)
        self.rows["unit"] = rows
        self.unit_ids = [row["id"] for row in rows]

    def users(self, password_hash: str | None) -> None:
        count = self.n["user"]
        first = self.next_id(User)
        # At least two: the first is region-wide (the bench's), the others the boards' own.
        secretaries = max(2, count // 200)
        viewers = count // 10
        plan = [(Role.ADMIN, "admin", 1), (Role.SECRETARY, "sekreterare", secretaries)]
        plan += [(Role.VIEWER, "lasare", viewers)]
        plan += [(Role.OWNER, "agare", count - 1 - secretaries - viewers)]
        rows = []
        for role, word, number in plan:
            for n in range(1, number + 1):
                rows.append(
                    {
                        "id": first + len(rows),
                        "email": f"{word}{n}@{DOMAIN}",
                        "name": texts.person(self.rng),
                        "role": role,
                        "unit_id": self.rng.choice(self.unit_ids),
                        "language": "sv",
                        "digest": True,
                        "feed_token": None,
                        "password_hash": password_hash,
                        "active": True,
                        "created_at": self.moment(self.start),
                        "version": 1,
                    }
                )
        self.rows["user"] = rows
        self.owners = [row for row in rows if row["role"] == Role.OWNER]

    def meetings(self) -> None:
        count = self.n["meeting"]
        first = self.next_id(Meeting)
        bodies = [self.body_ids[code] for code in ("RS", "HSN", "RF")]
        span = (self.end - self.start).days
        rows = [
            {
                "id": first + i,
                "body_id": bodies[i % len(bodies)],
                "held_on": self.start + timedelta(days=i * span // count),
                "title": "Sammanträde",
                "version": 1,
            }
            for i in range(count)
        ]
        self.rows["meeting"] = rows

    def sources(self) -> None:
        count = self.n["source"]
        first = self.next_id(Source)
        last_issued = self.today - timedelta(days=60)
        span = (last_issued - self.start).days
        past_meetings = [m for m in self.rows["meeting"] if m["held_on"] <= self.today]
        rows = []
        for i in range(count):
            kind = self.rng.choices(
                (SourceKind.AUDIT_REPORT, SourceKind.DECISION, SourceKind.PLAN), (6, 3, 1)
            )[0]
            issued = self.start + timedelta(days=i * span // count)
            audit = kind == SourceKind.AUDIT_REPORT
            meeting = self.rng.choice(past_meetings) if kind == SourceKind.DECISION else None
            rows.append(
                {
                    "id": first + i,
                    "kind": kind,
                    "title": f"{self.rng.choice(texts.SOURCE_PREFIXES)} "
                    f"{self.rng.choice(texts.OBJECTS)}",
                    "dnr": f"{self.rng.randint(100, 9999):05d}-{issued.year}",
                    "issuer_id": self.body_ids["REV" if audit else self.rng.choice(("RS", "HSN"))],
                    "addressee_id": self.body_ids[self.rng.choice(("RS", "HSN"))]
                    if audit
                    else None,
                    "meeting_id": meeting["id"] if meeting else None,
                    "paragraph": str(self.rng.randint(1, 200)) if meeting else "",
                    "issued_on": issued,
                    "auditors": "Regionens revisorer" if audit else "",
                    "firm": self.rng.choice(texts.FIRMS) if audit else "",
                    "response_due": issued + timedelta(days=60) if audit else None,
                    "summary": texts.paragraph(self.rng, self.rng.randint(3, 6)),
                    "created_at": self.moment(issued),
                    "version": 1,
                }
            )
        self.rows["source"] = rows

    def _deadline(self, issued: date, is_open: bool) -> date:
        if is_open:
            return self.day_between(self.today - timedelta(days=365), self.end)
        return min(
            self.day_between(issued + timedelta(days=90), issued + timedelta(days=700)),
            self.today - timedelta(days=1),
        )

    def recommendations(self) -> None:
        count = self.n["recommendation"]
        first = self.next_id(Recommendation)
        sources = self.rows["source"]
        future_meetings = [m["id"] for m in self.rows["meeting"] if m["held_on"] > self.today]
        rows = []
        numbers: dict[int, int] = {}
        for i in range(count):
            source = sources[i * len(sources) // count]
            is_open = self.rng.random() < OPEN_SHARE
            due_meeting = None
            if is_open and future_meetings and self.rng.random() < 0.1:
                due_meeting = self.rng.choice(future_meetings)
            numbers[source["id"]] = number = numbers.get(source["id"], 0) + 1
            rows.append(
                {
                    "id": first + i,
                    "source_id": source["id"],
                    "number": str(number),
                    "kind": RecommendationKind.RECOMMENDATION
                    if source["kind"] == SourceKind.AUDIT_REPORT
                    else RecommendationKind.ASSIGNMENT,
                    "text": texts.paragraph(self.rng, self.rng.randint(1, 3)),
                    "theme": self.rng.choice(texts.THEMES),
                    "responsible_id": self.rng.choice(self.owners)["id"],
                    "unit_id": self.rng.choice(self.unit_ids),
                    "status": self.rng.choice(OPEN_RECOMMENDATION)
                    if is_open
                    else self.rng.choice(CLOSED_RECOMMENDATION),
                    "due_date": None
                    if due_meeting
                    else self._deadline(source["issued_on"], is_open),
                    "due_meeting_id": due_meeting,
                    "created_at": source["created_at"],
                    "updated_at": source["created_at"],
                    "version": 1,
                }
            )
        self.rows["recommendation"] = rows

    def measures(self) -> None:
        count = self.n["measure"]
        first = self.next_id(Measure)
        recommendations = self.rows["recommendation"]
        issued = {row["id"]: row["issued_on"] for row in self.rows["source"]}
        busy = self.owners[:BUSY_OWNERS]
        busy_open = min(BUSY_OPEN, max(1, round(count * OPEN_SHARE) // (2 * len(busy))))
        quota = {owner["id"]: busy_open for owner in busy}
        rows, links = [], []
        for i in range(count):
            recommendation = recommendations[i * len(recommendations) // count]
            is_open = self.rng.random() < OPEN_SHARE
            owner = self.rng.choice(self.owners)["id"]
            if is_open:
                owner = next((id_ for id_, left in quota.items() if left), owner)
                if owner in quota:
                    quota[owner] -= 1
            due = self._deadline(issued[recommendation["source_id"]], is_open)
            start = due - timedelta(days=self.rng.randint(60, 400))
            rows.append(
                {
                    "id": first + i,
                    "number": str(i % 40 + 1),
                    "title": texts.title(self.rng),
                    "description": texts.paragraph(self.rng, self.rng.randint(2, 5)),
                    "goal": texts.sentence(self.rng),
                    "theme": recommendation["theme"],
                    "owner_id": owner,
                    "unit_id": self.rng.choice(self.unit_ids),
                    "start_date": start,
                    "due_date": due,
                    "status": self.rng.choice(OPEN_MEASURE)
                    if is_open
                    else self.rng.choice(CLOSED_MEASURE),
                    "judgement": self.rng.choice(tuple(Judgement)) if is_open else None,
                    "created_at": self.moment(start),
                    "updated_at": self.moment(min(due, self.today)),
                    "version": 1,
                }
            )
            links.append({"recommendation_id": recommendation["id"], "measure_id": first + i})
        self.rows["measure"] = rows
        self.rows["recommendationmeasure"] = links

    def status_updates(self) -> None:
        count = self.n["status_update"]
        first = self.next_id(StatusUpdate)
        measures = self.rows["measure"]
        recommendations = self.rows["recommendation"]
        names = {row["id"]: row["name"] for row in self.rows["user"]}
        rows = []
        for i in range(count):
            # One in twenty updates reports on a recommendation, the rest on measures.
            on_measure = self.rng.random() >= 0.05
            target = (
                measures[i * len(measures) // count]
                if on_measure
                else self.rng.choice(recommendations)
            )
            first_day = target.get("start_date") or target["created_at"].date()
            last_day = min(target["due_date"] or self.today, self.today)
            reported = self.day_between(min(first_day, last_day), last_day)
            author = target.get("owner_id") or target.get("responsible_id")
            rows.append(
                {
                    "id": first + i,
                    "measure_id": target["id"] if on_measure else None,
                    "recommendation_id": None if on_measure else target["id"],
                    "author_id": author,
                    "author_name": names.get(author, ""),
                    "reported_on": reported,
                    "text": texts.update_text(self.rng),
                    "status": target["status"],
                    "judgement": target.get("judgement"),
                    "created_at": self.moment(reported),
                }
            )
        self.rows["statusupdate"] = rows
