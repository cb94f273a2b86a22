"""The demo's indicators and their outcomes, made once the units exist."""

from datetime import date

from tracker.demo import texts
from tracker.demo.volumes import PERIODS
from tracker.models import Indicator, Outcome, Perspective, TargetKind


class IndicatorRows:
    """Make the indicator and outcome rows; mixed into the builder, whose state it uses."""

    def indicators(self) -> None:
        count = self.n["indicator"]
        first = self.next_id(Indicator)
        rows = []
        for i in range(count):
            increase = self.rng.random() < 0.2
            rows.append(
                {
                    "id": first + i,
                    "code": f"DEMO{i + 1:03d}",
                    "name": f"Andel patienter med {self.rng.choice(texts.OBJECTS)}",
                    "description": texts.sentence(self.rng),
                    "perspective": self.rng.choice(tuple(Perspective)),
                    "objective": self.rng.choice(texts.THEMES),
                    "success_factor": texts.sentence(self.rng)[:300],
                    "measure_unit": "percent",
                    "target_kind": TargetKind.INCREASE if increase else TargetKind.AT_LEAST,
                    "target_value": None if increase else float(self.rng.randint(70, 95)),
                    "target_women": None,
                    "target_men": None,
                    "margin": 5.0,
                    "baseline_value": None,
                    "baseline_women": None,
                    "baseline_men": None,
                    "baseline_year": None,
                    "baseline_period": None,
                    "follows_t1": True,
                    "follows_t2": True,
                    "follows_year": True,
                    "split_by_sex": self.rng.random() < 0.3,
                    "responsible_unit_id": self.rng.choice(self.unit_ids),
                    "created_at": self.moment(self.start),
                    "updated_at": self.moment(self.start),
                    "version": 1,
                }
            )
        self.rows["indicator"] = rows

    def outcomes(self) -> None:
        indicators = self.rows["indicator"]
        per_indicator = max(1, self.n["outcome"] // len(indicators))
        first = self.next_id(Outcome)
        years = range(self.today.year - 9, self.today.year)
        rows = []
        for indicator in indicators:
            scopes = [None] + self.rng.sample(self.unit_ids, len(self.unit_ids))
            made = 0
            for unit_id in scopes:
                level = self.rng.uniform(60, 98)
                for year in years:
                    for period in PERIODS:
                        if made == per_indicator:
                            break
                        value = round(min(100.0, max(0.0, level + self.rng.gauss(0, 4))), 1)
                        split = indicator["split_by_sex"]
                        moment = self.moment(date(year + (period == "year"), 1, 15))
                        rows.append(
                            {
                                "id": first + len(rows),
                                "indicator_id": indicator["id"],
                                "year": year,
                                "period": period,
                                "unit_id": unit_id,
                                "scope_id": unit_id or 0,
                                "value": value,
                                "women": min(100.0, value + 1.5) if split else None,
                                "men": max(0.0, value - 1.5) if split else None,
                                "note": "",
                                "created_at": moment,
                                "updated_at": moment,
                                "version": 1,
                            }
                        )
                        made += 1
        self.rows["outcome"] = rows
