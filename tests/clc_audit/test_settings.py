"""Settings come from the environment: the production set documented in `.env.example`
passes `check --deploy`, and a bad value stops start-up with a message naming it.

Each case runs `manage.py` in a fresh process with a clean environment, the way a
server starts, so nothing from the test settings leaks in.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
ENV_EXAMPLE = BASE_DIR / ".env.example"


def run_manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "clc_audit.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env() -> dict[str, str]:
    """The production variables of `.env.example` (the commented `# NAME=value` lines
    after the "Production" heading), with a real random secret in place of the hint."""
    text = ENV_EXAMPLE.read_text()
    block = text.split("# Production", 1)[1]
    env = dict(re.findall(r"^#\s*([A-Z][A-Z0-9_]*)=(\S*)", block, flags=re.MULTILINE))
    assert env["SECRET_KEY"].startswith("<"), "the example must not carry a real secret"
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def test_env_example_documents_the_production_variables():
    env = production_env()
    for name in (
        "DEBUG",
        "SECRET_KEY",
        "DATABASE_URL",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "USE_X_FORWARDED_PROTO",
        "SECURE_COOKIES",
    ):
        assert name in env, f"{name} is missing from the production block of .env.example"
    assert env["DEBUG"] == "false"


def test_check_deploy_is_clean_with_the_documented_production_environment():
    result = run_manage(production_env(), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_with_a_weak_secret():
    env = production_env() | {"SECRET_KEY": "short"}
    result = run_manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_check_deploy_fails_without_https_settings():
    env = production_env() | {"SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0"}
    result = run_manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "SECURE_SSL_REDIRECT" in output
    assert "SECURE_HSTS_SECONDS" in output


def test_production_settings_values():
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.SESSION_ENGINE,"
        " s.STORAGES['staticfiles']['BACKEND'])"
    )
    result = run_manage(production_env(), "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "False",
        "True",
        "True",
        "True",
        "31536000",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "django.contrib.sessions.backends.db",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "perhaps"}, "DEBUG"),
        ({"DEBUG": "false"}, "SECRET_KEY"),
        ({"DEBUG": "false", "SECRET_KEY": "   "}, "SECRET_KEY"),
        ({"DEBUG": "true", "DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"DEBUG": "true", "DATABASE_URL": "postgres://u:p@host:notaport/db"}, "DATABASE_URL"),
        ({"DEBUG": "true", "DATABASE_URL": "mysql://u@host/db"}, "DATABASE_URL"),
        ({"DEBUG": "true", "SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS"),
        ({"DEBUG": "true", "SECURE_SSL_REDIRECT": "maybe"}, "SECURE_SSL_REDIRECT"),
        ({"DEBUG": "true", "SECURE_COOKIES": "2"}, "SECURE_COOKIES"),
        ({"DEBUG": "true", "USE_X_FORWARDED_PROTO": "y"}, "USE_X_FORWARDED_PROTO"),
        ({"DEBUG": "true", "LOG_LEVEL": "loud"}, "LOG_LEVEL"),
        ({"DEBUG": "true", "SIMPLE_HISTORY_ENABLED": "sometimes"}, "SIMPLE_HISTORY_ENABLED"),
        ({"DEBUG": "true", "AXES_PROXY_COUNT": "1"}, "TRUSTED_PROXIES"),
        ({"DEBUG": "true", "TRUSTED_PROXIES": "10.0.0.1,not-an-address"}, "TRUSTED_PROXIES"),
        ({"DEBUG": "true", "LANGUAGE_CODE": "de"}, "LANGUAGE_CODE"),
        ({"DEBUG": "true", "TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE"),
        ({"DEBUG": "true", "SCHOOL_YEAR_START_MONTH": "13"}, "SCHOOL_YEAR_START_MONTH"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_bad_setting_stops_start_up_naming_the_variable(env, named):
    result = run_manage(env, "check")
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured:"), result.stderr
    assert named in last_line


def test_debug_without_secret_starts_with_a_development_key():
    result = run_manage({"DEBUG": "true"}, "check")
    assert result.returncode == 0, result.stderr


def test_collectstatic_and_a_page_work_the_production_way(tmp_path):
    """What `make serve` does: hashed, compressed static files, then a page that names
    them, with DEBUG off."""
    env = production_env() | {"STATIC_ROOT": str(tmp_path / "static")}
    collected = run_manage(env, "collectstatic", "--noinput", "-v0")
    assert collected.returncode == 0, collected.stderr[-3000:]
    assert list((tmp_path / "static").rglob("bootstrap.min.*.css.gz"))
    code = (
        "from django.test import Client;"
        "r = Client(HTTP_HOST='clc.example.org').get('/accounts/login/', secure=True);"
        "print(r.status_code, 'bootstrap.min.' in r.content.decode()"
        " and 'bootstrap.min.css' not in r.content.decode())"
    )
    page = run_manage(
        env | {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}, "shell", "-c", code
    )
    assert page.returncode == 0, page.stderr[-3000:]
    assert page.stdout.strip().splitlines()[-1] == "200 True"
