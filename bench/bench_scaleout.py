"""Scale out: two gunicorn app servers against one PostgreSQL share their sessions.

Creates its own database (clc_bench_scaleout), serves the app the production way (DEBUG
off, collectstatic into a temporary folder, WhiteNoise) on two ports of 127.0.0.1, signs
in on one and then alternates requests between both with that session; signs out on the
second and checks the first no longer knows the session. Prints `name: value` lines.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/bench_scaleout.py

The helpers here are also used by tests/test_scaleout.py.
"""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
BENCH_DB = "clc_bench_scaleout"
USERNAME = "scaleout_leader"
PASSWORD = "scale-out-password-2026"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 1):
    """One gunicorn app server on a free port of 127.0.0.1; yields its port."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "clc_audit.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env={**os.environ, **env},
    )
    try:
        wait_until_up(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn on port {port} exited with {process.returncode}")
        try:
            if Browser(port).get("/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn on port {port} did not answer /healthz in {timeout} s")


class Browser:
    """A minimal cookie-keeping HTTP client for one server; `cookies` may be shared
    between two Browsers to carry one session from one server to another."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.port = port
        self.cookies = {} if cookies is None else cookies

    def request(self, method: str, path: str, body: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return response.status, response.headers, text
        finally:
            connection.close()

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, body: dict):
        return self.request("POST", path, body)

    def csrf_token(self, path: str) -> str:
        status, _, text = self.get(path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        if status != 200 or not found:
            raise RuntimeError(f"no CSRF token on {path} (status {status})")
        return found.group(1)

    def login(self, username: str, password: str) -> int:
        token = self.csrf_token("/accounts/login/")
        status, _, _ = self.post(
            "/accounts/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
        )
        return status


def database_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(base)
    if not parts.scheme.startswith("postg"):
        # Several app servers (and row locks) are a PostgreSQL matter: nothing to measure.
        print(f"# {Path(sys.argv[0]).name}: needs PostgreSQL (DATABASE_URL); skipped")
        raise SystemExit(0)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


def recreate_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def manage(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        input=stdin,
        text=True,
        capture_output=True,
    )
    if result.returncode != 0:
        raise subprocess.CalledProcessError(
            result.returncode, result.args, result.stdout, result.stderr
        )
    return result.stdout


FALLBACK_SETTINGS = """from clc_audit.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
}}
"""


def production_app(database: str) -> dict[str, str]:
    """A fresh PostgreSQL database, migrated, and static files collected into a temporary
    folder, with the production settings (DEBUG off, a random secret, WhiteNoise's
    manifest storage). Plain HTTP on the loopback: cookies cannot be HTTPS-only here.
    If collectstatic fails with the manifest storage, says why and falls back to
    WhiteNoise's compressed storage without the manifest. Returns the environment."""
    url = database_url(database)
    folder = Path(tempfile.mkdtemp(prefix="clc-bench-"))
    env = {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "clc_audit.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(folder / "static"),
        "LOG_LEVEL": "ERROR",
    }
    recreate_database(url)
    manage(env, "migrate", "--noinput", "-v0")
    try:
        manage(env, "collectstatic", "--noinput", "-v0")
    except subprocess.CalledProcessError as error:
        lines = (error.stderr or "?").strip().splitlines()
        reason = next((line for line in lines if "could not be found" in line), lines[-1])
        print(f"# collectstatic failed with the manifest storage: {reason[:200]}")
        print("# falling back to CompressedStaticFilesStorage (no manifest)")
        (folder / "clc_bench_fallback_settings.py").write_text(FALLBACK_SETTINGS)
        env["DJANGO_SETTINGS_MODULE"] = "clc_bench_fallback_settings"
        env["PYTHONPATH"] = os.pathsep.join(
            [str(folder), str(BASE_DIR), os.environ.get("PYTHONPATH", "")]
        )
        manage(env, "collectstatic", "--noinput", "-v0")
    return env


CREATE_USER = f"""
from django.contrib.auth import get_user_model
from communities.models import School
user = get_user_model().objects.create_user({USERNAME!r}, password={PASSWORD!r})
School.objects.create(name="Scale Out School").leaders.add(user)
"""


def session_round_trips(port_a: int, port_b: int, rounds: int) -> dict[str, int]:
    """Signs in on A, then asks A and B in turn for the home page with that session."""
    cookies: dict[str, str] = {}
    on_a, on_b = Browser(port_a, cookies), Browser(port_b, cookies)
    if on_a.login(USERNAME, PASSWORD) != 302 or "sessionid" not in cookies:
        raise RuntimeError("login on server A failed")
    failures = 0
    for index in range(rounds):
        status, _, text = (on_a if index % 2 else on_b).get("/")
        if status != 200 or USERNAME not in text:
            failures += 1
    token = on_b.csrf_token("/")
    logout_status, _, _ = on_b.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    after_logout, _, _ = Browser(port_a, dict(cookies)).get("/")
    return {
        "scaleout_requests": rounds,
        "scaleout_session_failures": failures,
        "scaleout_logout_on_b_status": logout_status,
        "scaleout_a_after_logout_on_b_status": after_logout,
    }


def main() -> None:
    env = production_app(BENCH_DB)
    manage(env, "shell", stdin=CREATE_USER)
    started = time.monotonic()
    with ExitStack() as stack:
        port_a = stack.enter_context(gunicorn(env, workers=2))
        port_b = stack.enter_context(gunicorn(env, workers=2))
        figures = session_round_trips(port_a, port_b, rounds=200)
    print("scaleout_servers: 2")
    for name, value in figures.items():
        print(f"{name}: {value}")
    print(f"scaleout_seconds: {time.monotonic() - started:.1f}")
    if (
        figures["scaleout_session_failures"]
        or figures["scaleout_a_after_logout_on_b_status"] != 302
    ):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
