"""schemathesis sends requests made from the OpenAPI description to the app in-process: no
answer is a server error, and every status, media type and body matches the description."""

from datetime import date

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tracker.api.tokens import create_token
from tracker.auth.services import create_user
from tracker.db import get_session
from tracker.models import (
    Body,
    DecisionReference,
    Indicator,
    Measure,
    Meeting,
    Outcome,
    Recommendation,
    RecommendationMeasure,
    Source,
    StatusUpdate,
)

# Enough to reach every operation with valid and near-edge data, few enough to stay quick.
EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _world(session) -> str:
    """Make one row of each kind the API serves, with ids from 1; return an admin's token."""
    admin = create_user(session, email="api@region.example", name="API", role="admin")
    body = Body(code="RS", name="Regionstyrelsen")
    session.add(body)
    session.flush()
    meeting = Meeting(body_id=body.id, held_on=date(2030, 3, 1))
    session.add(meeting)
    session.flush()
    source = Source(kind="audit_report", title="Granskning av läkemedel", addressee_id=body.id)
    session.add(source)
    session.flush()
    recommendation = Recommendation(
        source_id=source.id, kind="recommendation", text="Säkerställ rutiner.", due_meeting_id=1
    )
    measure = Measure(title="Ny rutin", due_date=date(2030, 1, 31), owner_id=admin.id)
    indicator = Indicator(code="TEL", name="Telefontillgänglighet", perspective="citizens")
    session.add_all([recommendation, measure, indicator])
    session.flush()
    session.add_all(
        [
            RecommendationMeasure(recommendation_id=recommendation.id, measure_id=measure.id),
            DecisionReference(
                recommendation_id=recommendation.id,
                body_id=body.id,
                decided_on=date(2017, 3, 1),
                paragraph="52",
            ),
            StatusUpdate(
                measure_id=measure.id, reported_on=date(2030, 1, 2), text="Start", status="ongoing"
            ),
            Outcome(indicator_id=indicator.id, year=2024, period="year", value=81),
        ]
    )
    _row, token = create_token(session, admin, name="schemathesis", expires_on=None)
    session.commit()
    return token


def test_the_api_answers_as_its_description_says(app):
    app.config["API_RATE_LIMIT"] = "1000000/minute"
    # The world is made in an app context of its own, ended before any request: requests
    # must each get their own context and database session, as in production.
    with app.app_context():
        token = _world(get_session())
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 23

    seen: dict[str, set[int]] = {}

    # One hypothesis run per operation: schemathesis' pytest plugin does not run on pytest 9.2.
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_described(case):
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            seen.setdefault(case.operation.label, set()).add(response.status_code)

        answers_as_described()

    # The generated requests reached the services: reads found rows, and writes were made.
    print(seen)
    assert 200 in seen["GET /api/v1/recommendations/{recommendation_id}"]
    assert all(201 in seen[f"POST /api/v1/{kind}"] for kind in ("sources", "measures"))
