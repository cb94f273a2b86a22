"""An owner reads the items of their unit and those they own measures on: one walk of everything."""

import json
import re
from datetime import date

import pytest
from flask_login import login_user

from tests.test_restricted import _signed_in, leaked, opened
from tracker.dates import today
from tracker.followup.services.criteria import Criteria
from tracker.followup.services.kept_lists import keep_list
from tracker.followup.services.report import build_report
from tracker.models import Indicator, MeasureIndicator, Response, StatusUpdate, UserUnit

# Unit A's item: the owner's unit.
OURS = "Hemtjänstens bemanning"
# In unit B: an item with a measure the owner owns, and one that is not theirs in any way.
OWNED_THERE = "Ambulansens journalföring"
OWNED_MEASURE = "Ny journalmall"
NOT_OURS = "Ambulansens larmtider"
NOT_OURS_MEASURE = "Upphandla larmcentral"
NOT_OURS_UPDATE = "Larmcentralen utvärderas"
# A source in unit B with nothing of the owner's: not even its title is shown.
OTHER_SOURCE = "Granskning av tandvården"
OTHER_POINT = "Tandvårdens väntetider"
HIDDEN = (NOT_OURS, NOT_OURS_MEASURE, NOT_OURS_UPDATE, OTHER_SOURCE, OTHER_POINT)


@pytest.fixture
def units(app, make, session):
    """Return an owner of unit A, and the rows of units A and B."""
    hsn = make.body(code="HSN", name="Hälso- och sjukvårdsnämnden")
    unit_a, unit_b = make.unit("Hemtjänsten"), make.unit("Ambulansen")
    owner = make.user("owner", name="Olle Ägare", unit_id=unit_a.id)
    colleague = make.user("owner", name="Berit Ambulans", unit_id=unit_b.id)
    secretary = make.user("secretary", name="Sara Sekreterare")
    # Received this year: the year's annual report lists them.
    received = date(today().year, 1, 10)
    ours = make.source(title="Granskning av hemtjänsten", addressee_id=hsn.id, issued_on=received)
    point = make.recommendation(ours, text=OURS, unit_id=unit_a.id, due_date=date(2030, 2, 1))
    theirs = make.source(title="Granskning av ambulansen", addressee_id=hsn.id, issued_on=received)
    owned = make.recommendation(
        theirs, text=OWNED_THERE, unit_id=unit_b.id, due_date=date(2030, 2, 1)
    )
    owned_measure = make.measure([owned], title=OWNED_MEASURE, owner_id=owner.id)
    other = make.recommendation(
        theirs,
        text=NOT_OURS,
        unit_id=unit_b.id,
        responsible_id=colleague.id,
        due_date=date(2030, 2, 1),
    )
    measure = make.measure(
        [other], title=NOT_OURS_MEASURE, owner_id=colleague.id, unit_id=unit_b.id
    )
    session.add(
        StatusUpdate(
            measure_id=measure.id,
            reported_on=date(2030, 1, 2),
            text=NOT_OURS_UPDATE,
            status="ongoing",
        )
    )
    elsewhere = make.source(title=OTHER_SOURCE, addressee_id=hsn.id, issued_on=received)
    make.recommendation(elsewhere, text=OTHER_POINT, unit_id=unit_b.id, due_date=date(2030, 2, 1))
    answer = Response(source_id=elsewhere.id, body_id=hsn.id, proposed_decision=OTHER_SOURCE)
    session.add(answer)
    # One indicator both measures aim to move: its page lists only the measure the owner reads.
    indicator = Indicator(code="AMB", name="Ambulansens svarstider", perspective="citizens")
    session.add(indicator)
    session.flush()
    for linked in (owned_measure, measure):
        session.add(MeasureIndicator(measure_id=linked.id, indicator_id=indicator.id))
    session.commit()
    meeting = make.meeting(hsn)
    other.due_meeting_id = meeting.id
    session.commit()
    with app.test_request_context():
        login_user(secretary)
        report = build_report(session, criteria=Criteria(), grouping="theme")
        kept = keep_list(session, report=report, meeting_id=meeting.id, params={}, user=secretary)
        session.commit()
    return {
        "owner": owner,
        "unit_b": unit_b,
        "point": point,
        "owned": owned,
        "owned_measure": owned_measure,
        "theirs": theirs,
        "other": other,
        "measure": measure,
        "elsewhere": elsewhere,
        "answer": answer,
        "kept": kept,
        "indicator": indicator,
    }


