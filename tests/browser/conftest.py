"""The app served on loopback, and Debian's Chromium driven by Playwright, with axe-core.

The server runs in a thread on a SQLite file that is migrated and seeded once for the test
session; each test makes the users and rows it needs with names of its own.
"""

import itertools
import json
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlmodel import select
from werkzeug.serving import make_server

from tests.browser.crawl_data import many_units, overdue_due_date  # noqa: F401  (journeys)
from tracker import accessibility as tested
from tracker import create_app
from tracker.auth.services import create_user
from tracker.cli import run_migrations
from tracker.db import session_scope
from tracker.models import Measure, Unit, User
from tracker.seed import load_all

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
OUTPUT = ROOT / "test-output" / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery"
# JPEG: a full-page PNG took Chromium longer to encode than axe took to check the page.
SCREENSHOT = {"type": "jpeg", "quality": 80, "full_page": True}
# A screenshot of every page checked, for reading them over; else only of a page that fails
# (a third of each check's time went to screenshots nobody looked at).
EVERY_SCREENSHOT = os.environ.get("TRACKER_BROWSER_SCREENSHOTS") == "1"
LOCALES = {"sv": "sv-SE", "en": "en-GB"}
NARROW = 360  # CSS pixels: a small phone
# CSS pixels: the page must not scroll sideways at these widths (WCAG 1.4.10): 320 px, and a
# 1280 px wide window zoomed to 200 %. The accessibility statement names them.
WIDTHS = tested.WIDTHS
_names = itertools.count(1)
CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Note on the test whether its call failed, for open_page to save what was shown."""
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


class Server:
    """The app on a free loopback port, with a way to write rows straight to its database."""

    def __init__(self, folder: Path):
        self.app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{folder / 'tracker.db'}",
                "SECRET_KEY": "browser tests",
                # Users sign in dozens of times: argon2 at its least cost, as in tests/.
                "PASSWORD_HASH_CHEAP": True,
                # Plain http on loopback: cookies must not be Secure-only.
                "SESSION_COOKIE_SECURE": False,
                "REMEMBER_COOKIE_SECURE": False,
                # The public register is a page like the others once a region turns it on.
                "PUBLIC_REGISTER": True,
            }
        )
        with self.app.app_context():
            run_migrations()
            with session_scope() as session:
                load_all(session, ROOT / "seed")
                self._keep_and_close(session)
                many_units(session)
        self.http = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.http.server_port}"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    @staticmethod
    def _keep_and_close(session) -> None:
        """Keep a follow-up list for a meeting and close an item, so that their pages exist."""
        from datetime import date

        from tracker.followup.services.closing import close_items
        from tracker.followup.services.criteria import Criteria
        from tracker.followup.services.kept_lists import keep_list
        from tracker.followup.services.report import build_report
        from tracker.models import Body, Meeting, Recommendation

        meeting = session.exec(select(Meeting).order_by(Meeting.id)).first()
        clerk = create_user(session, email="clerk@browser.example", name="Clerk", role="secretary")
        report = build_report(session, criteria=Criteria(meeting_id=meeting.id))
        keep_list(session, report=report, meeting_id=meeting.id, params={}, user=clerk)
        item = session.exec(select(Recommendation).order_by(Recommendation.id.desc())).first()
        close_items(
            session,
            recommendation_ids=[item.id],
            outcome="closed",
            body_id=session.exec(select(Body.id).where(Body.code == "RS")).one(),
            decided_on=date(2018, 2, 20),
            paragraph="12",
            text="Regionstyrelsen godkänner återrapporteringen.",
            user=clerk,
        )

    def stop(self) -> None:
        self.http.shutdown()
        self.thread.join(10)
        self.app.extensions["tracker.engine"].dispose()

    def user(self, role: str, language: str) -> User:
        """Create a user who can sign in, with a name of their own."""
        n = next(_names)
        with self.app.app_context(), session_scope() as session:
            unit = session.exec(select(Unit).where(Unit.name == "Hälsocentral Kiruna")).one()
            return create_user(
                session,
                email=f"{role}-{language}-{n}@browser.example",
                name=f"{role.title()} {language.upper()} {n}",
                role=role,
                password=PASSWORD,
                unit_id=unit.id,
                language=language,
            )

    def measure(self, **values) -> Measure:
        """Create a measure straight in the database."""
        with self.app.app_context(), session_scope() as session:
            measure = Measure(**values)
            session.add(measure)
            session.flush()
            return measure

    def body_ids(self) -> dict[str, str]:
        """Return the seeded bodies' ids by code, as a select's option values."""
        from tracker.models import Body

        with self.app.app_context(), session_scope() as session:
            return {body.code: str(body.id) for body in session.exec(select(Body))}

    def first_ids(self) -> dict[str, int | str]:
        """Return an id of each kind of row the seed made, for the pages' URLs."""
        from tracker.models import (
            Body,
            ClosingDecision,
            Indicator,
            KeptList,
            Meeting,
            Outcome,
            Recommendation,
            Response,
            Source,
            ThresholdRule,
        )

        ids = {}
        with self.app.app_context(), session_scope() as session:
            for name, model in (
                ("source_id", Source),
                ("recommendation_id", Recommendation),
                ("measure_id", Measure),
                ("meeting_id", Meeting),
                ("body_id", Body),
                ("unit_id", Unit),
                ("user_id", User),
                ("kept_id", KeptList),
                ("decision_id", ClosingDecision),
                ("indicator_id", Indicator),
                ("outcome_id", Outcome),
                ("rule_id", ThresholdRule),
                ("response_id", Response),
            ):
                ids[name] = session.exec(select(model.id).order_by(model.id)).first()
            # A reminder's answer link to the first measure, as its first user would get it.
            from datetime import date

            from tracker.answers.services import new_link

            # The marks page of the first source.
            ids["target_type"], ids["target_id"] = "source", ids["source_id"]
            ids["token"] = new_link(
                session,
                session.get(User, ids["user_id"]),
                item_type="measure",
                item_id=ids["measure_id"],
                deadline=date(2030, 1, 31),
            )
        return ids


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    server = Server(tmp_path_factory.mktemp("browser"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def axe_source() -> str:
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make install does)"
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        # Debian's Chromium: the tests never download a browser.
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Checker:
    """Check each page a test visits: axe-core, one h1, landmarks, language, no CSP errors.

    With TRACKER_BROWSER_SCREENSHOTS=1, every page checked is saved as a full-page screenshot
    under test-output/browser/<test>/ (open_page saves the pages of a failed test anyway).
    """

    def __init__(self, page: Page, axe_source: str, folder: Path, language: str):
        self.page = page
        self.axe_source = axe_source
        self.folder = folder
        self.language = language
        self.count = 0
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def __call__(self, name: str, status: int = 200) -> dict:
        """Check the page that is shown now; return what axe found (nothing, or the test fails)."""
        self.page.wait_for_load_state("load")
        self.count += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        if EVERY_SCREENSHOT:
            self.screenshot(f"{self.count:02}-{slug}")
        return self._check(name, status)

    def screenshot(self, name: str) -> None:
        """Save a full-page screenshot of the page shown now under the test's folder."""
        self.screenshot_of(self.page, self.folder, name)

    @staticmethod
    def screenshot_of(page: Page, folder: Path, name: str) -> None:
        """Save a full-page screenshot of a page as folder/name.jpeg."""
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.jpeg"), **SCREENSHOT)

    def _check(self, name: str, status: int) -> dict:
        page = self.page
        # page.evaluate runs outside the page's Content-Security-Policy, which stays on.
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(self.axe_source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations = [
            {
                "rule": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "where": [node["target"] for node in violation["nodes"]][:5],
            }
            for violation in result["violations"]
        ]
        where = f"{name} ({page.url}, {self.language})"
        assert violations == [], f"axe on {where}:\n{json.dumps(violations, indent=1)}"
        facts = page.evaluate(
            """() => ({
                h1: document.querySelectorAll('h1').length,
                main: document.querySelectorAll('main').length,
                lang: document.documentElement.lang,
                title: document.title.trim(),
            })"""
        )
        assert facts["h1"] == 1, f"{where}: {facts['h1']} h1 elements"
        assert facts["main"] == 1, f"{where}: no main landmark"
        assert facts["lang"] == self.language, f"{where}: lang={facts['lang']}"
        assert facts["title"], f"{where}: no title"
        if status != 200:
            # The browser reports the page's own error status on the console.
            self.errors = [e for e in self.errors if f"status of {status}" not in e]
        assert self.errors == [], f"{where}: browser errors {self.errors}"
        return result


@pytest.fixture(scope="session")
def signed_in(browser, server) -> dict:
    """Return a browser's cookies signed in as a role in a language: one sign-in per worker."""
    states = {}

    def state(role: str, language: str) -> dict:
        if (role, language) not in states:
            context = browser.new_context(locale=LOCALES[language])
            sign_in(context.new_page(), server, server.user(role, language))
            states[role, language] = context.storage_state()
            context.close()
        return states[role, language]

    return state


@pytest.fixture
def open_page(browser, axe_source, request, signed_in):
    """Open a page in a fresh browser context; return (page, checker) for a language.

    With signed_in_as (a role), the context starts with that role's sign-in of this worker.
    """
    contexts = []
    test_folder = OUTPUT / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)

    def open_(language: str = "sv", width: int = 1280, height: int = 900, signed_in_as: str = ""):
        context = browser.new_context(
            locale=LOCALES[language],
            viewport={"width": width, "height": height},
            storage_state=signed_in(signed_in_as, language) if signed_in_as else None,
        )
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        return page, Checker(page, axe_source, test_folder, language)

    yield open_
    failed = request.node.stash.get(CALL_FAILED, False)
    for n, context in enumerate(contexts, start=1):
        if failed:
            for m, page in enumerate(context.pages, start=1):
                Checker.screenshot_of(page, test_folder, f"failed-{n}-{m}")
        context.close()


def widths_that_scroll(page: Page, check: "Checker", name: str) -> list[str]:
    """Narrow the window to each of WIDTHS and say where the page shown scrolls sideways."""
    wide = []
    size = page.viewport_size
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 740})
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width + 1:
            wide.append(f"{name} at {width}px: {scroll_width}px")
            check.screenshot(f"{check.count:02}-{name}-{width}")
        elif EVERY_SCREENSHOT:
            check.screenshot(f"{check.count:02}-{name}-{width}")
    page.set_viewport_size(size)
    return wide


def sign_in(page: Page, server: Server, user: User) -> None:
    """Sign in through the form, with the mouse."""
    page.goto(f"{server.url}/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
