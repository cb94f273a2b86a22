"""Find a person or a source by what the user typed: a searchable field without JavaScript.

A filter that once listed every user or every source in a select box is a text box instead:
the server looks the text up when the form is sent. A link may still carry the row's id.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select
from wtforms import StringField
from wtforms.validators import StopValidation

from tracker.models import Role, Source, User
from tracker.security import MAX_ID

# What each kind of lookup searches: the model, the column people know a row by, and which
# rows may be chosen (an owner must be able to post status updates: not a viewer).
KINDS = {
    "person": (User, User.name, None),
    "owner": (User, User.name, User.role != Role.VIEWER),
    "source": (Source, Source.title, None),
}
SHOWN = 5  # matches named when the text fits several


@dataclass
class Found:
    id: int | None  # the row found, or None
    text: str  # what the box shows: the row's name, else what the user typed
    error: str = ""


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def look_up(session: Session, kind: str, value: str | None) -> Found:
    """Resolve an id or part of a name to one row, or say why not; no query when empty."""
    value = (value or "").strip()
    if not value:
        return Found(None, "")
    model, column, allowed = KINDS[kind]
    choosable = [] if allowed is None else [allowed]
    # An id too large for the column is no id: it is looked up as text and matches nothing.
    if value.isdigit() and int(value) <= MAX_ID:
        name = session.exec(select(column).where(model.id == int(value), *choosable)).first()
        if name is None:
            return Found(None, value, _("Nothing matches “%(text)s”.", text=value))
        return Found(int(value), name)
    rows = session.exec(
        select(model.id, column)
        .where(column.ilike(_like(value), escape="\\"), *choosable)
        # A name typed in full wins over longer names that contain it.
        .order_by((column == value).desc(), column, model.id)
        .limit(SHOWN + 1)
    ).all()
    if not rows:
        return Found(None, value, _("Nothing matches “%(text)s”.", text=value))
    if len(rows) == 1 or (rows[0][1] == value and rows[1][1] != value):
        return Found(*rows[0])
    names = "; ".join(name for _id, name in rows[:SHOWN])
    if len(rows) > SHOWN:
        names += " …"
    return Found(None, value, _("Several match: %(names)s. Type more of the name.", names=names))


class LookupField(StringField):
    """A text box that finds one person or source by part of its name, or takes its id."""

    def __init__(self, label=None, validators=None, *, kind: str, **kwargs):
        kwargs.setdefault("description", _l("Type part of the name."))
        kwargs.setdefault("render_kw", {"autocomplete": "off"})
        super().__init__(label, validators, **kwargs)
        self.kind = kind
        self.raw = ""
        self.shown = ""

    def process_data(self, value):
        # A form filled from a row (or a link) holds the id; the box shows the row's name.
        self.data = value if isinstance(value, int) else None
        self.raw = "" if self.data is None else str(self.data)
        self.shown = ""

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "") or ""
        self.shown = self.raw
        self.data = None

    def pre_validate(self, form):
        from tracker.db import get_session

        found = look_up(get_session(), self.kind, self.raw)
        self.data, self.shown = found.id, found.text
        if found.error:
            # Stop here: "required" would otherwise replace the message about the text typed.
            raise StopValidation(found.error)

    def _value(self):
        if not self.shown and self.data is not None:
            from tracker.db import get_session

            self.shown = look_up(get_session(), self.kind, str(self.data)).text
        return self.shown
