"""The form that names a deputy for a period of absence."""

from flask_babel import lazy_gettext as _l

from tracker.forms import Form, IsoDateField, required
from tracker.lookup import LookupField


class DeputyForm(Form):
    deputy_id = LookupField(
        _l("Deputy"),
        validators=[required()],
        kind="person",
        description=_l("Type part of the name of who stands in for you."),
    )
    starts_on = IsoDateField(_l("First day away"), validators=[required()])
    ends_on = IsoDateField(_l("Last day away"), validators=[required()])
