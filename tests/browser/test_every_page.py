"""Every page, in Swedish and English, passes axe-core and fits a 320 px wide screen."""

import pytest
from flask import url_for

from tests.browser.conftest import widths_that_scroll

pytestmark = pytest.mark.browser

# Routes that are no pages: files, probes, the language switch and sign-out (POST).
NOT_PAGES = {
    "static",
    "bootstrap.static",
    "healthz",
    "readyz",
    "auth.language",
    "auth.logout",
    # Files, not pages: charts, downloads, the calendar feed.
    "indicators.chart",
    "indicators.units_svg",
    "followup.evidence_file",
    "sources.attachment",
    "reminders.feed",
    "indicators.import_template",
    # The JSON API answers tokens, not pages; its description's page (api.docs) is a page.
    "api.description",
    "api.bodies",
    "api.body",
    "api.meetings",
    "api.meeting",
    "api.sources",
    "api.source",
    "api.recommendations",
    "api.recommendation",
    "api.measures",
    "api.measure",
    "api.status_updates",
    "api.status_update",
    "api.indicators",
    "api.indicator",
    "api.outcomes",
    "api.outcome",
    "responses.word",
}
# Forms checked again after an empty submit, to see their error summary.
FORMS = [
    "sources.new",
    "recommendations.new",
    "measures.new",
    "measures.update",
    "meetings.new",
    "meetings.new_body",
    "units.new",
    "auth.new_user",
    "api_tokens.new",
]
# Each language's pages are checked in this many tests, so that the workers share them out.
PARTS = 6
FORM_PARTS = 3
ANONYMOUS = [("login", "/login"), ("statement", "/tillganglighet")]


def page_paths(server) -> dict[str, str]:
    """Return the path of every page of the app, with ids of seeded rows."""
    app = server.app
    ids = server.first_ids()
    paths = {}
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint in NOT_PAGES or "GET" not in rule.methods:
                continue
            unknown = set(rule.arguments) - set(ids)
            # A new page must be checked too: give Server.first_ids its argument, or list a
            # route that is no HTML page (a download, an SVG) in NOT_PAGES.
            assert not unknown, f"{rule.endpoint}: no id for {unknown} in Server.first_ids"
            paths[rule.endpoint] = url_for(rule.endpoint, **{a: ids[a] for a in rule.arguments})
    paths["search.results"] = "/search?q=%C3%A5tg%C3%A4rd"  # ?q=åtgärd
    paths["recommendations.index"] += "?overdue=1"
    paths["not found"] = "/no/such/page"
    return paths


def pages_of_part(server, part: int) -> list[tuple[str, str]]:
    """Return every PARTS-th page from the part'th on: the parts together are every page."""
    return sorted(page_paths(server).items())[part::PARTS]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_sign_in_pages_pass_axe_and_fit_narrow_windows(open_page, server, language):
    page, check = open_page(language)
    wide = []
    for name, path in ANONYMOUS:
        page.goto(server.url + path)
        check(f"{name} anonymous")
        wide += widths_that_scroll(page, check, name)
    page.goto(server.url + "/login")
    page.fill("#email", "nobody@example.org")
    page.fill("#password", "wrong password")
    page.click("main form button[type=submit]")
    check("login failed", status=400)
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert wide == []


# Each page is loaded once per language: checked at 1280 px, then measured narrower.
@pytest.mark.parametrize("part", range(PARTS))
@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_page_passes_axe_and_fits_narrow_windows(open_page, server, language, part):
    page, check = open_page(language, signed_in_as="admin")
    wide = []
    for name, path in pages_of_part(server, part):
        page.goto(server.url + path)
        check(name, status=404 if name == "not found" else 200)
        wide += widths_that_scroll(page, check, name)
    assert wide == []


@pytest.mark.parametrize("part", range(FORM_PARTS))
@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_form_with_errors_passes_axe(open_page, server, language, part):
    page, check = open_page(language, signed_in_as="admin")
    paths = page_paths(server)
    for name in FORMS[part::FORM_PARTS]:
        page.goto(server.url + paths[name])
        page.click("main form[method=post] button[type=submit]")
        check(f"{name} with errors", status=400)
        # The summary takes the focus without JavaScript, and links to each field in error.
        assert page.evaluate("document.activeElement.id") == "error-summary", name
        for href in page.locator("#error-summary a").evaluate_all("els => els.map(e => e.hash)"):
            assert page.locator(href).count() == 1, f"{name}: {href} leads nowhere"
