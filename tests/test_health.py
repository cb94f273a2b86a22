"""Liveness and readiness probes, and the security headers on every answer."""

from tracker import create_app


def test_healthz_answers_ok_without_the_database(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/missing/nowhere.db"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"


def test_readyz_checks_the_database(client, tmp_path):
    assert client.get("/readyz").get_data(as_text=True) == "ok"
    broken = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/missing/nowhere.db"})
    assert broken.test_client().get("/readyz").status_code == 503


def test_pages_forbid_inline_script_and_framing(client):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
