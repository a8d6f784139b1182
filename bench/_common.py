"""Helpers shared by the bench scripts (`bench/bench_*.py`, run in turn by `bench/run.py`).

A bench script is a plain program: it prints one `name: value` line per figure and exits
non-zero if it could not measure. The helpers here do the plumbing:

- `bench_database_url(name)`: `DATABASE_URL` if set; otherwise a dedicated PostgreSQL
  database `name` on 127.0.0.1:5432 (created if missing); otherwise, with a warning, a
  SQLite file under `bench/out/`. Never the development database.
- `app_environment(database_url)`: the environment the app runs with in a bench: DEBUG off,
  a throwaway SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, and a settings module (written to a
  temporary folder) that collects static files into a temporary STATIC_ROOT, so that the
  working tree is left alone (WhiteNoise's compressed storage, without the manifest).
  `setup_django(env)` configures this process the same way;
  `prepare_app(env)` migrates and collects static files.
- `Gunicorn(env, workers=2)`: a context manager that serves the app on a free 127.0.0.1
  port, waits for /healthz, exposes `.url(path)` and `.worker_pids()`, and stops it (the
  whole process group) on exit, even on Ctrl-C or SIGTERM.
- `session_cookie(user)`: a logged-in session in the bench database, as a Cookie header.
- `check_page(url, cookie, expect)`: one GET that must answer 200 (no redirect to login).
- `run_wrk(url, cookie=..., duration=..., connections=..., threads=...)`: runs wrk with a
  Lua `done` hook and returns requests/s and p50/p95/p99 latency in milliseconds.
- `rss_mb(pid)`: resident memory of a process, from /proc/<pid>/status.
- `capture_sql(path, user)` and `time_sql(statements)`: the SQL a page runs (captured
  in-process with Django's test client) and the median time to run it bare through a
  database cursor, fetching every row: the floor under the page.
- `figure(name, value)`: prints one `name: value` line.

Only 127.0.0.1 is ever used, and every loop and run is bounded.
"""

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
HOST = "127.0.0.1"
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def figure(name: str, value) -> None:
    """Print one figure as `name: value` (floats to 2 decimals)."""
    text = f"{value:.2f}" if isinstance(value, float) else str(value)
    print(f"{name}: {text}", flush=True)


def note(text: str) -> None:
    """A comment line for people; not a figure."""
    print(f"# {text}", flush=True)


# -- database --------------------------------------------------------------------------------


def bench_database_url(name: str = "clc_bench") -> str:
    """The database to bench on: DATABASE_URL, else PostgreSQL `name` (created), else SQLite."""
    configured = os.environ.get("DATABASE_URL", "").strip()
    if configured:
        return configured
    try:
        import psycopg2
        from psycopg2 import sql

        admin = psycopg2.connect(PG_ADMIN_URL, connect_timeout=3)
    except Exception as error:  # any failure means "no PostgreSQL here"
        OUT.mkdir(parents=True, exist_ok=True)
        note(f"PostgreSQL not reachable ({error.__class__.__name__}); using SQLite")
        return f"sqlite:///{OUT / (name + '.sqlite3')}"
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()
    return f"postgres://postgres@127.0.0.1:5432/{name}"


_SETTINGS_TEMPLATE = '''"""Bench settings: the real ones, static files in a temporary folder."""
from clc_audit.settings import *  # noqa: F403

STATIC_ROOT = {static_root!r}
# Compressed, served by WhiteNoise, but without the manifest: the vendored Bootstrap CSS
# names a source map that is not in the tree, which the manifest storage refuses.
STORAGES = {{
    **STORAGES,  # noqa: F405
    "staticfiles": {{"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}},
}}
'''


def app_environment(database_url: str) -> dict[str, str]:
    """The environment for the app under bench (see the module docstring)."""
    folder = Path(tempfile.mkdtemp(prefix="clc-bench-"))
    (folder / "clc_bench_settings.py").write_text(
        _SETTINGS_TEMPLATE.format(static_root=str(folder / "static"))
    )
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "DJANGO_SETTINGS_MODULE": "clc_bench_settings",
            "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT), env.get("PYTHONPATH", "")]),
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "ERROR",
            "BENCH_TEMP_DIR": str(folder),
        }
    )
    return env


def setup_django(env: dict[str, str]) -> None:
    """Configure Django in this process exactly as the served app is configured."""
    os.environ.update(env)
    for path in reversed(env["PYTHONPATH"].split(os.pathsep)):
        if path and path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()


