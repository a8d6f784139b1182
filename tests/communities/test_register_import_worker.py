"""The register import end to end with the real task worker: an upload in the admin is
stored, queued in the database, picked up by `manage.py db_worker` running in a process
of its own (its own process group, stopped after), imported, and its page shows the
result. PostgreSQL: the worker and the test share a server-backed test database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from bench.gias_fixture import register_bytes, school_row
from communities.models import RegisterImport, School

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def database_url() -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker():
    """`manage.py db_worker` against the test database, in its own process group."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the worker shares a server-backed test database")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clc_audit.settings",
        "DATABASE_URL": database_url(),
        "DEBUG": "true",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    command = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"]
    process = subprocess.Popen(
        [*command, "--no-reload"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield process
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def test_the_real_worker_imports_an_admin_upload(admin_user, worker, settings):
    settings.TASKS = DATABASE_TASKS
    client = Client()
    client.force_login(admin_user)
    rows = [school_row(f"{300000 + n}", EstablishmentName=f"Worker School {n}") for n in range(25)]
    upload = SimpleUploadedFile("edubasealldata.csv", register_bytes(rows), "text/csv")

    response = client.post(reverse("admin:communities_school_gias_import"), {"register": upload})

    record = RegisterImport.objects.get()
    assert response["Location"] == record.get_absolute_url()
    deadline = time.monotonic() + 60
    while not record.is_finished and time.monotonic() < deadline:
        time.sleep(0.2)
        record.refresh_from_db()
    assert record.status == RegisterImport.Status.DONE, (record.status, record.error)
    assert School.objects.filter(name__startswith="Worker School").count() == 25
    assert School.history.filter(urn="300000").get().history_user == admin_user
    page = client.get(record.get_absolute_url()).content.decode()
    assert "Import finished" in page and "25 added" in page
    assert worker.poll() is None  # still running, until the fixture stops it
