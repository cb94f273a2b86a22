"""A form that could not be saved (the session ended, the database was down), kept to resend.

The typed text may be long, so it waits in a file under instance/kept-forms/ (the session
holds only the file's random name); sending it again removes the file. Only our own forms are
kept: a form without a session must carry a CSRF token of this browser's last session, proved
by a SameSite=Strict cookie that a cross-site post never carries, or come from a page of ours
by its Origin (docs/decisions/0022-kept-forms-and-sign-in-throttling.md). Kept forms are
bounded in size and number, per browser and in total, and expire after a day.
"""

import hashlib
import hmac
import json
import os
import time
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from itsdangerous import BadData, URLSafeTimedSerializer

KEY = "kept_forms"
BROWSER_COOKIE = "tracker_form_key"
DAY = 24 * 3600
# Defaults of the bounds; KEPT_FORM_* settings override them (tests make them small).
BOUNDS = {
    "KEPT_FORM_MAX_BYTES": 256 * 1024,  # one form: far more text than anyone types
    "KEPT_FORMS_PER_BROWSER": 3,
    "KEPT_FORMS_PER_ADDRESS": 20,
    "KEPT_FORMS_TOTAL": 500,
    "KEPT_FORMS_TOTAL_BYTES": 20 * 1024 * 1024,
}
# Never on disk: any field whose name holds one of these (current_password, new_password…).
SECRET_PARTS = ("password", "passwd", "passord", "losenord", "lösenord", "confirm", "csrf")


def _bound(name: str) -> int:
    return int(current_app.config.get(name, BOUNDS[name]))


def _folder() -> Path:
    instance = current_app.config.get("INSTANCE_DIR") or current_app.instance_path
    folder = Path(instance) / "kept-forms"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _browser_key(raw_token: str) -> str:
    """Return this browser's key: a MAC of its session's raw CSRF token, never the token."""
    secret = str(current_app.secret_key).encode()
    return hmac.new(secret, raw_token.encode(), hashlib.sha256).hexdigest()[:40]


def init_app(app: Flask) -> None:
    """Bind each session's CSRF token to its browser by a cookie cross-site posts never carry."""

    @app.after_request
    def _remember_the_browser(response):
        raw = session.get(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
        known = request.cookies.get(BROWSER_COOKIE, "").split(".")
        if raw and _browser_key(raw) not in known:
            # The last three sessions: a form opened in another tab before a new sign-in page.
            response.set_cookie(
                BROWSER_COOKIE,
                ".".join(([key for key in known if key] + [_browser_key(raw)])[-3:]),
                max_age=DAY,
                httponly=True,
                samesite="Strict",
                secure=app.config["SESSION_COOKIE_SECURE"],
            )
        return response


def session_browser() -> str:
    """Return the browser key of the current session (whose CSRF token the post carried)."""
    return _browser_key(str(session.get("csrf_token", "")))


def _posted_token_is_this_browsers() -> str | None:
    """Return the browser key if the posted CSRF token was this browser's session's."""
    token = request.form.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), "")
    serializer = URLSafeTimedSerializer(current_app.secret_key, salt="wtf-csrf-token")
    try:
        raw = serializer.loads(token)  # any age: the session, not the token, ended
    except BadData:
        return None
    key = _browser_key(str(raw))
    known = request.cookies.get(BROWSER_COOKIE, "").split(".")
    return key if any(hmac.compare_digest(key, mine) for mine in known) else None


def _our_origin() -> bool | None:
    """Tell whether Origin (or Referer) names this site; None when the browser sent neither."""
    sent = request.headers.get("Origin") or request.headers.get("Referer")
    if not sent or sent == "null":
        return None if not sent else False
    ours = {request.host, urlsplit(current_app.config.get("BASE_URL", "")).netloc} - {""}
    return urlsplit(sent).netloc in ours


def is_our_form() -> str | None:
    """Return a browser key when a session-less post came from our page, else None."""
    if _our_origin() is False:
        return None  # another site's page: never kept, whatever it carries
    key = _posted_token_is_this_browsers()
    if key is None and _our_origin():
        key = "origin:" + hashlib.sha256(get_remote_address().encode()).hexdigest()[:32]
    return key


