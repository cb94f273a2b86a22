"""Languages: the user's choice, else a cookie, else the browser's Accept-Language."""

from flask import Flask, has_request_context, request
from flask_babel import Babel, get_locale
from flask_login import current_user
from markupsafe import Markup, escape

babel = Babel()
LANGUAGES = ("sv", "en")


def select_locale() -> str:
    """Return the language for this request; Swedish outside a request (commands, scheduler)."""
    if not has_request_context():
        return "sv"
    if current_user and current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    chosen = request.cookies.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES, default="sv")


def browser_language() -> str | None:
    """Return the language the browser asks for first, if it is one of ours."""
    # Without the header Werkzeug accepts anything and would pick our first language.
    if not request.headers.get("Accept-Language"):
        return None
    return request.accept_languages.best_match(LANGUAGES)


def init_app(app: Flask) -> None:
    """Bind Flask-Babel to the app, with catalogues under tracker/translations."""
    babel.init_app(app, locale_selector=select_locale)


def swedish(text) -> Markup:
    """Mark the documents' own Swedish words on a page in another language (WCAG 3.1.2)."""
    if text is None or text == "":
        return Markup("")
    if get_locale().language == "sv":
        return escape(text)
    return Markup('<span lang="sv">%s</span>') % (text,)


def swedish_choices(pairs) -> list:
    """Return a select's (value, label) pairs, each option marked Swedish on an English page."""
    if get_locale().language == "sv":
        return list(pairs)
    return [(value, label, {"lang": "sv"}) for value, label in pairs]


def english(text) -> Markup:
    """Mark English text on a Swedish page, such as the API's own description (WCAG 3.1.2)."""
    if not text or get_locale().language == "en":
        return escape(text or "")
    return Markup('<span lang="en">%s</span>') % (text,)


def lang_attribute(language: str = "sv") -> Markup:
    """Return ` lang="sv"` for an element wholly in that language, if the page is not."""
    if get_locale().language == language:
        return Markup("")
    return Markup(' lang="%s"') % (language,)
