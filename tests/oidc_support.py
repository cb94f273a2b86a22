"""A real OpenID provider (tests/oidc/provider.mjs) and the app served live beside it."""

import json
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

import requests
from werkzeug.serving import make_server

from tests.conftest import Client, _empty
from tests.html_forms import rendered_forms
from tests.live_server import free_port
from tracker import create_app

ROOT = Path(__file__).resolve().parent.parent
CLIENT_ID = "tracker"
CLIENT_SECRET = "a-client-secret-for-the-tests-only"


class TestProvider:
    """The Node provider on a loopback port; its people are read from a JSON file."""

    __test__ = False

    def __init__(self, accounts: Path, app_port: int):
        self.accounts = accounts
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.people({})
        app = f"http://127.0.0.1:{app_port}"
        self.process = subprocess.Popen(
            [shutil.which("node"), str(ROOT / "tests" / "oidc" / "provider.mjs"), str(self.port)]
            + [str(accounts), CLIENT_ID, CLIENT_SECRET, f"{app}/login/oidc/callback"]
            + [f"{app}/login"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()
        if not line.startswith("ready"):
            self.process.kill()
            raise RuntimeError("the test provider did not start: " + self.process.stderr.read())

    def people(self, people: dict) -> None:
        """Set the provider's people: {login: {password, email, name, groups}}."""
        self.accounts.write_text(json.dumps(people))

    def id_tokens(self, mode: str) -> None:
        """Make the token endpoint forge, expire or re-nonce its ID tokens ("none": honest)."""
        requests.post(f"{self.issuer}/test/id-token", params={"mode": mode}, timeout=10)

    def stop(self) -> None:
        self.process.terminate()
        self.process.communicate(timeout=10)


class LiveApp:
    """The app served by Werkzeug on a loopback port, in a thread of the test process."""

    def __init__(self, app, port: int):
        self.app = app
        self.url = f"http://127.0.0.1:{port}"
        self.server = make_server("127.0.0.1", port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def live_config(database_url: str, instance: Path, issuer: str, port: int, **more) -> dict:
    """Return the settings of an app that signs in with the test provider."""
    config = {
        "DATABASE_URL": database_url,
        "TESTING": True,
        "SECRET_KEY": "oidc-test",
        "BASE_URL": f"http://127.0.0.1:{port}",
        "INSTANCE_DIR": str(instance),
        "ENV_NAME": "development",
        # Plain HTTP on loopback: cookies without Secure.
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "OIDC_ISSUER": issuer,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_SCOPES": "openid email profile groups",
    }
    config.update(more)
    return config


@contextmanager
def serve(database_url: str, instance: Path, issuer: str, port: int, **more):
    """Serve a fresh app (emptied database) that signs in with the provider at issuer."""
    app = create_app(live_config(database_url, instance, issuer, port, **more))
    app.test_client_class = Client
    _empty(app.extensions["tracker.engine"])
    live = LiveApp(app, port)
    try:
        yield live
    finally:
        live.stop()
        app.extensions["tracker.engine"].dispose()


def browser() -> requests.Session:
    """Return an HTTP client that keeps cookies and asks for the English interface."""
    http = requests.Session()
    http.headers["Accept-Language"] = "en"
    return http


def to_callback(http: requests.Session, live: LiveApp, login: str, password: str) -> str:
    """Start a sign-in and sign in at the provider; return the callback URL it sends back to."""
    stop_at = f"{live.url}/login/oidc/callback"
    response = _follow(http, http.get(f"{live.url}/login/oidc", allow_redirects=False), stop_at)
    if isinstance(response, str):
        return response  # already signed in at the provider: it answered without asking
    form = rendered_forms(response.text)[0]
    action = urljoin(response.url, form.action)
    posted = http.post(action, data={"login": login, "password": password}, allow_redirects=False)
    answer = _follow(http, posted, stop_at)
    assert isinstance(answer, str), f"never came back: {answer.status_code} {answer.text[:300]}"
    return answer


def _follow(http: requests.Session, response, stop_at: str):
    """Follow redirects until one leads to stop_at (return that URL) or a page (return it)."""
    while response.is_redirect:
        location = urljoin(response.url, response.headers["Location"])
        if location.startswith(stop_at):
            return location
        response = http.get(location, allow_redirects=False, timeout=10)
    return response


def sign_in(http: requests.Session, live: LiveApp, login: str, password: str):
    """Sign in through the provider, following every redirect; return our app's answer."""
    return http.get(to_callback(http, live, login, password), timeout=10)
