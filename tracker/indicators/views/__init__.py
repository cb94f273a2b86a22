"""Pages for indicators, their outcomes, charts, the import and threshold rules: one blueprint."""

from tracker.indicators.views import imports, indicators, outcomes, rules
from tracker.indicators.views.blueprint import bp

# Importing the page modules registers their routes on the blueprint.
__all__ = ["bp", "imports", "indicators", "outcomes", "rules"]
