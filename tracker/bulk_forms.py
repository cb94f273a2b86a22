"""A list's bulk form: the ticked rows and what to do to each."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField, ValidationError
from wtforms.validators import Optional

from tracker import labels
from tracker.bulk import MEASURES, Kind
from tracker.forms import Form, IsoDateField, date_move_fields, max_length
from tracker.lookup import LookupField


class BulkForm(Form):
    # No Optional(): it would stop the check that something is chosen at all.
    status = SelectField(_l("Set the status"), default="")
    text = TextAreaField(
        _l("Post this status update on each"), validators=[max_length(10000)], render_kw={"rows": 3}
    )
    due_date = IsoDateField(_l("Move the due date to"), validators=[Optional()])
    due_date_reason, due_date_agreed_by = date_move_fields(_l("Why the due date moves"))
    owner_id = LookupField(
        _l("Give to a new owner"),
        kind="owner",
        description=_l("Type part of the name; empty: owners stay."),
    )

    def validate_status(self, field):
        if not any(
            (field.data, (self.text.data or "").strip(), self.due_date.data, self.owner_id.data)
        ):
            raise ValidationError(_l("Choose what to do to the ticked rows."))


def bulk_form(kind: Kind = MEASURES, **kwargs) -> BulkForm:
    """Return the bulk form of a kind of row, with its status choices."""
    form = BulkForm(**kwargs)
    form.status.choices = [("", _("Keep the status"))] + labels.choices(kind.statuses)
    if kind is not MEASURES:
        # The follow-up list's items: a report-back date, and a responsible person (anyone).
        form.due_date.label.text = _("Move the report-back date to")
        form.owner_id.label.text = _("Give to a new responsible person")
        form.owner_id.kind = "person"
        form.owner_id.description = _("Type part of the name; empty: the responsible stay.")
    return form
