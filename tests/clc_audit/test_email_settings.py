"""Email settings from the environment, read the way a server starts (a fresh process):
EMAIL_URL or EMAIL_HOST and the rest; the console in development; a bad value stops
start-up with a message naming it."""

import json
import subprocess

import pytest

from tests.clc_audit.test_settings import production_env, run_manage

SHOW = (
    "from django.conf import settings as s; import json; print(json.dumps([s.EMAIL_BACKEND, "
    "s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, "
    "s.EMAIL_USE_SSL, s.SITE_URL, s.DEFAULT_FROM_EMAIL]))"
)
SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"


def settings_with(env: dict) -> list:
    result = run_manage({"DEBUG": "true", **env}, "shell", "-c", SHOW)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_development_uses_the_console():
    assert settings_with({})[0] == CONSOLE


def test_an_smtp_url_with_starttls():
    found = settings_with(
        {
            "EMAIL_URL": "smtp+tls://mailer%40example.org:s%2Fecret@smtp.example.org:2525",
            "SITE_URL": "https://audit.example.org/",
            "DEFAULT_FROM_EMAIL": "CLC <a@example.org>",
        }
    )
    assert found == [
        SMTP,
        "smtp.example.org",
        2525,
        "mailer@example.org",
        "s/ecret",
        True,
        False,
        "https://audit.example.org",
        "CLC <a@example.org>",
    ]


def test_an_ssl_url_defaults_to_port_465():
    assert settings_with({"EMAIL_URL": "smtp+ssl://relay.example.org"})[1:7] == [
        "relay.example.org",
        465,
        "",
        "",
        False,
        True,
    ]


def test_the_separate_variables():
    found = settings_with(
        {
            "EMAIL_HOST": "mail.example.org",
            "EMAIL_PORT": "587",
            "EMAIL_HOST_USER": "u",
            "EMAIL_HOST_PASSWORD": "p",
            "EMAIL_USE_TLS": "true",
        }
    )
    assert found[:7] == [SMTP, "mail.example.org", 587, "u", "p", True, False]


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"EMAIL_URL": "imap://mail.example.org"}, "EMAIL_URL"),
        ({"EMAIL_URL": "smtp://mail.example.org:port"}, "EMAIL_URL"),
        ({"EMAIL_HOST": "m", "EMAIL_USE_TLS": "yes", "EMAIL_USE_SSL": "yes"}, "EMAIL_USE_TLS"),
        ({"EMAIL_HOST": "m", "EMAIL_PORT": "twenty-five"}, "EMAIL_PORT"),
        ({"SITE_URL": "audit.example.org"}, "SITE_URL"),
    ],
)
def test_a_bad_value_stops_start_up_naming_it(env, named):
    result = run_manage({"DEBUG": "true", **env}, "check")
    assert result.returncode != 0
    assert named in result.stderr


def _production_site_url(env: dict) -> subprocess.CompletedProcess:
    chosen = {key: value for key, value in production_env().items() if key != "SITE_URL"}
    return run_manage(
        chosen | env, "shell", "-c", "from django.conf import settings as s; print(s.SITE_URL)"
    )


def test_in_production_without_site_url_the_links_name_the_allowed_host():
    result = _production_site_url({"ALLOWED_HOSTS": "audit.example.org,www.example.org"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "https://audit.example.org"


@pytest.mark.parametrize("hosts", ["*", ".example.org"])
def test_in_production_a_site_url_is_needed_when_no_one_host_is_allowed(hosts):
    result = _production_site_url({"ALLOWED_HOSTS": hosts})
    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr
