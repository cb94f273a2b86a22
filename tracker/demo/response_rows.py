"""The demo's answers to the auditors and the boards' secretaries, at the seeds' ratios.

As in the seeds: each board has a secretary of its own (common.yaml: RS and HSN, each one;
the auditors none), and an audit report is answered once by each body it is addressed to,
with a position on every recommendation (004). The other shares are assumed: the seeds hold
one answer and no follow-up review.
"""

from datetime import timedelta

from tracker.demo import texts
from tracker.models import (
    Assessment,
    Position,
    Response,
    ResponsePosition,
    ResponseStatus,
    ReviewFinding,
    Role,
    SourceKind,
)
from tracker.overdue import passed

# Of the answers still ahead: how far the drafting got.
DRAFTING = (ResponseStatus.NOT_STARTED, ResponseStatus.DRAFTING, ResponseStatus.SENT_FOR_INPUT)
POSITIONS = (Position.AGREES,) * 6 + (Position.PARTLY_AGREES,) * 3 + (Position.DISAGREES,)
ASSESSMENTS = (Assessment.ADDRESSED,) * 5 + (Assessment.PARTLY_ADDRESSED,) * 3
ASSESSMENTS += (Assessment.NOT_ADDRESSED,) * 2
REVIEW_EVERY = 5  # one audit report in five is a follow-up review of an earlier one
INPUT_DAYS = 21  # the division's input is due three weeks before the answer


class ResponseRows:
    """Make the secretaries' bodies, answers, positions, promises and review findings."""

    def body_secretaries(self) -> None:
        """Give each board one secretary, keeping the first (the bench's) region-wide."""
        secretaries = [u["id"] for u in self.rows["user"] if u["role"] == Role.SECRETARY]
        own = secretaries[1:] or secretaries
        boards = [self.body_ids[code] for code in ("RS", "HSN", "RF")]
        self.rows["body_secretary"] = [
            {"body_id": body, "user_id": own[n % len(own)]} for n, body in enumerate(boards)
        ]

    def _adopting_meeting(self, body_id: int, due):
        """Return the body's last meeting on or before the answer's date, else that date."""
        held = [m["held_on"] for m in self.rows["meeting"] if m["body_id"] == body_id]
        before = [day for day in held if day <= due]
        return max(before) if before else due

    def responses(self) -> None:
        first, first_position = self.next_id(Response), self.next_id(ResponsePosition)
        addressed: dict[int, list[int]] = {}
        for row in self.rows["sourceaddressee"]:
            addressed.setdefault(row["source_id"], []).append(row["body_id"])
        items: dict[int, list[dict]] = {}
        for item in self.rows["recommendation"]:
            items.setdefault(item["source_id"], []).append(item)
        linked: dict[int, list[int]] = {}
        for link in self.rows["recommendationmeasure"]:
            linked.setdefault(link["recommendation_id"], []).append(link["measure_id"])
        self.rows["response"] = responses = []
        self.rows["responseposition"], self.rows["promisedmeasure"] = [], []
        for source in self.rows["source"]:
            if source["kind"] != SourceKind.AUDIT_REPORT or not source["response_due"]:
                continue
            for body_id in addressed.get(source["id"], [source["addressee_id"]]):
                response = self._response(first + len(responses), source, body_id)
                responses.append(response)
                if response["status"] != ResponseStatus.NOT_STARTED:
                    self._positions(response, items.get(source["id"], []), linked, first_position)

    def _response(self, response_id: int, source: dict, body_id: int) -> dict:
        due = source["response_due"]
        status = self._status(due)
        finished = status in (ResponseStatus.ADOPTED, ResponseStatus.SENT)
        adopted = self._adopting_meeting(body_id, due) if finished else None
        return {
            "id": response_id,
            "source_id": source["id"],
            "body_id": body_id,
            "status": status,
            "responsible_id": None
            if status == ResponseStatus.NOT_STARTED
            else self.rng.choice(self.owners)["id"],
            "input_contact_id": self.rng.choice(self.owners)["id"],
            "input_due": due - timedelta(days=INPUT_DAYS),
            "response_due": due,
            "proposed_decision": texts.sentence(self.rng),
            "adopted_on": adopted,
            "paragraph": str(self.rng.randint(1, 200)) if finished else "",
            "dnr": source["dnr"],
            "dated": adopted,
            "decision_text": texts.sentence(self.rng) if finished else "",
            "snapshot": {},
            "fingerprint": "",
            "adopted_by_id": None,
            "created_at": source["created_at"],
            "updated_at": self.moment(min(adopted or due, self.today)),
            "version": 1,
        }

    def _positions(self, response: dict, items: list[dict], linked: dict, first: int) -> None:
        """Take a position on each of the report's items, promising a linked measure."""
        positions, promised = self.rows["responseposition"], self.rows["promisedmeasure"]
        for item in items:
            position = self.rng.choice(POSITIONS)
            position_id = first + len(positions)
            positions.append(
                {
                    "id": position_id,
                    "response_id": response["id"],
                    "recommendation_id": item["id"],
                    "position": position,
                    "answer": texts.sentence(self.rng),
                    "version": 1,
                }
            )
            measures = linked.get(item["id"])
            if position != Position.DISAGREES and measures:
                promised.append({"position_id": position_id, "measure_id": measures[0]})

    def _status(self, due) -> str:
        if passed(due, self.today - timedelta(days=30)):
            return ResponseStatus.SENT
        if passed(due, self.today):
            return ResponseStatus.ADOPTED
        return self.rng.choice(DRAFTING)

    def review_findings(self) -> None:
        """Make some audit reports follow-up reviews of an earlier one, with findings."""
        first = self.next_id(ReviewFinding)
        items: dict[int, list[dict]] = {}
        for item in self.rows["recommendation"]:
            items.setdefault(item["source_id"], []).append(item)
        audits = [s for s in self.rows["source"] if s["kind"] == SourceKind.AUDIT_REPORT]
        rows = []
        for source in self.rows["source"]:
            source["follows_id"] = None
        for n, source in enumerate(audits):
            if n % REVIEW_EVERY != 1:  # the second audit report, then every fifth
                continue
            earlier = self.rng.choice(audits[:n])
            source["follows_id"] = earlier["id"]
            for item in items.get(earlier["id"], []):
                rows.append(
                    {
                        "id": first + len(rows),
                        "source_id": source["id"],
                        "recommendation_id": item["id"],
                        "assessment": self.rng.choice(ASSESSMENTS),
                        "text": texts.sentence(self.rng),
                        "version": 1,
                    }
                )
        self.rows["reviewfinding"] = rows
