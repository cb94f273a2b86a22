"""`flask demo-data` at a tiny scale, and at most 12 queries per page at two data sizes."""

import hashlib

import pytest
from sqlalchemy import event, func, select, text

from tests.conftest import CSRF, _empty
from tracker.demo.volumes import BUSY_OWNER_EMAIL, SECRETARY_EMAIL
from tracker.models import (
    Indicator,
    Measure,
    Recommendation,
    RecommendationMeasure,
    StatusUpdate,
    User,
)

PASSWORD = "demolösenord 1"
MAX_QUERIES = 12


def _demo(app, scale: float, seed: int = 1):
    result = app.test_cli_runner().invoke(
        args=["demo-data", "--scale", str(scale), "--seed", str(seed)],
        env={"TRACKER_DEMO_PASSWORD": PASSWORD},
    )
    assert result.exit_code == 0, result.output
    return result.output


def _digest(session) -> str:
    rows = session.execute(
        select(
            Recommendation.id, Recommendation.text, Recommendation.status, Recommendation.due_date
        ).order_by(Recommendation.id)
    ).all()
    rows += session.execute(
        select(Measure.id, Measure.title, Measure.owner_id, Measure.due_date).order_by(Measure.id)
    ).all()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _sign_in(client, email: str):
    client.token = None
    page = client.get("/login").get_data(as_text=True)
    response = client.post(
        "/login",
        data={"csrf_token": CSRF.search(page).group(1), "email": email, "password": PASSWORD},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    client.token = None
    return client


def test_demo_data_fills_the_scaled_volumes_with_a_tenth_open(app, session, client):
    output = _demo(app, 0.005)
    assert "recommendation: 20\n" in output and "measure: 100\n" in output
    assert "statusupdate: 1000\n" in output
    counts = session.execute(select(Measure.status, func.count()).group_by(Measure.status)).all()
    open_measures = sum(n for status, n in counts if status in ("planned", "ongoing", "postponed"))
    assert 2 <= open_measures <= 25
    assert session.execute(select(func.count()).select_from(StatusUpdate)).scalar() == 1000
    # The texts are Swedish and found by the search page, signed in as a demo user.
    _sign_in(client, SECRETARY_EMAIL)
    page = client.get("/search?q=tillgänglighet").get_data(as_text=True)
    assert "tillgänglighet" in page.lower() and "/measures/" in page


def test_demo_data_is_the_same_for_the_same_seed_and_refuses_a_full_database(app, session):
    _demo(app, 0.003, seed=7)
    first = _digest(session)
    again = app.test_cli_runner().invoke(args=["demo-data", "--scale", "0.003"])
    assert again.exit_code != 0 and "empty database" in again.output
    session.rollback()  # PostgreSQL's TRUNCATE waits for every open transaction
    _empty(app.extensions["tracker.engine"])
    _demo(app, 0.003, seed=7)
    assert _digest(session) == first
    session.rollback()  # PostgreSQL's TRUNCATE waits for every open transaction
    _empty(app.extensions["tracker.engine"])
    _demo(app, 0.003, seed=8)
    assert _digest(session) != first


def _pages(session, email: str) -> list[str]:
    # The busy owner reads their own items (decision 0028): the first measure they own and the
    # first item it answers; the secretary reads every item.
    owner = session.execute(select(User.id).where(User.email == email, User.role == "owner"))
    owner = owner.scalar()
    measures = select(func.min(Measure.id))
    items = select(func.min(Recommendation.id))
    if owner:
        measures = measures.where(Measure.owner_id == owner)
    measure = session.execute(measures).scalar()
    if owner:
        answered = select(RecommendationMeasure.recommendation_id).where(
            RecommendationMeasure.measure_id == measure
        )
        items = items.where(Recommendation.id.in_(answered))
    recommendation = session.execute(items).scalar()
    indicator = session.execute(select(func.min(Indicator.id))).scalar()
    return [
        "/",
        "/recommendations/",
        "/measures/",
        "/follow-up",
        "/follow-up?status=any",
        "/indicators/",
        "/search?q=tillgänglighet",
        "/my-work",
        f"/recommendations/{recommendation}",
        f"/measures/{measure}",
        f"/indicators/{indicator}",
    ]


@pytest.mark.parametrize("scale", [0.002, 0.02])
def test_every_page_runs_at_most_12_queries_at_two_data_sizes(app, session, scale):
    _demo(app, scale)
    engine = app.extensions["tracker.engine"]
    statements = []

    def count(_conn, _cursor, statement, *_args):
        # SQLite's BEGIN is sent as a statement; PostgreSQL's is implicit: neither is a query.
        if statement != "BEGIN":
            statements.append(statement)

    over = []
    for email in (SECRETARY_EMAIL, BUSY_OWNER_EMAIL):
        client = _sign_in(app.test_client(), email)
        for url in _pages(session, email):
            statements.clear()
            event.listen(engine, "before_cursor_execute", count)
            try:
                response = client.get(url)
            finally:
                event.remove(engine, "before_cursor_execute", count)
            assert response.status_code == 200, url
            if len(statements) > MAX_QUERIES:
                over.append((url, email, len(statements), statements))
    assert not over
    assert session.execute(text("SELECT count(*) FROM search_index")).scalar() > 0
