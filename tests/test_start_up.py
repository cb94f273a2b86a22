"""Start-up: the app loads without the file-format libraries only some downloads need."""

import os
import subprocess
import sys

from tracker.config import ROOT

# Each takes a tenth of a second or more to import; the scheduler and `flask remind` start
# often and need none of them.
LOADED_WHEN_USED = ("icalendar", "pypdf", "pdfminer", "docx", "openpyxl", "weasyprint")

PROGRAM = """
import sys
import tracker
tracker.create_app()
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_creating_the_app_loads_no_file_format_library(tmp_path):
    env = dict(
        os.environ,
        TRACKER_SECRET_KEY="start-up test",
        TRACKER_DATABASE_URL=f"sqlite:///{tmp_path / 'tracker.db'}",
    )
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = set(result.stdout.split())
    assert "flask" in loaded and "tracker" in loaded  # the list is of what was imported
    assert loaded.isdisjoint(LOADED_WHEN_USED), loaded & set(LOADED_WHEN_USED)
