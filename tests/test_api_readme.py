"""The README's API examples work as written: curl and the CSV script, against a live server."""

import json
import re
import subprocess
import sys
import threading
from pathlib import Path

from sqlmodel import select
from werkzeug.serving import make_server

from tests.conftest import fresh
from tests.test_api import bearer
from tracker.models import Indicator, Outcome, StatusUpdate

README = Path(__file__).resolve().parent.parent / "README.md"


def examples(language: str) -> list[str]:
    """Return the code blocks of one language in the README's API section."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("\n## API\n") :]
    section = section[: section.index("\n## ", 5)]
    return re.findall(rf"```{language}\n(.*?)```", section, re.S)


def test_the_readme_examples_list_post_and_load_outcomes(app, make, session, tmp_path):
    body = make.body()
    open_one = make.recommendation(make.source(addressee_id=body.id), status="open")
    make.recommendation(make.source(addressee_id=body.id), status="closed")
    measure = make.measure()
    session.add(Indicator(code="TEL", name="Telefontillgänglighet", perspective="citizens"))
    session.commit()
    token = bearer(session, make.user("secretary"))["Authorization"].split()[1]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    env = {"PATH": "/usr/bin:/bin", "TRACKER_TOKEN": token}
    env["TRACKER_URL"] = f"http://127.0.0.1:{server.server_port}"
    try:
        listing, posting = examples("sh")
        listing = listing.replace("body=1", f"body={body.id}")
        listed = subprocess.run(["sh", "-c", listing], env=env, capture_output=True, check=True)
        assert [item["id"] for item in json.loads(listed.stdout)["items"]] == [open_one.id]

        posting = posting.replace('"measure_id": 7', f'"measure_id": {measure.id}')
        posted = subprocess.run(["sh", "-c", posting], env=env, capture_output=True, check=True)
        assert json.loads(posted.stdout)["text"] == "Utbildningen är genomförd."
        assert fresh(session).exec(select(StatusUpdate)).one().measure_id == measure.id

        (script,) = examples("python")
        assert len(script.strip().splitlines()) == 10
        (tmp_path / "outcomes.csv").write_text(
            "indicator,year,period,value\nTEL,2024,T1,81.5\nTEL,2024,year,84\n", encoding="utf-8"
        )
        loaded = subprocess.run(
            [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert loaded.returncode == 0, loaded.stderr
        assert loaded.stdout.split("\n")[:2] == ["TEL 2024 T1 201", "TEL 2024 year 201"]
        values = fresh(session).exec(select(Outcome.value).order_by(Outcome.id)).all()
        assert values == [81.5, 84]
    finally:
        server.shutdown()
