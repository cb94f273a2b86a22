"""The bodies' answers on each recommendation, for the pages and lists that show items."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlmodel import Session, select

from tracker import labels
from tracker.models import Body, Response, ResponsePosition, ResponseStatus

# As in responses.services, which imports the follow-up list that imports this.
FINISHED = (ResponseStatus.ADOPTED, ResponseStatus.SENT)


@dataclass
class BodyAnswer:
    response_id: int
    body_id: int
    body: str  # "Regionstyrelsen"
    code: str  # "RS"
    position: str  # a Position, "" until taken
    response_due: date | None
    adopted_on: date | None
    paragraph: str
    dnr: str

    @property
    def adopted(self) -> bool:
        return self.adopted_on is not None

    def line(self) -> str:
        """Say in one line the body's position and the decision that adopted it."""
        position = labels.label(labels.POSITIONS, self.position) or _("no position taken")
        if not self.adopted:
            return _(
                "%(body)s: %(position)s (proposed; response due %(date)s)",
                body=self.body,
                position=position,
                date=self.response_due.isoformat() if self.response_due else "–",
            )
        return _(
            "%(body)s: %(position)s, adopted %(code)s %(date)s § %(paragraph)s, Dnr %(dnr)s",
            body=self.body,
            position=position,
            code=self.code,
            date=self.adopted_on.isoformat(),
            paragraph=self.paragraph,
            dnr=self.dnr or "–",
        )


def answers_on(
    session: Session, recommendation_ids: list[int], *, adopted_only: bool = False
) -> dict[int, list[BodyAnswer]]:
    """Return each recommendation's answers by body; one query."""
    found: dict[int, list[BodyAnswer]] = defaultdict(list)
    if not recommendation_ids:
        return found
    query = (
        select(ResponsePosition.recommendation_id, ResponsePosition.position, Response, Body)
        .join(Response, ResponsePosition.response_id == Response.id)
        .join(Body, Response.body_id == Body.id)
        .where(ResponsePosition.recommendation_id.in_(recommendation_ids))
        .order_by(Body.name)
    )
    if adopted_only:
        query = query.where(Response.status.in_(FINISHED))
    for recommendation_id, position, response, body in session.exec(query):
        found[recommendation_id].append(
            BodyAnswer(
                response.id,
                body.id,
                body.name,
                body.code,
                position,
                response.response_due,
                response.adopted_on if response.status in FINISHED else None,
                response.paragraph,
                response.dnr,
            )
        )
    return found


def answer_line(answers: list[BodyAnswer], body_id: int | None) -> str:
    """Return the adopted answer of the row's body (the only one when the row names none)."""
    chosen = [a for a in answers if a.adopted and (body_id is None or a.body_id == body_id)]
    if body_id is None and len(chosen) > 1:
        return "; ".join(answer.line() for answer in chosen)
    return chosen[0].line() if chosen else ""
