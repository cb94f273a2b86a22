"""Send the first N due reminders to the SMTP server in TRACKER_SMTP_*; print [sent, seconds]."""

import json
import sys
import time

from tracker import create_app
from tracker.reminders.services.run import run_reminders


def main() -> None:
    """Time one reminder run capped at N mails."""
    limit = int(sys.argv[1])
    app = create_app()
    with app.app_context():
        started = time.perf_counter()
        outcomes = run_reminders(limit=limit)
        seconds = time.perf_counter() - started
    print(json.dumps([sum(outcome.sent for outcome in outcomes), round(seconds, 3)]))


if __name__ == "__main__":
    main()
