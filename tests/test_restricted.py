"""A restricted ("begränsad") source is seen only by its body's people: one walk of everything."""

import io
import json
from datetime import date

import pytest
from docx import Document
from flask_login import login_user
from openpyxl import load_workbook

from tests.conftest import PASSWORD
from tracker.api.tokens import create_token
from tracker.dates import today
from tracker.followup.services.criteria import Criteria
from tracker.followup.services.kept_lists import keep_list
from tracker.followup.services.report import build_report
from tracker.models import BodySecretary, Response, StatusUpdate
from tracker.reminders.calendar import renew_feed_token

SECRET = "Personalärendegranskning"
SECRET_POINT = "Lönesättningen för enskilda chefer"
SECRET_MEASURE = "Genomgång av lönesättning"
OPEN = "Granskning av vårdköer"


@pytest.fixture
def restricted(app, make, session):
    """Return HSN's secretary, an outsider (RS's secretary) and a reader, with the rows."""
    hsn = make.body(code="HSN", name="Hälso- och sjukvårdsnämnden")
    rs = make.body(code="RS", name="Regionstyrelsen")
    insider = make.user("secretary", name="Hanna HSN")
    outsider = make.user("secretary", name="Rolf RS")
    reader = make.user("viewer", name="Läsa Läsare")
    owner = make.user("owner", name="Olle Ägare")
    session.add(BodySecretary(body_id=hsn.id, user_id=insider.id))
    session.add(BodySecretary(body_id=rs.id, user_id=outsider.id))
    # Received this year: the year's annual report lists it.
    received = date(today().year, 1, 10)
    secret = make.source(title=SECRET, addressee_id=hsn.id, restricted=True, issued_on=received)
    point = make.recommendation(
        secret, text=SECRET_POINT, due_date=date(2030, 2, 1), responsible_id=insider.id
    )
    # The owner outside HSN owns its measure: not even their calendar shows it.
    measure = make.measure([point], title=SECRET_MEASURE, owner_id=owner.id)
    session.add(
        StatusUpdate(
            measure_id=measure.id,
            reported_on=date(2030, 1, 2),
            text=f"{SECRET_MEASURE} påbörjad",
            status="ongoing",
        )
    )
    shown = make.source(title=OPEN, addressee_id=hsn.id, issued_on=received)
    # The owner answers for a point of the open source: an owner reads what is theirs.
    make.recommendation(
        shown, text="Kortare köer", due_date=date(2030, 2, 1), responsible_id=owner.id
    )
    session.commit()
    meeting = make.meeting(hsn)
    # Due at HSN's meeting: the meeting's page lists it for its body's people only.
    point.due_meeting_id = meeting.id
    session.commit()
    kept = _keep(app, session, meeting, insider)
    answer = Response(source_id=secret.id, body_id=hsn.id, proposed_decision=SECRET)
    session.add(answer)
    session.commit()
    return {
        "kept": kept,
        "response": answer,
        "insider": insider,
        "outsider": outsider,
        "reader": reader,
        "owner": owner,
        "source": secret,
        "point": point,
        "measure": measure,
    }


def _keep(app, session, meeting, secretary):
    """Keep the follow-up list as HSN's secretary saw it: the restricted point is on it."""
    with app.test_request_context():
        login_user(secretary)
        report = build_report(session, criteria=Criteria(), grouping="theme")
        kept = keep_list(session, report=report, meeting_id=meeting.id, params={}, user=secretary)
        session.commit()
    assert SECRET_POINT in json.dumps(kept.snapshot, ensure_ascii=False)
    return kept


def _text(response) -> str:
    """Return what a person reads in the answer: a page, a CSV, an Excel or a Word file."""
    data = response.get_data()
    kind = response.mimetype
    if "spreadsheet" in kind:
        book = load_workbook(io.BytesIO(data), read_only=True)
        return " ".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    if "wordprocessing" in kind:
        document = Document(io.BytesIO(data))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return " ".join([p.text for p in document.paragraphs] + cells)
    if "json" in kind:
        # JSON escapes å and ö: read it back, so that a Swedish title is found as written.
        return json.dumps(json.loads(data), ensure_ascii=False)
    return data.decode()


