"""The app under gunicorn on loopback, with a tiny HTTP client that keeps one sign-in."""

import http.client
import os
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """Run `gunicorn -w 2` on a loopback port for the given database, stopped on exit."""

    def __init__(self, database_url: str, workers: int = 2, threads: int = 4, env=None):
        self.port = free_port()
        extra, env = env, dict(os.environ)
        env.update(
            TRACKER_DATABASE_URL=database_url,
            TRACKER_SECRET_KEY="gunicorn-test",
            TRACKER_ENV="development",  # plain HTTP on loopback: cookies without Secure
        )
        env.pop("TRACKER_REDIS_URL", None)
        env.update(extra or {})
        self.process = subprocess.Popen(
            [str(GUNICORN), "-w", str(workers), "--threads", str(threads), "--timeout", "60"]
            + ["-b", f"127.0.0.1:{self.port}", "tracker:create_app()"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start: " + self.process.stderr.read().decode())

    def request(self, method, path, data=None, cookie="", timeout=60):
        """Send one request; return (status, headers, body)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Accept-Language": "en", "Cookie": cookie}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read().decode()
        finally:
            connection.close()

    def stop(self) -> str:
        """Stop gunicorn and return what it wrote to standard error."""
        self.process.terminate()
        try:
            _, errors = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, errors = self.process.communicate(timeout=10)
        return errors.decode()


def cookies_of(headers, jar: dict) -> str:
    """Keep the cookies a response sets; return the Cookie header to send next."""
    for header in headers.get_all("Set-Cookie") or []:
        for name, morsel in SimpleCookie(header).items():
            jar[name] = morsel.value
    return "; ".join(f"{name}={value}" for name, value in jar.items())