def prepare_app(env: dict[str, str]) -> None:
    """Migrate the bench database and collect static files (into the temporary folder)."""
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=600)


def cleanup(env: dict[str, str]) -> None:
    """Remove the temporary settings and static folder."""
    shutil.rmtree(env.get("BENCH_TEMP_DIR", ""), ignore_errors=True)


# -- app server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Gunicorn:
    """Serve the app with gunicorn on 127.0.0.1 for the duration of a `with` block."""

    def __init__(self, env: dict[str, str], *, workers: int = 2) -> None:
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def __enter__(self) -> "Gunicorn":
        command = [
            str(Path(PYTHON).with_name("gunicorn")),
            "clc_audit.wsgi:application",
            f"--bind={HOST}:{self.port}",
            f"--workers={self.workers}",
            "--log-level=warning",
            "--timeout=60",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        previous = signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
        self._previous_handler = previous
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited before it answered")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(self.url("/healthz"), timeout=2) as response,
            ):
                if response.status == 200 and len(self.worker_pids()) == self.workers:
                    return
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def worker_pids(self) -> list[int]:
        """The pids of the worker processes (children of the gunicorn master)."""
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children")
        if children.exists():
            return [int(pid) for pid in children.read_text().split()]
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                    pids.append(int(stat.parent.name))
        return pids

    def __exit__(self, *exc) -> None:
        signal.signal(signal.SIGTERM, self._previous_handler)
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (VmRSS from /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# -- requests and load -----------------------------------------------------------------------


def session_cookie(user) -> str:
    """A Cookie header value for a new logged-in session of `user` in the bench database."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_page(url: str, cookie: str = "", expect: bytes = b"") -> int:
    """GET `url` once; it must answer 200 (not a redirect to login) and contain `expect`.
    Returns the size of the body in bytes."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"{url} answered {error.code}") from None
    if status != 200 or expect not in body:
        raise RuntimeError(f"{url} answered {status} without {expect!r}")
    return len(body)


_WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d socket_errors=%d status_errors=%d " ..
    "p50_us=%d p95_us=%d p99_us=%d\\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout,
    e.status, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class WrkResult:
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int


def run_wrk(
    url: str, *, cookie: str = "", duration: int = 10, connections: int = 2, threads: int = 2
) -> WrkResult:
    """Load `url` with wrk for `duration` seconds; requests/s and latency percentiles.
    Raises if any request failed (socket error or HTTP status of 400 or more)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_SCRIPT)
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    command += ["-s", script.name]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    try:
        output = subprocess.run(
            [*command, url], capture_output=True, text=True, timeout=duration + 60, check=True
        ).stdout
    finally:
        os.unlink(script.name)
    match = re.search(r"^BENCH (.*)$", output, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"could not read wrk's output:\n{output}")
    values = {k: int(v) for k, v in (pair.split("=") for pair in match.group(1).split())}
    errors = values["socket_errors"] + values["status_errors"]
    if errors or not values["requests"]:
        raise RuntimeError(f"wrk saw {errors} errors out of {values['requests']} on {url}")
    return WrkResult(
        requests=values["requests"],
        rps=values["requests"] / (values["duration_us"] / 1e6),
        p50_ms=values["p50_us"] / 1000,
        p95_ms=values["p95_us"] / 1000,
        p99_ms=values["p99_us"] / 1000,
        errors=errors,
    )


# -- the SQL floor ---------------------------------------------------------------------------


def capture_sql(path: str, user) -> tuple[list[str], float]:
    """The SQL statements one GET of `path` runs (as `user`, in this process) with the
    cache emptied first, so that every statement its data costs is captured (the hub page
    caches its content), and how long that in-process request took in ms."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={"host": HOST})
    client.force_login(user)
    client.get(path)  # warm caches (templates, URL resolver) once
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code} in process")
    return [query["sql"] for query in captured.captured_queries], elapsed


def time_in_process(path: str, user, *, repeat: int = 20) -> float:
    """Median ms of an in-process GET of `path` as `user`, the cache left as it is."""
    from django.test import Client

    client = Client(headers={"host": HOST})
    client.force_login(user)
    client.get(path)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def time_sql(statements: list[str], *, repeat: int = 30) -> float:
    """Median ms to run `statements` one after another through a bare DB-API cursor,
    fetching every row: no ORM, no model instances, no template."""
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        cursor = raw.cursor()
        for statement in statements:
            cursor.execute(statement)
            if cursor.description is not None:
                cursor.fetchall()
        cursor.close()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)
