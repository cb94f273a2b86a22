"""The overdue rule in one place: its SQL and Python twins agree, and nobody writes a copy."""

import ast
import re
from datetime import date, timedelta
from itertools import product
from pathlib import Path

from sqlmodel import select

from tests.test_dashboard import section
from tracker import dates
from tracker.config import ROOT
from tracker.models import Measure, MeasureStatus, Recommendation, RecommendationStatus
from tracker.overdue import (
    item_overdue,
    item_overdue_sql,
    measure_overdue,
    measure_overdue_sql,
)
from tracker.recommendations.services import deadline_column

TODAY = date(2030, 1, 15)
DAYS = {
    "yesterday": TODAY - timedelta(days=1),
    "today": TODAY,
    "tomorrow": TODAY + timedelta(days=1),
    "none": None,
}


def test_the_sql_and_the_python_rule_agree_on_the_same_items(make, session):
    board = make.body()
    source = make.source()
    meetings = {day: make.meeting(board, held_on=day).id for day in DAYS.values() if day}
    # Every status with every deadline, given as a date or (without one) as a meeting's day.
    for status, (name, day), by_meeting in product(
        RecommendationStatus, DAYS.items(), (False, True)
    ):
        if by_meeting and day is None:
            continue
        values = {"due_meeting_id": meetings[day]} if by_meeting else {"due_date": day}
        make.recommendation(source, status=status, text=f"{status} {name} {by_meeting}", **values)
    due_meeting, deadline = deadline_column()
    rows = session.exec(
        select(Recommendation.id, Recommendation.status, deadline).join(
            due_meeting, Recommendation.due_meeting_id == due_meeting.id, isouter=True
        )
    ).all()
    by_python = {id_ for id_, status, due in rows if item_overdue(status, due, TODAY)}
    by_sql = set(
        session.exec(
            select(Recommendation.id)
            .join(due_meeting, Recommendation.due_meeting_id == due_meeting.id, isouter=True)
            .where(item_overdue_sql(Recommendation.status, deadline, TODAY))
        )
    )
    assert len(rows) == len(RecommendationStatus) * 7
    assert by_sql == by_python
    # Only what still owes a report and was due before today: three statuses, two ways each.
    late = {session.get(Recommendation, id_).text for id_ in by_sql}
    assert late == {
        f"{status} yesterday {by_meeting}"
        for status in ("open", "in_progress", "partly_implemented")
        for by_meeting in (False, True)
    }


def test_the_sql_and_the_python_rule_agree_on_the_same_measures(make, session):
    for status, (name, day) in product(MeasureStatus, DAYS.items()):
        make.measure(status=status, due_date=day, title=f"{status} {name}")
    rows = session.exec(select(Measure.id, Measure.status, Measure.due_date)).all()
    by_python = {id_ for id_, status, due in rows if measure_overdue(status, due, TODAY)}
    by_sql = set(
        session.exec(
            select(Measure.id).where(measure_overdue_sql(Measure.status, Measure.due_date, TODAY))
        )
    )
    assert len(rows) == len(MeasureStatus) * len(DAYS)
    assert by_sql == by_python
    late = {session.get(Measure, id_).title for id_ in by_sql}
    assert late == {"planned yesterday", "ongoing yesterday", "postponed yesterday"}


def test_a_reported_item_past_its_date_is_overdue_on_no_page(make, login):
    # Reported: the board's decision is awaited, not a report. Every page says so alike.
    owner = make.user("owner")
    secretary = make.user("secretary")
    source = make.source(title="Granskning av rapporteringen")
    late = dates.today() - timedelta(days=3)
    for text, status in (("Rapporterad punkt", "reported"), ("Försenad punkt", "open")):
        make.recommendation(
            source, text=text, status=status, responsible_id=owner.id, due_date=late
        )
    client = login(owner)
    mine = section(client.get("/").get_data(as_text=True), "mine-heading")
    assert "1 overdue" in mine
    assert "Overdue Försenad punkt" in mine
    assert "Overdue Rapporterad punkt" not in mine and "Rapporterad punkt" in mine
    work = client.get("/my-work").get_data(as_text=True)
    rows = re.findall(r"<tr.*?</tr>", work, re.S)
    assert [("Försenad" in row, "Overdue" in row) for row in rows if "punkt" in row] == [
        (True, True),
        (False, False),
    ]
    listed = client.get("/recommendations/?overdue=1").get_data(as_text=True)
    assert "Försenad punkt" in listed and "Rapporterad punkt" not in listed
    client = login(secretary)
    followup = client.get("/follow-up?only_overdue=y").get_data(as_text=True)
    assert "Försenad punkt" in followup and "Rapporterad punkt" not in followup


# ---- No copy of the rule outside tracker/overdue.py -------------------------------------

RULE = "tracker/overdue.py"
DEADLINE = re.compile(r"due|deadline", re.IGNORECASE)
TODAY_WORD = re.compile(r"\btoday\b")
# The statuses' names as code writes them: the enum's member or its value.
REPORTED = {"REPORTED", "reported"}
CLOSED_ITEM = {"CLOSED", "NOT_IMPLEMENTED", "NO_LONGER_RELEVANT"}
CLOSED_ITEM |= {name.lower() for name in CLOSED_ITEM} | {"CLOSED_RECOMMENDATION_STATUSES"}
MEASURE_SETS = ({"DONE", "CANCELLED"}, {"PLANNED", "ONGOING", "POSTPONED"})
# The rule's own lists: only the rule's module names them.
RULE_NAMES = {"NOT_DUE_STATUSES", "DUE_STATUSES", "OPEN_MEASURE_STATUSES"}
# Jinja: a deadline compared with today, or a list of statuses with "reported" among them.
TEMPLATE_COMPARE = re.compile(
    r"(due|deadline)\w*(\|\w+)?\s*<=?\s*\w*today|today\w*\s*>=?\s*[\w.]*(due|deadline)"
)
TEMPLATE_STATUSES = re.compile(r"[\"']reported[\"'].*[\"'](closed|not_implemented)[\"']")


