"""Settings for the test suite: the real settings, with test-only tweaks."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_COOKIES", "false")

from clc_audit.settings import *  # noqa: F403

# A fast hasher: the suite creates many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run at once, in the test's own process and transaction; one test runs the real
# worker (tests/communities/test_register_import_worker.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Uploads go to a folder of this test process's own, removed at exit.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="clc-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
# Tests do not run collectstatic: serve and look up static files without the manifest.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# The report's cache (on PostgreSQL: until anything commits) is off but where a test turns it
# on (tests/audits/test_report_cache.py): a test's writes share one transaction, which moves
# no snapshot.
REPORT_CACHE_SECONDS = 0
