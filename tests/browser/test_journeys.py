"""The main jobs done in a real browser, with the mouse and with the keyboard alone.

Each journey is a list of steps; each step is done through an Actor that either clicks or
only presses keys (Tab, Shift+Tab, Enter, Space, arrows, typing). Every page visited is checked
with axe-core (tests/browser/conftest.py, Checker) in Swedish and English.
"""

from datetime import date, timedelta
from urllib.parse import urlsplit

import docx
import pytest
from playwright.sync_api import Locator, Page

from tests.browser.conftest import PASSWORD, Checker, Server, overdue_due_date
from tracker.dates import today

pytestmark = pytest.mark.browser

MODES = ["mouse", "keyboard"]
LANGUAGES = ["sv", "en"]
MAX_TABS = 150
# Whether Tab has reached the target, and else whether the element it stopped on shows it.
FOCUS_STOP_JS = """
(target) => {
    const e = document.activeElement;
    if (e === target) return {reached: true};
    const html = e ? e.outerHTML.slice(0, 200) : '';
    if (!e || e === document.body) return {reached: false, visible: true, html};
    // The last stop in a date field is the browser's own calendar button,
    // inside the field's closed shadow tree: the browser draws its ring.
    if (e.type === 'date' && !e.matches(':focus-visible')) {
        return {reached: false, visible: true, html};
    }
    const style = getComputedStyle(e);
    const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
        || style.boxShadow !== 'none';
    return {reached: false, visible, html};
}
"""


class Actor:
    """Does things on a page with the mouse, or with the keyboard only."""

    def __init__(self, page: Page, check: Checker, mode: str, server: Server):
        self.page, self.check, self.mode, self.server = page, check, mode, server
        self.data: dict = {}  # what earlier steps made, for later steps

    @property
    def keyboard(self) -> bool:
        return self.mode == "keyboard"

    def focus(self, target: Locator) -> None:
        """Tab (forwards) until the target has the focus; each stop must show its focus."""
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Tab")
            # One round trip a stop: the journeys press Tab hundreds of times.
            stop = target.evaluate(FOCUS_STOP_JS)
            if stop["reached"]:
                return
            assert stop["visible"], f"no visible focus on {stop['html']}"
        raise AssertionError(f"{target} cannot be reached with Tab on {self.page.url}")

    def open(self, path: str) -> None:
        """Go to a page by its address (as a user types it or follows a bookmark)."""
        self.page.goto(self.server.url + path)

    def follow(self, link: Locator) -> None:
        """Follow a link or press a button."""
        if self.keyboard:
            self.focus(link)
            with self.page.expect_navigation():
                self.page.keyboard.press("Enter")
        else:
            with self.page.expect_navigation():
                link.click()

    submit = follow

    def fill(self, field: Locator, value: str) -> None:
        """Type a value into an empty field."""
        if self.keyboard:
            self.focus(field)
            self.page.keyboard.type(value)
        else:
            field.fill(value)
        assert field.input_value() == value

    def fill_date(self, field: Locator, value: date) -> None:
        """Type a date as YYYY-MM-DD, the way the form asks for it."""
        self.fill(field, value.isoformat())

    def choose(self, select: Locator, value: str) -> None:
        """Choose an option of a select by its value."""
        if not self.keyboard:
            select.select_option(value)
            return
        self.focus(select)
        values = select.evaluate("s => Array.from(s.options).map(o => o.value)")
        chosen = select.input_value()
        # A multiple select starts with nothing chosen: the first arrow chooses the first option.
        current = values.index(chosen) if chosen in values else -1
        wanted = values.index(value)
        key = "ArrowDown" if wanted > current else "ArrowUp"
        for _ in range(abs(wanted - current)):
            self.page.keyboard.press(key)
        assert select.input_value() == value

    def skip_to_content(self) -> None:
        """With the keyboard, use the skip link first: it must be the first stop and work."""
        if not self.keyboard:
            return
        if self.page.evaluate("document.activeElement.id") == "flashes":
            return  # a message after saving has the focus, inside main already
        self.page.keyboard.press("Tab")
        assert self.page.evaluate("document.activeElement.getAttribute('href')") == "#main"
        self.page.keyboard.press("Enter")
        assert self.page.evaluate("document.activeElement.id") == "main"


# Steps shared by the journeys -------------------------------------------------------------


def sign_in(actor: Actor, user) -> None:
    actor.open("/login")
    actor.check("sign in")
    actor.skip_to_content()
    actor.fill(actor.page.locator("#email"), user.email)
    actor.fill(actor.page.locator("#password"), PASSWORD)
    actor.submit(actor.page.locator("main form button[type=submit]"))
    assert urlsplit(actor.page.url).path == "/"
    actor.check("overview")


