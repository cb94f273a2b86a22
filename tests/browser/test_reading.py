"""Reading the pages, and the WCAG 2.1 AA checks axe cannot make, in Debian's Chromium.

Field borders' contrast is computed from the rendered styles, autocomplete is read from the
DOM; test_every_page measures every page's width down to 320 px.
"""

import re

import pytest
from sqlmodel import select

from tests.browser.conftest import sign_in
from tracker.db import session_scope
from tracker.models import Recommendation

pytestmark = pytest.mark.browser

# The relative luminance of an "rgb(r, g, b)" colour and the contrast of two (WCAG 2.1).
CONTRAST_JS = """
(selector) => {
  const lum = (css) => {
    const [r, g, b] = css.match(/[\\d.]+/g).slice(0, 3).map(Number).map((v) => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (el) => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      if (!colour.startsWith('rgba(0, 0, 0, 0)') && colour !== 'transparent') return colour;
    }
    return 'rgb(255, 255, 255)';
  };
  return [...document.querySelectorAll(selector)]
    .filter((el) => el.offsetParent !== null && el.type !== 'hidden')
    .map((el) => {
      const style = getComputedStyle(el);
      const [a, b] = [lum(style.borderTopColor), lum(background(el))];
      return {
        what: `${el.tagName.toLowerCase()}#${el.id || el.name}`,
        width: parseFloat(style.borderTopWidth),
        contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
      };
    });
}
"""
FIELDS = "input, select, textarea"


def test_every_field_and_checkbox_border_has_3_to_1_contrast(open_page, server):
    page, _check = open_page("sv", signed_in_as="admin")
    measured = []
    for path in ("/settings", "/follow-up", "/users/new", "/recommendations/new", "/measures/"):
        page.goto(server.url + path)
        measured += [(path, field) for field in page.evaluate(CONTRAST_JS, FIELDS)]
    checkboxes = [field for path, field in measured if path == "/follow-up"]
    assert any(f["what"].startswith("input#select-") for f in checkboxes)  # the list's boxes
    weak = [(path, f) for path, f in measured if f["contrast"] < 3 or f["width"] < 1]
    assert measured and weak == []


def test_sign_in_and_settings_fields_say_their_purpose(open_page, server):
    page, _check = open_page("en")
    page.goto(server.url + "/login")
    purpose = "(ids) => ids.map((id) => document.getElementById(id).autocomplete)"
    assert page.evaluate(purpose, ["email", "password"]) == ["username", "current-password"]
    sign_in(page, server, server.user("viewer", "en"))
    page.goto(server.url + "/settings")
    ids = ["name", "password", "confirm"]
    assert page.evaluate(purpose, ids) == ["name", "new-password", "new-password"]


# For each word of each table cell: one box, or the word was broken across two lines.
BROKEN_WORDS_JS = """
() => {
  const broken = [];
  for (const cell of document.querySelectorAll('main td, main th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/[\\p{L}\\d]+/gu)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}
"""


@pytest.mark.parametrize("width", [375, 1280])
def test_no_word_in_a_table_breaks_in_the_middle_and_wide_tables_scroll_in_their_box(
    open_page, server, width
):
    page, _check = open_page("sv", width=width, signed_in_as="secretary")
    ids = server.first_ids()
    for path in ("/", "/recommendations/", f"/sources/{ids['source_id']}", "/follow-up"):
        page.goto(server.url + path)
        assert page.evaluate(BROKEN_WORDS_JS) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, path
    page.goto(server.url + "/recommendations/")
    if width == 375:  # the table is wider than the phone: its own box scrolls
        box = page.locator("main .table-scroll").first
        assert box.evaluate("el => el.scrollWidth > el.clientWidth")


def test_the_header_menu_keeps_one_row_wide_and_opens_without_javascript_narrow(browser, server):
    user = server.user("admin", "sv")
    wide = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 800})
    page = wide.new_page()
    sign_in(page, server, user)
    tops = page.locator(".nav-list > li").evaluate_all(
        "items => items.map((li) => Math.round(li.getBoundingClientRect().top))"
    )
    assert len(tops) == 6 and len(set(tops)) == 1  # five links and "Mer" on one row
    label = page.locator("label[for=site-search-q]")
    assert label.is_visible() and label.inner_text() == "Sök"
    page.locator(".nav-more summary").click()
    assert page.get_by_role("link", name="Användare").is_visible()
    wide.close()

    narrow = browser.new_context(
        locale="sv-SE", viewport={"width": 375, "height": 740}, java_script_enabled=False
    )
    page = narrow.new_page()
    sign_in(page, server, user)
    assert page.locator("header").bounding_box()["height"] < 80
    assert not page.get_by_role("link", name="Rekommendationer", exact=True).is_visible()
    page.get_by_role("link", name="Meny").click()
    assert page.get_by_role("link", name="Rekommendationer", exact=True).is_visible()
    page.get_by_role("link", name="Rekommendationer", exact=True).click()
    assert page.locator("h1").inner_text().startswith("Rekommendationer")
    narrow.close()


def test_every_recommendation_has_its_own_title_and_heading_with_its_words(open_page, server):
    page, _check = open_page("sv", signed_in_as="secretary")
    with server.app.app_context(), session_scope() as session:
        items = session.exec(
            select(Recommendation.id, Recommendation.text, Recommendation.source_id)
        ).all()
    titles, headings = {}, {}
    for item_id, text, source_id in items:
        page.goto(f"{server.url}/recommendations/{item_id}")
        title, heading = page.title(), page.locator("h1").inner_text()
        first = " ".join(text.split()[:3])
        assert first in heading and first in title, (item_id, heading)
        titles.setdefault(title, []).append(item_id)
        # The same words may open items of two reports (the journeys type some): the title
        # names the report, so a heading need only be its report's own.
        headings.setdefault((heading, source_id), []).append(item_id)
        page.goto(f"{server.url}/recommendations/{item_id}/update")
        assert page.title().startswith("Lägesrapport: ") and first in page.title()
    assert [t for t, ids in titles.items() if len(ids) > 1] == []
    assert len(headings) == len(items)


def test_language_from_the_browser_switched_from_the_header_and_swedish_marked(open_page, server):
    page, _check = open_page("en")
    user = server.user("viewer", "sv")  # made in Swedish; the browser asks for English
    sign_in(page, server, user)
    assert page.locator("html").get_attribute("lang") == "en"
    ids = server.first_ids()
    page.goto(f"{server.url}/recommendations/{ids['recommendation_id']}")
    # The documents' Swedish words are marked on an English page (WCAG 3.1.2).
    assert page.locator("main .lead [lang=sv]").count() == 1
    assert page.locator("h1 [lang=sv]").count() == 1
    page.get_by_role("link", name="Svenska").click()
    assert page.locator("html").get_attribute("lang") == "sv"
    assert re.search(r"/recommendations/\d+$", page.url)  # the same page
    page.context.clear_cookies()  # a new browser session: the choice is kept on the user
    sign_in(page, server, user)
    assert page.locator("html").get_attribute("lang") == "sv"


def test_a_flash_message_takes_the_focus_after_saving(open_page, server):
    page, _check = open_page("en")
    sign_in(page, server, server.user("viewer", "en"))
    page.goto(server.url + "/settings")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.evaluate("document.activeElement.id") == "flashes"
    assert "Your settings are saved." in page.locator("#flashes").inner_text()
