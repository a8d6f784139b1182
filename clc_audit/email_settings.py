"""The email settings read from the environment (clc_audit/settings.py uses these):
EMAIL_URL, or EMAIL_HOST and the rest, and SITE_URL. A bad value raises
ImproperlyConfigured naming the variable."""

import os
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_EMAIL_SCHEMES = {
    "smtp": (False, False),
    "smtp+tls": (True, False),
    "submission": (True, False),
    "smtp+ssl": (False, True),
    "smtps": (False, True),
}
_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"


def email_from_url(url: str) -> dict:
    """The email settings of an EMAIL_URL: smtp://user:password@host:port (smtp+tls://
    for STARTTLS, smtp+ssl:// for TLS from the start) or console://. The user name and
    password are percent-encoded in the URL (an @ in a user name is %40)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return _email_settings(_CONSOLE_BACKEND)
    if scheme not in _EMAIL_SCHEMES or not parts.hostname:
        raise ImproperlyConfigured(
            "EMAIL_URL must be smtp://user:password@host:port, smtp+tls://…, smtp+ssl://… "
            f"or console://; got {parts.scheme or 'no scheme'}://{parts.hostname or '(no host)'}."
        )
    use_tls, use_ssl = _EMAIL_SCHEMES[scheme]
    try:
        port = parts.port or (465 if use_ssl else 587 if use_tls else 25)
    except ValueError:
        raise ImproperlyConfigured("EMAIL_URL has a port that is not a number.") from None
    return _email_settings(
        _SMTP_BACKEND,
        host=parts.hostname,
        port=port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
    )


def _email_settings(backend: str, **given) -> dict:
    defaults = {"host": "localhost", "port": 25, "user": "", "password": ""}
    return {"backend": backend, "use_tls": False, "use_ssl": False, **defaults, **given}


def email_from_env(debug: bool) -> dict:
    """EMAIL_URL if set; else EMAIL_HOST and the rest (SMTP); else the console in
    development and SMTP to localhost in production."""
    url = os.environ.get("EMAIL_URL", "").strip()
    if url:
        return email_from_url(url)
    host = os.environ.get("EMAIL_HOST", "").strip()
    if not host:
        return _email_settings(_CONSOLE_BACKEND if debug else _SMTP_BACKEND)
    use_tls, use_ssl = _env_bool("EMAIL_USE_TLS", False), _env_bool("EMAIL_USE_SSL", False)
    if use_tls and use_ssl:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
    return _email_settings(
        _SMTP_BACKEND,
        host=host,
        port=_env_int("EMAIL_PORT", 465 if use_ssl else 587 if use_tls else 25),
        user=os.environ.get("EMAIL_HOST_USER", ""),
        password=os.environ.get("EMAIL_HOST_PASSWORD", ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
    )


def site_url_from_env(debug: bool, allowed_hosts: list[str] = ()) -> str:
    """SITE_URL without its trailing slash: http(s)://host[:port][/path]. Unset: the
    development server's address with DEBUG on; otherwise https:// and the first of
    ALLOWED_HOSTS when it names one host, and a start-up error when it does not (a link
    in an email must never point at the wrong site)."""
    raw = os.environ.get("SITE_URL", "").strip().rstrip("/")
    if not raw and debug:
        return "http://127.0.0.1:8000"
    if not raw:
        host = next(iter(allowed_hosts), "")
        if not host or host.startswith(".") or "*" in host:
            raise ImproperlyConfigured(
                "SITE_URL must be set (such as https://audit.example.org): the links in "
                "emails are built from it."
            )
        return f"https://{host}"
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured(
            f"SITE_URL must be the site's address, such as https://audit.example.org; got {raw!r}."
        )
    return raw


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on", "0", "false", "no", "off"):
        return raw in ("1", "true", "yes", "on")
    raise ImproperlyConfigured(f"{name} must be one of true/false, yes/no, on/off or 1/0.")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None
