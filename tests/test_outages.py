"""Outages of what the app leans on: Redis down, a full disk. Nothing typed is lost."""

import logging

from tests.conftest import PASSWORD
from tests.reminders_support import free_port
from tracker import create_app


def _closed_port() -> int:
    """Return a loopback port nothing listens on: a Redis that is down."""
    return free_port()


def test_sign_in_works_with_redis_down_counting_per_process(
    app, make, migrated, monkeypatch, caplog
):
    monkeypatch.setenv("TRACKER_REDIS_URL", f"redis://127.0.0.1:{_closed_port()}/0")
    monkeypatch.setenv("TRACKER_SIGNIN_LIMIT_ACCOUNT", "3 per 15 minutes")
    user = make.user("admin")
    worker = create_app({"DATABASE_URL": migrated, "TESTING": True, "SECRET_KEY": "test"})
    worker.test_client_class = type(app.test_client())  # posts the form the page rendered
    try:
        with caplog.at_level(logging.WARNING):
            signed_in = worker.test_client().submit(
                "/login", {"email": user.email, "password": PASSWORD}
            )
        assert signed_in.status_code == 302, signed_in.get_data(as_text=True)[:500]
        assert "falling back to in-memory storage" in caplog.text
        # Still throttled, by this process's own count.
        other = make.user("viewer")
        wrong = {"email": other.email, "password": "fel lösenord"}
        statuses = [worker.test_client().submit("/login", wrong).status_code for _ in range(4)]
        assert statuses == [400, 400, 400, 429]
    finally:
        worker.extensions["tracker.engine"].dispose()
