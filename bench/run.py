"""Run every bench script (`bench/bench_*.py`) in turn and report which failed.

Usage: `make bench` or `python bench/run.py [name ...]` (names select scripts whose file
name contains them, e.g. `python bench/run.py hub`).

Each script runs as its own process in its own process group, with this environment passed
through (plus the project root on PYTHONPATH), and prints its figures as `name: value`
lines straight to this output. A script that exits non-zero, or runs longer than
BENCH_SCRIPT_TIMEOUT seconds (default 1800; its whole process group is then stopped),
counts as failed; run.py exits 1 if any failed.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def bench_scripts(selected: list[str]) -> list[Path]:
    """The bench scripts in name order, those whose name contains one of `selected`."""
    scripts = sorted(HERE.glob("bench_*.py"))
    if selected:
        scripts = [s for s in scripts if any(name in s.name for name in selected)]
    return scripts


def run_script(script: Path, timeout: float) -> int:
    """Run one script to completion (or timeout) and return its exit code."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(ROOT), env.get("PYTHONPATH", "")] if p)
    process = subprocess.Popen(
        [sys.executable, str(script)], cwd=ROOT, env=env, start_new_session=True
    )
    try:
        return process.wait(timeout=timeout)
    except (subprocess.TimeoutExpired, KeyboardInterrupt):
        print(f"# {script.name}: stopping after {timeout:.0f} s or an interrupt", flush=True)
        _stop_group(process)
        return 124


def _stop_group(process: subprocess.Popen) -> None:
    """Stop the script and everything it started (gunicorn included)."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def main(argv: list[str]) -> int:
    timeout = float(os.environ.get("BENCH_SCRIPT_TIMEOUT", "1800"))
    scripts = bench_scripts(argv)
    if not scripts:
        print("no bench scripts found", file=sys.stderr)
        return 1
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        started = time.monotonic()
        code = run_script(script, timeout)
        print(f"== {script.name}: exit {code} in {time.monotonic() - started:.0f} s", flush=True)
        if code != 0:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}", flush=True)
        return 1
    print(f"all {len(scripts)} bench scripts finished", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
