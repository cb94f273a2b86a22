"""Forms to mark a row secret or as personal data, and to lift a mark."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import Optional

from tracker.forms import Form, IsoDateField, max_length, required


class MarkForm(Form):
    kind = RadioField(_l("Mark"), validators=[required()])
    law = StringField(
        _l("OSL chapter and section"),
        validators=[max_length(40)],
        description=_l("For secrecy: e.g. 21:7 or 39:3."),
    )
    ends_on = IsoDateField(_l("Secret until"), validators=[Optional()])
    reason = TextAreaField(_l("Reason"), validators=[max_length(1000)], render_kw={"rows": 2})


class LiftForm(Form):
    reason = TextAreaField(
        _l("Why the mark is lifted"),
        validators=[required(), max_length(1000)],
        render_kw={"rows": 2},
    )
