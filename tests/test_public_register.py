"""The public register: what a signed-out reader sees, and that nothing marked leaks."""

import csv
import html
import io
import json
from datetime import date, timedelta

import openpyxl
import pytest
from sqlmodel import select

from tests.conftest import fresh
from tests.html_forms import rendered_form
from tracker import dates
from tracker.config import ROOT
from tracker.models import Mark, Recommendation, Source, StatusUpdate
from tracker.seed import load_seed

PASSWORD = "correct horse battery"


@pytest.fixture
def published(app):
    app.config["PUBLIC_REGISTER"] = True
    return app


def mark(client, target_type: str, target_id: int, **values):
    url = f"/marks/{target_type}/{target_id}"
    form = rendered_form(client.get(url).get_data(as_text=True), url)
    return client.submit(url, form.data(**values))


def strings(value) -> list[str]:
    """Return every string in decoded JSON."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return [value] if isinstance(value, str) else []


def words(text: str) -> str:
    return " ".join(text.split())


def everything_public(app) -> str:
    """Return every public page, file and API answer a signed-out reader can fetch, as the
    words a reader sees: pages unescaped, JSON decoded, cells read, whitespace made single."""
    reader = app.test_client()
    first = reader.get("/register/")
    assert first.status_code == 200
    texts = [html.unescape(first.get_data(as_text=True))]
    data = json.loads(reader.get("/register/register.json").data)
    texts += strings(data)
    for number in range(2, data["pages"] + 1):
        page = reader.get(f"/register/?page={number}").get_data(as_text=True)
        texts.append(html.unescape(page))
    rows = csv.reader(io.StringIO(reader.get("/register/register.csv").data.decode("utf-8-sig")))
    texts += [cell for row in rows for cell in row]
    workbook = openpyxl.load_workbook(io.BytesIO(reader.get("/register/register.xlsx").data))
    texts += [str(cell.value) for row in workbook.active.iter_rows() for cell in row]
    for path in ("/login", "/tillganglighet", "/healthz"):
        texts.append(html.unescape(reader.get(path).get_data(as_text=True)))
    texts += strings(reader.get("/api/v1/openapi.json").get_json() or {})
    return words("\n".join(texts))


def test_a_status_update_marked_secret_leaves_the_register_its_files_and_its_api(
    published, make, login, session, client
):
    load_seed(session, ROOT / "seed")
    session.commit()
    # The newest update of all is its item's latest report, which the register shows.
    update = session.exec(
        select(StatusUpdate)
        .where(StatusUpdate.recommendation_id.is_not(None))
        .order_by(StatusUpdate.id.desc())
    ).first()
    secret = words(update.text)[:60].strip()
    reader = published.test_client()
    assert secret in everything_public(published)

    login(make.user("secretary", name="Sara Sekreterare"))
    response = mark(
        client,
        "status_update",
        update.id,
        kind="secret",
        law="21:7",
        ends_on=str(dates.today() + timedelta(days=3650)),
        reason="Uppgifter om enskildas hälsa",
    )
    assert response.status_code == 302
    row = session.exec(select(Mark)).one()
    assert (row.marked_by_name, row.law) == ("Sara Sekreterare", "21:7")

    public = everything_public(published)
    assert secret not in public
    assert "OSL 21:7" in public
    data = json.loads(reader.get("/register/register.json").data)
    (item,) = [i for i in data["items"] if i["id"] == update.recommendation_id]
    assert item["latest_report"]["text"] == "Information under OSL 21:7, left out"
    assert {"field": "latest_report.text", "reason": "Information under OSL 21:7, left out"} in (
        item["withheld"]
    )
    # Searching for the secret words finds nothing: the search reads public words only.
    word = max(secret.split(), key=len)
    found = html.unescape(reader.get(f"/register/?q={word}").get_data(as_text=True))
    assert secret not in words(found)


def test_a_secret_source_withholds_its_items_unless_lifted_and_nothing_marked_leaks(
    published, make, login, session, client
):
    body = make.body()
    source = make.source(title="Granskning av personalärenden i division X", addressee_id=body.id)
    items = [
        make.recommendation(source, text=f"Hemlig rekommendation nummer {n} om Kalle Anka")
        for n in range(3)
    ]
    public_source = make.source(title="Granskning av e-tjänster")
    shown = make.recommendation(public_source, text="Öppen rekommendation om 1177")
    personal = make.recommendation(public_source, text="Namnet Kajsa Anka nämns här")
    login(make.user("secretary"))
    assert mark(client, "source", source.id, kind="secret", law="39:3").status_code == 302
    assert mark(client, "recommendation", personal.id, kind="personal_data").status_code == 302
    # The auditors decide one item of the secret source is public after all.
    assert (
        mark(
            client, "recommendation", items[2].id, kind="open", reason="Allmän rekommendation"
        ).status_code
        == 302
    )
    # A secret mark without its OSL reference is refused, the typed reason kept.
    refused = mark(client, "recommendation", shown.id, kind="secret", reason="Känsligt?")
    assert refused.status_code == 400 and "Känsligt?" in refused.get_data(as_text=True)

    public = everything_public(published)
    for text in ("personalärenden", "Kalle Anka", "Kajsa Anka"):
        # Item 2 is public again, but its source's title stays withheld.
        assert text not in public.replace(items[2].text, "") or text == "Kalle Anka"
    assert items[0].text not in public and items[1].text not in public
    assert items[2].text in public
    assert "Kajsa Anka" not in public and "Personal data, left out" in public
    assert shown.text in public and "Granskning av e-tjänster" in public
    assert "personalärenden" not in public

    # Lifting the source's mark (with the reason) publishes it; the record stays.
    held = session.exec(select(Mark).where(Mark.target_type == "source")).one()
    page = client.get(f"/marks/source/{source.id}").get_data(as_text=True)
    form = rendered_form(page, f"/marks/{held.id}/lift")
    assert (
        client.submit(form.action, form.data(reason="Sekretesstiden har löpt ut")).status_code
        == 302
    )
    assert fresh(session).get(Mark, held.id).lifted_reason == "Sekretesstiden har löpt ut"
    assert items[0].text in everything_public(published)


def test_a_mark_past_its_last_day_no_longer_holds(published, make, login, session, client):
    item = make.recommendation(text="Tidigare hemlig text")
    session.add(
        Mark(
            target_type="recommendation",
            target_id=item.id,
            kind="secret",
            law="21:7",
            ends_on=dates.today() - timedelta(days=1),
        )
    )
    session.commit()
    assert item.text in everything_public(published)


def test_the_register_is_off_until_turned_on_and_cacheable_when_on(app, make, session):
    make.recommendation()
    reader = app.test_client()
    assert reader.get("/register/").status_code == 404
    app.config["PUBLIC_REGISTER"] = True
    first = reader.get("/register/register.csv")
    assert first.status_code == 200
    assert "public" in first.headers["Cache-Control"] and first.headers["ETag"]
    again = reader.get("/register/register.csv", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    rows = list(csv.reader(io.StringIO(first.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["source.title", "source.dnr", "number"]
    data = json.loads(reader.get("/register/register.json").data)
    assert data["schema"] == "tracker-public-register/1" and data["total"] == 1
    assert set(data["items"][0]) == {
        "id",
        "source",
        "number",
        "kind",
        "text",
        "status",
        "status_name",
        "grade_board",
        "grade_auditors",
        "deadline",
        "deadline_words",
        "deadline_assumed",
        "latest_report",
        "withheld",
    }
    assert date.fromisoformat(data["generated"])
    assert session.exec(select(Source)).first() and session.exec(select(Recommendation)).first()
