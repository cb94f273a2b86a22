"""Pages for sources."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import evidence, labels
from tracker.auth.permissions import Action, can, require
from tracker.auth.scope import Bodies, body_names, limited_to, own_choices
from tracker.auth.services import names_of
from tracker.auth.visibility import get_visible, row_visible
from tracker.db import get_session
from tracker.edit_page import edit_page, editable
from tracker.editing import saving
from tracker.history import history
from tracker.i18n import swedish_choices
from tracker.meetings.services import body_choices, list_bodies, meeting_choices
from tracker.models import Body, Meeting, Source, SourceAttachment
from tracker.recommendations.services import list_recommendations
from tracker.reminders.services.pages import reminders_of
from tracker.responses import review
from tracker.responses.services import (
    addressees_of,
    findings_of,
    responses_of,
    secretary_names,
    set_addressees,
    update_source,
)
from tracker.sources import forms, report_forms, reports, services
from tracker.sources.services import source_choices

bp = Blueprint("sources", __name__, url_prefix="/sources")


@bp.get("/")
@login_required
def index():
    """List the sources, filtered."""
    session = get_session()
    args = {
        "body": request.args.get("body", type=int),
        "kind": request.args.get("kind") or None,
        "q": request.args.get("q") or None,
    }
    page = services.list_sources(
        session,
        body_id=args["body"],
        kind=args["kind"],
        query_text=args["q"],
        page=request.args.get("page", 1, type=int),
        size=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "sources/index.html",
        page=page,
        args={key: value for key, value in args.items() if value},
        bodies=[(body.id, body.code) for body in list_bodies(session)],
    )


@bp.get("/<int:source_id>")
@login_required
def detail(source_id: int):
    """Show a source with its recommendations, responses, findings and history."""
    session = get_session()
    source = get_visible(session, Source, source_id) or abort(404)
    recommendations = list_recommendations(session, source_id=source.id, size=1000)
    responses = responses_of(session, source.id)
    return render_template(
        "sources/detail.html",
        reminders=reminders_of(session, item_type="source", item_id=source.id),
        source=source,
        issuer=source.issuer_id and session.get(Body, source.issuer_id),
        addressees=addressees_of(session, source.id),
        responses=responses,
        drafters=names_of(session, [response.responsible_id for response, _body in responses]),
        secretaries=secretary_names(
            session, [body.id for response, body in responses if not response.responsible_id]
        ),
        follows=source.follows_id and session.get(Source, source.follows_id),
        findings=findings_of(session, source.id),
        finding_form=source.follows_id and review.finding_form(session, source),
        meeting=source.meeting_id and session.get(Meeting, source.meeting_id),
        recommendations=recommendations.items,
        history=history(session, "source", source.id),
        attachments=reports.attachments(session, source.id),
    )


def _form(source: Source | None) -> forms.SourceForm:
    session = get_session()
    form = forms.SourceForm(obj=source if request.method == "GET" else None)
    form.kind.choices = labels.choices(labels.SOURCE_KINDS)
    bodies = [("", _("None"))] + body_choices(session)
    form.issuer_id.choices = bodies
    current = [body.id for body in addressees_of(session, source.id)] if source else []
    if source is not None and source.addressee_id and source.addressee_id not in current:
        # A source made with one addressee only (as the API makes them) keeps it when edited.
        current.append(source.addressee_id)
    # A secretary of given bodies addresses sources to theirs; a joint report keeps the rest.
    form.addressees.choices = own_choices(current_user, body_choices(session), keep=current)
    if request.method == "GET" and source is not None:
        form.addressees.data = current
    form.follows_id.choices = [("", _("None"))] + swedish_choices(
        (id_, title) for id_, title in source_choices(session) if source is None or id_ != source.id
    )
    form.meeting_id.choices = [("", _("None"))] + swedish_choices(meeting_choices(session))
    return form


def _for_own_body(form: forms.SourceForm) -> bool:
    """Tell whether the source the form makes is one of the user's bodies'; if not, say so."""
    chosen = Bodies({form.issuer_id.data, *(form.addressees.data or [])})
    if can(current_user, Action.EDIT_SOURCE, chosen):
        return True
    message = _(
        "You are secretary of %(bodies)s: the source must be issued by or addressed to one "
        "of them.",
        bodies=body_names(limited_to(current_user)),
    )
    form.addressees.errors = [*form.addressees.errors, message]
    return False


def _values(form: forms.SourceForm) -> dict:
    values = {key: getattr(form, key).data for key in forms.FIELDS}
    return {key: "" if value is None and key in _TEXT else value for key, value in values.items()}


_TEXT = {"title", "dnr", "paragraph", "auditors", "firm", "summary", "assessment"}


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Add a source, with the recommendations read from its report if one is given."""
    require(Action.EDIT_SOURCE)
    form = _form(None)
    drafts = report_forms.DraftsForm()
    report, report_error = _reread(drafts)
    if "add_draft" in request.form:
        drafts.drafts.append_entry()
        return _new_page(form, drafts, report)
    # Both are checked, so that every mistake is shown at once.
    valid = [form.validate_on_submit(), request.method == "POST" and drafts.validate()]
    valid[0] = valid[0] and _for_own_body(form)
    if all(valid) and report_error is None:
        return _create(form, drafts, report)
    status = 400 if form.errors or drafts.errors or report_error else 200
    return _new_page(form, drafts, report, report_error=report_error), status


