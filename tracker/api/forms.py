"""The form that makes a personal API token."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import ValidationError

from tracker import dates
from tracker.forms import Form, IsoDateField, max_length, required


class TokenForm(Form):
    name = StringField(_l("Name"), validators=[required(), max_length(100)])
    expires_on = IsoDateField(_l("Valid until (optional)"))

    def validate_expires_on(self, field):
        if field.data and field.data < dates.today():
            raise ValidationError(_l("The date has passed; give today or a later date."))
