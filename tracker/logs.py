"""One clock for every log line: the region's zone, one format for server and scheduler."""

import logging
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Flask

FORMAT = "%Y-%m-%d %H:%M:%S %Z"
# Werkzeug writes its own date, in the process's zone, into each request line.
_WERKZEUG_DATE = re.compile(r" - - \[[^\]]*\] ")


def stamp(zone: ZoneInfo, moment: datetime | None = None) -> str:
    """Return a moment (now by default) as the log's time in the region's zone."""
    return (moment or datetime.now(UTC)).astimezone(zone).strftime(FORMAT)


class ZoneFormatter(logging.Formatter):
    """Begin each line with the time in the region's zone."""

    def __init__(self, zone: ZoneInfo) -> None:
        super().__init__("%(asctime)s %(message)s")
        self.zone = zone

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's name
        return stamp(self.zone, datetime.fromtimestamp(record.created, UTC))


class DropWerkzeugDate(logging.Filter):
    """Remove werkzeug's own date from a request line: the formatter gives the time."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _WERKZEUG_DATE.sub(" ", record.msg, count=1)
        return True


def init_logging(app: Flask) -> None:
    """Log to stderr with the region's time, once per process; tests keep pytest's logging."""
    root = logging.getLogger()
    if app.testing or any(isinstance(h.formatter, ZoneFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(ZoneFormatter(ZoneInfo(app.config["TIMEZONE"])))
    root.addHandler(handler)
    root.setLevel(logging.WARNING)  # the libraries' chatter stays out of the terminal
    werkzeug = logging.getLogger("werkzeug")
    werkzeug.setLevel(logging.INFO)  # the requests, as the development server shows them
    werkzeug.addFilter(DropWerkzeugDate())