def _element_names(node: ast.AST) -> set[str]:
    """Return the status names a tuple, list or set literal holds."""
    names = set()
    for element in node.elts:
        if isinstance(element, ast.Starred):
            element = element.value
        if isinstance(element, ast.Attribute):
            names.add(element.attr)
        elif isinstance(element, ast.Name):
            names.add(element.id)
        elif isinstance(element, ast.Constant) and isinstance(element.value, str):
            names.add(element.value)
    return names


def _compares_with_today(node: ast.Compare) -> bool:
    """Tell whether a comparison asks if a deadline is before (or on) today."""
    sides = [node.left, *node.comparators]
    for left, op, right in zip(sides, node.ops, sides[1:], strict=False):
        left_text, right_text = ast.unparse(left), ast.unparse(right)
        if isinstance(op, ast.Gt | ast.GtE):
            left_text, right_text = right_text, left_text
        elif not isinstance(op, ast.Lt | ast.LtE):
            continue
        if DEADLINE.search(left_text) and TODAY_WORD.search(right_text):
            return True
    return False


def copies_in_python(source: str, *, lists: bool = True) -> list[str]:
    """Return each place in Python source that writes the overdue rule itself.

    With lists=False, literal lists of statuses are allowed: where the statuses are defined.
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and _compares_with_today(node):
            found.append(f"{node.lineno}: a deadline compared with today")
        elif isinstance(node, ast.Name | ast.alias):
            name = node.id if isinstance(node, ast.Name) else node.name
            if name in RULE_NAMES:
                found.append(f"{getattr(node, 'lineno', 0)}: {name}")
        elif lists and isinstance(node, ast.Tuple | ast.List | ast.Set):
            names = _element_names(node)
            upper = {name.upper() for name in names}
            if (names & REPORTED and names & CLOSED_ITEM) or upper in MEASURE_SETS:
                found.append(f"{node.lineno}: a list of the statuses that are not due")
    return found


def copies_in_template(text: str) -> list[str]:
    """Return each line of a template that writes the overdue rule itself."""
    return [
        f"{number}: {line.strip()}"
        for number, line in enumerate(text.splitlines(), 1)
        if TEMPLATE_COMPARE.search(line) or TEMPLATE_STATUSES.search(line)
    ]


def copies_under(root: Path) -> dict[str, list[str]]:
    """Return, per module and template under a checkout, where it writes the rule itself."""
    found = {}
    for path in sorted((root / "tracker").rglob("*.py")):
        name = path.relative_to(root).as_posix()
        if name == RULE:
            continue
        # The models define the statuses, and which of them are closed.
        lists = name != "tracker/models.py"
        if lines := copies_in_python(path.read_text(encoding="utf-8"), lists=lists):
            found[name] = lines
    for path in sorted((root / "templates").rglob("*")):
        lines = copies_in_template(path.read_text(encoding="utf-8")) if path.is_file() else []
        if lines and path.suffix in (".html", ".txt"):
            found[path.relative_to(root).as_posix()] = lines
    return found


# Copies the code held before the rule had its module, as they were written (issue 32).
OLD_COPIES = [
    "overdue = bool(due and due < today and item.status not in NOT_DUE_STATUSES)",
    "x = bool(deadline and deadline < today and recommendation.status not in NOT_DUE_STATUSES)",
    "x = bool(measure.due_date\n and measure.due_date < today\n"
    " and measure.status not in CLOSED_MEASURE_STATUSES)",
    "q = q.where(and_(Measure.due_date < today, Measure.status.not_in(CLOSED_MEASURE_STATUSES)))",
    "q = q.where(deadline < today, Recommendation.status.in_(DUE_STATUSES))",
    "overdue = [i for i in mine if i.deadline and i.deadline < today and i.remind_after]",
    "overdue = bool(due and due < today)",
    "DueItem(kind, id_, title, due, status, due < today)",
    "late = dates.today() > row.due_date",
    "NOT_DUE = (*CLOSED_RECOMMENDATION_STATUSES, RecommendationStatus.REPORTED)",
    "finished = ('closed', 'not_implemented', 'no_longer_relevant', 'reported')",
    "finished = (MeasureStatus.DONE, MeasureStatus.CANCELLED)",
    "from tracker.models import NOT_DUE_STATUSES",
]


def test_the_check_finds_each_copy_the_code_held_before():
    assert [snippet for snippet in OLD_COPIES if not copies_in_python(snippet)] == []
    template = (
        "{% if recommendation.status not in ('reported', 'closed', 'not_implemented') %}\n"
        "{% if deadline and deadline < today %}late{% endif %}\n"
        "{{ overdue_mark(overdue) }}\n"
    )
    assert [line[:2] for line in copies_in_template(template)] == ["1:", "2:"]
    # What is not the rule: a meeting still ahead, a window's days, a due-soon range.
    assert copies_in_python("x = meeting.held_on >= today\ny = today <= i.deadline <= soon") == []


def test_no_module_but_the_rule_computes_overdue():
    assert copies_under(ROOT) == {}
