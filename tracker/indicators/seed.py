"""Load the indicators, targets, baselines, outcomes and threshold rules in seed/indicators/*.yaml,
taken from the source documents (001 and 002).

Each file may hold these sections (see the files for examples):

    units          name, kind, parent: looked up by name, created only when missing
    indicators     code, perspective, objective, success_factor, name, description,
                   measure_unit, target {kind, value, women, men, margin},
                   baseline {period, value, women, men}, periods [T1, T2, year], split_by_sex,
                   responsible_unit, outcomes, assumed (the fields the documents do not
                   give: stored so, and shown as assumed)
    outcomes       indicator (its code), period, unit, value, women, men, note: outcomes of an
                   indicator that another file defines (an indicator's own "outcomes" need no
                   indicator key)
    source         kind, title, dnr, issuer, addressee, paragraph: the decision that sets the
                   file's rules, looked up by Dnr (else by kind and title), created if missing
    rules          indicator, comparison, threshold, unit_kind, theme, deadline_days, text
    measure_links  measure (its title), indicators (codes): skipped when the measure is not
                   loaded

Every file's units and indicators are loaded before any file's outcomes, rules and links, so a
file may give outcomes for an indicator that a later file defines. Outcomes pass the same checks
as the form and the import. Loading is idempotent: rows are found by their natural keys and only
created when missing, so a second run changes nothing, and nothing users changed is overwritten.
Threshold rules are not applied here: seeding is not the entry of a period's outcomes.
"""

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from tracker.indicators.periods import PeriodError, parse_period
from tracker.indicators.services import fulfilment, outcomes
from tracker.models import (
    Body,
    Indicator,
    Measure,
    MeasureIndicator,
    MeasureUnit,
    Outcome,
    Perspective,
    RuleComparison,
    Source,
    SourceKind,
    TargetKind,
    ThresholdRule,
    Unit,
    UnitKind,
    utcnow,
)

SEEDED_MODELS = (Indicator, Outcome, ThresholdRule, MeasureIndicator)


def load_indicator_seed(session: Session, folder: Path) -> dict[str, int]:
    """Create the rows described by folder/indicators/*.yaml; return the row counts.

    folder is the seed folder (seed/). Flushes but does not commit: the caller owns the
    transaction.
    """
    files = sorted((Path(folder) / "indicators").glob("*.yaml"))
    documents = []
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        documents.append((path.name, data))
    loader = _Loader(session)
    for steps in (loader.first_pass, loader.second_pass):
        for name, data in documents:
            try:
                steps(data)
            except KeyError as exc:
                raise ValueError(f"{name}: a required field is missing: {exc}") from exc
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from exc
    return {
        model.__tablename__: session.exec(select(func.count()).select_from(model)).one()
        for model in SEEDED_MODELS
    }


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _number(value: Any, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what}: {value!r} is not a number")
    return float(value)


def _period(value: Any, what: str) -> tuple[int, str]:
    try:
        return parse_period(value)
    except PeriodError:
        raise ValueError(f"{what}: cannot read the period {value!r}") from None


