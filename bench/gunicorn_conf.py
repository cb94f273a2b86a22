"""gunicorn settings for the benchmark: two workers on loopback, and a query count per response.

The count is taken inside the app (an engine event) and sent back in X-Query-Count, so the
benchmark reads queries per request from the real server, not from a test client.
"""

import os

from flask import g, has_app_context
from sqlalchemy import event

bind = os.environ.get("BENCH_BIND", "127.0.0.1:8765")
workers = 2
worker_class = "sync"
timeout = 300  # a 1,000-item PDF may take minutes before it is brought to target
accesslog = None
errorlog = "-"
loglevel = "warning"


def post_worker_init(worker):
    """Count the SQL statements each request runs, SQLite's BEGIN aside."""
    app = worker.wsgi
    engine = app.extensions["tracker.engine"]

    @event.listens_for(engine, "before_cursor_execute")
    def _count(_conn, _cursor, statement, *_args):
        if has_app_context() and statement != "BEGIN":
            g.bench_queries = g.get("bench_queries", 0) + 1

    @app.after_request
    def _header(response):
        response.headers["X-Query-Count"] = str(g.get("bench_queries", 0))
        return response
