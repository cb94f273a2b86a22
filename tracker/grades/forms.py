"""Forms for grades and priority."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, TextAreaField, ValidationError

from tracker.forms import Form, IsoDateField, VersionedForm, max_length, required
from tracker.models import Implementation

# A grade that says nothing was done, or nothing need be, is given with the grader's reason.
NEEDS_REASON = (Implementation.NOT, Implementation.NO_LONGER_RELEVANT)


class GradeForm(Form):
    grader = RadioField(_l("Whose grade"), validators=[required()])
    grade = RadioField(_l("How far was it implemented?"), validators=[required()])
    graded_on = IsoDateField(
        _l("Date of the report or follow-up"),
        validators=[required()],
        description=_l("The date of the board's report or the auditors' follow-up."),
    )
    text = TextAreaField(
        _l("Reason"),
        validators=[max_length(2000)],
        render_kw={"rows": 3},
        description=_l("In the grader's words; required for “not” or “no longer relevant”."),
    )

    def validate_text(self, field):
        if self.grade.data in NEEDS_REASON and not (field.data or "").strip():
            raise ValidationError(_l("Give the reason for this grade."))


NOT_PRIORITY = _l("Not a priority")


class PriorityForm(VersionedForm):
    priority_by = SelectField(_l("Priority"), default="")
