"""Forms for bodies and meetings."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Regexp

from tracker.forms import IdSelectField, IsoDateField, VersionedForm, max_length, required


class BodyForm(VersionedForm):
    code = StringField(
        _l("Short name"),
        validators=[
            required(),
            max_length(20),
            Regexp(r"^[A-ZÅÄÖ0-9-]+$", message=_l("Capital letters, digits and hyphens only.")),
        ],
    )
    name = StringField(_l("Name"), validators=[required(), max_length(200)])
    secretary_id = IdSelectField(_l("Secretary"))


class MeetingForm(VersionedForm):
    body_id = IdSelectField(_l("Body"), validators=[required()])
    held_on = IsoDateField(_l("Date"), validators=[required()])
    title = StringField(_l("Title"), validators=[max_length(200)])
