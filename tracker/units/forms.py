"""The unit form."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField

from tracker.forms import IdSelectField, VersionedForm, max_length, required


class UnitForm(VersionedForm):
    name = StringField(_l("Name"), validators=[required(), max_length(200)])
    kind = SelectField(_l("Kind"))
    parent_id = IdSelectField(_l("Part of"))
    manager_id = IdSelectField(_l("Manager"))
