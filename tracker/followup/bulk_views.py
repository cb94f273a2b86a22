"""Bulk changes on the follow-up list: tick items, then set a status, post one update on each,
move the report-back date with a reason, or give them to another responsible person."""

from flask import Blueprint, abort, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from tracker import bulk, bulk_page
from tracker.db import get_session
from tracker.followup.forms import FilterForm
from tracker.followup.services.criteria import choices_for_filters
from tracker.followup.services.report import build_report
from tracker.measures import workbook
from tracker.measures.services import measures_answering

bp = Blueprint("followup_bulk", __name__)


def _page() -> bulk_page.Page:
    back = request.values.get("back", "")
    # Back to the list as it was filtered; only a path of the list itself, never elsewhere.
    if not back.startswith("/follow-up?") and back != "/follow-up":
        back = url_for("followup.index")
    return bulk_page.Page(
        kind=bulk.ITEMS,
        heading=_("Change the ticked items"),
        action=url_for("followup_bulk.change"),
        back=back,
        back_text=_("Back to the follow-up list"),
    )


@bp.get("/follow-up/bulk")
@login_required
def show():
    """Show the items ticked on the list with what can be done to them all."""
    return bulk_page.show(_page(), request.args.getlist("item"))


@bp.post("/follow-up/bulk")
@login_required
def change():
    """Do one thing to every ticked item, each with its version check."""
    return bulk_page.change(_page())


@bp.get("/follow-up/measures.xlsx")
@login_required
def measure_workbook():
    """Send the measures of the list's items as the workbook to edit and upload again."""
    session = get_session()
    form = FilterForm(formdata=request.args)
    form.fill_choices(choices_for_filters(session))
    if not form.validate():
        abort(400)
    report = build_report(
        session,
        criteria=form.criteria(),
        grouping=form.grouping(),
        body_rows=form.body_rows,
    )
    ids = sorted({row.id for group in report.groups for row in group.rows})
    rows = measures_answering(session, ids, limit=workbook.MAX_ROWS)
    return workbook.download(rows, "atgarder-uppfoljningslista.xlsx")
