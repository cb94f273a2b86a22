"""The demo's rows that the pages join beside the items: references, links, decisions, history."""

from datetime import timedelta

from tracker.demo import texts
from tracker.models import (
    CLOSED_MEASURE_STATUSES,
    ChangeLog,
    ClosedItem,
    ClosingDecision,
    DateMove,
    DecisionReference,
    Grader,
    Implementation,
    ImplementationGrade,
    RecommendationKind,
    RecommendationStatus,
    ThresholdRule,
)

# An assignment cites 1-3 decisions, as the seeds' assignments do. The other shares are
# assumed: the seeds hold too few closed, graded or moved items to give a ratio.
ITEMS_PER_CLOSING = 5
MOVED_SHARE = 0.15
GRADED_SHARE = 0.3
MEASURES_WITH_INDICATOR = 0.2
RULE_SHARE = 0.05  # of the indicators, with a threshold rule from a decision
CLOSED = {
    RecommendationStatus.CLOSED,
    RecommendationStatus.NOT_IMPLEMENTED,
    RecommendationStatus.NO_LONGER_RELEVANT,
}
GRADE_OF = {
    RecommendationStatus.CLOSED: (Implementation.FULLY, Implementation.MOSTLY),
    RecommendationStatus.NOT_IMPLEMENTED: (Implementation.NOT, Implementation.PARTLY),
    RecommendationStatus.NO_LONGER_RELEVANT: (Implementation.NO_LONGER_RELEVANT,),
}

# One owner in ten manages a second unit (assumed; the seeds name no one's units).
SECOND_UNIT_EVERY = 10


