"""The finding form a follow-up review's page shows, and the finding it records."""

from flask import request
from flask_babel import gettext as _
from sqlmodel import Session, select

from tracker import labels
from tracker.i18n import swedish_choices
from tracker.models import Recommendation, ReviewFinding, Source
from tracker.responses.forms import FindingForm


def earlier_recommendations(session: Session, source: Source) -> list[Recommendation]:
    """Return the recommendations of the report that a follow-up review follows."""
    if not source.follows_id:
        return []
    query = (
        select(Recommendation)
        .where(Recommendation.source_id == source.follows_id)
        .order_by(Recommendation.id)
    )
    return list(session.exec(query))


def finding_form(session: Session, source: Source) -> FindingForm:
    """Return the finding form with the earlier report's recommendations to choose from."""
    form = FindingForm(formdata=request.form if request.method == "POST" else None)
    form.recommendation_id.choices = [("", _("Choose"))] + swedish_choices(
        (item.id, f"{item.number} {item.text[:100]}".strip())
        for item in earlier_recommendations(session, source)
    )
    form.assessment.choices = [("", _("Choose"))] + labels.choices(labels.ASSESSMENTS)
    return form


def record_finding(
    session: Session, source: Source, *, recommendation_id: int, assessment: str, text: str
) -> ReviewFinding:
    """Record (or correct) the review's assessment of one earlier recommendation."""
    finding = session.exec(
        select(ReviewFinding).where(
            ReviewFinding.source_id == source.id,
            ReviewFinding.recommendation_id == recommendation_id,
        )
    ).first() or ReviewFinding(source_id=source.id, recommendation_id=recommendation_id)
    finding.assessment = assessment
    finding.text = text.strip()
    session.add(finding)
    session.flush()
    return finding