def in_menu(actor: Actor, path: str) -> Locator:
    """Return the menu's link to path, opening "Mer" first when the link is in it."""
    link = actor.page.locator(f"header nav a[href='{path}']")
    more = actor.page.locator("header .nav-more summary")
    if actor.page.locator(f"header .nav-more a[href='{path}']").count() and not link.is_visible():
        if actor.keyboard:
            actor.focus(more)
            actor.page.keyboard.press("Enter")
        else:
            more.click()
    return link


# The owner: finds an overdue measure on "my work", posts a status update, sees it ---------


def owner_posts_a_status_update(actor: Actor) -> None:
    owner = actor.server.user("owner", actor.check.language)
    title = f"Uppdatera rutiner för telefontid {owner.id}"
    actor.server.measure(title=title, owner_id=owner.id, due_date=overdue_due_date())
    sign_in(actor, owner)
    actor.follow(in_menu(actor, "/my-work"))
    actor.check("my work")
    row = actor.page.locator("tr", has_text=title)
    assert row.locator(".badge.overdue").count() == 1  # the overdue mark is text, not colour
    actor.follow(row.locator("a[href$='/update']"))
    actor.check("status update form")
    actor.skip_to_content()
    text = f"Nya rutiner är införda på hälsocentralen ({actor.mode})."
    actor.fill(actor.page.locator("#text"), text)
    actor.choose(actor.page.locator("#status"), "ongoing")
    actor.submit(actor.page.locator("#update form button[type=submit]"))
    actor.check("measure with the update")
    history = actor.page.locator(".status-history li").first
    assert text in history.inner_text()
    assert owner.name in history.inner_text()


# The secretary: registers an audit report with two recommendations, links a measure ----


def register_audit_report(actor: Actor) -> None:
    page = actor.page
    actor.follow(in_menu(actor, "/sources/"))
    actor.check("sources")
    actor.skip_to_content()
    actor.follow(page.locator("main a[href='/sources/new']"))
    actor.check("new source")
    actor.skip_to_content()
    # A first try without a title: the error summary takes the focus and links to the field.
    actor.submit(page.locator("main form button[type=submit]"))
    actor.check("new source with errors", status=400)
    assert page.evaluate("document.activeElement.id") == "error-summary"
    if actor.keyboard:
        actor.follow_fragment = page.locator("#error-summary a[href='#title']")
        actor.focus(actor.follow_fragment)
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#title"
    title = f"Granskning av läkemedelshanteringen {actor.mode} {actor.check.language}"
    actor.choose(page.locator("#kind"), "audit_report")
    actor.fill(page.locator("#title"), title)
    actor.fill(page.locator("#dnr"), "00042-2026")
    actor.choose(page.locator("#issuer_id"), actor.data["bodies"]["REV"])
    actor.choose(page.locator("#addressees"), actor.data["bodies"]["RS"])
    actor.fill_date(page.locator("#response_due"), today() + timedelta(days=40))
    actor.submit(page.locator("main form button[type=submit]"))
    actor.check("source")
    assert page.locator("h1").inner_text() == title
    actor.data["source_id"] = urlsplit(page.url).path.rsplit("/", 1)[-1]
    actor.data["source_title"] = title


def add_two_recommendations(actor: Actor) -> None:
    page = actor.page
    actor.follow(page.locator("main a[href^='/recommendations/new']"))
    actor.check("new recommendation")
    for number, text in (
        ("1", "Säkerställ att läkemedelsgenomgångar dokumenteras."),
        ("2", "Följ upp att rutinen för läkemedelsförråd efterlevs."),
    ):
        actor.skip_to_content()
        # The source is a lookup box: it holds the report's title, not its id.
        assert page.locator("#source_id").input_value() == actor.data["source_title"]
        actor.choose(page.locator("#kind"), "recommendation")
        actor.fill(page.locator("#number"), number)
        actor.fill(page.locator("#text"), text)
        actor.submit(page.locator("main form button[type=submit]"))
        # Saved: the form comes back empty for the next point of the same report.
        actor.check(f"recommendation {number} saved")
        assert page.locator("main .alert-success").count() == 1
    actor.follow(in_menu(actor, "/sources/"))
    actor.check("sources with the new report")
    actor.follow(page.locator(f"main a[href='/sources/{actor.data['source_id']}']"))
    actor.check("source with two recommendations")
    rows = page.locator("main table").first.locator("tbody tr")
    assert rows.count() == 2 and "läkemedelsgenomgångar" in rows.first.inner_text()


