"""Every page, in Swedish and English, for every role, passes axe-core, fits a 320 px wide
screen and marks the passages in the other language (WCAG 2.1 AA: 1.4.10 and 3.1.2)."""

import pytest
from flask import url_for

from tests.browser.conftest import EVERY_SCREENSHOT, WIDTHS, sign_in
from tests.browser.crawl_data import crawler, document_markers
from tracker.accessibility import ROLES  # the statement names the roles checked

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
    "measure_files.download",
    "followup_bulk.measure_workbook",
    # The public register's files and a closed source's archive package (a zip).
    "register.download",
    "marks.archive",
    # Sign-in with the identity provider: redirects to it (not set up here; tests/test_oidc.py).
    "oidc.start",
    "oidc.callback",
    # SCIM answers the provider's provisioning with JSON, not pages.
    "scim.users",
    "scim.user",
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
    "followup_bulk.show",
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
    # The follow-up list's bulk page shows the items ticked on the list.
    paths["followup_bulk.show"] += f"?item={ids['recommendation_id']}"
    paths["not found"] = "/no/such/page"
    return paths


def pages_of_part(server, part: int) -> list[tuple[str, str]]:
    """Return every PARTS-th page from the part'th on: the parts together are every page."""
    return sorted(page_paths(server).items())[part::PARTS]


# Finds the text nodes that hold a piece of the other language's text outside an element of
# that language: on an English page the documents' Swedish, on a Swedish page the API's English.
UNMARKED = """([pieces, other]) => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    // What a user types into a field is theirs; scripts and styles are not read out, nor the
    // inside of an image (a chart is read by its name; the table beside it has its words).
    if (!parent || parent.closest("script, style, textarea, [role=img]")) continue;
    const text = node.data.replace(/\\s+/g, " ");
    if (text.length < 12 || !pieces.some(piece => text.includes(piece))) continue;
    const lang = parent.closest("[lang]").getAttribute("lang");
    const tag = parent.tagName.toLowerCase();
    if (lang !== other) found.push(`<${tag}> in lang=${lang}: ${text.trim().slice(0, 70)}`);
  }
  return found;
}"""


class Layout:
    """Check the page shown now at each width of WIDTHS, and its passages in the other language.

    The page is loaded once and resized: a reload per width would double the crawl's time.
    """

    def __init__(self, page, check, server, language: str):
        self.page, self.check, self.language = page, check, language
        self.pieces = document_markers(server)[language]
        self.other = "sv" if language == "en" else "en"
        self.wide: list[str] = []
        self.unmarked: list[str] = []
        self.invalid: list[str] = []

    def __call__(self, name: str, *, restore: dict | None = None) -> None:
        page = self.page
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 740})
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                self.wide.append(f"{name} at {width}px: {scroll_width}px ({page.url})")
                self.check.screenshot(f"wide-{name}-{width}")
            elif EVERY_SCREENSHOT:
                self.check.screenshot(f"{name}-{width}")
        if restore:
            page.set_viewport_size(restore)
        found = page.evaluate(UNMARKED, [self.pieces, self.other])
        self.unmarked += [f"{name} ({page.url}): {passage}" for passage in found]
        # A field is announced "invalid" only once the server has said why (aria-invalid).
        invalid = page.evaluate(
            """() => [...document.querySelectorAll("main :is(input, select, textarea):invalid")]
                .filter(field => field.getAttribute("aria-invalid") !== "true")
                .map(field => field.id || field.name)"""
        )
        self.invalid += [f"{name} ({page.url}): {field}" for field in invalid]

    def assert_fine(self) -> None:
        assert self.invalid == [], "fields invalid before any input:\n" + "\n".join(self.invalid)
        assert self.wide == [], "pages that scroll sideways:\n" + "\n".join(self.wide)
        assert self.unmarked == [], (
            f"passages in the other language not marked lang={self.other}:\n"
            + "\n".join(self.unmarked)
        )


DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_sign_in_pages_pass_axe_and_fit_narrow_windows(open_page, server, language):
    page, check = open_page(language)
    layout = Layout(page, check, server, language)
    for name, path in ANONYMOUS:
        page.goto(server.url + path)
        check(f"{name} anonymous")
        layout(f"{name} anonymous", restore=DESKTOP)
    page.goto(server.url + "/login")
    page.fill("#email", "nobody@example.org")
    page.fill("#password", "wrong password")
    page.click("main form button[type=submit]")
    check("login failed", status=400)
    assert page.evaluate("document.activeElement.id") == "error-summary"
    layout.assert_fine()


# Each page is loaded once per language: checked at 1280 px, then measured narrower.
@pytest.mark.parametrize("part", range(PARTS))
@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_page_passes_axe(open_page, server, language, part):
    page, check = open_page(language)
    sign_in(page, server, crawler(server, "admin", language))
    layout = Layout(page, check, server, language)
    for name, path in pages_of_part(server, part):
        page.goto(server.url + path)
        check(name, status=404 if name == "not found" else 200)
        layout(name, restore=DESKTOP)
    layout.assert_fine()


# The other roles see other pages (their own work, fewer buttons, refusals): each is loaded once
# per language, at 320 px, and checked for reflow and language (axe runs on the admin's crawl).
@pytest.mark.parametrize("part", range(PARTS))
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("role", [role for role in ROLES if role != "admin"])
def test_every_role_sees_every_page_fit_320_px_and_in_its_language(
    open_page, server, role, language, part
):
    page, check = open_page(language, width=WIDTHS[0], height=740)
    sign_in(page, server, crawler(server, role, language))
    layout = Layout(page, check, server, language)
    if part == 0:
        page.goto(server.url + "/tillganglighet")
        layout("statement")
    for name, path in pages_of_part(server, part):
        page.goto(server.url + path)
        layout(name)
    layout.assert_fine()


@pytest.mark.parametrize("part", range(FORM_PARTS))
@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_form_with_errors_passes_axe(open_page, server, language, part):
    page, check = open_page(language)
    sign_in(page, server, server.user("admin", language))
    layout = Layout(page, check, server, language)
    paths = page_paths(server)
    for name in FORMS[part::FORM_PARTS]:
        page.goto(server.url + paths[name])
        page.click("main form[method=post] button[type=submit]")
        check(f"{name} with errors", status=400)
        # The summary takes the focus without JavaScript, and links to each field in error.
        assert page.evaluate("document.activeElement.id") == "error-summary", name
        for href in page.locator("#error-summary a").evaluate_all("els => els.map(e => e.hash)"):
            assert page.locator(href).count() == 1, f"{name}: {href} leads nowhere"
        layout(f"{name} with errors", restore=DESKTOP)
    layout.assert_fine()
