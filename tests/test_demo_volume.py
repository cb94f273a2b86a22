"""`flask demo-data` fills every table the pages read, and no page grows with the data."""

from sqlalchemy import func, select
from sqlmodel import SQLModel

from tests.conftest import _empty
from tests.test_demo_data import _demo, _sign_in
from tracker.demo.volumes import ADMIN_EMAIL, DOMAIN, SECRETARY_EMAIL
from tracker.followup.services import report

# Tables the demo leaves empty, each with why: rows only a person or a job makes, or that no
# page joins when it lists items.
NOT_FILLED = {
    "answerlink": "made when a reminder mail goes out; only its own link's page reads it",
    "apitoken": "a person's own tokens, made on the account page; no list joins them",
    "deputy": "a person names a deputy for an absence; the start page reads one person's row",
    "keptlist": "a secretary keeps a list for a meeting; its page reads one row",
    "reminder": "written by the reminder job, which the bench runs on its own",
    "reminderrun": "written by the reminder job, which the bench runs on its own",
    "sourceattachment": "an uploaded PDF or Word file; the demo has no files",
    "thresholdassignment": "made when a threshold rule is run on new outcomes",
    "mark": "a secretary marks a row secret or as personal data; the demo publishes all",
    "signin": "written by each sign-in; only the administrator's log page reads it",
    "groupmapping": "the identity provider's groups, set by an administrator; no list joins it",
    "body_member": "an elected member's bodies, set by an administrator or the provider",
}
VIEWER_EMAIL = f"lasare1@{DOMAIN}"
# An ordinary owner: as many own items at every scale. The busy owners (agare1-5) get more
# open items as the scale grows (up to 60 from scale 0.3), so their pages grow with their own
# work, which the query-count test covers; here only the region's growth is bounded.
OWNER_EMAIL = f"agare50@{DOMAIN}"
# Pages a user lists items on; each must stay the same size as the data grows fourfold.
PAGES = [
    (SECRETARY_EMAIL, "/"),
    (ADMIN_EMAIL, "/"),
    (OWNER_EMAIL, "/"),
    (VIEWER_EMAIL, "/"),
    (SECRETARY_EMAIL, "/follow-up"),
    (SECRETARY_EMAIL, "/follow-up?status=any"),
    (SECRETARY_EMAIL, "/recommendations/"),
    (SECRETARY_EMAIL, "/measures/"),
    (SECRETARY_EMAIL, "/search?q=tillgänglighet"),
    (SECRETARY_EMAIL, "/indicators/"),
    (OWNER_EMAIL, "/my-work"),
]
# A page may grow by its counts and dates, not by its rows: 1.5 times at four times the data.
GROWTH = 1.5


def test_demo_data_leaves_no_table_the_pages_read_empty(app, session):
    _demo(app, 0.01)
    empty = []
    for table in SQLModel.metadata.sorted_tables:
        if table.name in NOT_FILLED:
            continue
        if not session.execute(select(func.count()).select_from(table)).scalar():
            empty.append(table.name)
    assert empty == []


def _sizes(app) -> dict[tuple[str, str], int]:
    clients = {}
    sizes = {}
    for email, url in PAGES:
        if email not in clients:
            clients[email] = _sign_in(app.test_client(), email)
        response = clients[email].get(url)
        assert response.status_code == 200, (email, url)
        sizes[email, url] = len(response.get_data())
    return sizes


def test_no_page_grows_with_the_data(app, session, monkeypatch):
    # Pages short enough that every paged list fills its first page at both scales: a list
    # that grows past its page size is one that is not paged.
    app.config["PAGE_SIZE"] = 10
    monkeypatch.setattr(report, "PAGE_SIZE", 20)
    _demo(app, 0.05)
    small = _sizes(app)
    session.rollback()  # PostgreSQL's TRUNCATE waits for every open transaction
    _empty(app.extensions["tracker.engine"])
    _demo(app, 0.2)
    large = _sizes(app)
    grown = {
        page: (small[page], large[page]) for page in PAGES if large[page] > GROWTH * small[page]
    }
    assert grown == {}
