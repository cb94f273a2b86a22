"""Forms for recommendations and status updates."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from tracker.forms import (
    Form,
    IdSelectField,
    IsoDateField,
    VersionedForm,
    date_move_fields,
    max_length,
    required,
)
from tracker.lookup import LookupField

FIELDS = (
    "source_id",
    "number",
    "kind",
    "text",
    "theme",
    "responsible_id",
    "unit_id",
    "status",
    "due_date",
    "due_meeting_id",
    "recurrence",
    "due_body_id",
    "due_period",
)


class RecommendationForm(VersionedForm):
    source_id = LookupField(
        _l("Source"),
        validators=[required()],
        kind="source",
        description=_l("Type part of the title."),
    )
    number = StringField(_l("Number in the source"), validators=[max_length(20)])
    kind = SelectField(_l("Kind"))
    text = TextAreaField(
        _l("Text"), validators=[required(), max_length(10000)], render_kw={"rows": 5}
    )
    theme = StringField(_l("Theme"), validators=[max_length(100)])
    references = TextAreaField(
        _l("Decision references"), validators=[max_length(2000)], render_kw={"rows": 3}
    )
    responsible_id = LookupField(
        _l("Responsible"),
        kind="person",
        description=_l("Type part of the name; empty: nobody yet."),
    )
    unit_id = IdSelectField(_l("Unit"))
    status = SelectField(_l("Status"))
    due_date = IsoDateField(_l("Report back by (date)"))
    due_meeting_id = IdSelectField(_l("…or report back to a meeting"))
    recurrence = SelectField(_l("Report back again"), default="")
    due_body_id = IdSelectField(_l("Report back to"))
    due_period = StringField(
        _l("…or within a period, as the source says"), validators=[max_length(50)]
    )
    due_date_reason, due_date_agreed_by = date_move_fields(_l("Why the deadline moves"))


class StatusUpdateForm(Form):
    text = TextAreaField(
        _l("Progress"), validators=[required(), max_length(10000)], render_kw={"rows": 5}
    )
    status = SelectField(_l("Status after this update"))
    judgement = SelectField(_l("Judgement"), validators=[Optional()])
    reported_on = IsoDateField(_l("Date"))
    # The status the form was opened on: a status changed since is a conflict, not reverted.
    opened_status = HiddenField()
    # A secretary types what the owner said (by phone, in a meeting): the update is the owner's.
    on_behalf = BooleanField(_l("Post on behalf of the owner"))
