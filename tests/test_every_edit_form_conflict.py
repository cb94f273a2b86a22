"""Every edit form, found from the app's routes, resolves a conflict without losing a keystroke.

An edit form is any form a GET+POST route renders with a `version` field; a new one is found
here without being listed, and a route whose URL arguments the role tests' world cannot fill
fails the test until the world makes its row.
"""

import lxml.html
import pytest

from tests.conftest import PASSWORD
from tests.html_forms import rendered_forms
from tests.test_roles import _url, world  # noqa: F401 - the role tests' rows, one of each kind

# Fields a person types freely; others (dates, numbers, choices, e-mail) keep their value.
# Lookup boxes (autocomplete off) and numbers (inputmode) are not free text either.
TYPED = (
    "//textarea[@name] | //input[@name and (not(@type) or @type='text')"
    " and not(@inputmode) and not(@autocomplete='off')]"
)
NOT_TYPED = (
    "version",
    "csrf_token",
    "email",
    "dnr",
    "code",
    "unit",
    "value",
    "period",
    "references",
)


def _signed_in(app, user):
    client = app.test_client()
    assert client.submit("/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    client.token = None
    return client


# Forms that edit no row: signing in, and the reminder link's status update (appended, its
# credential the link: tests/test_answer_links.py).
NO_ROW = {"auth.login", "answers.answer"}


def _edit_routes(app) -> list:
    return sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if {"GET", "POST"} <= rule.methods and rule.endpoint not in NO_ROW
    )


def _edit_form(page: str, url: str):
    forms = [
        form
        for form in rendered_forms(page)
        if form.method == "post" and form.action.split("?")[0] in ("", url)
    ]
    # A new row's form carries an empty version: only a saved row can be in conflict.
    return next((form for form in forms if form.value("version")), None)


def _typed_names(page: str, url: str) -> list[str]:
    tree = lxml.html.fromstring(page)
    form = next(f for f in tree.forms if f.get("action", "").split("?")[0] in ("", url))
    names = {element.get("name") for element in form.xpath(TYPED.replace("//", ".//"))}
    return sorted(
        name
        for name in names
        if not any(part in name for part in NOT_TYPED) and "lookup" not in name
    )


def _typing(page: str, url: str, who: str) -> dict:
    form = _edit_form(page, url)
    data = form.data()
    for number, name in enumerate(_typed_names(page, url)):
        data[name] = f"{who} {number}"  # short: some fields hold 20 characters
    return data


@pytest.fixture
def edit_pages(app, world):  # noqa: F811 - the imported fixture
    users, args = world
    pages = {}
    admin = _signed_in(app, users["admin"])
    for endpoint in _edit_routes(app):
        url = _url(app, endpoint, args)  # a KeyError: add the route's row to the world
        page = admin.get(url)
        assert page.status_code == 200, (endpoint, page.status_code)
        if _edit_form(page.get_data(as_text=True), url) is not None:
            pages[endpoint] = url
    return users, pages


def test_every_edit_form_keeps_the_typed_text_through_a_conflict_and_then_saves(app, edit_pages):
    users, pages = edit_pages
    # The forms this test knows exist today; new ones join by themselves.
    assert {"responses.edit", "auth.settings", "measures.edit", "units.edit"} <= set(pages)
    for endpoint, url in pages.items():
        first, second = _signed_in(app, users["admin"]), _signed_in(app, users["admin"])
        first_page = first.get(url).get_data(as_text=True)
        second_page = second.get(url).get_data(as_text=True)

        saved = first.post(url, data=_typing(first_page, url, "Första"))
        assert saved.status_code == 302, (endpoint, _errors(saved))

        typed = _typing(second_page, url, "Andra")
        assert _typed_names(second_page, url), f"{endpoint}: nothing to type in"
        conflict = second.post(url, data=typed)
        page = conflict.get_data(as_text=True)
        assert conflict.status_code == 409, (endpoint, conflict.status_code, page[:3000])
        box = lxml.html.fromstring(page).xpath("//*[@id='conflict']//tbody/tr")
        assert box, f"{endpoint}: no comparison box"
        compared = " ".join(row.text_content() for row in box)
        resent = _edit_form(page, url).data()
        for name in _typed_names(second_page, url):
            assert resent[name] == typed[name], (endpoint, name)  # every typed value kept
        assert any(typed[name] in compared for name in _typed_names(second_page, url)), endpoint
        assert "Första " in compared, endpoint  # theirs beside yours

        again = second.post(url, data=resent)
        assert again.status_code == 302, (endpoint, again.get_data(as_text=True)[:3000])
        reopened = second.get(url).get_data(as_text=True)
        shown = _edit_form(reopened, url).data()
        assert any(shown.get(name) == typed[name] for name in _typed_names(second_page, url))


def _errors(response) -> list[str]:
    page = lxml.html.fromstring(response.get_data(as_text=True))
    return [
        e.text_content().strip() for e in page.xpath("//*[contains(@class,'invalid-feedback')]")
    ]
