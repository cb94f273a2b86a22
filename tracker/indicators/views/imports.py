"""The outcome import: upload a file, check it, confirm, and the template to fill in."""

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from tracker.auth.permissions import Action, require
from tracker.db import get_session
from tracker.editing import form_status, saving
from tracker.indicators import forms, importing
from tracker.indicators.views.blueprint import bp


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_outcomes():
    """Read an uploaded file of outcomes and show what it would save."""
    require(Action.EDIT_INDICATOR)
    form = forms.ImportForm()
    if not form.validate_on_submit():
        return render_template("indicators/import.html", form=form), form_status(form)
    upload = form.file.data
    try:
        raw_rows = importing.read_file(upload.filename, upload.read())
    except importing.ImportFileError as error:
        form.file.errors = [str(error)]
        return render_template("indicators/import.html", form=form), 400
    check = importing.check_rows(get_session(), raw_rows)
    confirm = forms.ConfirmImportForm(rows=importing.to_json(raw_rows))
    return render_template(
        "indicators/import.html",
        form=form,
        check=check,
        filename=upload.filename,
        confirm=confirm,
    ), (200 if check.ok else 400)


@bp.post("/import/confirm")
@login_required
def confirm_import():
    """Save the outcomes of an import the user has previewed."""
    require(Action.EDIT_INDICATOR)
    session = get_session()
    confirm = forms.ConfirmImportForm()
    form = forms.ImportForm(formdata=None)
    if not confirm.validate_on_submit():
        form.file.errors = [_("The preview could not be read. Upload the file again.")]
        return render_template("indicators/import.html", form=form), 400
    try:
        raw_rows = importing.from_json(confirm.rows.data)
    except importing.ImportFileError as error:
        form.file.errors = [str(error)]
        return render_template("indicators/import.html", form=form), 400
    check = importing.check_rows(session, raw_rows)
    if not check.ok:
        # Something changed since the preview: show the rows in error, save nothing.
        return render_template(
            "indicators/import.html", form=form, check=check, confirm=confirm
        ), 400
    with saving(session):
        result = importing.save_rows(session, check)
    flash(
        _(
            "Imported %(created)d new outcomes and replaced %(replaced)d.",
            created=result.created,
            replaced=result.replaced,
        ),
        "success",
    )
    if result.assignments:
        flash(
            ngettext(
                "%(num)d unit below the threshold got an assignment.",
                "%(num)d units below the threshold got an assignment.",
                len(result.assignments),
            ),
            "info",
        )
    return redirect(url_for("indicators.index"))


@bp.get("/import/template.csv")
@login_required
def import_template():
    """Send the CSV template for importing outcomes."""
    return Response(
        importing.template_csv(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=outcomes.csv"},
    )
