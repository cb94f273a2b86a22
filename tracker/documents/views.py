"""The administrators' page for the region's Word template (letterhead)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf.file import FileField

from tracker import dates
from tracker.auth.permissions import Action, require
from tracker.documents import letterhead
from tracker.forms import Form
from tracker.models import utcnow

bp = Blueprint("documents", __name__)


class LetterheadForm(Form):
    template = FileField(_l("The region's Word template (.dotx or .docx)"))


def _page(form, status=200):
    return render_template(
        "documents/letterhead.html",
        form=form,
        current=letterhead.current_template(),
        max_mb=f"{letterhead.MAX_BYTES / (1024 * 1024):g}",
    ), status


@bp.get("/admin/letterhead")
@login_required
def letterhead_page():
    """Show the Word template in use and the form to upload another."""
    require(Action.ADMIN)
    return _page(LetterheadForm(formdata=None))


@bp.post("/admin/letterhead")
@login_required
def upload():
    """Check and store an uploaded Word template for the region's letters."""
    require(Action.ADMIN)
    form = LetterheadForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    upload = form.template.data
    if not upload or not upload.filename:
        form.template.errors = [_("Choose the template file.")]
        return _page(form, 422)
    try:
        letterhead.save_template(
            upload.stream, upload.filename, by=current_user.name, now=dates.local(utcnow())
        )
    except letterhead.EvidenceError as error:
        form.template.errors = [str(error)]
        return _page(form, 422)
    flash(_("The template is in use: every Word document is now written into it."), "success")
    return redirect(url_for("documents.letterhead_page"))


@bp.post("/admin/letterhead/remove")
@login_required
def remove():
    """Go back to the built-in plain Word template."""
    require(Action.ADMIN)
    form = Form()
    if form.validate_on_submit():
        letterhead.remove_template()
        flash(_("The built-in plain template is in use again."), "success")
    return redirect(url_for("documents.letterhead_page"))