def _walk(client, rows, token: str, feed: str) -> dict[str, tuple[int, str]]:
    """Open every page, list, search, export, feed and API answer; return status and text."""
    pages = [
        "/",
        "/my-work",
        "/sources/",
        f"/sources/{rows['theirs'].id}",
        f"/sources/{rows['elsewhere'].id}",
        "/recommendations/",
        f"/recommendations/{rows['point'].id}",
        f"/recommendations/{rows['owned'].id}",
        f"/recommendations/{rows['other'].id}",
        "/measures/",
        f"/measures/{rows['owned_measure'].id}",
        f"/measures/{rows['measure'].id}",
        "/follow-up",
        "/follow-up?format=csv",
        "/follow-up?format=xlsx",
        "/follow-up?format=docx",
        f"/follow-up/kept/{rows['kept'].id}",
        f"/follow-up/kept/{rows['kept'].id}?format=csv",
        f"/meetings/{rows['kept'].meeting_id}",
        f"/indicators/{rows['indicator'].id}",
        f"/annual-report/?year={today().year}",
        f"/annual-report/?year={today().year}&format=xlsx",
        f"/responses/{rows['answer'].id}",
        "/search?q=Ambulansens",
        "/search?q=larmcentral",
        "/search?q=Larmcentralen",
        "/search?q=tandvården",
        "/search?q=Hemtjänstens",
        feed,
    ]
    return opened(
        client,
        pages,
        token,
        source_id=rows["elsewhere"].id,
        item_id=rows["other"].id,
        measure_id=rows["measure"].id,
    )


def test_an_owner_reads_their_units_items_and_those_they_own_measures_on(app, session, units):
    client, token, feed = _signed_in(app, session, units["owner"])
    walked = _walk(client, units, token, feed)
    leaks = leaked(walked, HIDDEN)
    assert leaks == [], f"the owner of unit A sees unit B's item in: {leaks}"
    for url in (
        f"/sources/{units['elsewhere'].id}",
        f"/recommendations/{units['other'].id}",
        f"/measures/{units['measure'].id}",
        f"/responses/{units['answer'].id}",
        f"/api/v1/sources/{units['elsewhere'].id}",
        f"/api/v1/recommendations/{units['other'].id}",
        f"/api/v1/measures/{units['measure'].id}",
    ):
        assert walked[url][0] == 404, url
    # Their unit's item, and the item in unit B they own a measure on, everywhere.
    for url in (
        "/recommendations/",
        "/follow-up",
        "/follow-up?format=xlsx",
        f"/annual-report/?year={today().year}&format=xlsx",
        "/api/v1/recommendations",
    ):
        status, text = walked[url]
        assert status == 200 and OURS in text and OWNED_THERE in text, url
    assert OWNED_THERE in walked[f"/sources/{units['theirs'].id}"][1]
    assert (
        OWNED_MEASURE in walked["/measures/"][1] and OWNED_MEASURE in walked["/api/v1/measures"][1]
    )
    # A hit's words are marked: read the page's text without its tags.
    assert OURS in re.sub("<[^>]+>", "", walked["/search?q=Hemtjänstens"][1])
    assert OWNED_THERE in re.sub("<[^>]+>", "", walked["/search?q=Ambulansens"][1])
    assert OURS in walked[f"/follow-up/kept/{units['kept'].id}"][1]
    assert OWNED_MEASURE in walked[f"/indicators/{units['indicator'].id}"][1]


def test_a_unit_from_the_owners_groups_is_theirs_too(app, session, units):
    # Signing in through the provider gives every unit of the person's groups (tests/test_oidc.py).
    session.add(UserUnit(user_id=units["owner"].id, unit_id=units["unit_b"].id))
    session.commit()
    client, token, _feed = _signed_in(app, session, units["owner"])
    assert NOT_OURS in client.get("/recommendations/").get_data(as_text=True)
    assert client.get(f"/measures/{units['measure'].id}").status_code == 200
    # The source with only unit B's items is theirs now.
    headers = {"Authorization": f"Bearer {token}"}
    listed = client.get("/api/v1/sources", headers=headers).get_data(as_text=True)
    assert OTHER_SOURCE in json.dumps(json.loads(listed), ensure_ascii=False)


def test_everyone_else_reads_every_unit(app, session, make, units):
    for role in ("admin", "secretary", "viewer", "auditor"):
        client, _token, _feed = _signed_in(app, session, make.user(role))
        listed = client.get("/recommendations/").get_data(as_text=True)
        assert NOT_OURS in listed and OTHER_POINT in listed and OURS in listed, role
