"""Outages of what the app leans on: Redis down, a full disk. Nothing typed is lost."""

import html
import io
import logging
import re
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlmodel import select

from tests.conftest import PASSWORD, fresh
from tests.reminders_support import free_port
from tracker import create_app
from tracker.models import ClosingDecision, Recommendation


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
        assert "the shared store is down, counting here" in caplog.text
        # Still throttled, by this process's own count.
        other = make.user("viewer")
        wrong = {"email": other.email, "password": "fel lösenord"}
        statuses = [worker.test_client().submit("/login", wrong).status_code for _ in range(4)]
        assert statuses == [400, 400, 400, 429]
    finally:
        worker.extensions["tracker.engine"].dispose()


@contextmanager
def full_disk() -> Iterator[Path]:
    """Mount a 64 KB tmpfs, a disk with no room for a file of any size, and remove it after."""
    folder = Path(tempfile.mkdtemp(prefix="tracker-full-"))
    # Root, as in CI (.ci/run installs with apt-get): a real full filesystem, not a mock.
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)
        folder.rmdir()


def test_a_full_disk_keeps_a_closing_decisions_text_and_leaves_no_partial_file(
    app, make, session, login
):
    body = make.body()
    item = make.recommendation(text="Punkt som ska stängas")
    client = login(make.user("secretary"))
    text = "Regionstyrelsen beslutar att godkänna vidtagna åtgärder och avsluta punkten."
    pdf = b"%PDF-1.7\n" + b"0" * 200_000 + b"\n%%EOF\n"  # larger than the disk
    data = {
        "item": [item.id],
        "outcome": "closed",
        "body_id": body.id,
        "decided_on": "2021-03-02",
        "paragraph": "45",
        "text": text,
        "evidence": (io.BytesIO(pdf), "Protokollsutdrag.pdf"),
    }
    with full_disk() as disk:
        app.config["EVIDENCE_DIR"] = str(disk / "evidence")
        response = client.submit("/follow-up/close", data, content_type="multipart/form-data")
        left = list((disk / "evidence").iterdir())

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(r'id="evidence-error"[^>]*>([^<]*)<', page)
    assert error and "disk is full or cannot be written" in html.unescape(error.group(1))
    assert text in page and 'value="45"' in page  # everything typed is still in the form
    assert left == []  # no partial file
    fresh(session)
    assert session.exec(select(ClosingDecision)).all() == []
    assert session.get(Recommendation, item.id).status == "open"
