"""Forms for indicators, outcomes, threshold rules and the import."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from tracker.forms import Form, IdSelectField, VersionedForm, max_length, required
from tracker.indicators.periods import PeriodError, parse_number, parse_period

INDICATOR_FIELDS = (
    "code",
    "name",
    "description",
    "perspective",
    "objective",
    "success_factor",
    "measure_unit",
    "target_kind",
    "target_value",
    "target_women",
    "target_men",
    "margin",
    "baseline_value",
    "baseline_women",
    "baseline_men",
    "follows_t1",
    "follows_t2",
    "follows_year",
    "split_by_sex",
    "responsible_unit_id",
)
OUTCOME_FIELDS = ("year", "period", "unit_id", "value", "women", "men", "note")
RULE_FIELDS = (
    "source_id",
    "comparison",
    "threshold",
    "unit_kind",
    "text",
    "theme",
    "deadline_days",
    "active",
)


class NumberField(StringField):
    """A number as people write it: "91,8", "1 135", "81 %"; empty means none."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal"})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        try:
            self.data = parse_number(valuelist[0] if valuelist else "")
        except ValueError as error:
            self.data = None
            raise ValueError(_l("Enter a number, for example 91,8.")) from error

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{self.data:g}".replace(".", ",")


class PeriodText(StringField):
    """A period written as 2022-T1, 2022-T2 or 2022 (the full year); empty means none."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        self.parsed = None
        if text:
            self.data = text
            try:
                self.parsed = parse_period(text)
            except PeriodError as error:
                raise ValueError(
                    _l("Write the period as 2022-T1, 2022-T2 or 2022 for the full year.")
                ) from error


class IndicatorForm(VersionedForm):
    code = StringField(
        _l("Code"), validators=[required(), max_length(30)], render_kw={"autocomplete": "off"}
    )
    name = StringField(_l("Name"), validators=[required(), max_length(300)])
    description = TextAreaField(
        _l("Description"), validators=[max_length(4000)], render_kw={"rows": 3}
    )
    perspective = SelectField(_l("Perspective"))
    objective = StringField(_l("Strategic objective"), validators=[max_length(300)])
    success_factor = StringField(_l("Success factor"), validators=[max_length(300)])
    measure_unit = SelectField(_l("Unit of measure"))
    target_kind = SelectField(_l("Kind of target"))
    target_value = NumberField(_l("Target"))
    target_women = NumberField(_l("Target for women, if it differs"))
    target_men = NumberField(_l("Target for men, if it differs"))
    margin = NumberField(_l("Margin for “partly met”"))
    baseline_value = NumberField(_l("Baseline"))
    baseline_women = NumberField(_l("Baseline, women"))
    baseline_men = NumberField(_l("Baseline, men"))
    baseline_period = PeriodText(_l("Baseline period"), validators=[max_length(20)])
    follows_t1 = BooleanField(_l("Followed up in T1 (April interim report)"))
    follows_t2 = BooleanField(_l("Followed up in T2 (August interim report)"))
    follows_year = BooleanField(_l("Followed up for the full year"))
    split_by_sex = BooleanField(_l("Outcomes are split by women and men"))
    responsible_unit_id = IdSelectField(_l("Responsible unit"))

    def validate_target_value(self, field):
        if self.target_kind.data in ("at_least", "at_most") and (
            field.data is None and self.target_women.data is None and self.target_men.data is None
        ):
            raise ValidationError(_l("A target of this kind needs a number."))

    def validate_margin(self, field):
        if field.data is not None and field.data < 0:
            raise ValidationError(_l("The margin is 0 or more."))

    def validate_follows_year(self, field):
        if not (self.follows_t1.data or self.follows_t2.data or field.data):
            raise ValidationError(_l("Choose at least one follow-up period."))

    def validate_baseline_period(self, field):
        baseline = (self.baseline_value.data, self.baseline_women.data, self.baseline_men.data)
        if any(value is not None for value in baseline) and not field.data:
            raise ValidationError(_l("Say which period the baseline is from."))


class OutcomeForm(VersionedForm):
    year = IntegerField(
        _l("Year"),
        validators=[
            InputRequired(message=_l("This field is required.")),
            NumberRange(1990, 2100, message=_l("Enter a year such as 2022.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    period = SelectField(_l("Period"))
    unit_id = IdSelectField(_l("Unit"))
    value = NumberField(_l("Outcome, everyone"))
    women = NumberField(_l("Women"))
    men = NumberField(_l("Men"))
    note = StringField(_l("Note"), validators=[max_length(500)])


class RuleForm(VersionedForm):
    source_id = IdSelectField(_l("Decision that sets the rule"), validators=[required()])
    comparison = SelectField(_l("Units that get an assignment"))
    threshold = NumberField(_l("Threshold"), validators=[InputRequired(_l("Give the threshold."))])
    unit_kind = SelectField(_l("Kind of unit"), validators=[Optional()])
    text = TextAreaField(
        _l("What the unit must do"),
        validators=[required(), max_length(2000)],
        render_kw={"rows": 3},
    )
    theme = StringField(_l("Theme of the assignments"), validators=[max_length(100)])
    deadline_days = IntegerField(
        _l("Days to report back"),
        default=30,
        validators=[
            InputRequired(message=_l("This field is required.")),
            NumberRange(1, 730, message=_l("Between 1 and 730 days.")),
        ],
    )
    active = BooleanField(_l("Active"), default=True)


class ApplyRuleForm(Form):
    period = PeriodText(_l("Period"), validators=[required()])


class ImportForm(Form):
    file = FileField(
        _l("File"), validators=[FileRequired(message=_l("Choose a .csv or .xlsx file."))]
    )


class ConfirmImportForm(Form):
    rows = HiddenField(validators=[required()])


def measure_indicators_field() -> SelectMultipleField:
    """Return the field for the indicators a measure aims to move (on the measure form)."""
    return SelectMultipleField(_l("Indicators it aims to move"), coerce=int, render_kw={"size": 6})
