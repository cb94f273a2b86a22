"""Sign-in, cookies, CSRF, the create-user command and user administration."""

from sqlmodel import select

from tests.conftest import PASSWORD
from tracker.models import User


def test_wrong_password_is_refused_next_to_the_field_and_email_kept(client, make):
    user = make.user("viewer")
    response = client.submit("/login", {"email": user.email, "password": "wrong password"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'value="{user.email}"' in page
    assert 'id="password-error"' in page


def test_inactive_user_cannot_sign_in(client, make, session):
    user = make.user("viewer")
    user.active = False
    session.commit()
    response = client.submit("/login", {"email": user.email, "password": PASSWORD})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="password-error"' in page and "Wrong e-mail or password." in page
    assert f'value="{user.email}"' in page
    # Still signed out: a page behind the sign-in sends the visitor to the form.
    assert client.get("/my-work").headers["Location"].startswith("/login")


def test_an_unknown_email_is_refused_like_a_wrong_password(client):
    response = client.submit("/login", {"email": "nobody@region.example", "password": PASSWORD})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Wrong e-mail or password." in page and 'value="nobody@region.example"' in page


def test_production_hashes_passwords_at_argon2s_default_cost(migrated, tmp_path):
    from argon2 import PasswordHasher

    from tracker import create_app
    from tracker.auth.services import authenticate, create_user
    from tracker.db import session_scope

    app = create_app({"DATABASE_URL": migrated, "INSTANCE_DIR": str(tmp_path)})
    default = PasswordHasher()
    with app.app_context(), session_scope() as session:
        user = create_user(
            session, email="cost@region.example", name="Cost", role="viewer", password=PASSWORD
        )
        params = f"m={default.memory_cost},t={default.time_cost},p={default.parallelism}"
        assert params == "m=65536,t=3,p=4" and f"${params}$" in user.password_hash
        assert authenticate(session, email="COST@region.example ", password=PASSWORD) == user
        assert authenticate(session, email="cost@region.example", password="wrong") is None
        session.delete(user)
    app.extensions["tracker.engine"].dispose()


def test_tests_hash_passwords_cheaply(make):
    assert "$m=8,t=1,p=1$" in make.user("viewer").password_hash


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/measures/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_login_does_not_redirect_elsewhere(client, make):
    user = make.user("viewer")
    response = client.submit(
        "/login?next=//evil.example/x", {"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_cookies_are_httponly_lax_and_secure_outside_development(client, make):
    user = make.user("viewer")
    response = client.submit("/login", {"email": user.email, "password": PASSWORD, "remember": "y"})
    cookies = response.headers.getlist("Set-Cookie")
    for name in ("session=", "remember_token="):
        cookie = next(c for c in cookies if c.startswith(name))
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
        assert "Secure" in cookie


def test_development_cookies_are_not_secure(monkeypatch, migrated):
    monkeypatch.setenv("TRACKER_ENV", "development")
    from tracker import create_app

    app = create_app({"DATABASE_URL": migrated, "SECRET_KEY": "x"})
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["REMEMBER_COOKIE_SECURE"] is False


def test_a_form_without_csrf_token_is_refused_clearly(client, make):
    user = make.user("viewer")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)


def test_create_user_command(app, session, monkeypatch):
    monkeypatch.setenv("TRACKER_NEW_PASSWORD", "a long enough password")
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-user", "Anna@Region.example", "--name", "Anna", "--role", "secretary"]
    )
    assert result.exit_code == 0, result.output
    user = session.exec(select(User).where(User.email == "anna@region.example")).one()
    assert user.role == "secretary"
    again = runner.invoke(
        args=["create-user", "anna@region.example", "--name", "Anna", "--role", "viewer"]
    )
    assert again.exit_code != 0
    assert "already exists" in again.output


def test_random_password_is_printed_once_and_works(app, client, session):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "demo@region.example",
            "--name",
            "Demo",
            "--role",
            "admin",
            "--random-password",
            "--if-missing",
        ]
    )
    password = result.output.split("password (shown once): ")[1].strip()
    response = client.submit("/login", {"email": "demo@region.example", "password": password})
    assert response.status_code == 302
    second = runner.invoke(
        args=[
            "create-user",
            "demo@region.example",
            "--name",
            "Demo",
            "--role",
            "admin",
            "--random-password",
            "--if-missing",
        ]
    )
    assert second.exit_code == 0
    assert "shown once" not in second.output


def test_admin_creates_a_user_who_can_sign_in(make, login, app):
    client = login(make.user("admin"))
    response = client.submit(
        "/users/new",
        {
            "email": "ny@region.example",
            "name": "Ny Person",
            "role": "owner",
            "language": "sv",
            "active": "y",
            "password": "ett långt lösenord",
        },
    )
    assert response.status_code == 302
    client.submit("/logout")
    client.token = None
    response = client.submit(
        "/login", {"email": "ny@region.example", "password": "ett långt lösenord"}
    )
    assert response.status_code == 302


def test_duplicate_email_is_refused_with_typed_values_kept(make, login):
    existing = make.user("viewer")
    client = login(make.user("admin"))
    response = client.submit(
        "/users/new",
        {"email": existing.email, "name": "Kept Name", "role": "owner", "language": "sv"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Kept Name"' in page
    assert "already exists" in page
