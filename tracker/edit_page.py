"""The one edit page: load the row, check the role, save its form or show a conflict.

Every edit page is the same few steps: editable() loads the row and checks the role, the page
builds its form, and edit_page() validates, saves through a service, and re-shows the form on
errors or on a conflict (what was typed kept, the other editor's saved values beside it: the
conflict_notice macro with tracker.editing.differences).

What differs from page to page is given to edit_page(): check validates beyond the form's own
validators and returns what save needs (falsy: refused); save calls the service, which raises
ConflictError on a stale version; refusals map a service's refusal to a mark on the form; done
runs once the save is committed; shown adds what the re-shown page needs, given the row as
saved now on a conflict; saved (the message) and then (where to go) may be functions, read
after the save.
"""

from collections.abc import Callable, Mapping
from typing import Any

from flask import abort, flash, redirect, render_template
from sqlmodel import SQLModel

from tracker.auth.permissions import RULES, Action, require
from tracker.db import get_session
from tracker.editing import form_status, saving


def editable(model: type[SQLModel], row_id: int, action: Action, *, read: Callable | None = None):
    """Return the row to edit if the signed-in user may: 404 when there is none, else 403."""
    rule = RULES[action]
    if not rule.scoped and not rule.on_their_own:
        require(action)  # the role alone decides: refuse before telling whether the row exists
    session = get_session()
    row = session.get(model, row_id) if read is None else read(session, model, row_id)
    if row is None:
        abort(404)
    require(action, row)
    return row


def edit_page(
    form,
    *,
    template: str,
    save: Callable[[Any], Any],
    saved: str | Callable[[], str],
    then: str | Callable[[], str],
    check: Callable[[], Any] | None = None,
    refusals: Mapping[type[Exception], Callable[[Any], None]] | None = None,
    done: Callable[[Any], None] | None = None,
    shown: Callable[[SQLModel | None], dict] | None = None,
    **context,
):
    """Save a posted edit form through a service and go on, or re-show it with what went wrong."""
    conflict = None
    checked = (check or form.validate_on_submit)()
    if checked:
        try:
            with saving(get_session(), form) as attempt:
                result = save(checked)
        except tuple(refusals or ()) as refusal:
            _refused(refusals, refusal)
        else:
            conflict = attempt.conflict
            if conflict is None:
                if done:
                    done(result)
                flash(saved() if callable(saved) else saved, "success")
                return redirect(then() if callable(then) else then)
    if shown:
        context.update(shown(conflict))
    return render_template(template, form=form, conflict=conflict, **context), form_status(
        form, conflict
    )


def _refused(refusals: Mapping, refusal: Exception) -> None:
    """Hand a refusal to the first handler named for its kind."""
    next(mark for kind, mark in refusals.items() if isinstance(refusal, kind))(refusal)
