"""`make run` and `make serve` start the task worker beside the server
(`clc_audit.with_worker`): it runs while the server runs and is stopped with it."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def db_workers(mark: str) -> list[str]:
    """The db_worker processes running now that carry `mark` in their environment (so
    that other tests' workers, running in parallel, are not counted)."""
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"db_worker" in args and f"CLC_TEST_MARK={mark}".encode() in environ:
                found.append(pid)
    return found


def test_the_worker_runs_beside_the_server_and_stops_with_it(tmp_path):
    mark = uuid.uuid4().hex
    env = {
        **os.environ,
        "CLC_TEST_MARK": mark,
        "DJANGO_SETTINGS_MODULE": "clc_audit.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120
    )
    # The "server": waits until its worker has started, then says how many it saw.
    probe = (
        "import time, sys; sys.path.insert(0, 'tests/clc_audit');"
        "from test_with_worker import db_workers;"
        "deadline = time.monotonic() + 30\n"
        f"while time.monotonic() < deadline and not db_workers({mark!r}):\n"
        "    time.sleep(0.2)\n"
        f"print(len(db_workers({mark!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-m", "clc_audit.with_worker", sys.executable, "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "1"
    assert db_workers(mark) == []