class _Loader:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: SQLModel) -> SQLModel:
        self.session.add(row)
        self.session.flush()
        return row

    def first_pass(self, data: dict) -> None:
        for item in data.get("units") or []:
            self.ensure_unit(item)
        for item in data.get("indicators") or []:
            self.ensure_indicator(item)

    def second_pass(self, data: dict) -> None:
        for item in data.get("indicators") or []:
            indicator = self.indicator(item["code"])
            for outcome in item.get("outcomes") or []:
                self.ensure_outcome(indicator, outcome)
        for item in data.get("outcomes") or []:
            self.ensure_outcome(self.indicator(item["indicator"]), item)
        if data.get("rules"):
            source = self.ensure_source(data["source"])
            for item in data["rules"]:
                self.ensure_rule(source, item)
        for item in data.get("measure_links") or []:
            self.ensure_links(item)

    # Lookups.

    def unit(self, name: str | None) -> Unit | None:
        if not name:
            return None
        unit = self.session.exec(select(Unit).where(Unit.name == _text(name))).first()
        if unit is None:
            raise ValueError(f"Unknown unit {name!r}")
        return unit

    def indicator(self, code: str) -> Indicator:
        indicator = self.session.exec(select(Indicator).where(Indicator.code == code)).first()
        if indicator is None:
            raise ValueError(f"Unknown indicator {code!r}")
        return indicator

    # Rows.

    def ensure_unit(self, item: dict) -> Unit:
        name = _text(item["name"])
        existing = self.session.exec(select(Unit).where(Unit.name == name)).first()
        if existing:
            return existing
        parent = self.unit(item.get("parent"))
        kind = UnitKind(item.get("kind", UnitKind.OFFICE))
        return self.add(Unit(name=name, kind=kind, parent_id=parent.id if parent else None))

    def ensure_indicator(self, item: dict) -> Indicator:
        code = str(item["code"]).strip()
        existing = self.session.exec(select(Indicator).where(Indicator.code == code)).first()
        if existing:
            return existing
        target = item.get("target") or {}
        baseline = item.get("baseline") or {}
        periods = set(item.get("periods") or ["T1", "T2", "year"])
        if periods - {"T1", "T2", "year"}:
            raise ValueError(f"{code}: periods are T1, T2 and year, not {sorted(periods)}")
        year, period = _period(baseline["period"], code) if baseline else (None, None)
        responsible = self.unit(item.get("responsible_unit"))
        now = utcnow()
        indicator = Indicator(
            code=code,
            name=_text(item["name"]),
            description=_text(item.get("description")),
            perspective=Perspective(item["perspective"]),
            objective=_text(item.get("objective")),
            success_factor=_text(item.get("success_factor")),
            measure_unit=MeasureUnit(item.get("measure_unit", MeasureUnit.PERCENT)),
            target_kind=TargetKind(target.get("kind", TargetKind.AT_LEAST)),
            target_value=_number(target.get("value"), code),
            target_women=_number(target.get("women"), code),
            target_men=_number(target.get("men"), code),
            margin=_number(target.get("margin"), code) or 0,
            baseline_value=_number(baseline.get("value"), code),
            baseline_women=_number(baseline.get("women"), code),
            baseline_men=_number(baseline.get("men"), code),
            baseline_year=year,
            baseline_period=period,
            follows_t1="T1" in periods,
            follows_t2="T2" in periods,
            follows_year="year" in periods,
            split_by_sex=bool(item.get("split_by_sex", False)),
            responsible_unit_id=responsible.id if responsible else None,
            assumed=list(item.get("assumed") or []),
            created_at=now,
            updated_at=now,
        )
        return self.add(indicator)

    def ensure_outcome(self, indicator: Indicator, item: dict) -> Outcome:
        what = f"{indicator.code} {item.get('period')}"
        year, period = _period(item["period"], what)
        unit = self.unit(item.get("unit"))
        unit_id = unit.id if unit else None
        existing = outcomes.find_outcome(
            self.session, indicator_id=indicator.id, year=year, period=period, unit_id=unit_id
        )
        if existing:
            return existing
        numbers = {key: _number(item.get(key), what) for key in ("value", "women", "men")}
        problems = [message for _field, message in fulfilment.check_values(indicator, **numbers)]
        wrong_period = fulfilment.check_period(indicator, period)
        if wrong_period:
            problems.append(wrong_period)
        if problems:
            raise ValueError(f"{what}: {' '.join(problems)}")
        values = {"year": year, "period": period, "unit_id": unit_id, **numbers}
        values["note"] = _text(item.get("note"))
        return outcomes.create_outcome(self.session, indicator=indicator, values=values)

    def ensure_source(self, item: dict) -> Source:
        dnr = str(item.get("dnr") or "")
        kind = SourceKind(item["kind"])
        title = _text(item["title"])
        query = select(Source).where(Source.dnr == dnr) if dnr else None
        source = self.session.exec(query).first() if query is not None else None
        source = (
            source
            or self.session.exec(
                select(Source).where(Source.kind == kind, Source.title == title)
            ).first()
        )
        if source:
            return source

        def body_id(code):
            body = self.session.exec(select(Body).where(Body.code == code)).first()
            return body.id if body else None

        return self.add(
            Source(
                kind=kind,
                title=title,
                dnr=dnr,
                issuer_id=body_id(item.get("issuer")),
                addressee_id=body_id(item.get("addressee")),
                paragraph=str(item.get("paragraph") or ""),
                created_at=utcnow(),
            )
        )

    def ensure_rule(self, source: Source, item: dict) -> ThresholdRule:
        indicator = self.indicator(item["indicator"])
        comparison = RuleComparison(item.get("comparison", RuleComparison.BELOW))
        threshold = _number(item["threshold"], indicator.code)
        existing = self.session.exec(
            select(ThresholdRule).where(
                ThresholdRule.indicator_id == indicator.id,
                ThresholdRule.source_id == source.id,
                ThresholdRule.comparison == comparison,
                ThresholdRule.threshold == threshold,
            )
        ).first()
        if existing:
            return existing
        unit_kind = item.get("unit_kind", UnitKind.HEALTH_CENTRE)
        now = utcnow()
        return self.add(
            ThresholdRule(
                indicator_id=indicator.id,
                source_id=source.id,
                comparison=comparison,
                threshold=threshold,
                unit_kind=UnitKind(unit_kind) if unit_kind else "",
                text=_text(item["text"]),
                theme=_text(item.get("theme")),
                deadline_days=int(item.get("deadline_days", 30)),
                created_at=now,
                updated_at=now,
            )
        )

    def ensure_links(self, item: dict) -> None:
        title = _text(item["measure"])
        measure = self.session.exec(
            select(Measure).where(Measure.title == title).order_by(Measure.id)
        ).first()
        if measure is None:
            return  # the measures' seed was not loaded
        for code in item.get("indicators") or []:
            link = {"measure_id": measure.id, "indicator_id": self.indicator(code).id}
            if self.session.get(MeasureIndicator, link) is None:
                self.add(MeasureIndicator(**link))