def _reread(drafts) -> tuple:
    """Return the report file the form carries again, read, and what was wrong with it."""
    if request.method != "POST" or not drafts.report_file.data:
        return None, None
    try:
        report = reports.reread_report(
            get_session(), drafts.report_file.data, drafts.report_name.data
        )
    except evidence.EvidenceError as error:
        drafts.report_file.data = ""  # saving again keeps the source without the file
        return None, str(error)
    return report, None


def _create(form, drafts, report):
    """Save a new source with its addressees, report file and recommendations, then show it."""
    session = get_session()
    with saving(session, form):
        source = services.create_source(session, **_values(form))
        set_addressees(session, source, form.addressees.data or [])
        if report:
            reports.attach_report(session, source, report, user_id=current_user.id)
        count = reports.add_recommendations(session, source, drafts.kept())
    if report:
        flash(
            _("The source is saved with its report file and %(n)s recommendations.", n=count),
            "success",
        )
    else:
        flash(_("The source is saved. Now add its recommendations."), "success")
    return redirect(url_for("sources.detail", source_id=source.id))


@bp.post("/new/report")
@login_required
def read_report():
    """Read an uploaded report and propose the source's fields and recommendations."""
    require(Action.EDIT_SOURCE)
    upload = report_forms.ReportUploadForm()
    form = _form(None)
    form.kind.data = "audit_report"
    drafts = report_forms.DraftsForm(formdata=None)
    if not upload.validate_on_submit():
        return _new_page(form, drafts, None, upload=upload), 400
    file = upload.report.data
    try:
        if not file:
            raise evidence.EvidenceError(_("Choose the report's file."))
        report = reports.receive_report(get_session(), file.filename, file.stream)
    except evidence.EvidenceError as error:
        upload.report.errors = [str(error)]
        return _new_page(form, drafts, None, upload=upload), 400
    for key, found in report.proposal.values.items():
        form[key].data = found.value
    assessment = report.proposal.notes.get("assessment")
    if assessment and "overall_assessment" in form:  # the answer's reference, where it exists
        form["overall_assessment"].data = assessment.value
    drafts.report_file.data = report.stored.file
    drafts.report_name.data = report.stored.name
    drafts.fill(report.proposal.recommendations)
    return _new_page(form, drafts, report)


# What the reading looks for, in the order the page names what it did not find.
_LOOKED_FOR = (
    "title",
    "issued_on",
    "dnr",
    "issuer_id",
    "auditors",
    "firm",
    "addressees",
    "response_due",
)


def _new_page(form, drafts, report, *, upload=None, report_error=None) -> str:
    hints, missing = _hints(form, report.proposal) if report else ({}, [])
    return render_template(
        "sources/form.html",
        form=form,
        source=None,
        upload=upload or report_forms.ReportUploadForm(formdata=None),
        drafts=drafts,
        report=report,
        report_error=report_error,
        hints=hints,
        missing=missing,
        bodies={id_: name for id_, name in body_choices(get_session())},
        quotes=[draft.quote for draft in report.proposal.recommendations] if report else [],
        max_mb=f"{evidence.max_bytes() / (1024 * 1024):g}",
    )


def _hints(form, proposal) -> tuple[dict[str, str], list[str]]:
    """Return a hint for each field read from the report, and the labels of those not found."""
    hints, missing = {}, []
    for key in _LOOKED_FOR:
        hint = _hint(form[key], key, proposal)
        if hint is None:
            missing.append(form[key].label.text)
        else:
            hints[key] = hint
    if not proposal.recommendations:
        missing.append(_("Recommendations"))
    return hints, missing


def _hint(field, key: str, proposal) -> str | None:
    """Say where the report proposes a field's value, or what it names that matches no body."""
    found = proposal.values.get(key)
    issuer = proposal.notes.get("issuer")
    if found is None and key == "issuer_id" and issuer:
        return _(
            "The report names %(name)s (page %(page)s), but no body matches it: "
            "choose one or add it as a body.",
            name=issuer.value,
            page=issuer.page,
        )
    named = [a.name for a in proposal.addressees if a.body_id is None]
    if found is None and key == "addressees" and named:
        return _(
            "The report names %(names)s, but no body matches: choose or add them.",
            names=", ".join(named),
        )
    if found is None:
        return None
    hint = _(
        "Proposed from the report, page %(page)s: “%(quote)s”. Check it.",
        page=found.page,
        quote=found.quote,
    )
    if field.type == "IsoDateField":
        hint += " " + _("YYYY-MM-DD")
    return hint


@bp.get("/attachments/<int:attachment_id>")
@login_required
def attachment(attachment_id: int):
    """Send a file attached to a source."""
    require(Action.READ)
    session = get_session()
    found = session.get(SourceAttachment, attachment_id)
    # A source's report file is there only for those who may see the source.
    if found is None or not row_visible(session, found):
        abort(404)
    path = evidence.evidence_path(found.file) or abort(404)
    response = send_file(
        path, mimetype=found.media_type, as_attachment=True, download_name=found.name
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:source_id>/edit", methods=["GET", "POST"])
@login_required
def edit(source_id: int):
    """Change a source; a form read before someone else saved is shown as a conflict."""
    source = editable(Source, source_id, Action.EDIT_SOURCE, read=get_visible)
    form = _form(source)
    return edit_page(
        form,
        template="sources/form.html",
        check=lambda: form.validate_on_submit() and _for_own_body(form),
        save=lambda _checked: update_source(
            get_session(),
            source,
            version=form.version.data,
            values=_values(form),
            addressees=form.addressees.data or [],
        ),
        saved=_("The source is saved."),
        then=url_for("sources.detail", source_id=source.id),
        source=source,
    )
