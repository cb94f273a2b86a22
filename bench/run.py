"""Run the benchmark: `python -m bench.run` (what `make bench` does); --help for the options.

For each database (SQLite, and PostgreSQL when TRACKER_TEST_DATABASE_URL is set) and scale it
builds the demo data, serves the app with gunicorn (2 workers) on loopback, signs in, and
measures the pages with wrk, the exports, the reminder run and the workers' memory. Every
request loop is bounded in time (wrk -d) and every single request in time (a timeout).
"""

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url

from bench.results import Result, table, write_json

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATA = Path(os.environ.get("BENCH_DATA", ROOT / "bench" / ".data"))
PASSWORD = "benchmark-lösenord"
SECRETARY = "sekreterare1@demo.region.example"
OWNER = "agare1@demo.region.example"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
EXPORT_ITEMS = 1000
LIST_ITEMS = 200
MAILS = 2000
REMINDERS_BEGAN = datetime(2000, 1, 1, tzinfo=UTC)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def machine(note: str) -> dict:
    """Describe the machine the numbers were taken on."""
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = found.group(1).strip() if found else ""
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"MemTotal:\s*(\d+)", meminfo.read_text())
        memory = f"{int(found.group(1)) // 1024 // 1024} GB" if found else ""
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "system": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "note": note,
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


# The database.


def database_url(db: str, scale: float) -> str:
    """Return the URL of the benchmark database for this database kind and scale."""
    tag = f"s{scale:g}".replace(".", "_")
    if db == "sqlite":
        return f"sqlite:///{DATA / f'bench-{tag}.db'}"
    base = make_url(os.environ["TRACKER_TEST_DATABASE_URL"])
    return base.set(database=f"tracker_bench_{tag}").render_as_string(hide_password=False)


