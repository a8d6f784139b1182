"""Runs a server command with the task worker beside it: `python -m clc_audit.with_worker
COMMAND...` starts `manage.py db_worker` in a process group of its own, runs COMMAND
(runserver, gunicorn) in the foreground, and stops the worker when COMMAND ends or
when it is interrupted. `make run` and `make serve` use it."""

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def main(command: list[str]) -> int:
    if not command:
        print("usage: python -m clc_audit.with_worker COMMAND...", file=sys.stderr)
        return 2
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload"], cwd=ROOT, start_new_session=True
    )
    server = subprocess.Popen(command, cwd=ROOT)
    # Ctrl-C reaches the server (our own group) by itself; SIGTERM is passed on to it.
    signal.signal(signal.SIGTERM, lambda *_: server.terminate())
    try:
        return server.wait()
    except KeyboardInterrupt:
        return server.wait()
    finally:
        _stop(worker)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
