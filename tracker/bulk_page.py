"""The one bulk page, for the measure list and the follow-up list: the ticked rows, what to do
to each, and after sending, what was saved and which rows conflict (the typed values kept)."""

from dataclasses import dataclass

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from tracker import bulk, labels
from tracker.auth.permissions import can, require
from tracker.auth.visibility import get_visible
from tracker.bulk_forms import BulkForm, bulk_form
from tracker.date_moves import MoveNeedsReason, move_refused
from tracker.db import get_session
from tracker.models import UpdateWay, User
from tracker.security import bounded_int


@dataclass
class Page:
    """What differs between the lists' bulk pages: their words and where the page posts."""

    kind: bulk.Kind
    heading: str
    action: str  # the URL the form posts to
    back: str  # the list's URL
    back_text: str


@dataclass
class Ticked:
    """A row on the page: ticked at the version read now, and why it is shown again."""

    row: object
    version: int
    outcome: bulk.Outcome | None = None
    now: str = ""  # a conflicting row's values as saved now


def ticked_pairs(values) -> list[tuple[int, int]]:
    """Return the (id, version) pairs the boxes sent as "id:version"."""
    pairs = []
    for value in values:
        row_id, _sep, version = str(value).partition(":")
        try:
            pairs.append((bounded_int(row_id), bounded_int(version)))
        except (TypeError, ValueError):
            continue
    return pairs


def requested_rows(kind: bulk.Kind, values) -> list[Ticked]:
    """Return the rows asked for by id that the user may see, ticked at their version now."""
    session = get_session()
    rows = []
    for value in dict.fromkeys(values):
        try:
            row = get_visible(session, kind.model, bounded_int(value))
        except (TypeError, ValueError):
            continue
        if row is not None:
            rows.append(Ticked(row, row.version))
    return rows


def mine(kind: bulk.Kind, changes: list[bulk.Change]):
    """Split changes into those the user may make and the refused ones, with the reason."""
    session = get_session()
    allowed, refused = [], []
    for change in changes:
        row = get_visible(session, kind.model, change.item_id)
        if row is None:
            refused.append(bulk.Outcome(change, errors=[str(kind.missing)]))
        elif not can(current_user, kind.edit, row):
            refused.append(bulk.Outcome(change, title=kind.title(row), errors=[str(kind.refused)]))
        else:
            allowed.append(change)
    return allowed, refused


def shown(name: str, value) -> str:
    """Write a changed value as the user reads it."""
    if name in ("owner_id", "responsible_id") and value not in (None, "", bulk.UNSET):
        user = get_session().get(User, value)
        return user.name if user else str(value)
    return labels.change_value(name, None if value is bulk.UNSET else value)


def _changes(form: BulkForm, pairs: list[tuple[int, int]]) -> list[bulk.Change]:
    return [
        bulk.Change(
            row_id,
            version,
            status=form.status.data or bulk.UNSET,
            due_date=form.due_date.data or bulk.UNSET,
            owner_id=form.owner_id.data or bulk.UNSET,
            text=form.text.data or "",
            reason=form.due_date_reason.data or "",
            agreed_by=form.due_date_agreed_by.data or "",
        )
        for row_id, version in pairs
    ]


def render(page: Page, form: BulkForm, rows: list[Ticked], outcomes=(), status: int = 200):
    """Show the bulk page: what was done, the rows still ticked, the form as typed."""
    return render_template(
        "bulk.html",
        page=page,
        form=form,
        rows=rows,
        saved=[outcome for outcome in outcomes if outcome.saved],
        unchanged=bool(outcomes) and not any(o.fields or o.errors for o in outcomes),
        shown=shown,
    ), status


def show(page: Page, ids) -> tuple:
    """Show the bulk page for the rows asked for, none of them changed yet."""
    require(page.kind.use)
    rows = requested_rows(page.kind, ids)
    form = bulk_form(page.kind, formdata=None)
    if not rows:
        form.form_errors.append(_("Tick at least one row in the list."))
    return render(page, form, rows, status=200 if rows else 400)


def change(page: Page) -> tuple:
    """Do one thing to every ticked row, each with its version check; show what happened."""
    require(page.kind.use)
    session = get_session()
    form = bulk_form(page.kind)
    pairs = ticked_pairs(request.form.getlist("item"))
    if not pairs:
        form.form_errors.append(_("Tick at least one row in the list."))
    if not (form.validate_on_submit() and pairs):
        return render(page, form, _as_ticked(page.kind, pairs), status=400)
    changes, refused = mine(page.kind, _changes(form, pairs))
    previews = bulk.preview(session, changes, page.kind)
    missing = sorted({name for outcome in previews for name in outcome.missing})
    if missing:
        # The same reason serves every row: ask for it once, next to its field.
        move_refused(form, MoveNeedsReason(missing), prefix="due_date_")
        return render(page, form, _as_ticked(page.kind, pairs), status=400)
    outcomes = bulk.apply(session, changes, user=current_user, via=UpdateWay.BULK, kind=page.kind)
    outcomes += refused
    again = [_shown_again(page.kind, o) for o in outcomes if o.conflict or o.errors]
    conflict = any(o.conflict for o in outcomes)
    if not again:
        form = bulk_form(page.kind, formdata=None)  # all done: nothing left to send again
    return render(page, form, again, outcomes, status=409 if conflict else 200)


def _as_ticked(kind: bulk.Kind, pairs: list[tuple[int, int]]) -> list[Ticked]:
    """Return the rows sent, at the versions they were sent with."""
    session = get_session()
    found = [(get_visible(session, kind.model, row_id), version) for row_id, version in pairs]
    return [Ticked(row, version) for row, version in found if row is not None]


def _shown_again(kind: bulk.Kind, outcome: bulk.Outcome) -> Ticked:
    """Return a row that was not saved, read as saved now: ticking it again is deliberate."""
    session = get_session()
    row = get_visible(session, kind.model, outcome.change.item_id)
    if row is None:
        return Ticked(None, 0, outcome)
    session.refresh(row)
    now = ", ".join(
        f"{labels.field_label(name)}: {shown(name, value)}"
        for name, value in (
            ("status", row.status),
            ("due_date", kind.deadline(session, row)),
            (kind.owner_field, getattr(row, kind.owner_field)),
        )
    )
    return Ticked(row, row.version, outcome, now)
