"""Goal fulfilment, trend and the women/men gap: pure arithmetic on stored outcomes.

They are computed from the outcomes (here and in queries.py), never typed or stored.

Fulfilment (see docs/decisions/0005-indicator-fulfilment-and-svg-charts.md):
- a number target ("at least 95 %", "at most 7 %"): met on the right side of it, partly met
  within the indicator's margin of it, else not met;
- a direction target ("increase", "decrease"): compared with the same period a year before
  (the baseline stands in when it is that period): met when it moved the right way, partly met
  when it moved the wrong way by no more than the margin, else not met;
- with separate targets for women and men, or no overall value, the overall fulfilment is the
  worse of the two.
"""

from dataclasses import dataclass

from flask_babel import gettext as _

from tracker import labels
from tracker.indicators.periods import format_value, period_label, period_sort_key
from tracker.models import Indicator, MeasureUnit, Outcome, Period, TargetKind

MET = "met"
PARTLY_MET = "partly_met"
NOT_MET = "not_met"
UNKNOWN = "unknown"
_RANK = {NOT_MET: 0, PARTLY_MET: 1, MET: 2}
HIGHER_IS_BETTER = {TargetKind.AT_LEAST, TargetKind.INCREASE}


@dataclass(frozen=True)
class Values:
    total: float | None
    women: float | None
    men: float | None


@dataclass(frozen=True)
class Trend:
    change: float  # this period minus the same period a year before
    direction: str  # up, down, same
    better: bool | None  # None when unchanged


@dataclass
class OutcomeView:
    """An outcome with what is computed from it."""

    outcome: Outcome
    total: float | None
    previous: Values | None
    fulfilment: str
    women_fulfilment: str | None
    men_fulfilment: str | None
    trend: Trend | None
    women_trend: Trend | None
    men_trend: Trend | None
    gap: float | None  # women minus men

    @property
    def label(self) -> str:
        return period_label(self.outcome.year, self.outcome.period)

    @property
    def sort_key(self) -> tuple[int, int]:
        return period_sort_key(self.outcome.year, self.outcome.period)


def combined(indicator: Indicator, value, women, men) -> float | None:
    """Return the value for everyone; a count without one is the sum of women and men."""
    if value is not None:
        return value
    if indicator.measure_unit == MeasureUnit.COUNT and women is not None and men is not None:
        return women + men
    return None


def values_of(indicator: Indicator, outcome: Outcome) -> Values:
    """Return an outcome's values, with the overall value filled in where it can be."""
    return Values(
        combined(indicator, outcome.value, outcome.women, outcome.men), outcome.women, outcome.men
    )


def judge(
    kind: str, target: float | None, margin: float, value: float | None, previous: float | None
) -> str:
    """Judge one value against a number target or, for a direction, against last year's."""
    if value is None:
        return UNKNOWN
    margin = abs(margin or 0)
    if kind in (TargetKind.AT_LEAST, TargetKind.AT_MOST):
        return _against_target(kind, target, margin, value)
    return _against_previous(kind, margin, value, previous)


def _against_target(kind: str, target: float | None, margin: float, value: float) -> str:
    """Judge a value against an "at least" or "at most" number, within the margin."""
    if target is None:
        return UNKNOWN
    shortfall = target - value if kind == TargetKind.AT_LEAST else value - target
    if shortfall <= 0:
        return MET
    return PARTLY_MET if margin and shortfall <= margin else NOT_MET


def _against_previous(kind: str, margin: float, value: float, previous: float | None) -> str:
    """Judge a value's move from last year's against a direction, within the margin."""
    if previous is None:
        return UNKNOWN
    # A direction target is met by any move the right way; standing still is not a move.
    gain = value - previous if kind == TargetKind.INCREASE else previous - value
    if gain > 0:
        return MET
    shortfall = -gain if gain < 0 else 0.0
    return PARTLY_MET if margin and shortfall <= margin else NOT_MET


def worse(*fulfilments: str | None) -> str:
    """Return the worse of several judged fulfilments; unknown if any is unknown."""
    if not fulfilments or any(f in (None, UNKNOWN) for f in fulfilments):
        return UNKNOWN
    return min(fulfilments, key=_RANK.__getitem__)


def trend(indicator: Indicator, value: float | None, previous: float | None) -> Trend | None:
    """Compare a value with the same period a year before, saying whether that is better."""
    if value is None or previous is None:
        return None
    change = round(value - previous, 6)
    if change == 0:
        return Trend(0.0, "same", None)
    higher_is_better = indicator.target_kind in HIGHER_IS_BETTER
    return Trend(change, "up" if change > 0 else "down", (change > 0) == higher_is_better)


def sex_gap(women: float | None, men: float | None) -> float | None:
    """Return women's value minus men's, or None when one is missing."""
    if women is None or men is None:
        return None
    return round(women - men, 6)


