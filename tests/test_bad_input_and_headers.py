"""Numbers too large for a column, a huge CSV field, and the security headers, over HTTP."""

import io

import pytest

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "url",
    [
        f"/measures/{HUGE}",
        f"/measures/{HUGE}/edit",
        f"/recommendations/{HUGE}",
        f"/sources/{HUGE}",
        f"/meetings/{HUGE}",
        "/measures/2147483648",
    ],
)
def test_ids_too_large_for_a_column_are_not_found(make, login, url):
    client = login(make.user("secretary"))
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"/measures/?unit={HUGE}",
        f"/measures/?owner={HUGE}&page={HUGE}",
        f"/sources/?body={HUGE}",
        f"/meetings?body={HUGE}",
        f"/follow-up/close?item={HUGE}",
        f"/follow-up?unit={HUGE}",
        f"/indicators/?unit={HUGE}",
        f"/measures/new?recommendation_id={HUGE}",
        f"/recommendations/new?source_id={HUGE}",
        f"/search?q=x&page={HUGE}",
    ],
)
def test_query_numbers_too_large_for_a_column_do_not_break_a_page(make, login, url):
    client = login(make.user("secretary"))
    assert client.get(url).status_code in (200, 400)


def test_a_csv_import_with_a_5_mb_field_gets_a_clear_error(make, login):
    client = login(make.user("secretary"))
    data = ("indicator;period;unit;value;women;men;note\n" + 'TEL;2022;;1;;;"').encode()
    data += b"x" * (5 * 1024 * 1024 - len(data) - 10) + b'"\n'
    response = client.submit(
        "/indicators/import",
        {"file": (io.BytesIO(data), "stor.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Line 2: a cell is far too long" in response.get_data(as_text=True)


def test_signed_in_pages_and_exports_are_not_stored_and_https_is_required(make, login, client):
    anonymous = client.get("/login")
    assert anonymous.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "no-store" not in anonymous.headers.get("Cache-Control", "")
    csp = anonymous.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp

    signed_in = login(make.user("viewer"))
    for url in ("/", "/measures/", "/settings", "/follow-up?format=xlsx", "/follow-up?format=csv"):
        response = signed_in.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
        assert response.headers["Strict-Transport-Security"], url


def test_development_sends_no_hsts(monkeypatch, migrated):
    monkeypatch.setenv("TRACKER_ENV", "development")
    from tracker import create_app

    app = create_app({"DATABASE_URL": migrated, "SECRET_KEY": "x"})
    assert "Strict-Transport-Security" not in app.test_client().get("/login").headers
    app.extensions["tracker.engine"].dispose()
