"""The lines under each item of a follow-up list: measures, latest update, indicators, closing."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import Row
from sqlmodel import Session, func, select

from tracker import dates
from tracker.i18n import swedish
from tracker.indicators.periods import format_value
from tracker.indicators.services.fulfilment import target_text
from tracker.indicators.services.measure_links import indicators_for_recommendations
from tracker.models import (
    CLOSED_MEASURE_STATUSES,
    Body,
    ClosedItem,
    ClosingDecision,
    Measure,
    MeasureStatus,
    Recommendation,
    RecommendationMeasure,
    RecommendationStatus,
    StatusUpdate,
    User,
)
from tracker.overdue import measure_open, measure_overdue
from tracker.recommendations.services import format_reference, with_dnr
from tracker.status_updates import post_status_update


@dataclass
class LatestUpdate:
    text: str
    reported_on: date
    author: str
    measure: str = ""  # the measure it was posted on; "" when on the item itself
    assumed: bool = False  # its date is one the seed had to assume


@dataclass
class MeasureLine:
    id: int
    title: str
    owner: str
    due: date | None
    status: str
    judgement: str | None = None  # lists kept before judgements were shown have none
    overdue: bool = False
    # The measure's own latest update: lists kept before the roll-up per measure have none.
    latest: LatestUpdate | None = None
    assumed: list[str] = field(default_factory=list)  # fields the seed had to assume


@dataclass
class IndicatorLine:
    """An indicator a row's measures aim to move, as shown that day: all in words."""

    name: str
    target: str
    latest: str  # "T2 2022: 81 %", or "" before any outcome
    fulfilment: str  # a fulfilment code, or "" before any outcome


def item_name(source: str, kind: str, number: str) -> str:
    """Name an item by its report or decision and its number: "Granskning av …, rek. 2"."""
    if not number:
        return source
    if kind == "assignment":
        return _("%(source)s, assignment %(number)s", source=source, number=number)
    if kind == "proposal":
        return _("%(source)s, point %(number)s", source=source, number=number)
    return _("%(source)s, rec. %(number)s", source=source, number=number)


def marked_item_name(source: str, kind: str, number: str) -> Markup:
    """Name an item as item_name does, as HTML with the source's title marked Swedish."""
    # The translated pattern is ours; the source and number are escaped before they go in.
    return Markup(item_name(swedish(source), kind, escape(number)))


def measure_state(line: MeasureLine) -> str:
    """Return what a measure counts as in the summary: overdue, else its status."""
    if line.overdue or (line.judgement == "delayed" and measure_open(line.status)):
        return "overdue"
    return line.status


# "3 done" in each language, worded once: a list of 200 items sums up hundreds of measures.
_STATE_WORDS: dict[tuple[str, str, int], str] = {}


def _state_words(state: str, count: int) -> str:
    key = (str(get_locale()), state, count)
    if key not in _STATE_WORDS:
        _STATE_WORDS[key] = _worded_state(state, count)
    return _STATE_WORDS[key]


def _worded_state(state: str, count: int) -> str:
    words = {
        "overdue": ngettext("%(num)d overdue", "%(num)d overdue", count),
        MeasureStatus.DONE: ngettext("%(num)d done", "%(num)d done", count),
        MeasureStatus.ONGOING: ngettext("%(num)d ongoing", "%(num)d ongoing", count),
        MeasureStatus.PLANNED: ngettext("%(num)d planned", "%(num)d planned", count),
        MeasureStatus.POSTPONED: ngettext("%(num)d postponed", "%(num)d postponed", count),
        MeasureStatus.CANCELLED: ngettext("%(num)d cancelled", "%(num)d cancelled", count),
        "measures": ngettext("%(num)d measure", "%(num)d measures", count),
    }
    return words.get(state, f"{count} {state}")


def measure_summary(lines: list[MeasureLine]) -> str:
    """Sum up an item's measures: "3 measures: 1 done, 1 ongoing, 1 overdue"."""
    if not lines:
        return ""
    counts: dict[str, int] = {}
    for line in lines:
        state = measure_state(line)
        counts[state] = counts.get(state, 0) + 1
    order = ("done", "ongoing", "planned", "postponed", "overdue", "cancelled")
    parts = [
        _state_words(state, counts[state])
        for state in sorted(counts, key=lambda s: order.index(s) if s in order else len(order))
    ]
    total = _state_words("measures", len(lines))
    return f"{total}: {', '.join(parts)}"


def suggests_reported(status: str, measures: list[Measure]) -> bool:
    """Tell whether an open item's measures are all finished, at least one of them done."""
    return (
        status in (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)
        and bool(measures)
        and all(measure.status in CLOSED_MEASURE_STATUSES for measure in measures)
        and any(measure.status == MeasureStatus.DONE for measure in measures)
    )


def mark_reported(session: Session, item: Recommendation, *, user: User) -> StatusUpdate:
    """Set an item whose measures are all done to reported, with a status update that says so."""
    return post_status_update(
        session,
        item,
        author=user,
        text=_("All measures are done: the item is marked as reported."),
        status=RecommendationStatus.REPORTED,
    )


