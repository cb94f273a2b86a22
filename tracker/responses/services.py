"""Responses (yttranden): each addressed body's answer to an audit report, adopted and frozen."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlmodel import Session, func, select

from tracker.editing import update_row
from tracker.fingerprint import fingerprint_of
from tracker.models import (
    Assessment,
    Body,
    BodySecretary,
    Measure,
    MeasureStatus,
    Position,
    PromisedMeasure,
    Recommendation,
    RecommendationMeasure,
    Response,
    ResponsePosition,
    ResponseStatus,
    ReviewFinding,
    Source,
    SourceAddressee,
    SourceKind,
    User,
    utcnow,
)
from tracker.responses.adopted import BodyAnswer, answers_on
from tracker.responses.letter import snapshot_of
from tracker.responses.positions import answers_of

# Once adopted, an answer no longer changes and is no longer reminded of.
FINISHED = (ResponseStatus.ADOPTED, ResponseStatus.SENT)


class ResponseError(ValueError):
    """The response cannot be changed as asked; the message says why."""


def addressees_of(session: Session, source_id: int) -> list[Body]:
    """Return the bodies a source is addressed to, by name."""
    query = (
        select(Body)
        .join(SourceAddressee, SourceAddressee.body_id == Body.id)
        .where(SourceAddressee.source_id == source_id)
        .order_by(Body.name)
    )
    return list(session.exec(query))


def set_addressees(session: Session, source: Source, body_ids: list[int]) -> None:
    """Make the source's addressees exactly these; an audit report gets a response per addressee."""
    wanted = list(dict.fromkeys(body_id for body_id in body_ids if body_id))
    current = session.exec(select(SourceAddressee).where(SourceAddressee.source_id == source.id))
    for row in current.all():
        if row.body_id in wanted:
            wanted.remove(row.body_id)
        else:
            session.delete(row)
    for body_id in wanted:
        session.add(SourceAddressee(source_id=source.id, body_id=body_id))
    # The first addressee stays on the source itself, for the lists that show one.
    source.addressee_id = body_ids[0] if body_ids else None
    session.add(source)
    session.flush()
    if source.kind == SourceKind.AUDIT_REPORT:
        ensure_responses(session, source)


def update_source(
    session: Session, source: Source, *, version: int | None, values: dict, addressees: list[int]
) -> Source:
    """Change a source read at a version and make its addressees these (ConflictError if stale)."""
    update_row(session, source, version=version, values=values)
    set_addressees(session, source, addressees)
    return source


def ensure_responses(session: Session, source: Source) -> list[Response]:
    """Give every addressee of an audit report its response, due when the report says."""
    existing = {
        response.body_id: response
        for response in session.exec(select(Response).where(Response.source_id == source.id))
    }
    for body in addressees_of(session, source.id):
        if body.id not in existing:
            response = Response(
                source_id=source.id, body_id=body.id, response_due=source.response_due
            )
            session.add(response)
            existing[body.id] = response
    session.flush()
    return list(existing.values())


def responses_of(session: Session, source_id: int) -> list[tuple[Response, Body]]:
    """Return a source's responses with their bodies."""
    query = (
        select(Response, Body)
        .join(Body, Response.body_id == Body.id)
        .where(Response.source_id == source_id)
        .order_by(Body.name)
    )
    return list(session.exec(query))


def secretary_names(session: Session, body_ids: list[int]) -> dict[int, list[str]]:
    """Return the names of each body's secretaries, who are told while nobody drafts."""
    found: dict[int, list[str]] = {}
    if body_ids:
        rows = session.exec(
            select(BodySecretary.body_id, User.name)
            .join(User, BodySecretary.user_id == User.id)
            .where(BodySecretary.body_id.in_(body_ids))
            .order_by(User.name)
        )
        for body_id, name in rows:
            found.setdefault(body_id, []).append(name)
    return found


def response_for(session: Session, source: Source, *, body_id: int | None) -> Response | None:
    """Return the response of one addressee (the first if none is named), unsaved if new."""
    body_id = body_id or source.addressee_id
    if body_id is None or session.get(Body, body_id) is None:
        return None
    query = select(Response).where(Response.source_id == source.id, Response.body_id == body_id)
    response = session.exec(query).first()
    if response is None:
        # Not stored: a draft for a report registered before responses were records.
        response = Response(
            source_id=source.id,
            body_id=body_id,
            response_due=source.response_due,
        )
    return response


class MissingPositions(ResponseError):
    """Adoption refused: some recommendations have no position yet."""

    def __init__(self, recommendations: list[Recommendation]):
        self.recommendations = recommendations
        numbers = ", ".join(item.number or str(item.id) for item in recommendations)
        super().__init__(
            _(
                "Take a position on every recommendation before adopting: "
                "none is taken on recommendation %(numbers)s.",
                numbers=numbers,
            )
        )


def _refuse_if_adopted(response: Response) -> None:
    if response.status in FINISHED:
        raise ResponseError(_("The response is adopted and can no longer be changed."))


def update_response(
    session: Session,
    response: Response,
    *,
    version: int | None,
    values: dict,
    answers: dict[int, tuple[str, str]],
) -> Response:
    """Change a response's draft read at a version and its answers (ConflictError if stale)."""
    update_row(session, response, version=version, values=values)
    save_answers(session, response, answers)
    return response


