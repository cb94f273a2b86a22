"""Reminders and digests of a restricted source reach only those who may see it (issue 28)."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from tests import reminders_support
from tests.reminders_support import bodies
from tests.test_reminders import person, reminders_began, run
from tracker.models import BodySecretary, Deputy

inbox = reminders_support.inbox

MONDAY = date(2021, 5, 24)  # a digest day
SECRET_POINT = "Lönesättningen för enskilda chefer ses över"
SECRET_MEASURE = "Genomgång av lönesättning"
INSIDE_MEASURE = "Ny lönepolicy för chefer"
OPEN_POINT = "Kortare köer till vårdcentralerna"
OPEN_MEASURE = "Uppföljning av köerna"


@pytest.fixture
def restricted(make, session):
    """A restricted HSN report: its responsible, HSN's secretary, an outsider and a manager."""
    hsn = make.body("HSN", "Hälso- och sjukvårdsnämnden")
    make.body("RS", "Regionstyrelsen")
    manager = person(make, session, name="Chef Utanför", language="en", digest=False)
    unit = make.unit("Division Nära", manager_id=manager.id)
    responsible = person(
        make, session, name="Ansvarig Ägare", unit_id=unit.id, language="en", digest=False
    )
    secretary = person(make, session, "secretary", name="Hanna HSN", language="en")
    outsider = person(make, session, name="Olle Utanför", language="en")
    session.add(BodySecretary(body_id=hsn.id, user_id=secretary.id))
    secret = make.source(title="Personalärendegranskning", addressee_id=hsn.id, restricted=True)
    # Past the escalation day: the responsible's manager would be told, were it not restricted.
    point = make.recommendation(
        secret,
        text=SECRET_POINT,
        due_date=MONDAY - timedelta(days=15),
        responsible_id=responsible.id,
        unit_id=unit.id,
    )
    make.measure([point], title=SECRET_MEASURE, owner_id=outsider.id, due_date=MONDAY)
    make.measure([point], title=INSIDE_MEASURE, owner_id=secretary.id, due_date=MONDAY)
    # The same people on an open report: they are told of it, so the run does reach them.
    shown = make.source(title="Granskning av vårdköer", addressee_id=hsn.id)
    other = make.recommendation(
        shown,
        text=OPEN_POINT,
        due_date=MONDAY - timedelta(days=15),
        responsible_id=responsible.id,
        unit_id=unit.id,
    )
    make.measure([other], title=OPEN_MEASURE, owner_id=outsider.id, due_date=MONDAY)
    reminders_began(session, MONDAY - timedelta(days=30))
    return SimpleNamespace(
        responsible=responsible, secretary=secretary, outsider=outsider, manager=manager
    )


def _read(inbox, user, *, digest=False) -> str:
    """Return all a person reads in their reminders (or digests): subjects and both parts."""
    mails = inbox.to(user.email, digest=digest)
    return "\n".join(mail["Subject"] + "\n" + "\n".join(bodies(mail)) for mail in mails)


def test_a_restricted_item_is_left_out_of_the_mail_of_whom_may_not_see_it(restricted, inbox):
    outcomes = run(MONDAY)
    assert all(outcome.sent for outcome in outcomes)
    people = restricted

    # The outsider owns a measure on it but answers for none of its items: not told of it.
    outsider = _read(inbox, people.outsider)
    assert OPEN_MEASURE in outsider
    assert SECRET_MEASURE not in outsider
    digest = _read(inbox, people.outsider, digest=True)
    assert OPEN_MEASURE in digest
    assert SECRET_MEASURE not in digest
    assert "Personalärendegranskning" not in outsider + digest
    # The manager of the responsible's unit is outside HSN: the escalation of the open item only.
    manager = _read(inbox, people.manager)
    assert "Granskning av vårdköer" in manager
    assert "Personalärendegranskning" not in manager
    assert len(inbox.to(people.manager.email)) == 1


def test_a_restricted_item_is_in_the_mail_of_whom_may_see_it(restricted, inbox):
    run(MONDAY)
    people = restricted

    # The person answering for the item, and the secretary of the body it is addressed to.
    responsible = _read(inbox, people.responsible)
    assert "Personalärendegranskning" in responsible
    assert SECRET_POINT in responsible
    secretary = _read(inbox, people.secretary)
    assert INSIDE_MEASURE in secretary
    assert INSIDE_MEASURE in _read(inbox, people.secretary, digest=True)


def test_a_deputy_outside_the_body_is_told_only_of_the_open_item(restricted, session, inbox):
    people = restricted
    # The responsible is away; the outsider stands in and gets their reminders "för" them.
    session.add(
        Deputy(
            user_id=people.responsible.id,
            deputy_id=people.outsider.id,
            starts_on=MONDAY - timedelta(days=3),
            ends_on=MONDAY + timedelta(days=3),
        )
    )
    session.commit()

    run(MONDAY)

    standing_in = [
        mail for mail in inbox.to(people.outsider.email) if "Ansvarig Ägare" in mail["Subject"]
    ]
    text = "\n".join(mail["Subject"] + "\n".join(bodies(mail)) for mail in standing_in)
    assert OPEN_POINT in text
    assert SECRET_POINT not in text
    assert "Personalärendegranskning" not in _read(inbox, people.outsider)
    assert inbox.to(people.responsible.email) == []