def link_a_measure(actor: Actor) -> None:
    page = actor.page
    actor.follow(page.locator("main table").first.locator("tbody tr a").first)
    actor.check("first recommendation")
    actor.skip_to_content()
    actor.follow(page.locator("main a[href^='/measures/new?recommendation_id=']"))
    actor.check("new measure")
    actor.skip_to_content()
    title = f"Inför egenkontroll av läkemedelsförråd ({actor.mode})"
    actor.fill(page.locator("#title"), title)
    # The owner is a lookup box: the secretary types the owner's name.
    actor.fill(page.locator("#owner_id"), actor.data["owner"].name)
    actor.fill_date(page.locator("#due_date"), today() + timedelta(days=90))
    actor.submit(page.locator("main form button[type=submit]"))
    actor.check("measure")
    assert page.locator("h1").inner_text() == title
    answers = page.locator("main a[href^='/recommendations/']")
    assert answers.count() == 1 and "läkemedelsgenomgångar" in answers.inner_text()


def produce_the_followup_list_and_download_word(actor: Actor) -> None:
    page = actor.page
    actor.follow(in_menu(actor, "/follow-up"))
    actor.check("follow-up list")
    actor.skip_to_content()
    # The report is found by typing its title: no select box lists every report.
    actor.fill(page.locator("#source"), actor.data["source_title"])
    actor.submit(page.locator("main form.filters button[type=submit]"))
    actor.check("follow-up list of the new report")
    document = page.locator("main .followup-document")
    assert "läkemedelsgenomgångar" in document.inner_text()
    # The compact list folds each item's measures under their summary: open them.
    for summary in document.locator("details.measures > summary").all():
        if actor.keyboard:
            actor.focus(summary)
            page.keyboard.press("Enter")
        else:
            summary.click()
    assert "Inför egenkontroll av läkemedelsförråd" in document.inner_text()
    word = page.locator("main a[href*='format=docx']:not([href*='orientation'])")
    with page.expect_download() as download:
        if actor.keyboard:
            actor.focus(word)
            page.keyboard.press("Enter")
        else:
            word.click()
    path = download.value.path()
    text = "\n".join(
        cell.text
        for table in docx.Document(path).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "Säkerställ att läkemedelsgenomgångar dokumenteras." in text
    assert "Följ upp att rutinen för läkemedelsförråd efterlevs." in text


def change_the_listed_items_in_bulk(actor: Actor) -> None:
    """Tick the list's two items, open the bulk page with them, set a status and post one text."""
    page = actor.page
    boxes = page.locator("main input[name=item][form=close-selection]")
    assert boxes.count() == 2
    for box in boxes.all():
        if actor.keyboard:
            actor.focus(box)
            page.keyboard.press("Space")
        else:
            box.check()
        assert box.is_checked()
    actor.submit(page.locator("main form#close-selection button[formaction='/follow-up/bulk']"))
    actor.check("bulk change of the ticked items")
    actor.skip_to_content()
    assert page.locator("main form#bulk-form input[name=item]:checked").count() == 2
    actor.choose(page.locator("#status"), "in_progress")
    actor.fill(page.locator("#text"), "Arbetet har startat i alla berörda verksamheter.")
    actor.submit(page.locator("main form#bulk-form button[type=submit]"))
    actor.check("the ticked items changed")
    saved = page.locator("main .alert-success li")
    assert saved.count() == 2
    assert "läkemedelsgenomgångar" in " ".join(saved.all_inner_texts())


SECRETARY_STEPS = [
    register_audit_report,
    add_two_recommendations,
    link_a_measure,
    produce_the_followup_list_and_download_word,
    change_the_listed_items_in_bulk,
]


def secretary_registers_an_audit_report(actor: Actor) -> None:
    secretary = actor.server.user("secretary", actor.check.language)
    actor.data["owner"] = actor.server.user("owner", actor.check.language)
    actor.data["bodies"] = actor.server.body_ids()
    sign_in(actor, secretary)
    for step in SECRETARY_STEPS:
        step(actor)


# The administrator: creates a user ---------------------------------------------------------


def admin_creates_a_user(actor: Actor) -> None:
    page = actor.page
    sign_in(actor, actor.server.user("admin", actor.check.language))
    actor.follow(in_menu(actor, "/users"))
    actor.check("users")
    actor.skip_to_content()
    actor.follow(page.locator("main a[href='/users/new']"))
    actor.check("new user")
    actor.skip_to_content()
    email = f"ny.handlaggare.{actor.mode}.{actor.check.language}@region.example"
    actor.fill(page.locator("#email"), email)
    actor.fill(page.locator("#name"), "Ny Handläggare")
    actor.choose(page.locator("#role"), "owner")
    actor.choose(page.locator("#language"), actor.check.language)
    actor.fill(page.locator("#password"), "ett långt lösenord")
    actor.submit(page.locator("main form button[type=submit]"))
    actor.check("users with the new one")
    assert page.locator("main table tr", has_text=email).count() == 1


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "journey",
    [owner_posts_a_status_update, secretary_registers_an_audit_report, admin_creates_a_user],
    ids=["owner", "secretary", "admin"],
)
def test_journey(open_page, server, journey, mode, language):
    page, check = open_page(language)
    journey(Actor(page, check, mode, server))
    assert check.count >= 4
