"""Find a person, source or meeting by what the user typed: a field that needs no JavaScript.

A filter that once listed every user or every source in a select box is a text box instead:
the server looks the text up when the form is sent. A link may still carry the row's id.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast
from sqlmodel import Session, func, select
from wtforms import Field, StringField
from wtforms.utils import unset_value
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

from tracker.models import Body, Meeting, Recommendation, Role, Source, User
from tracker.security import MAX_ID

# What each kind of lookup searches: the model, the column people know a row by, and which
# rows may be chosen (an owner must be able to post status updates: not a viewer).
KINDS = {
    "person": (User, User.name, None),
    "owner": (User, User.name, User.role != Role.VIEWER),
    "source": (Source, Source.title, None),
    # A recommendation is known by its number in the source and its text.
    "recommendation": (
        Recommendation,
        func.ltrim(Recommendation.number + " " + Recommendation.text),
        None,
    ),
    # A meeting is known as the lists name it: "RS 2017-12-19", then its title if any.
    "meeting": (
        Meeting,
        func.rtrim(
            select(Body.code).where(Body.id == Meeting.body_id).scalar_subquery()
            + " "
            + cast(Meeting.held_on, String)
            + " "
            + Meeting.title
        ),
        None,
    ),
}
SHOWN = 5  # matches named when the text fits several
NAMED = 90  # characters of a long name (a recommendation's text) shown


def short(name: str) -> str:
    """Cut a long name to what a list or a message shows."""
    return name if len(name) <= NAMED else name[:NAMED] + "…"


@dataclass
class Found:
    id: int | None  # the row found, or None
    text: str  # what the box shows: the row's name, else what the user typed
    error: str = ""


def like_pattern(text: str) -> str:
    """Return a LIKE pattern that finds the text anywhere, its wildcards escaped by "\\"."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def look_up(
    session: Session, kind: str, value: str | None, *, by_id: bool = True, where=None
) -> Found:
    """Resolve an id or part of a name to one row, or say why not; no query when empty."""
    value = (value or "").strip()
    if not value:
        return Found(None, "")
    model, column, allowed = KINDS[kind]
    choosable = [condition for condition in (allowed, where) if condition is not None]
    # An id too large for the column is no id: it is looked up as text and matches nothing.
    if by_id and value.isdigit() and int(value) <= MAX_ID:
        return _by_id(session, model, column, choosable, value)
    return _by_name(session, model, column, choosable, value)


def _by_id(session: Session, model, column, choosable: list, value: str) -> Found:
    """Find the choosable row with this id, or say that nothing matches."""
    name = session.exec(select(column).where(model.id == int(value), *choosable)).first()
    if name is None:
        return Found(None, value, _("Nothing matches “%(text)s”.", text=value))
    return Found(int(value), name)


def _by_name(session: Session, model, column, choosable: list, value: str) -> Found:
    """Find the one choosable row whose name holds the text, or name the several that do."""
    rows = session.exec(
        select(model.id, column)
        .where(column.ilike(like_pattern(value), escape="\\"), *choosable)
        # A name typed in full wins over longer names that contain it.
        .order_by((column == value).desc(), column, model.id)
        .limit(SHOWN + 1)
    ).all()
    if not rows:
        return Found(None, value, _("Nothing matches “%(text)s”.", text=value))
    if len(rows) == 1 or (rows[0][1] == value and rows[1][1] != value):
        return Found(*rows[0])
    names = "; ".join(short(name) for _id, name in rows[:SHOWN])
    if len(rows) > SHOWN:
        names += " …"
    return Found(None, value, _("Several match: %(names)s. Type more of the name.", names=names))


class LookupField(StringField):
    """A text box that finds one person, source or meeting by part of its name, or its id."""

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


@dataclass
class Typed:
    text: str  # what the user typed in an "add" box
    error: str = ""


class LookupListField(Field):
    """Choose several rows without a select of them all: a tick box each, text boxes to add.

    The ticked boxes send ids under the field's name; the "add" boxes send text under
    `<name>-add`, found by part of the name (never by id: a recommendation's number is digits).
    What is found becomes a ticked box; what is not stays in its box, with its message.
    """

    widget = TextInput()  # never drawn (the template draws the boxes); it is not a hidden field
    ADD_BOXES = 3  # empty "add" boxes shown: enough for one sitting, more after saving

    def __init__(self, label=None, validators=None, *, kind: str, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.kind = kind
        self.where = None  # which rows this user may choose, set by the view
        self.checked: list[str] = []
        self.typed: list[Typed] = []
        self.refused: list[str] = []  # messages about ticked ids that are not to be had

    @property
    def add_name(self) -> str:
        return f"{self.name}-add"

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if formdata is not None:
            self.typed = [Typed(text) for text in formdata.getlist(self.add_name) if text.strip()]

    def process_data(self, value):
        self.data = [int(id_) for id_ in value or ()]

    def process_formdata(self, valuelist):
        self.checked = [value.strip() for value in valuelist if value.strip()]
        self.data = []

    def pre_validate(self, form):
        from tracker.db import get_session

        session = get_session()
        ids = {int(v) for v in self.checked if v.isdigit() and int(v) <= MAX_ID}
        allowed = dict(self._labels(session, ids))
        for value in self.checked:
            if not value.isdigit() or int(value) not in allowed:
                self.refused.append(_("Nothing matches “%(text)s”.", text=value))
                self.errors.append(self.refused[-1])
            elif int(value) not in self.data:
                self.data.append(int(value))
        for typed in self.typed:
            found = look_up(session, self.kind, typed.text, by_id=False, where=self.where)
            typed.error = found.error
            if found.error:
                self.errors.append(found.error)
            elif found.id not in self.data:
                self.data.append(found.id)
        self.typed = [typed for typed in self.typed if typed.error]

    def _labels(self, session: Session, ids) -> list[tuple[int, str]]:
        if not ids:
            return []
        model, column, allowed = KINDS[self.kind]
        choosable = [c for c in (allowed, self.where) if c is not None]
        rows = session.exec(
            select(model.id, column).where(model.id.in_(ids), *choosable).order_by(model.id)
        )
        return [(id_, short(name)) for id_, name in rows]

    def chosen(self) -> list[tuple[int, str]]:
        """Return (id, name) of the rows chosen, for the ticked boxes."""
        from tracker.db import get_session

        return self._labels(get_session(), set(self.data or ()))

    def boxes(self) -> list[Typed]:
        """Return the "add" boxes: the text not found, with its message, then empty ones."""
        return self.typed + [Typed("")] * max(1, self.ADD_BOXES - len(self.typed))
