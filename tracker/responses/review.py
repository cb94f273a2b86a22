"""The auditors' follow-up review: its findings on the recommendations of an earlier report."""

from dataclasses import dataclass

from flask import request
from flask_babel import gettext as _
from sqlmodel import Session, func, select

from tracker import labels
from tracker.i18n import swedish_choices
from tracker.models import Assessment, Recommendation, ReviewFinding, Source
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
    """Return the count of recommendations whose latest follow-up review found them not
    addressed, as a query the start page reads with its other counts."""
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
