"""The data that makes the crawl's pages wide and tells languages apart (tests/browser)."""

from datetime import timedelta

from sqlmodel import select

from tracker.api.spec import openapi
from tracker.api.tokens import create_token
from tracker.dates import today
from tracker.db import session_scope
from tracker.models import (
    Body,
    ClosingDecision,
    Indicator,
    Measure,
    Meeting,
    Outcome,
    Recommendation,
    RecommendationMeasure,
    Response,
    ResponsePosition,
    Source,
    StatusUpdate,
    ThresholdRule,
    Unit,
    User,
)


def overdue_due_date():
    """A due date that makes a measure overdue today."""
    return today() - timedelta(days=5)


def many_units(session) -> None:
    """Give the first indicator outcomes for many health centres, for August 2022."""
    indicator = session.exec(select(Indicator).order_by(Indicator.id)).first()
    for n in range(1, 16):
        unit = Unit(
            name=f"Hälsocentral Gällivare-Malmberget-Koskullskulle {n}", kind="health_centre"
        )
        session.add(unit)
        session.flush()
        session.add(
            Outcome(
                indicator_id=indicator.id,
                year=2022,
                period="T2",
                unit_id=unit.id,
                scope_id=unit.id,
                value=50.0 + n,
                women=55.5 + n,
                men=44.25 + n,
                note="Jan–aug, ackumulerat T1 och T2",
            )
        )


def crawler(server, role: str, language: str) -> User:
    """Create a user whose pages are wide: a long API token name, and work of their own."""
    user = server.user(role, language)
    with server.app.app_context(), session_scope() as session:
        # A name with no place to break, as people call their integrations.
        create_token(session, user, name=f"diariet-platina-integration-{user.id}", expires_on=None)
        item = session.exec(select(Recommendation).order_by(Recommendation.id)).first()
        measure = Measure(
            title="Införa en gemensam rutin för uppföljning av läkemedelsgenomgångar",
            owner_id=user.id,
            due_date=overdue_due_date(),
            status="ongoing",
        )
        session.add(measure)
        session.flush()
        session.add(RecommendationMeasure(recommendation_id=item.id, measure_id=measure.id))
        session.add(
            Recommendation(
                source_id=item.source_id,
                kind="assignment",
                # Each crawler's own words: test_reading finds two items of a report with
                # one title a defect, and every role and language has a crawler.
                text=f"Regiondirektören får i uppdrag {user.id} att redovisa tillgängligheten "
                "per enhet.",
                responsible_id=user.id,
                due_date=overdue_due_date(),
            )
        )
    return user


def document_markers(server) -> dict[str, list[str]]:
    """Return pieces of the texts a page shows in the other language, by the page's language.

    On an English page: the documents' Swedish, from the database. On a Swedish page: the
    API's English description. Each text gives pieces of 24 characters every 40, so that a
    shortened text or a search snippet still carries one.
    """
    columns = (
        Source.title,
        Recommendation.text,
        Recommendation.theme,
        Source.summary,
        Measure.title,
        Measure.theme,
        Measure.description,
        Measure.goal,
        Response.proposed_decision,
        Response.decision_text,
        StatusUpdate.text,
        ClosingDecision.text,
        ResponsePosition.answer,
        Indicator.name,
        Indicator.objective,
        ThresholdRule.text,
        Meeting.title,
    )
    with server.app.app_context(), session_scope() as session:
        swedish = [text for column in columns for text in session.exec(select(column))]
        # Names of bodies are proper names, which WCAG 3.1.2 leaves unmarked: a piece of a
        # text that is part of one ("Hälso- och sjukvårdsnämnden beslutar …") is no marker.
        names = list(session.exec(select(Body.name)))
        description = openapi()
    english = [description["info"].get("description", "")]
    for operations in description["paths"].values():
        for operation in operations.values():
            english.append(operation.get("summary", ""))
            english += [a.get("description", "") for a in operation["responses"].values()]
    english += [s.get("description", "") for s in description["components"]["schemas"].values()]
    swedish_pieces = [piece for piece in pieces(swedish) if not any(piece in n for n in names)]
    return {"en": swedish_pieces, "sv": pieces(english)}


def pieces(texts) -> list[str]:
    """Return pieces of 24 characters, every 40, of each text of 12 characters or more."""
    found = set()
    for text in texts:
        text = " ".join((text or "").split())
        if len(text) >= 12:
            found.update(text[start : start + 24] for start in range(0, len(text) - 11, 40))
    return sorted(found)
