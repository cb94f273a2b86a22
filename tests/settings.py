"""What the suite needs from the machine it runs on, each from one TRACKER_* setting.

The defaults are one developer's machine (and CI): PostgreSQL on 127.0.0.1:5432, Redis on
6379, the seed documents in ../shared/seeds beside the project. Servers the tests start
themselves (SMTP, the app, gunicorn) listen on a port the system picks (port 0).
"""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Also run the suite on this PostgreSQL server (empty: SQLite only).
DATABASE_URL = os.environ.get("TRACKER_TEST_DATABASE_URL", "")
# The databases the suite creates there are named <prefix>_…, for an operator who may create
# only databases of a given prefix.
DATABASE_PREFIX = os.environ.get("TRACKER_TEST_DATABASE_PREFIX", "tracker_test")
# Where the throttling tests count, with a key prefix of their own.
REDIS_URL = os.environ.get("TRACKER_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# The five source documents (README.md there); never copied into the project.
SEED_DOCUMENTS = Path(
    os.environ.get("TRACKER_SEED_DOCUMENTS", "") or ROOT.parent / "shared" / "seeds"
).resolve()
# CI has the documents: there a missing folder fails the tests instead of skipping them.
REQUIRE_SEED_DOCUMENTS = os.environ.get("TRACKER_REQUIRE_SEED_DOCUMENTS") == "1"


MISSING = (
    f"seed documents not found in {SEED_DOCUMENTS}: "
    "set TRACKER_SEED_DOCUMENTS to the folder that holds them"
)


def seed_document(prefix: str) -> Path:
    """Return seed document `prefix` (000 ... 004); skip the test when the folder is missing."""
    found = sorted(SEED_DOCUMENTS.glob(f"{prefix}_*.txt"))
    if not found:
        if REQUIRE_SEED_DOCUMENTS:
            pytest.fail(f"{MISSING} (TRACKER_REQUIRE_SEED_DOCUMENTS=1)", pytrace=False)
        pytest.skip(MISSING)
    return found[0]


def seed_skips_line(skipped: list) -> str | None:
    """Return the one line that says how many tests were skipped for want of the documents."""
    count = sum(MISSING in str(report.longrepr) for report in skipped)
    return f"{count} tests skipped: {MISSING}" if count else None
