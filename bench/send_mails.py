"""Send N due reminders to the SMTP server in TRACKER_SMTP_*; print [sent, seconds].

A region's data holds fewer than N reminders due on one day, so the runs go on a week apart
(each week opens new windows and a digest) until N are sent, and only the runs are timed.
"""

import json
import sys
import time
from datetime import timedelta

from tracker import create_app
from tracker.models import utcnow
from tracker.reminders.services.run import run_reminders

MAX_RUNS = 10


def main() -> None:
    """Time reminder runs capped at N mails in all."""
    limit = int(sys.argv[1])
    app = create_app()
    sent, seconds = 0, 0.0
    with app.app_context():
        now = utcnow()
        for week in range(MAX_RUNS):
            if sent >= limit:
                break
            started = time.perf_counter()
            outcomes = run_reminders(now=now + timedelta(weeks=week), limit=limit - sent)
            seconds += time.perf_counter() - started
            sent += sum(outcome.sent for outcome in outcomes)
    print(json.dumps([sent, round(seconds, 3)]))


if __name__ == "__main__":
    main()