def evaluate(indicator: Indicator, outcome: Outcome, previous: Values | None) -> OutcomeView:
    """Compute an outcome's fulfilment, trend and gap."""
    now = values_of(indicator, outcome)
    before = previous or Values(None, None, None)
    kind, margin = indicator.target_kind, indicator.margin
    overall = judge(kind, indicator.target_value, margin, now.total, before.total)
    women = men = None
    if indicator.split_by_sex:
        women_target = _first(indicator.target_women, indicator.target_value)
        men_target = _first(indicator.target_men, indicator.target_value)
        women = judge(kind, women_target, margin, now.women, before.women)
        men = judge(kind, men_target, margin, now.men, before.men)
        separate = indicator.target_women is not None or indicator.target_men is not None
        if separate and indicator.target_value is not None:
            overall = worse(overall, women, men)
        elif separate or now.total is None:
            overall = worse(women, men)
    return OutcomeView(
        outcome=outcome,
        total=now.total,
        previous=previous,
        fulfilment=overall,
        women_fulfilment=women,
        men_fulfilment=men,
        trend=trend(indicator, now.total, before.total),
        women_trend=trend(indicator, now.women, before.women),
        men_trend=trend(indicator, now.men, before.men),
        gap=sex_gap(now.women, now.men),
    )


def _first(*values):
    return next((value for value in values if value is not None), None)


def previous_values(
    indicator: Indicator, outcome: Outcome, by_key: dict[tuple[int, str, int], Outcome]
) -> Values | None:
    """Return the same period a year before, for the same unit; else a matching baseline."""
    prior = by_key.get((outcome.year - 1, outcome.period, outcome.scope_id))
    if prior is not None:
        return values_of(indicator, prior)
    baseline_scopes = {0, indicator.responsible_unit_id or 0}
    if (
        indicator.baseline_year == outcome.year - 1
        and indicator.baseline_period == outcome.period
        and outcome.scope_id in baseline_scopes
    ):
        b = indicator
        return Values(
            combined(indicator, b.baseline_value, b.baseline_women, b.baseline_men),
            b.baseline_women,
            b.baseline_men,
        )
    return None


def _views(indicator: Indicator, outcomes: list[Outcome]) -> list[OutcomeView]:
    by_key = {(o.year, o.period, o.scope_id): o for o in outcomes}
    views = [evaluate(indicator, o, previous_values(indicator, o, by_key)) for o in outcomes]
    return sorted(views, key=lambda view: view.sort_key)


def followed_periods(indicator: Indicator) -> list[str]:
    """Return the periods an indicator is followed up in."""
    flags = (
        (Period.T1, indicator.follows_t1),
        (Period.T2, indicator.follows_t2),
        (Period.YEAR, indicator.follows_year),
    )
    return [period for period, followed in flags if followed]


def target_text(indicator: Indicator) -> str:
    """Describe the target in words: "At least 95 %", "Increase on the same period..."."""
    kind = labels.label(labels.TARGET_KINDS, indicator.target_kind)
    if indicator.target_kind not in (TargetKind.AT_LEAST, TargetKind.AT_MOST):
        return kind
    unit = indicator.measure_unit
    parts = []
    if indicator.target_value is not None:
        parts.append(format_value(indicator.target_value, unit))
    if indicator.target_women is not None:
        parts.append(_("women %(value)s", value=format_value(indicator.target_women, unit)))
    if indicator.target_men is not None:
        parts.append(_("men %(value)s", value=format_value(indicator.target_men, unit)))
    return f"{kind} {', '.join(parts)}" if parts else kind


def check_values(
    indicator: Indicator, *, value: float | None, women: float | None, men: float | None
) -> list[tuple[str | None, str]]:
    """Return (field, message) pairs for outcome values the indicator cannot take."""
    if value is None and women is None and men is None:
        if indicator.split_by_sex:
            return [(None, _("Give the outcome for everyone, or for women and men."))]
        return [("value", _("Give the outcome."))]
    errors: list[tuple[str | None, str]] = []
    if not indicator.split_by_sex:
        for name, number in (("women", women), ("men", men)):
            if number is not None:
                errors.append((name, _("This indicator is not split by women and men.")))
    for name, number in (("value", value), ("women", women), ("men", men)):
        message = None if number is None else _out_of_range(indicator.measure_unit, number)
        if message:
            errors.append((name, message))
    return errors


def _out_of_range(measure_unit: str, number: float) -> str | None:
    """Return why a number cannot be an outcome in this unit of measure, or None."""
    if measure_unit == MeasureUnit.PERCENT and not 0 <= number <= 100:
        return _("A percentage is between 0 and 100.")
    if measure_unit == MeasureUnit.COUNT and (number < 0 or number % 1):
        return _("A count is a whole number, 0 or more.")
    if measure_unit == MeasureUnit.DAYS and number < 0:
        return _("A number of days is 0 or more.")
    return None


def check_period(indicator: Indicator, period: str) -> str | None:
    """Return why an indicator cannot have an outcome for a period, or None."""
    if period not in followed_periods(indicator):
        return _(
            "%(code)s is not followed up in %(period)s.",
            code=indicator.code,
            period=labels.label(labels.PERIODS, period),
        )
    return None
