"""How much demo data to make, and of what: the volumes at a scale, the people, the statuses."""

from tracker.models import (
    Indicator,
    Measure,
    MeasureStatus,
    Meeting,
    Recommendation,
    RecommendationStatus,
    Source,
)
from tracker.overdue import measure_open

# Scale 1: a large region's ten years.
VOLUMES = {
    "unit": 80,
    "user": 2_000,
    "meeting": 1_100,
    "source": 400,
    "recommendation": 4_000,
    "measure": 20_000,
    "status_update": 200_000,
    "indicator": 200,
    "outcome": 100_000,
}
MINIMUM = {"unit": 6, "user": 12, "meeting": 4, "indicator": 2}
OPEN_SHARE = 0.1  # about one item in ten is still open
BUSY_OWNERS = 5  # owners with 50+ open measures at scale 1
BUSY_OPEN = 60
YEARS_BACK = 8  # deadlines run from eight years back...
YEARS_AHEAD = 2  # ...to two years ahead: ten years in all
CHUNK = 5_000
DOMAIN = "demo.region.example"
SECRETARY_EMAIL = f"sekreterare1@{DOMAIN}"
BUSY_OWNER_EMAIL = f"agare1@{DOMAIN}"
ADMIN_EMAIL = f"admin1@{DOMAIN}"
# Tables that must be empty: the demo's rows would mix with real ones otherwise.
MUST_BE_EMPTY = (Source, Recommendation, Measure, Indicator, Meeting)
BODIES = (
    ("RS", "Regionstyrelsen"),
    ("HSN", "Hälso- och sjukvårdsnämnden"),
    ("REV", "Regionens revisorer"),
    ("RF", "Regionfullmäktige"),
)
OPEN_RECOMMENDATION = (
    RecommendationStatus.OPEN,
    RecommendationStatus.IN_PROGRESS,
    RecommendationStatus.REPORTED,
)
CLOSED_RECOMMENDATION = (
    [RecommendationStatus.CLOSED] * 8
    + [RecommendationStatus.NOT_IMPLEMENTED]
    + [RecommendationStatus.NO_LONGER_RELEVANT]
)
OPEN_MEASURE = tuple(status for status in MeasureStatus if measure_open(status))
CLOSED_MEASURE = [MeasureStatus.DONE] * 9 + [MeasureStatus.CANCELLED]
PERIODS = ("T1", "T2", "year")


def volumes(scale: float) -> dict[str, int]:
    """Return the number of rows of each kind at this scale."""
    return {
        name: max(MINIMUM.get(name, 1), round(count * scale)) for name, count in VOLUMES.items()
    }
