"""Closing: a body's decision on one or more items, with its evidence."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from tracker import evidence
from tracker.auth.visibility import item_visible
from tracker.changelog import set_reason
from tracker.models import (
    CLOSED_RECOMMENDATION_STATUSES,
    Body,
    ClosedItem,
    ClosingDecision,
    Recommendation,
    RecommendationStatus,
    User,
)
from tracker.recommendations.services import format_reference, with_dnr
from tracker.status_updates import post_status_update

# What each of the boards' closing formulas does to the items: closes them, or keeps them
# followed (measures still ongoing).
FORMULA_OUTCOMES = {
    "answered": RecommendationStatus.CLOSED,
    "filed": RecommendationStatus.CLOSED,
    "approve_ongoing": RecommendationStatus.IN_PROGRESS,
}


class CloseError(ValueError):
    """The items cannot be closed as asked; the message says why."""


def closable_items(session: Session, ids: list[int]) -> list[Recommendation]:
    """Return the recommendations with these ids, in list order."""
    if not ids:
        return []
    # An item the user may not see is not offered (a restricted one, for someone outside).
    query = (
        select(Recommendation)
        .where(Recommendation.id.in_(ids), item_visible())
        .order_by(Recommendation.source_id, Recommendation.id)
    )
    return list(session.exec(query))


def close_items(
    session: Session,
    *,
    recommendation_ids: list[int],
    outcome: str,
    body_id: int,
    decided_on: date,
    paragraph: str,
    text: str,
    user: User,
    evidence=None,
    formula: str = "",
    dnr: str = "",
) -> ClosingDecision:
    """Record one decision and close every item with it, each with a status update.

    A board's formula decides the outcome: some keep the items followed instead.
    Raise CloseError if an item is unknown or already closed.
    """
    if formula:
        outcome = FORMULA_OUTCOMES.get(formula, "")
    if outcome not in (*CLOSED_RECOMMENDATION_STATUSES, *FORMULA_OUTCOMES.values()):
        raise CloseError(_("Choose how the decision closes the items."))
    body = session.get(Body, body_id)
    if body is None:
        raise CloseError(_("Choose the body that decided."))
    items = closable_items(session, list(dict.fromkeys(recommendation_ids)))
    if not items or len(items) != len(set(recommendation_ids)):
        raise CloseError(_("Choose at least one item that exists."))
    closed = [item for item in items if item.status in CLOSED_RECOMMENDATION_STATUSES]
    if closed:
        raise CloseError(
            _(
                "Already closed: %(items)s. Leave them out, or reopen them with a status update.",
                items=", ".join(f"“{item.text[:60]}”" for item in closed),
            )
        )
    decision = ClosingDecision(
        body_id=body.id,
        decided_on=decided_on,
        paragraph=paragraph.strip(),
        dnr=dnr.strip(),
        formula=formula,
        outcome=outcome,
        text=text.strip(),
        recorded_by_id=user.id,
    )
    if evidence is not None:
        decision.evidence_name = evidence.name
        decision.evidence_file = evidence.file
        decision.evidence_type = evidence.media_type
        decision.evidence_size = evidence.size
    session.add(decision)
    session.flush()
    reference = with_dnr(format_reference(body.code, decided_on, decision.paragraph), decision.dnr)
    for item in items:
        session.add(ClosedItem(decision_id=decision.id, recommendation_id=item.id))
        # The reason goes on this item's log rows: its status change and its link.
        set_reason(session, _("Closed by decision %(reference)s", reference=reference))
        post_status_update(
            session,
            item,
            author=user,
            text=_("Decision %(reference)s: %(text)s", reference=reference, text=decision.text),
            status=outcome,
            reported_on=decided_on,
        )
    return decision


def record_decision(session: Session, *, upload=None, **decision) -> ClosingDecision:
    """Store the evidence, record the decision and commit; on a problem, keep nothing.

    upload is the evidence file as sent (a name and a stream), or None; decision holds
    close_items' arguments. Raise EvidenceError for the file and CloseError for the items.
    """
    stored = None
    if upload:
        data = evidence.read_upload(upload.stream, evidence.max_bytes())
        stored = evidence.store_evidence(upload.filename, data)
    try:
        recorded = close_items(session, evidence=stored, **decision)
        session.commit()
    except StaleDataError:
        session.rollback()
        evidence.discard(stored)
        raise CloseError(
            _("Someone else changed these items just now. Send the form again.")
        ) from None
    except Exception:
        session.rollback()
        evidence.discard(stored)
        raise
    return recorded


@dataclass
class DecisionView:
    decision: ClosingDecision
    reference: str
    body: Body
    recorded_by: str
    items: list[Recommendation] = field(default_factory=list)


def decision_view(session: Session, decision: ClosingDecision) -> DecisionView:
    """Return a decision with its body, reference, recorder and the items it closed."""
    body = session.get(Body, decision.body_id)
    recorder = decision.recorded_by_id and session.get(User, decision.recorded_by_id)
    items = session.exec(
        select(Recommendation)
        .join(ClosedItem, ClosedItem.recommendation_id == Recommendation.id)
        .where(ClosedItem.decision_id == decision.id)
        .order_by(Recommendation.source_id, Recommendation.id)
    ).all()
    return DecisionView(
        decision=decision,
        reference=with_dnr(
            format_reference(body.code, decision.decided_on, decision.paragraph), decision.dnr
        ),
        body=body,
        recorded_by=recorder.name if recorder else "",
        items=list(items),
    )
