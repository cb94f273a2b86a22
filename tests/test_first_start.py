"""The first start: what `make run` prints, no mail about old deadlines, catalogues in the wheel."""

import logging
import re
import socket
import subprocess
import sys
import zipfile
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import select

from tests import reminders_support
from tests.conftest import fresh
from tracker.auth.services import update_user
from tracker.config import ROOT
from tracker.dates import today
from tracker.logs import ZoneFormatter, stamp
from tracker.models import Measure, ReminderRun, User, utcnow
from tracker.reminders.services.run import reminder_run
from tracker.reminders.services.settings import moment_of

inbox = reminders_support.inbox


def _owner(make, session, name="Ägare"):
    owner = make.user("owner", name=name)
    owner.digest = False
    session.commit()
    return owner


def test_the_first_run_leaves_old_deadlines_alone_and_chases_the_ones_after_it(
    make, session, inbox
):
    owner = _owner(make, session)
    old = make.measure(owner_id=owner.id, due_date=date(2017, 6, 30))
    first_day = today()  # the items were entered today; a run in the past cannot see them
    later = make.measure(owner_id=owner.id, due_date=first_day + timedelta(days=3))

    first = reminder_run(now=moment_of(first_day))
    assert first.before_start == 1  # 2017's deadline: not chased
    assert [o.due.item_id for o in first.outcomes] == [later.id]  # "3 days before" is open
    # A week later the old deadline opens a new weekly window; still no mail about it.
    week = reminder_run(now=moment_of(first_day + timedelta(days=7)))
    assert [(o.due.item_id, o.due.kind) for o in week.outcomes] == [(later.id, "overdue_1")]
    assert {m["X-Tracker-Reminder"] for m in inbox.mails} == {
        f"measure-{later.id} before_7",
        f"measure-{later.id} overdue_1",
    }
    assert f"measure-{old.id}" not in str([m["X-Tracker-Reminder"] for m in inbox.mails])
    fresh(session)
    runs = session.exec(select(ReminderRun).order_by(ReminderRun.id)).all()
    assert [(run.sent, run.before_start) for run in runs] == [(1, 1), (1, 1)]


def test_an_item_entered_after_its_deadline_is_not_chased(make, session, inbox):
    owner = _owner(make, session)
    session.add(ReminderRun(started_at=moment_of(date(2020, 1, 1))))  # reminders began long ago
    session.commit()
    late_entry = make.measure(owner_id=owner.id, due_date=today() - timedelta(days=2))

    result = reminder_run(now=moment_of(today()))

    assert result.outcomes == [] and result.before_start == 1
    assert inbox.mails == []
    assert session.get(Measure, late_entry.id).due_date < today()


def test_seeded_demo_users_have_placeholder_addresses_that_are_never_mailed(app, session, inbox):
    assert app.test_cli_runner().invoke(args=["seed"]).exit_code == 0
    seeded = session.exec(select(User)).all()
    assert seeded and all(user.placeholder_email for user in seeded)
    # Reminders as they would have run while the seeded deadlines were near.
    session.add(ReminderRun(started_at=moment_of(date(2017, 1, 1))))
    session.commit()

    result = reminder_run(now=moment_of(date(2021, 5, 13)))

    assert result.placeholders > 0 and result.outcomes == []
    assert inbox.mails == []
    # An admin who enters a real address makes the user one that is mailed.
    user = seeded[0]
    update_user(session, user, version=user.version, values={"email": "riktig@region.example"})
    session.commit()
    assert session.get(User, user.id).placeholder_email is False


def test_the_scheduler_logs_one_summary_line_per_run(make, session, inbox):
    for n in range(3):
        make.measure(owner_id=_owner(make, session, f"Ägare {n}").id, due_date=today())
    line = reminder_run().summary()
    assert "\n" not in line
    assert line.startswith("reminder run: 3 sent, 0 failed")


def test_welcome_prints_the_address_e_mail_and_password_last_then_how_to_set_a_new_one(
    app, session, client
):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    since = utcnow().timestamp() - 60
    session.add(ReminderRun(started_at=utcnow()))  # the scheduler's first run
    session.commit()
    runner = app.test_cli_runner()
    try:
        first = runner.invoke(args=["welcome", "--url", url, "--since", str(since), "--wait", "5"])
        again = runner.invoke(args=["welcome", "--url", url, "--since", str(since), "--wait", "5"])
    finally:
        listener.close()

    assert first.exit_code == 0, first.output
    lines = first.output.strip().splitlines()
    assert lines[0] == lines[-1] and set(lines[0]) == {"="}  # one framed block
    assert f"open {url}" in first.output and "admin@region.example" in first.output
    password = re.search(r"with the password (\S+)", first.output)[1]
    response = client.submit("/login", {"email": "admin@region.example", "password": password})
    assert response.status_code == 302
    assert "set-password admin@region.example" in again.output
    assert password not in again.output

    changed = runner.invoke(
        args=["set-password", "admin@region.example"],
        env={"TRACKER_NEW_PASSWORD": "ett nytt långt lösenord"},
    )
    assert changed.exit_code == 0, changed.output
    client.post("/logout", data={"csrf_token": client.csrf()})
    response = client.submit(
        "/login", {"email": "admin@region.example", "password": "ett nytt långt lösenord"}
    )
    assert response.status_code == 302


def test_migrate_says_it_created_the_schema_on_a_new_database(tmp_path):
    from tracker.app import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}", "TESTING": True})
    runner = app.test_cli_runner()
    created = runner.invoke(args=["migrate"])
    again = runner.invoke(args=["migrate"])
    app.extensions["tracker.engine"].dispose()
    assert created.output.startswith("created the database schema (revision ")
    assert again.output.startswith("the database schema is up to date")


def test_make_run_installs_only_what_running_needs():
    plan = subprocess.run(
        ["make", "-n", "-B", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "pip install --quiet -e .\n" in plan
    assert "[test]" not in plan
    assert "welcome" in plan.splitlines()[-3] + plan.splitlines()[-2]  # started with the server


def test_server_and_scheduler_lines_share_one_clock_and_zone(app):
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(app.config["TIMEZONE"])
    werkzeug = logging.getLogger("werkzeug")
    from tracker.logs import DropWerkzeugDate

    record = werkzeug.makeRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '127.0.0.1 - - [28/Nov/2026 05:00:00] "%s" %s %s',
        ("GET / HTTP/1.1", "200", "-"),
        None,
    )
    DropWerkzeugDate().filter(record)
    server_line = ZoneFormatter(zone).format(record)
    scheduler_line = f"{stamp(zone)} reminder run: 0 sent"
    pattern = r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (CET|CEST) "
    assert re.match(pattern, server_line) and re.match(pattern, scheduler_line)
    assert "[28/Nov/2026" not in server_line and '"GET / HTTP/1.1" 200' in server_line


def test_the_built_wheel_holds_the_compiled_catalogues(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = Path(tmp_path).glob("tracker-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for language in ("sv", "en"):
        assert f"tracker/translations/{language}/LC_MESSAGES/messages.mo" in names
    from babel.messages.mofile import read_mo

    with zipfile.ZipFile(wheel).open("tracker/translations/sv/LC_MESSAGES/messages.mo") as mo:
        catalogue = read_mo(mo)
    assert catalogue.get("Sign out").string == "Logga ut"
