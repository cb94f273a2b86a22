"""What the accessibility statement says was tested: tests/ check that it stays true."""

from datetime import date

# Change this date whenever the statement is reviewed against a run of the tests below.
REVIEWED = date(2026, 12, 6)
# The axe-core release the browser tests inject (package-lock.json), major.minor.
AXE_CORE = "4.14"
# Widths in CSS pixels every page is measured at: a small phone, and 1280 px at 200 % zoom.
WIDTHS = (320, 640)
# The roles every page is loaded as, in both languages.
ROLES = ("admin", "secretary", "owner", "viewer")