def kept_fields() -> list[tuple[str, str]]:
    """Return the posted fields that may be kept: never a password or a token."""
    return [
        (name, value)
        for name, value in request.form.items(multi=True)
        if not any(part in name.casefold() for part in SECRET_PARTS)
    ]


def _sweep(folder: Path) -> list[tuple[Path, dict]]:
    """Remove expired kept forms; return the others, oldest first."""
    kept = []
    for path in folder.glob("*.json"):
        try:
            if time.time() - path.stat().st_mtime > DAY:
                path.unlink()
                continue
            kept.append((path, json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            continue  # removed meanwhile by another worker, or half written
    return sorted(kept, key=lambda item: item[1].get("at", 0))


def keep(browser: str) -> str | None:
    """Keep the posted fields within the bounds; return the kept form's name, or None."""
    address = hashlib.sha256(get_remote_address().encode()).hexdigest()[:32]
    record = {
        "url": request.path,
        "fields": kept_fields(),
        "browser": browser,
        "address": address,
        "at": time.time(),
    }
    text = json.dumps(record)
    if len(text.encode()) > _bound("KEPT_FORM_MAX_BYTES"):
        return None
    folder = _folder()
    others = _make_room(folder, browser)
    if _bounds_reached(others, address, len(text.encode())):
        current_app.logger.warning("kept form refused: the kept-forms bounds are reached")
        return None
    name = os.urandom(16).hex()
    descriptor = os.open(folder / f"{name}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    session[KEY] = ([n for n in session.get(KEY, []) if isinstance(n, str)] + [name])[-3:]
    return name


def _make_room(folder: Path, browser: str) -> list[tuple[Path, dict]]:
    """Remove this browser's oldest kept forms over its bound; return the kept forms left."""
    others = _sweep(folder)
    mine = [path for path, other in others if other.get("browser") == browser]
    for path in mine[: max(0, len(mine) - _bound("KEPT_FORMS_PER_BROWSER") + 1)]:
        path.unlink(missing_ok=True)  # this browser's oldest give way to its newest
    return [(path, other) for path, other in others if path.exists()]


def _bounds_reached(others: list[tuple[Path, dict]], address: str, size: int) -> bool:
    """Tell whether one more kept form of this size would pass the address's or all bounds."""
    from_address = sum(other.get("address") == address for _path, other in others)
    total_bytes = sum(path.stat().st_size for path, _other in others if path.exists())
    return (
        from_address >= _bound("KEPT_FORMS_PER_ADDRESS")
        or len(others) >= _bound("KEPT_FORMS_TOTAL")
        or total_bytes + size > _bound("KEPT_FORMS_TOTAL_BYTES")
    )


def keep_and_sign_in():
    """Keep our own form and send the user to sign in; another site's form is dropped."""
    browser = is_our_form()
    if browser and keep(browser):
        flash(_("Your session had ended. Sign in again: what you typed is kept."), "info")
    else:
        flash(_("Your session had ended and the form was not kept. Sign in and fill it in again."))
    return redirect(url_for("auth.login", next=url_for("auth.resend")))


def take_kept() -> list[dict]:
    """Return the kept forms of this browser, newest first, and forget them."""
    names = [n for n in session.pop(KEY, None) or [] if isinstance(n, str) and n.isalnum()]
    known = set(request.cookies.get(BROWSER_COOKIE, "").split(".")) - {""}
    folder = _folder()
    mine = [path.stem for path, kept in _sweep(folder) if kept.get("browser") in known]
    found = []
    for name in reversed(list(dict.fromkeys(mine + names))):
        path = folder / f"{name}.json"
        try:
            found.append(json.loads(path.read_text(encoding="utf-8")))
            path.unlink()
        except (OSError, ValueError):
            continue  # sent, or expired, meanwhile
    return sorted(found, key=lambda kept: -kept.get("at", 0))