def save_answers(session: Session, response: Response, answers: dict[int, tuple[str, str]]) -> None:
    """Store the position and answer text given for each recommendation id."""
    _refuse_if_adopted(response)
    positions = {
        row.recommendation_id: row
        for row in session.exec(
            select(ResponsePosition).where(ResponsePosition.response_id == response.id)
        )
    }
    for recommendation_id, (position, answer) in answers.items():
        row = positions.get(recommendation_id)
        if row is None:
            if not (position or answer.strip()):
                continue
            row = ResponsePosition(response_id=response.id, recommendation_id=recommendation_id)
        row.position = position or ""
        row.answer = answer.strip()
        session.add(row)
    if response.status == ResponseStatus.NOT_STARTED:
        response.status = ResponseStatus.DRAFTING
    response.updated_at = utcnow()
    session.add(response)
    session.flush()


def promise_measure(
    session: Session,
    response: Response,
    *,
    recommendation_id: int,
    title: str,
    owner_id: int | None,
    due_date: date | None,
) -> Measure:
    """Add a measure that the answer to one recommendation promises, and follow it up."""
    _refuse_if_adopted(response)
    recommendation = session.get(Recommendation, recommendation_id)
    if recommendation is None or recommendation.source_id != response.source_id:
        raise ResponseError(_("Choose a recommendation of this report."))
    position = session.exec(
        select(ResponsePosition).where(
            ResponsePosition.response_id == response.id,
            ResponsePosition.recommendation_id == recommendation_id,
        )
    ).first()
    if position is None:
        position = ResponsePosition(response_id=response.id, recommendation_id=recommendation_id)
        session.add(position)
        session.flush()
    owner = session.get(User, owner_id) if owner_id else None
    measure = Measure(
        title=title.strip(),
        owner_id=owner_id,
        unit_id=owner.unit_id if owner else None,
        due_date=due_date,
        status=MeasureStatus.PLANNED,
        theme=recommendation.theme,
    )
    session.add(measure)
    session.flush()
    session.add(RecommendationMeasure(recommendation_id=recommendation_id, measure_id=measure.id))
    session.add(PromisedMeasure(position_id=position.id, measure_id=measure.id))
    session.flush()
    return measure


def is_frozen(response: Response) -> bool:
    """Tell whether the answer was adopted and frozen: it then carries its fingerprint."""
    return bool(response.fingerprint)


def is_intact(response: Response) -> bool:
    """Tell whether an adopted answer still matches its fingerprint."""
    return is_frozen(response) and fingerprint_of(response.snapshot) == response.fingerprint


def adopt(
    session: Session,
    response: Response,
    *,
    adopted_on: date,
    paragraph: str,
    dnr: str,
    decision_text: str,
    user: User,
) -> Response:
    """Record the body's decision that adopts the answer, then freeze and fingerprint it."""
    _refuse_if_adopted(response)
    missing = [
        answer.recommendation
        for answer in answers_of(session, response)
        if not (answer.position and answer.position.position)
    ]
    if missing:
        raise MissingPositions(missing)
    response.adopted_on = adopted_on
    response.paragraph = paragraph.strip().lstrip("§").strip()
    response.dnr = dnr.strip()
    response.decision_text = decision_text.strip()
    response.status = ResponseStatus.ADOPTED
    response.adopted_by_id = user.id
    response.snapshot = snapshot_of(session, response)
    response.fingerprint = fingerprint_of(response.snapshot)
    response.updated_at = utcnow()
    session.add(response)
    session.flush()
    return response


def position_label_sv(position: str) -> str:
    """Return a position as Swedish boards write it, whatever the reader's language."""
    return {
        Position.AGREES: "Instämmer",
        Position.PARTLY_AGREES: "Instämmer delvis",
        Position.DISAGREES: "Instämmer inte",
    }.get(position, "")


@dataclass
class Finding:
    finding: ReviewFinding
    review: Source


def findings_on(session: Session, recommendation_id: int) -> list[Finding]:
    """Return the follow-up reviews' assessments of a recommendation, newest review first."""
    query = (
        select(ReviewFinding, Source)
        .join(Source, ReviewFinding.source_id == Source.id)
        .where(ReviewFinding.recommendation_id == recommendation_id)
        .order_by(Source.issued_on.desc().nulls_last(), Source.id.desc())
    )
    return [Finding(finding, review) for finding, review in session.exec(query)]


def findings_of(session: Session, source_id: int) -> list[tuple[ReviewFinding, Recommendation]]:
    """Return a follow-up review's findings with the recommendations they assess."""
    query = (
        select(ReviewFinding, Recommendation)
        .join(Recommendation, ReviewFinding.recommendation_id == Recommendation.id)
        .where(ReviewFinding.source_id == source_id)
        .order_by(Recommendation.id)
    )
    return list(session.exec(query))


def not_addressed_query():
    """Count the recommendations a latest follow-up review found not addressed, as a query."""
    latest = (
        select(ReviewFinding.recommendation_id, func.max(ReviewFinding.id).label("last"))
        .group_by(ReviewFinding.recommendation_id)
        .subquery()
    )
    return (
        select(func.count())
        .select_from(ReviewFinding)
        .join(latest, latest.c.last == ReviewFinding.id)
        .where(ReviewFinding.assessment == Assessment.NOT_ADDRESSED)
    )


def not_addressed_count(session: Session) -> int:
    """Count the recommendations whose latest follow-up review found them not addressed."""
    return session.exec(not_addressed_query()).one()


def answers_on_item(session: Session, recommendation_id: int) -> list[BodyAnswer]:
    """Return what each addressed body answered on one item, for the item's page."""
    return answers_on(session, [recommendation_id])[recommendation_id]
