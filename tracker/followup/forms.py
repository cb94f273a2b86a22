"""Forms of the follow-up list: its filters, keeping it, and closing items."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from tracker import labels
from tracker.followup.services.criteria import ANY_STATUS, GROUPINGS, NOT_CLOSED, SORTS, Criteria
from tracker.forms import Form, IdSelectField, IsoDateField, max_length, required
from tracker.i18n import swedish_choices
from tracker.lookup import LookupField
from tracker.models import RecommendationStatus

# The closing statuses, named as the board decides them.
CLOSING_OUTCOMES = {
    RecommendationStatus.CLOSED: _l("Closed as implemented"),
    RecommendationStatus.NOT_IMPLEMENTED: _l("Closed as not implemented"),
    RecommendationStatus.NO_LONGER_RELEVANT: _l("No longer relevant"),
}

# The filters as they appear in the URL, in the form's order.
FILTERS = (
    "body",
    "meeting",
    "source",
    "kind",
    "theme",
    "responsible",
    "unit",
    "status",
    "due_by",
    "changed_since",
    "since_last_meeting",
    "only_overdue",
    "group",
    "sort",
    "view",
)
# How the page shows the list: one line per item with measures folded, or every column.
VIEWS = ("compact", "full")


class PaperForm(Form):
    """The list as a board paper: its title, registry number, date and proposed decision."""

    class Meta:
        csrf = False

    title = StringField(_l("Title"), validators=[Optional(), max_length(300)])
    dnr = StringField(_l("Dnr"), validators=[Optional(), max_length(50)])
    dated = IsoDateField(
        _l("Date of the paper"), description=_l("The meeting's date unless you give another.")
    )
    proposal = SelectField(_l("Proposed decision"), default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal.choices = [("", _l("None"))] + labels.choices(labels.LIST_PROPOSALS)

    def values(self) -> dict:
        """Return what build_report takes from the paper's fields."""
        return {
            "title": (self.title.data or "")[:300],
            "dnr": (self.dnr.data or "")[:50],
            "dated": self.dated.data,
            "proposal": self.proposal.data or "",
        }

    def params(self) -> dict:
        """Return the fields given, as the links to the files carry them."""
        return {
            name: value
            for name, value in (
                ("title", self.title.data),
                ("dnr", self.dnr.data),
                ("dated", self.dated.data and self.dated.data.isoformat()),
                ("proposal", self.proposal.data),
            )
            if value
        }


