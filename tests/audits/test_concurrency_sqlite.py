"""SQLite, the embedded default, holds up under concurrent saves: WAL, IMMEDIATE
transactions and a busy timeout make writers queue instead of failing with
"database is locked".

Ten processes, each with its own connection to one SQLite file (not in memory), load
their drafts, wait at a barrier, then save through the real save path
(`audits.services.audit_save_draft`) at the same moment. This file is also the worker:
`python tests/audits/test_concurrency_sqlite.py <command>` in a process of its own.
"""

import json
import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
WORKERS = 10


def _env(database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{database}",
    }


def _run(database: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, __file__, *args],
        cwd=BASE_DIR,
        env=_env(database),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _concurrent(database: Path, mode: str, rounds: int) -> list[dict]:
    return json.loads(_run(database, "concurrent", mode, str(rounds)))


@pytest.fixture(scope="module")
def prepared_file(tmp_path_factory):
    """A migrated SQLite file with ten schools, each with a leader and an open draft."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL has row locks and no database-wide write lock")
    database = tmp_path_factory.mktemp("sqlite") / "prepared.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=_env(database),
        check=True,
        timeout=180,
    )
    _run(database, "setup")
    return database


@pytest.fixture
def sqlite_file(prepared_file, tmp_path):
    database = tmp_path / "concurrency.sqlite3"
    shutil.copyfile(prepared_file, database)
    return database


def _total(results: list[dict], key: str) -> int:
    return sum(result[key] for result in results)


def test_sqlite_settings_are_wal_immediate_with_a_busy_timeout(sqlite_file):
    out = _run(sqlite_file, "pragmas")
    assert json.loads(out) == {"journal_mode": "wal", "busy_timeout": 20000}


def test_ten_concurrent_saves_of_different_drafts_are_never_locked(sqlite_file):
    results = _concurrent(sqlite_file, "own", rounds=1)
    print(f"sqlite_concurrent_saves: {WORKERS}, locked: {_total(results, 'locked')}")
    assert _total(results, "locked") == 0
    assert _total(results, "saved") == WORKERS
    assert json.loads(_run(sqlite_file, "check")) == {"versions": [2] * WORKERS}


def test_ten_workers_saving_ten_times_each_are_never_locked(sqlite_file):
    results = _concurrent(sqlite_file, "own", rounds=10)
    print(f"sqlite_concurrent_saves: {WORKERS * 10}, locked: {_total(results, 'locked')}")
    assert _total(results, "locked") == 0
    assert _total(results, "saved") == WORKERS * 10
    assert json.loads(_run(sqlite_file, "check")) == {"versions": [11] * WORKERS}


def test_while_the_write_lock_is_held_a_second_writer_waits_with_the_settings_only(
    sqlite_file,
):
    """The control, made deterministic rather than hoping ten workers collide: while one
    connection holds the write lock, a writer without the busy timeout fails at once
    ("database is locked"), and ten saves with the app's settings wait and all succeed
    once the lock is released."""
    holder = sqlite3.connect(sqlite_file, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    impatient = sqlite3.connect(sqlite_file, timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        impatient.execute("BEGIN IMMEDIATE")
    impatient.close()
    release = threading.Timer(1.0, holder.execute, args=["COMMIT"])
    release.start()
    try:
        results = _concurrent(sqlite_file, "own", rounds=1)
    finally:
        release.join()
        holder.close()
    assert _total(results, "locked") == 0
    assert _total(results, "saved") == WORKERS


def test_ten_concurrent_saves_of_one_draft_give_one_save_and_nine_conflicts(sqlite_file):
    results = _concurrent(sqlite_file, "shared", rounds=1)
    assert _total(results, "locked") == 0
    assert _total(results, "saved") == 1
    assert _total(results, "conflicts") == WORKERS - 1
    assert json.loads(_run(sqlite_file, "check"))["versions"][0] == 2


# The worker side: runs in its own process with its own SQLite connection.


def _setup() -> None:
    from django.contrib.auth import get_user_model

    from audits.services import audit_start
    from communities.models import School

    for index in range(WORKERS):
        user = get_user_model().objects.create_user(f"leader{index}", password=None)
        school = School.objects.create(name=f"Concurrent School {index}")
        school.leaders.add(user)
        audit_start(school=school, period="2025/26", by=user, copy_forward=False)


def _save(mode: str, index: int, rounds: int, barrier) -> dict:
    from django.db import OperationalError

    from audits.models import Audit
    from audits.services import AuditConflict, CategoryAnswer, ReflectionsAnswer, audit_save_draft

    audits = list(Audit.objects.order_by("pk"))
    audit = audits[index] if mode == "own" else audits[0]
    user = audit.school.leaders.get()
    version = audit.version  # as loaded: every part is checked against it
    result = {"saved": 0, "conflicts": 0, "locked": 0, "other_errors": 0}
    barrier.wait()  # every worker has loaded its draft: all save at once
    for round_ in range(rounds):
        stage, words = (index + round_) % 4 + 1, f"worker {index} round {round_}"
        categories = {n: CategoryAnswer(stage, words) for n in range(1, 10)}
        reflections = ReflectionsAnswer({"reflection_coherence": f"worker {index}"})
        try:
            saved = audit_save_draft(
                audit=audit,
                categories=categories,
                reflections=reflections,
                by=user,
                version=version,
            )
            version = saved.version
            result["saved"] += 1
        except AuditConflict:
            result["conflicts"] += 1
        except OperationalError as error:
            key = "locked" if "locked" in str(error) else "other_errors"
            result[key] += 1
    return result


def _worker(mode, index, rounds, barrier, results) -> None:
    results.put(_save(mode, index, rounds, barrier))


def _run_workers(mode: str, rounds: int) -> list[dict]:
    """Forks the workers from this process, which has imported Django once. Each opens
    its own connection: none is open here when they fork."""
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(WORKERS), context.Queue()
    workers = [
        context.Process(target=_worker, args=(mode, index, rounds, barrier, results))
        for index in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    collected = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    return collected


def _pragmas() -> dict:
    from django.db import connection as worker_connection

    with worker_connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        busy_timeout = cursor.fetchone()[0]
    return {"journal_mode": journal_mode, "busy_timeout": busy_timeout}


def _check() -> dict:
    from audits.models import Audit

    return {"versions": list(Audit.objects.order_by("pk").values_list("version", flat=True))}


if __name__ == "__main__":
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    command, *args = sys.argv[1:]
    if command == "setup":
        _setup()
    elif command == "concurrent":
        mode, rounds = args
        print(json.dumps(_run_workers(mode, int(rounds))))
    elif command == "pragmas":
        print(json.dumps(_pragmas()))
    elif command == "check":
        print(json.dumps(_check()))
