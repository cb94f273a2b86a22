"""Forms for measures."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from tracker.forms import (
    IdSelectField,
    IsoDateField,
    NotBefore,
    VersionedForm,
    date_move_fields,
    max_length,
    required,
)
from tracker.indicators.forms import measure_indicators_field
from tracker.lookup import LookupField, LookupListField

FIELDS = (
    "number",
    "title",
    "description",
    "goal",
    "theme",
    "owner_id",
    "unit_id",
    "start_date",
    "due_date",
    "status",
    "judgement",
)


class MeasureForm(VersionedForm):
    title = StringField(_l("Title"), validators=[required(), max_length(300)])
    description = TextAreaField(
        _l("Description"), validators=[max_length(10000)], render_kw={"rows": 4}
    )
    recommendations = LookupListField(
        _l("Answers these recommendations and assignments"), kind="recommendation"
    )
    indicators = measure_indicators_field()
    number = StringField(_l("Number"), validators=[max_length(20)])
    goal = StringField(_l("Goal it serves"), validators=[max_length(1000)])
    theme = StringField(_l("Theme or perspective"), validators=[max_length(100)])
    owner_id = LookupField(
        _l("Owner"), kind="owner", description=_l("Type part of the name; empty: nobody yet.")
    )
    unit_id = IdSelectField(_l("Unit"))
    start_date = IsoDateField(_l("Start date"))
    due_date = IsoDateField(_l("Due date"), validators=[Optional(), NotBefore("start_date")])
    due_date_reason, due_date_agreed_by = date_move_fields(_l("Why the due date moves"))
    status = SelectField(_l("Status"))
    judgement = SelectField(_l("Judgement"), validators=[Optional()])
