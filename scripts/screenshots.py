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
    "follow-up-list": "/follow-up",
    "recommendation": "/recommendations/{recommendation_id}",
}


def main() -> None:
    folder = ROOT / "docs" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    server = Server(Path(tempfile.mkdtemp()))
    ids = server.first_ids()
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
                    page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=False)
                context.close()
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
