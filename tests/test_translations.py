"""Every marked string has its Swedish and English translation; Swedish is the default."""

import html
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import fresh
from tracker.models import User

ROOT = Path(__file__).resolve().parent.parent
METHODS = [
    ("tracker/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]
OPTIONS = {
    "templates/**.html": {"extensions": "jinja2.ext.do"},
    "templates/**.txt": {"extensions": "jinja2.ext.do"},
}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def marked_strings() -> set:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, options_map=OPTIONS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_marked_string_is_translated(language):
    path = ROOT / "tracker" / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    translated = set()
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key and all(strings) and not message.fuzzy:
            translated.add(key)
    missing = sorted(marked_strings() - translated)
    assert missing == [], f"not translated in {language} (run `make messages`): {missing[:20]}"


def test_the_interface_is_swedish_by_default_and_english_on_request(app):
    client = app.test_client()
    client.environ_base.pop("HTTP_ACCEPT_LANGUAGE", None)
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="sv"' in page and "Logga in" in page
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.8"
    assert "Sign in" in client.get("/login").get_data(as_text=True)


def test_a_signed_in_users_language_wins_over_the_browser(make, login, session):
    user = make.user("viewer", language="sv")
    user.first_signed_in_at = user.created_at  # has signed in before, and chose Swedish
    session.commit()
    client = login(user)
    page = client.get("/my-work").get_data(as_text=True)
    assert "Mitt arbete" in page


def test_the_first_sign_in_takes_the_browsers_language_and_the_header_link_keeps_a_choice(
    make, login, session
):
    user = make.user("viewer", language="sv")  # as an admin or the CLI made it
    client = login(user)  # the browser asks for English
    page = client.get("/my-work").get_data(as_text=True)
    assert "My work" in page and fresh(session).get(User, user.id).language == "en"
    switch = re.search(r'<a class="nav-link" lang="sv" hreflang="sv" href="([^"]+)"', page)[1]
    assert client.get(html.unescape(switch)).status_code == 302
    assert fresh(session).get(User, user.id).language == "sv"
    client.post("/logout", data={"csrf_token": client.csrf()})
    page = login(user).get("/my-work").get_data(as_text=True)  # a new session: kept on the user
    assert "Mitt arbete" in page and 'lang="sv"' in page


def test_english_lists_mark_the_documents_swedish_words(make, login):
    text = "Säkerställ att hälsocentralerna följer upp telefontillgängligheten."
    make.recommendation(text=text)  # no one answers for it: it is on the start page's to-do list
    client = login(make.user("secretary"))  # the test browser asks for English
    followup = client.get("/follow-up").get_data(as_text=True)
    assert f'<span lang="sv">{text}</span>' in followup
    start = client.get("/").get_data(as_text=True)
    assert '<span lang="sv">Säkerställ att hälsocentralerna' in start