def _newest_first(partition_by):
    """Number the status updates of each partition, 1 for the newest."""
    newest = (
        StatusUpdate.reported_on.desc(),
        StatusUpdate.created_at.desc(),
        StatusUpdate.id.desc(),
    )
    return func.row_number().over(partition_by=partition_by, order_by=newest).label("rank")


# What a list shows of an update, read as named columns: hundreds of rows, no ORM objects.
_SHOWN = (
    StatusUpdate.text,
    StatusUpdate.reported_on,
    StatusUpdate.author_name,
    StatusUpdate.entered_by_name,
)


def latest_updates(session: Session, ids: list[int]) -> dict[int, Row]:
    """Return the latest status update of each recommendation, in one query."""
    if not ids:
        return {}
    rank = _newest_first(StatusUpdate.recommendation_id)
    ranked = (
        select(StatusUpdate.id.label("id"), rank)
        .where(StatusUpdate.recommendation_id.in_(ids))
        .subquery()
    )
    query = select(StatusUpdate.recommendation_id, *_SHOWN).join(
        ranked, ranked.c.id == StatusUpdate.id
    )
    return {
        update.recommendation_id: update for update in session.exec(query.where(ranked.c.rank == 1))
    }


def measure_updates(session: Session, ids: list[int]) -> dict[int, Row]:
    """Return the latest status update of each measure of the recommendations, in one query."""
    if not ids:
        return {}
    rank = _newest_first(StatusUpdate.measure_id)
    linked = select(RecommendationMeasure.measure_id).where(
        RecommendationMeasure.recommendation_id.in_(ids)
    )
    ranked = (
        select(StatusUpdate.id.label("id"), rank)
        .where(StatusUpdate.measure_id.in_(linked))
        .subquery()
    )
    query = select(StatusUpdate.measure_id, *_SHOWN).join(ranked, ranked.c.id == StatusUpdate.id)
    return {update.measure_id: update for update in session.exec(query.where(ranked.c.rank == 1))}


def as_latest(update: Row | None, assumed: list[str] | None = None):
    """Return a status update as a list shows it: text, date, author."""
    if update is None:
        return None
    author = update.author_name or ""
    if update.entered_by_name:
        # Posted "på uppdrag av" the author: the list names both.
        author = _("%(author)s, entered by %(name)s", author=author, name=update.entered_by_name)
    return LatestUpdate(
        update.text,
        update.reported_on,
        author,
        assumed="reported_on" in (assumed or []),
    )


def measures_of(session: Session, ids: list[int]) -> dict[int, list[MeasureLine]]:
    """Return the measures linked to each recommendation, with owners, in one query."""
    result: dict[int, list[MeasureLine]] = {id_: [] for id_ in ids}
    if not ids:
        return result
    # Only the columns a line shows: descriptions are long and never printed here.
    query = (
        select(
            RecommendationMeasure.recommendation_id,
            Measure.id,
            Measure.title,
            User.name,
            Measure.due_date,
            Measure.status,
            Measure.judgement,
            Measure.assumed,
        )
        .join(Measure, RecommendationMeasure.measure_id == Measure.id)
        .join(User, Measure.owner_id == User.id, isouter=True)
        .where(RecommendationMeasure.recommendation_id.in_(ids))
        .order_by(Measure.due_date.nulls_last(), Measure.id)
    )
    today = dates.today()
    for recommendation_id, id_, title, owner, due, status, judgement, assumed in session.exec(
        query
    ):
        overdue = measure_overdue(status, due, today)
        result[recommendation_id].append(
            MeasureLine(
                id_,
                title,
                owner or "",
                due,
                status,
                judgement,
                overdue=overdue,
                assumed=list(assumed or []),
            )
        )
    return result


def indicator_lines(session: Session, ids: list[int]) -> dict[int, list[IndicatorLine]]:
    """Return, per item, the indicators its measures aim to move, in two queries."""
    lines: dict[int, list[IndicatorLine]] = {}
    for item_id, statuses in indicators_for_recommendations(session, ids).items():
        lines[item_id] = [
            IndicatorLine(
                name=status.indicator.name,
                target=target_text(status.indicator),
                latest=f"{status.latest.label}: "
                f"{format_value(status.latest.total, status.indicator.measure_unit)}"
                if status.latest
                else "",
                fulfilment=status.latest.fulfilment if status.latest else "",
            )
            for status in statuses
        ]
    return lines


def closings_of(session: Session, ids: list[int]) -> dict[int, tuple[int, str]]:
    """Return the latest closing decision of each closed recommendation, in one query."""
    if not ids:
        return {}
    query = (
        select(ClosedItem.recommendation_id, ClosingDecision, Body.code)
        .join(ClosingDecision, ClosedItem.decision_id == ClosingDecision.id)
        .join(Body, ClosingDecision.body_id == Body.id)
        .where(ClosedItem.recommendation_id.in_(ids))
        .order_by(ClosingDecision.recorded_at, ClosingDecision.id)
    )
    return {
        recommendation_id: (
            decision.id,
            with_dnr(format_reference(code, decision.decided_on, decision.paragraph), decision.dnr),
        )
        for recommendation_id, decision, code in session.exec(query)
    }
