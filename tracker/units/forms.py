"""The unit form."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField

from tracker.forms import IdSelectField, VersionedForm, max_length, required
from tracker.lookup import LookupField


class UnitForm(VersionedForm):
    name = StringField(_l("Name"), validators=[required(), max_length(200)])
    kind = SelectField(_l("Kind"))
    parent_id = IdSelectField(_l("Part of"))
    manager_id = LookupField(
        _l("Manager"), kind="person", description=_l("Type part of the name; empty: nobody.")
    )