def _walk(client, rows, token: str, feed: str) -> dict[str, tuple[int, str]]:
    """Open every page, list, search, export, feed and API answer; return status and text."""
    source, point, measure = rows["source"], rows["point"], rows["measure"]
    pages = [
        "/",
        "/my-work",
        "/sources/",
        "/sources/?q=Personal",
        f"/sources/{source.id}",
        "/recommendations/",
        f"/recommendations/{point.id}",
        "/measures/",
        f"/measures/{measure.id}",
        "/follow-up",
        "/follow-up?format=csv",
        "/follow-up?format=xlsx",
        "/follow-up?format=docx",
        f"/follow-up/kept/{rows['kept'].id}",
        f"/follow-up/kept/{rows['kept'].id}?format=csv",
        f"/meetings/{rows['kept'].meeting_id}",
        f"/follow-up/close?item={point.id}",
        f"/responses/{rows['response'].id}",
        f"/sources/{source.id}/response.docx",
        f"/annual-report/?year={today().year}",
        f"/annual-report/?year={today().year}&format=xlsx",
        "/search?q=Personalärende",
        f"/search?q={SECRET_POINT.split()[0]}",
        f"/search?q={SECRET_MEASURE.split()[0]}",
        feed,
    ]
    return opened(
        client, pages, token, source_id=source.id, item_id=point.id, measure_id=measure.id
    )


def leaked(walked: dict[str, tuple[int, str]], words) -> list[str]:
    """Return each opened address that shows one of the words, or failed, with the words shown."""
    return [
        f"{url} ({status}: {[word for word in words if word in text]})"
        for url, (status, text) in walked.items()
        if any(word in text for word in words) or status >= 500
    ]


def opened(client, pages, token, *, source_id, item_id, measure_id) -> dict[str, tuple[int, str]]:
    """Open the pages, then the API's lists and the given rows; return status and text of each."""
    seen = {url: client.get(url, follow_redirects=True) for url in pages}
    api = [
        "/api/v1/sources",
        f"/api/v1/sources/{source_id}",
        "/api/v1/recommendations",
        f"/api/v1/recommendations/{item_id}",
        "/api/v1/measures",
        f"/api/v1/measures/{measure_id}",
        "/api/v1/status-updates",
    ]
    headers = {"Authorization": f"Bearer {token}"}
    seen |= {url: client.get(url, headers=headers) for url in api}
    return {url: (response.status_code, _text(response)) for url, response in seen.items()}


def _signed_in(app, session, user):
    client = app.test_client()
    client.token = None
    response = client.submit("/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    client.token = None
    _row, token = create_token(session, user, name="Diariet", expires_on=None)
    feed = f"/calendar/{renew_feed_token(session, user)}.ics"
    session.commit()
    return client, token, feed


WORDS = (SECRET, SECRET_POINT, SECRET_MEASURE)


def test_a_restricted_source_is_in_nothing_a_person_outside_its_body_opens(
    app, session, restricted
):
    for who in ("outsider", "reader", "owner"):
        client, token, feed = _signed_in(app, session, restricted[who])
        walked = _walk(client, restricted, token, feed)
        leaks = leaked(walked, WORDS)
        assert leaks == [], f"{who} sees the restricted source in: {leaks}"
        # Its own pages and API rows are not there for them.
        for url in (
            f"/sources/{restricted['source'].id}",
            f"/recommendations/{restricted['point'].id}",
            f"/measures/{restricted['measure'].id}",
            f"/api/v1/sources/{restricted['source'].id}",
            f"/api/v1/recommendations/{restricted['point'].id}",
        ):
            assert walked[url][0] == 404, (who, url)
        # What is not restricted, they see.
        assert OPEN in walked["/sources/"][1] and OPEN in walked["/api/v1/sources"][1]


def test_the_bodys_secretary_sees_the_restricted_source_everywhere(app, session, restricted):
    client, token, feed = _signed_in(app, session, restricted["insider"])
    walked = _walk(client, restricted, token, feed)
    for url in (
        "/sources/",
        f"/sources/{restricted['source'].id}",
        "/recommendations/",
        "/follow-up",
        "/follow-up?format=csv",
        "/follow-up?format=xlsx",
        "/follow-up?format=docx",
        f"/follow-up/kept/{restricted['kept'].id}",
        f"/meetings/{restricted['kept'].meeting_id}",
        f"/annual-report/?year={today().year}",
        f"/responses/{restricted['response'].id}",
        "/search?q=Personalärende",
        "/api/v1/sources",
        "/api/v1/recommendations",
    ):
        status, text = walked[url]
        assert status == 200 and any(word in text for word in WORDS), url
    # Their calendar carries the point they answer for.
    assert SECRET in walked[feed][1]
