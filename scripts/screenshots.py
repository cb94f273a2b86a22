"""Take the README's screenshots: the start page, the follow-up list and a recommendation.

Run from the repository: `.venv/bin/python scripts/screenshots.py`. Each page is shot at
1280 and 375 px wide, signed in as a secretary, in Swedish; the files go to docs/screenshots/.
"""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server, sign_in  # noqa: E402

PAGES = {
    "start-page": "/",
    # The list of document 003's meeting, RS 2017-12-19, as the secretary sends it.
    "follow-up-list": "/follow-up?meeting={report_meeting_id}",
    "recommendation": "/recommendations/{recommendation_id}",
}


def report_meeting_id(server) -> int:
    """Return the id of RS 2017-12-19, the meeting document 003 reported to."""
    from datetime import date

    from sqlmodel import select

    from tracker.db import session_scope
    from tracker.models import Meeting

    with server.app.app_context(), session_scope() as session:
        return session.exec(select(Meeting.id).where(Meeting.held_on == date(2017, 12, 19))).one()


def main() -> None:
    folder = ROOT / "docs" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    server = Server(Path(tempfile.mkdtemp()))
    ids = server.first_ids() | {"report_meeting_id": report_meeting_id(server)}
    user = server.user("secretary", "sv")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            for width in (1280, 375):
                context = browser.new_context(
                    locale="sv-SE", viewport={"width": width, "height": 900}
                )
                page = context.new_page()
                sign_in(page, server, user)
                for name, path in PAGES.items():
                    page.goto(server.url + path.format(**ids))
                    if name == "follow-up-list":
                        # The list itself, below the filters: what the secretary sends.
                        top = page.locator("#document-title").bounding_box()["y"] - 90
                        page.evaluate(f"window.scrollTo({{top: {top}, behavior: 'instant'}})")
                        page.wait_for_timeout(300)
                    page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=False)
                context.close()
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
