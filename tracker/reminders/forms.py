"""The filters of the reminder ledger page."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from tracker.forms import Form, IdSelectField, IsoDateField, NotBefore


class LedgerFilterForm(Form):
    """Filters read from the query string; a GET form needs no CSRF token."""

    class Meta:
        csrf = False

    # The default "" (no filter) when the query string leaves a select out.
    status = SelectField(_l("Status"), default="")
    kind = SelectField(_l("Kind"), default="")
    item_type = SelectField(_l("Item"), default="")
    recipient = IdSelectField(_l("Recipient"))
    deadline_from = IsoDateField(_l("Deadline from"))
    deadline_to = IsoDateField(_l("Deadline to"), validators=[NotBefore("deadline_from")])