def _flask(url: str, *args: str, timeout: int = 900, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_SECRET_KEY": "bench"}
    environment.update(env)
    return subprocess.run(
        [str(BIN / "flask"), "--app", "tracker", *args],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


def _has_data(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return bool(connection.execute(text("SELECT count(*) FROM measure")).scalar())
    except Exception:  # noqa: BLE001 - no database or no table yet: no data
        return False
    finally:
        engine.dispose()


def prepare(db: str, scale: float, *, reuse: bool, results: list[Result]) -> str:
    """Create, migrate and fill the database; keep an existing one with --reuse."""
    url = database_url(db, scale)
    if not (reuse and _has_data(url)):
        if db == "sqlite":
            DATA.mkdir(parents=True, exist_ok=True)
            for path in DATA.glob(f"{Path(make_url(url).database).name}*"):
                path.unlink()
        else:
            name = make_url(url).database
            admin = create_engine(
                os.environ["TRACKER_TEST_DATABASE_URL"], isolation_level="AUTOCOMMIT"
            )
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
        _flask(url, "migrate")
        started = time.perf_counter()
        _flask(url, "demo-data", "--scale", str(scale), TRACKER_DEMO_PASSWORD=PASSWORD)
        results.append(Result("demo.build_s", db, scale, time.perf_counter() - started, "s"))
    else:
        _flask(url, "migrate")
    return url


def facts(url: str) -> dict:
    """Look up what the pages need: ids to open and deadlines that give lists of a size."""
    engine = create_engine(url)
    with engine.connect() as connection:

        def one(sql: str, **params):
            return connection.execute(text(sql), params).scalar()

        def deadline(count: int) -> str:
            # The count-th earliest deadline; at small scales, the last one.
            dated = one("SELECT count(*) FROM recommendation WHERE due_date IS NOT NULL")
            return str(
                one(
                    "SELECT due_date FROM recommendation WHERE due_date IS NOT NULL "
                    "ORDER BY due_date LIMIT 1 OFFSET :n",
                    n=max(0, min(count, dated) - 1),
                )
            )

        found = {
            "recommendation": one(
                "SELECT min(recommendation_id) FROM recommendationmeasure JOIN recommendation "
                "ON recommendation.id = recommendation_id WHERE status = 'in_progress'"
            ),
            "measure": one("SELECT min(id) FROM measure WHERE status = 'ongoing'"),
            "indicator": one("SELECT min(id) FROM indicator"),
            "due_by_list": deadline(LIST_ITEMS),
            "due_by_export": deadline(EXPORT_ITEMS),
        }
    engine.dispose()
    return found


def reminders_began_long_ago(url: str) -> None:
    """Date the first reminder run before the data, as in a region that has sent for years.

    A fresh install chases no deadline that passed before its first run (decision 0010), so
    without this the reminder run would see a few hundred reminders instead of every one due.
    """
    from tracker.models import ReminderRun

    runs = ReminderRun.__table__
    engine = create_engine(url)
    with engine.begin() as connection:
        earlier = select(runs.c.id).where(runs.c.started_at <= REMINDERS_BEGAN).limit(1)
        if connection.execute(earlier).first() is None:
            connection.execute(
                insert(runs).values(
                    started_at=REMINDERS_BEGAN, sent=0, failed=0, placeholders=0, before_start=0
                )
            )
    engine.dispose()


# The server.


@contextmanager
def server(url: str, port: int, smtp_port: int):
    """Run gunicorn with 2 workers on loopback until the block ends."""
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": url,
        "TRACKER_SECRET_KEY": "bench",
        "TRACKER_SMTP_HOST": "127.0.0.1",
        "TRACKER_SMTP_PORT": str(smtp_port),
        "BENCH_BIND": f"127.0.0.1:{port}",
    }
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-c",
            str(ROOT / "bench" / "gunicorn_conf.py"),
            "tracker:create_app()",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_until_up(port, process, "gunicorn")
        yield process
    finally:
        # Workers busy with a long export would outlive a killed master: end them first.
        children = workers(process)
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            for pid in children:
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            process.kill()
            process.wait()


def workers(master: subprocess.Popen) -> list[int]:
    """Return the pids of the gunicorn master's workers."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def memory_mb(pid: int, field: str) -> float:
    """Return a process's VmRSS (now) or VmHWM (peak) in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{field}:\s*(\d+)", status).group(1)) / 1024


def wait_until_up(port: int, process, name: str) -> None:
    """Wait until the server on the port answers /healthz, for at most a minute."""
    deadline = time.monotonic() + 60
    while True:
        try:
            if request(port, "/healthz", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError(f"{name} did not start")
        time.sleep(0.3)


def request(
    port: int, path: str, *, cookie: str = "", method: str = "GET", body: str = "", timeout=30
) -> tuple[int, dict, bytes]:
    """Send one request; return status, headers (lower-case names) and body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Accept-Language": "sv"}
    if cookie:
        headers["Cookie"] = cookie
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        data = response.read()
        found = {}
        for name, value in response.getheaders():
            found.setdefault(name.lower(), []).append(value)
        return response.status, found, data
    finally:
        connection.close()


def _cookies(headers: dict) -> str:
    return "; ".join(value.split(";", 1)[0] for value in headers.get("set-cookie", []))


def sign_in(port: int, email: str) -> str:
    """Sign in through the login form; return the Cookie header of the signed-in session."""
    status, headers, page = request(port, "/login")
    cookie = _cookies(headers)
    token = CSRF.search(page.decode()).group(1)
    form = urlencode({"csrf_token": token, "email": email, "password": PASSWORD})
    status, headers, _page = request(port, "/login", cookie=cookie, method="POST", body=form)
    if status != 302:
        raise RuntimeError(f"sign-in as {email} failed: {status}")
    return _cookies(headers) or cookie


def wrk(port: int, path: str, *, cookie: str, clients: int, seconds: float) -> dict:
    """Load one page with wrk for a bounded time; return its percentiles and counts."""
    command = [
        "wrk",
        f"-t{min(clients, 2)}",
        f"-c{clients}",
        f"-d{seconds:g}s",
        "--timeout",
        "30s",
        "-s",
        str(ROOT / "bench" / "report.lua"),
        "-H",
        "Accept-Language: sv",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        command + [f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    ).stdout
    found = json.loads(output.split("BENCH ", 1)[1].splitlines()[0])
    if found["errors"]:
        raise RuntimeError(f"{path}: {found['errors']} failed requests under wrk")
    return found


# One database at one scale.


def pages(found: dict) -> list[tuple[str, str, str]]:
    """Return (name, who, path) of each page measured."""
    return [
        ("start", "secretary", "/"),
        ("recommendations", "secretary", "/recommendations/"),
        ("measures", "secretary", "/measures/"),
        ("followup_all_open", "secretary", "/follow-up"),
        ("followup_200", "secretary", f"/follow-up?status=any&due_by={found['due_by_list']}"),
        ("indicators", "secretary", "/indicators/"),
        ("search", "secretary", "/search?q=tillg%C3%A4nglighet"),
        ("my_work", "owner", "/my-work"),
        ("recommendation", "secretary", f"/recommendations/{found['recommendation']}"),
        ("measure", "secretary", f"/measures/{found['measure']}"),
        ("indicator", "secretary", f"/indicators/{found['indicator']}"),
    ]


def measure_one(db: str, scale: float, url: str, args, results: list[Result]) -> None:
    """Measure everything for one database at one scale."""
    from aiosmtpd.controller import Controller

    def add(name: str, value: float, unit: str) -> None:
        results.append(Result(name, db, scale, round(value, 3), unit))
        print(f"  {name}: {value:,.3f} {unit}", flush=True)

    found = facts(url)

    class Count:
        received = 0

        async def handle_DATA(self, _server, _session, _envelope):
            self.received += 1
            return "250 OK"

    sink = Count()
    smtp_port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    port = _free_port()
    try:
        with server(url, port, smtp_port) as master:
            cookies = {"secretary": sign_in(port, SECRETARY), "owner": sign_in(port, OWNER)}
            for name, who, path in pages(found):
                status, headers, body = request(port, path, cookie=cookies[who], timeout=120)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}")
                add(f"page.{name}.queries", int(headers["x-query-count"][0]), "queries")
                add(f"page.{name}.size_kb", len(body) / 1024, "KB")
                one = wrk(port, path, cookie=cookies[who], clients=1, seconds=args.seconds)
                if not one["requests"]:
                    # wrk reports 0 when no request ended in the window: say so, not "0 ms".
                    add(f"page.{name}.slower_than_window", args.seconds * 1000, "ms")
                    continue
                add(f"page.{name}.p50_ms", one["p50_us"] / 1000, "ms")
                add(f"page.{name}.p95_ms", one["p95_us"] / 1000, "ms")
            mine = wrk(port, "/my-work", cookie=cookies["owner"], clients=8, seconds=args.seconds)
            health = wrk(port, "/healthz", cookie="", clients=8, seconds=args.seconds)
            my_rps = mine["requests"] / (mine["duration_us"] / 1e6)
            health_rps = health["requests"] / (health["duration_us"] / 1e6)
            add("throughput.my_work_rps", my_rps, "req/s")
            add("throughput.healthz_rps", health_rps, "req/s")
            add("throughput.my_work_to_healthz", my_rps / health_rps, "ratio")
            after_exports = 0.0
            for fmt in ("docx", "xlsx", "pdf"):
                query = urlencode(
                    {"status": "any", "due_by": found["due_by_export"], "format": fmt}
                )
                started = time.perf_counter()
                try:
                    status, _headers, body = request(
                        port,
                        f"/follow-up?{query}",
                        cookie=cookies["secretary"],
                        timeout=args.export_timeout,
                    )
                except TimeoutError:
                    # Recorded at the limit, and said so: the rest of the run goes on.
                    add(f"export.{fmt}_timed_out", 1, "yes")
                    status, body = 200, b"-"
                elapsed = time.perf_counter() - started
                if status != 200 or not body:
                    raise RuntimeError(f"the {fmt} export answered {status}")
                add(f"export.{fmt}_s", elapsed, "s")
                rss = max(memory_mb(pid, "VmRSS") for pid in workers(master))
                after_exports = max(after_exports, rss)
            add("worker.rss_after_exports_mb", after_exports, "MB")
            add("worker.peak_rss_mb", max(memory_mb(pid, "VmHWM") for pid in workers(master)), "MB")
        reminders_began_long_ago(url)
        started = time.perf_counter()
        smtp = {"TRACKER_SMTP_HOST": "127.0.0.1", "TRACKER_SMTP_PORT": str(smtp_port)}
        _flask(url, "remind", "--dry-run", timeout=600, **smtp)
        add("remind.dry_run_s", time.perf_counter() - started, "s")
        sent = subprocess.run(
            [sys.executable, "-m", "bench.send_mails", str(MAILS)],
            env={**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_SECRET_KEY": "bench", **smtp},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
        count, seconds = json.loads(sent.stdout.strip().splitlines()[-1])
        if sink.received != count:
            raise RuntimeError(f"{count} mails sent but {sink.received} arrived")
        add("remind.mails_sent", count, "mails")
        add(f"remind.send_{MAILS}_s", seconds, "s")
    finally:
        controller.stop()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write bench/results.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="0.1,1", help="comma-separated, default 0.1,1")
    parser.add_argument("--db", default="", help="sqlite, postgresql or both (the default)")
    parser.add_argument("--seconds", type=float, default=3, help="length of each wrk run")
    parser.add_argument("--reuse", action="store_true", help="keep databases already filled")
    parser.add_argument(
        "--export-timeout", type=float, default=300, help="seconds one export may take"
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument(
        "--note", default="", help="said beside the machine, e.g. that it was shared"
    )
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    dbs = [db for db in (args.db or "sqlite,postgresql").split(",") if db]
    if "postgresql" in dbs and not os.environ.get("TRACKER_TEST_DATABASE_URL"):
        dbs.remove("postgresql")
    results: list[Result] = []
    for db in dbs:
        for scale in (float(s) for s in args.scales.split(",")):
            print(f"{db} at scale {scale:g}", flush=True)
            try:
                url = prepare(db, scale, reuse=args.reuse, results=results)
                measure_one(db, scale, url, args, results)
            finally:
                # What was measured before a failure is kept.
                write_json(results, Path(args.out), machine=machine(args.note))
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
