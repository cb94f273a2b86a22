"""Form pieces shared by every domain: translated validators, dates, the version field."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput, Select, TextInput

from tracker.text import has_control

DATE_HINT = _l("YYYY-MM-DD")


def required():
    """Return a validator that names the missing field's need plainly."""
    return DataRequired(message=_l("This field is required."))


def max_length(limit: int):
    """Return a validator that refuses text over the limit and names the limit."""
    return Length(max=limit, message=_l("At most %(max)d characters.", max=limit))


def date_move_fields(why):
    """Return the two fields a moved date asks for: why it moves, and who agreed."""
    reason = TextAreaField(why, validators=[max_length(1000)], render_kw={"rows": 2})
    agreed_by = StringField(
        _l("Who agreed to the move"),
        validators=[max_length(300)],
        description=_l("A person, or the decision that moved it, e.g. RS 180301 § 40."),
    )
    return reason, agreed_by


class IsoDateField(DateField):
    """A YYYY-MM-DD date field whose error message says the format."""

    # A text box, not the browser's date picker: pickers show the browser's locale
    # (mm/dd/yyyy) and drop a mistyped value instead of letting the user correct it.
    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        # The format is said in the hint beside the field, in the user's language.
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, validators or [Optional()], **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            self.data = None
            raise ValueError(_l("Enter the date as YYYY-MM-DD, for example 2021-05-20.")) from error


class NotBefore:
    """Refuse a date earlier than another field's date."""

    def __init__(self, other: str, message=None):
        self.other = other
        self.message = message

    def __call__(self, form, field):
        earlier = form[self.other].data
        if isinstance(field.data, date) and isinstance(earlier, date) and field.data < earlier:
            raise ValidationError(
                self.message
                or _l("Must not be before %(label)s.", label=form[self.other].label.text)
            )


class QuickSelect(Select):
    """WTForms' select, writing each plain option directly: a select of 250 meetings
    otherwise spends most of a list page's time in the general attribute formatter."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        chosen = " selected" if choice.selected else ""
        label = escape(choice.label or choice.value)
        return Markup(f'<option value="{escape(choice.value)}"{chosen}>{label}</option>')


class IdSelectField(SelectField):
    """A select of row ids where the empty choice means none."""

    widget = QuickSelect()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("coerce", _int_or_none)
        kwargs.setdefault("validate_choice", True)
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form):
        if self.data is None and not self.flags.required:
            return
        values = {value for value, *_ in self.iter_choices()}
        if self.data not in {_int_or_none(v) for v in values}:
            raise ValidationError(_l("Choose one of the options."))


def _int_or_none(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # never a valid id, so validation names the field


class Form(FlaskForm):
    """The base of every form: no text field may hold control characters."""

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in _text_fields(self):
            values = field.data if isinstance(field.data, list) else [field.data]
            if any(isinstance(value, str) and has_control(value) for value in values):
                field.errors = [*field.errors, CONTROL_MESSAGE]
                valid = False
        for field in self:
            if hasattr(field, "entries") and not valid:
                # A list gathers its entries' errors once, while validating: again, with ours.
                gathered = [entry.errors for entry in field.entries]
                field.errors = gathered if any(gathered) else []
        return valid


def _text_fields(form):
    """Yield every field of a form, those inside lists and groups (the report drafts) too."""
    for field in form:
        if hasattr(field, "entries"):  # a FieldList
            for entry in field.entries:
                yield from _text_fields(entry.form) if hasattr(entry, "form") else [entry]
        elif hasattr(field, "form") and field.type == "FormField":
            yield from _text_fields(field.form)
        else:
            yield field


CONTROL_MESSAGE = _l(
    "Remove the invisible control characters (such as NUL) from this text: they cannot be saved."
)


class VersionedForm(Form):
    """A form for an editable row, carrying the version it was read at."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