class RichRows:
    """Make the rows around the items; mixed into the builder, whose state it uses."""

    def decision_references(self) -> None:
        first = self.next_id(DecisionReference)
        boards = [self.body_ids[code] for code in ("RS", "HSN", "RF")]
        rows = []
        for item in self.rows["recommendation"]:
            if item["kind"] != RecommendationKind.ASSIGNMENT:
                continue
            decided = item["created_at"].date()
            for n in range(self.rng.randint(1, 3)):
                rows.append(
                    {
                        "id": first + len(rows),
                        "recommendation_id": item["id"],
                        "body_id": self.rng.choice(boards),
                        "decided_on": decided - timedelta(days=30 * n),
                        "paragraph": str(self.rng.randint(1, 200) + 200 * n),
                        "dnr": f"{self.rng.randint(100, 9999):05d}-{decided.year}",
                        "version": 1,
                    }
                )
        self.rows["decisionreference"] = rows

    def source_addressees(self) -> None:
        rows = []
        for source in self.rows["source"]:
            if source["addressee_id"] is None:
                continue
            bodies = {source["addressee_id"]}
            if self.rng.random() < 0.3:  # a report to both boards
                bodies |= {self.body_ids["RS"], self.body_ids["HSN"]}
            rows += [{"source_id": source["id"], "body_id": body} for body in sorted(bodies)]
        self.rows["sourceaddressee"] = rows

    def measure_indicators(self) -> None:
        indicators = [row["id"] for row in self.rows["indicator"]]
        rows = []
        for measure in self.rows["measure"]:
            if self.rng.random() < MEASURES_WITH_INDICATOR:
                chosen = self.rng.sample(indicators, min(len(indicators), self.rng.randint(1, 2)))
                rows += [{"measure_id": measure["id"], "indicator_id": i} for i in chosen]
        self.rows["measureindicator"] = rows

    def closing_decisions(self) -> None:
        first, first_item = self.next_id(ClosingDecision), self.next_id(ClosedItem)
        closed = [row for row in self.rows["recommendation"] if row["status"] in CLOSED]
        boards = [self.body_ids[code] for code in ("RS", "HSN")]
        secretary = next(u["id"] for u in self.rows["user"] if u["role"] == "secretary")
        decisions, items = [], []
        for start in range(0, len(closed), ITEMS_PER_CLOSING):
            group = closed[start : start + ITEMS_PER_CLOSING]
            decided = max(min(row["due_date"] or self.today, self.today) for row in group)
            decision_id = first + len(decisions)
            outcome = group[0]["status"]
            decisions.append(
                {
                    "id": decision_id,
                    "body_id": self.rng.choice(boards),
                    "decided_on": decided,
                    "paragraph": str(self.rng.randint(1, 250)),
                    "dnr": f"{self.rng.randint(100, 9999):05d}-{decided.year}",
                    "formula": self.rng.choice(("answered", "filed"))
                    if outcome == RecommendationStatus.CLOSED
                    else "",
                    "outcome": outcome,
                    "text": texts.sentence(self.rng),
                    "evidence_name": "",
                    "evidence_file": "",
                    "evidence_type": "",
                    "evidence_size": None,
                    "recorded_by_id": secretary,
                    "recorded_at": self.moment(decided),
                }
            )
            for row in group:
                items.append(
                    {
                        "id": first_item + len(items),
                        "decision_id": decision_id,
                        "recommendation_id": row["id"],
                    }
                )
        self.rows["closingdecision"], self.rows["closeditem"] = decisions, items

    def threshold_rules(self) -> None:
        first = self.next_id(ThresholdRule)
        decisions = [row for row in self.rows["source"] if row["kind"] == "decision"]
        chosen = self.rows["indicator"][: max(1, round(len(self.rows["indicator"]) * RULE_SHARE))]
        self.rows["thresholdrule"] = [
            {
                "id": first + i,
                "indicator_id": indicator["id"],
                "source_id": self.rng.choice(decisions or self.rows["source"])["id"],
                "comparison": "below",
                "threshold": float(self.rng.randint(60, 90)),
                "unit_kind": "health_centre",
                "text": texts.sentence(self.rng),
                "theme": self.rng.choice(texts.THEMES),
                "deadline_days": 30,
                "active": True,
                "created_at": self.moment(self.start),
                "updated_at": self.moment(self.start),
                "version": 1,
            }
            for i, indicator in enumerate(chosen)
        ]

    def grades(self) -> None:
        first = self.next_id(ImplementationGrade)
        rows = []
        for item in self.rows["recommendation"]:
            if item["status"] not in CLOSED or self.rng.random() >= GRADED_SHARE:
                continue
            graded = min(item["due_date"] or self.today, self.today)
            rows.append(
                {
                    "id": first + len(rows),
                    "recommendation_id": item["id"],
                    "grader": self.rng.choice(tuple(Grader)),
                    "grade": self.rng.choice(GRADE_OF[item["status"]]),
                    "graded_on": graded,
                    "text": texts.sentence(self.rng),
                    "recorded_by_id": None,
                    "recorded_by_name": "",
                    "recorded_at": self.moment(graded),
                }
            )
        self.rows["implementationgrade"] = rows

    def date_moves(self) -> None:
        """Move some deadlines: the item keeps its first date, the move says why."""
        first = self.next_id(DateMove)
        rows = []
        for table, key in (("recommendation", "recommendation_id"), ("measure", "measure_id")):
            for item in self.rows[table]:
                item["original_due_date"] = item["due_date"]
                if item["due_date"] is None or self.rng.random() >= MOVED_SHARE:
                    continue
                old = item["due_date"] - timedelta(days=self.rng.randint(30, 240))
                item["original_due_date"] = old
                rows.append(
                    {
                        "id": first + len(rows),
                        "recommendation_id": item["id"] if key == "recommendation_id" else None,
                        "measure_id": item["id"] if key == "measure_id" else None,
                        "old_date": old,
                        "new_date": item["due_date"],
                        "reason": texts.sentence(self.rng),
                        "agreed_by": self.rng.choice(("Regionstyrelsen", "Divisionschefen")),
                        "moved_by_id": None,
                        "moved_by_name": "",
                        "moved_at": self.moment(min(old, self.today)),
                    }
                )
        self.rows["datemove"] = rows

    def change_log(self) -> None:
        """Log each item's creation and each closed item's last status change."""
        first = self.next_id(ChangeLog)
        rows = []
        for table in ("recommendation", "measure"):
            for item in self.rows[table]:
                rows.append(_log(first + len(rows), table, item, "insert", item["created_at"]))
                if item["status"] in CLOSED or item["status"] in CLOSED_MEASURE_STATUSES:
                    changed = item["updated_at"]
                    rows.append(_log(first + len(rows), table, item, "update", changed))
        self.rows["changelog"] = rows

    def second_units(self) -> None:
        """Give one owner in ten a second unit, as a manager of two units gets from the provider."""
        rows = []
        for owner in self.owners[::SECOND_UNIT_EVERY]:
            other = self.rng.choice(self.unit_ids)
            if other != owner["unit_id"]:
                rows.append({"user_id": owner["id"], "unit_id": other})
        self.rows["user_unit"] = rows


def _log(id_: int, table: str, item: dict, action: str, moment) -> dict:
    changes = {"status": [None, item["status"]]} if action == "update" else {}
    return {
        "id": id_,
        "changed_at": moment,
        "user_id": item.get("owner_id") or item.get("responsible_id"),
        "entity": table,
        "entity_id": item["id"],
        "action": action,
        "changes": changes,
        "reason": "",
    }
