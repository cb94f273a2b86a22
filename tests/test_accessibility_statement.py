"""The accessibility statement: public, in both languages, linked from every page, and true."""

import json
from pathlib import Path

import lxml.html
import pytest

from tracker import accessibility
from tracker.dates import format_date, today

ROOT = Path(__file__).resolve().parents[1]


def statement(app, language: str) -> str:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    response = client.get("/tillganglighet")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_statement_is_public_and_says_what_the_law_asks(app, language):
    page = statement(app, language)
    assert f'<html lang="{language}">' in page
    assert "DIGG" in page and "https://www.digg.se/" in page  # the supervisory authority
    assert "WCAG 2.1" in page and "tracker@localhost" in page  # how accessible; where to report
    # The link leads to a Swedish site: hreflang says so; its words are the page's language.
    (digg,) = lxml.html.fromstring(page).xpath("//a[@href='https://www.digg.se/']")
    assert digg.get("hreflang") == "sv" and digg.get("lang") is None


def test_the_statement_says_how_and_when_it_was_tested(app):
    page = " ".join(lxml.html.fromstring(statement(app, "en")).text_content().split())
    # The axe-core the browser tests run, as package-lock.json pins it.
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    version = lock["packages"]["node_modules/axe-core"]["version"]
    assert version.startswith(accessibility.AXE_CORE + ".")
    assert f"axe-core {accessibility.AXE_CORE}" in page
    # The widths and roles the crawl uses (tests/browser reads them from the same module).
    assert "widths of 320 and 640 pixels" in page
    assert "administrator, board secretary, action owner, reader" in page
    # Dated, by a review that has happened by the app's today.
    with app.test_request_context():
        assert today() >= accessibility.REVIEWED
        assert f"last reviewed on {format_date(accessibility.REVIEWED)}" in page
    # What does not meet AA yet is listed.
    assert "Content that is not accessible" in page and "WCAG 3.1.2" in page


def test_every_page_links_to_the_statement(app, make, login):
    assert 'href="/tillganglighet"' in app.test_client().get("/login").get_data(as_text=True)
    page = login(make.user("viewer")).get("/").get_data(as_text=True)
    footer = page[page.index("<footer") :]
    assert 'href="/tillganglighet"' in footer
