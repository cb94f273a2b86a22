"""A form sent after the session ended: kept through the sign-in, then sent again by the user.

The typed text may be long, so it waits in a file under instance/kept-forms/ (the cookie holds
only the file's random name); sending it again removes the file.
"""

import json
import secrets
from pathlib import Path

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _

KEY = "kept_form"


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "kept-forms"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_and_sign_in():
    """Keep the posted fields and send the user to sign in; the form comes back afterwards."""
    name = secrets.token_urlsafe(16)
    # Never a password on disk: the user types it again.
    fields = [
        (key, value)
        for key, value in request.form.items(multi=True)
        if key not in ("csrf_token", "password", "confirm")
    ]
    kept = {"url": request.path, "fields": fields}
    (_folder() / f"{name}.json").write_text(json.dumps(kept), encoding="utf-8")
    session[KEY] = name
    flash(_("Your session had ended. Sign in again: what you typed is kept."), "info")
    return redirect(url_for("auth.login", next=url_for("auth.resend")))


def take_kept() -> dict | None:
    """Return the kept form of this browser, if any, and forget it."""
    name = session.pop(KEY, None)
    if not name or not name.replace("-", "").replace("_", "").isalnum():
        return None
    path = _folder() / f"{name}.json"
    if not path.exists():
        return None
    kept = json.loads(path.read_text(encoding="utf-8"))
    path.unlink()
    return kept