class FilterForm(Form):
    """The list's filters, read from the query string (no CSRF: it only reads)."""

    class Meta:
        csrf = False

    body = IdSelectField(_l("Body"))
    meeting = LookupField(
        _l("Meeting"), kind="meeting", description=_l("Type the body's code and the date.")
    )
    source = LookupField(_l("Source"), kind="source")
    kind = SelectField(_l("Kind"), default="")
    theme = SelectField(_l("Theme"), default="")
    responsible = LookupField(_l("Responsible"), kind="person")
    unit = IdSelectField(_l("Unit"))
    status = SelectField(_l("Status"), default=NOT_CLOSED)
    due_by = IsoDateField(_l("Due on or before"))
    changed_since = IsoDateField(_l("Changed since"))
    since_last_meeting = BooleanField(_l("Changed since the last meeting"))
    only_overdue = BooleanField(_l("Only overdue"))
    group = SelectField(_l("Group by"), default="theme")
    sort = SelectField(_l("Order"), default="list")
    view = SelectField(_l("View"), default="compact")

    def fill_choices(self, options: dict) -> None:
        """Set the options of the selects from choices_for_filters()."""
        every = [("", _l("All"))]
        self.body_rows = options["body_rows"]  # read once, for the report too
        self.body.choices = every + options["bodies"]
        self.kind.choices = every + labels.choices(labels.RECOMMENDATION_KINDS)
        self.theme.choices = every + swedish_choices((theme, theme) for theme in options["themes"])
        self.unit.choices = every + options["units"]
        self.status.choices = [
            (NOT_CLOSED, _l("Not closed")),
            (ANY_STATUS, _l("Any status")),
        ] + labels.choices(labels.RECOMMENDATION_STATUSES)
        self.group.choices = [
            ("theme", _l("Theme")),
            ("source", _l("Source")),
            ("body", _l("Body")),
        ]
        self.sort.choices = [("list", _l("As in the source")), ("overdue", _l("Overdue first"))]
        self.view.choices = [
            ("compact", _l("Compact: one line per item")),
            ("full", _l("Full: every column")),
        ]

    def criteria(self) -> Criteria:
        """Return the filters as the services take them."""
        return Criteria(
            body_id=self.body.data,
            meeting_id=self.meeting.data,
            source_id=self.source.data,
            kind=self.kind.data or None,
            theme=self.theme.data or None,
            responsible_id=self.responsible.data,
            unit_id=self.unit.data,
            status=self.status.data or NOT_CLOSED,
            due_by=self.due_by.data,
            changed_since=self.changed_since.data,
            since_last_meeting=bool(self.since_last_meeting.data),
            only_overdue=bool(self.only_overdue.data),
            sort=self.sort.data if self.sort.data in SORTS else "list",
        )

    def grouping(self) -> str:
        return self.group.data if self.group.data in GROUPINGS else "theme"

    def compact(self) -> bool:
        return self.view.data != "full"

    def params(self) -> dict:
        """Return the filters in use as URL arguments."""
        params = {}
        for name in FILTERS:
            value = self[name].data
            if isinstance(value, bool):
                # A ticked box is "y"; an unticked one is left out, as a browser does.
                if value:
                    params[name] = "y"
            elif value not in (None, ""):
                params[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return params


class ConfirmForm(Form):
    """A one-click action: only the CSRF token."""


class KeepForm(Form):
    """Keep the list shown for a meeting."""

    meeting_id = LookupField(
        _l("For the meeting"),
        kind="meeting",
        validators=[required()],
        description=_l("Type the body's code and the date, e.g. RS 2017-12-19."),
    )
    title = StringField(_l("Title"), validators=[required(), max_length(300)])
    dnr = StringField(_l("Dnr (optional)"), validators=[max_length(50)])


class CloseForm(Form):
    """Record a body's decision that closes one or more items."""

    item = SelectMultipleField(_l("Items to close"), coerce=int)
    formula = SelectField(_l("The board's formula"), default="", validators=[Optional()])
    outcome = SelectField(_l("Outcome"))
    body_id = IdSelectField(_l("Decided by"), validators=[required()])
    decided_on = IsoDateField(_l("Date of the decision"), validators=[required()])
    paragraph = StringField(_l("Paragraph (§)"), validators=[required(), max_length(20)])
    dnr = StringField(_l("Registry number (Dnr)"), validators=[max_length(50)])
    text = TextAreaField(
        _l("Decision text"), validators=[required(), max_length(2000)], render_kw={"rows": 4}
    )
    evidence = FileField(_l("Evidence file (optional)"))

    def fill_choices(self, items, bodies) -> None:
        self.item.choices = [(item.id, item.text) for item in items]
        self.outcome.choices = [("", _l("Choose"))] + [
            (str(code), name) for code, name in CLOSING_OUTCOMES.items()
        ]
        self.body_id.choices = [("", _l("Choose a body"))] + bodies
        self.formula.choices = [("", _l("None: choose the outcome"))] + labels.choices(
            labels.CLOSING_FORMULAS
        )

    def validate_outcome(self, field) -> None:
        if not field.data and not self.formula.data:
            raise ValidationError(_l("Choose the outcome, or the board's formula."))

    def validate_item(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Choose at least one item to close."))

    def validate_paragraph(self, field) -> None:
        value = (field.data or "").strip().lstrip("§").strip()
        if not value.replace(" ", "").isalnum():
            raise ValidationError(_l("Write the paragraph number, e.g. 52."))
        field.data = value
