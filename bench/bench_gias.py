"""GIAS import: a first import of a 50,000-row register and an unchanged re-run.

Generates a register-shaped pair of files (Windows-1252, quoted commas in names and
statuses, closed schools, accented names, a links file; see `bench/gias_fixture.py`),
creates its own database (clc_bench_gias) and times `manage.py import_gias` twice, each
in its own process, reading that process's peak memory. Prints `name: value` lines.
Targets: first import < 60 s, re-run < 20 s, peak memory < 300 MB.

    .venv/bin/python bench/bench_gias.py [ROWS]

The database is created on DATABASE_URL's PostgreSQL server if it names one, otherwise
on 127.0.0.1:5432, and dropped at the end.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.gias_fixture import write_links, write_register  # noqa: E402

BENCH_DB = "clc_bench_gias"
PG_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
ROWS = 50_000


def database_url(name: str) -> str:
    """Database `name` on DATABASE_URL's PostgreSQL server, or on 127.0.0.1:5432 when
    DATABASE_URL is unset or names SQLite. Never the database DATABASE_URL names."""
    parts = urlsplit(os.environ.get("DATABASE_URL", ""))
    if not parts.scheme.startswith("postg"):
        parts = urlsplit(PG_SERVER)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


def admin_sql(url: str, *statements: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    connection.close()


def manage(env: dict[str, str], *args: str) -> tuple[float, float, str]:
    """Run a management command in a child process: (seconds, peak RSS in MB, stdout)."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "manage.py", *args, "--skip-checks"],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Read the pipes first (a full pipe would block the child), then reap the child
    # with wait4, which returns its own resource usage and not its siblings'.
    stdout, stderr = process.stdout.read(), process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    if process.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{stdout}\n{stderr}")
    peak_mb = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    return seconds, peak_mb, stdout


def main(rows: int = ROWS) -> dict[str, float]:
    url = database_url(BENCH_DB)
    env = {"DATABASE_URL": url, "DEBUG": "false", "SECRET_KEY": "bench-gias-" + "x" * 40}
    admin_sql(
        url, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)', f'CREATE DATABASE "{BENCH_DB}"'
    )
    try:
        with tempfile.TemporaryDirectory(prefix="clc-gias-") as folder:
            register = Path(folder) / "edubasealldata20260101.csv"
            links = Path(folder) / "links_edubasealldata20260101.csv"
            write_register(register, rows)
            write_links(links, rows)
            manage(env, "migrate", "--noinput", "-v0")
            command = ("import_gias", str(register), "--links", str(links))
            first_s, first_mb, _ = manage(env, *command)
            rerun_s, rerun_mb, output = manage(env, *command)
        if "Nothing changed" not in output:
            raise SystemExit(f"the re-run changed something:\n{output}")
    finally:
        admin_sql(url, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    return {
        "gias_rows": rows,
        "gias_first_import_s": round(first_s, 2),
        "gias_rerun_s": round(rerun_s, 2),
        "gias_peak_rss_mb": round(max(first_mb, rerun_mb), 1),
    }


if __name__ == "__main__":
    results = main(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS)
    for name, value in results.items():
        print(f"{name}: {value}")
