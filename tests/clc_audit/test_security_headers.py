"""Every HTML response carries the security headers, and the pages hold nothing the
Content-Security-Policy would block (inline scripts, inline styles, event handlers)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.clc_audit.test_access_matrix import (
    admin_url,
    admin_url_patterns,
    peer,  # noqa: F401  (a fixture of the world)
    world,  # noqa: F401  (the fixture)
)
from tests.factories import make_audit

EXPECTED = {
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_security_headers(response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, f"{name} on {response.request['PATH_INFO']}"
    assert "camera=()" in response.headers["Permissions-Policy"]
    directives = csp_directives(response)
    for name in ("default-src", "script-src", "style-src"):
        assert directives[name] == ["'self'"], f"{name}: {directives[name]}"
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header


class InlineCodeFinder(HTMLParser):
    """Collects what a strict CSP would refuse to run or apply."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        data_types = ("application/json", "application/ld+json")
        if tag == "script" and "src" not in attrs and attrs.get("type") not in data_types:
            self._in_inline_script = True
        if tag == "style":
            self.problems.append("<style> element")
        if "style" in attrs:
            self.problems.append(f'style="…" on <{tag}>')
        for name in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name} handler on <{tag}>")
        if tag == "a" and (attrs.get("href") or "").lower().startswith("javascript:"):
            self.problems.append("javascript: link")

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.problems.append(f"inline script: {data.strip()[:60]!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def inline_code_in(response) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(response.content.decode())
    return finder.problems


@pytest.fixture
def pages(school, hub, leader, coordinator, admin_user):
    """(person, url) pairs covering the kinds of HTML page the site serves."""
    audit = make_audit(school, stages=3)
    draft = make_audit(school, stages=None, period="2026/27", submitted=False)
    return [
        (None, reverse("login")),
        (None, "/no-such-page/"),
        (leader, reverse("home")),
        (leader, reverse("audits:school_journey", args=[school.pk])),
        (leader, reverse("audits:audit_report", args=[audit.pk])),
        (leader, f"/audits/{draft.pk}/edit/all/"),
        (leader, reverse("password_change")),
        (leader, "/audits/999999/"),
        (coordinator, reverse("audits:hub_detail", args=[hub.slug])),
        (admin_user, reverse("admin:index")),
        (None, reverse("admin:login")),
    ]


def test_every_kind_of_html_page_has_the_security_headers(client, pages):
    for user, url in pages:
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code < 500, url
        assert response["Content-Type"].startswith("text/html"), url
        assert_security_headers(response)


def test_site_pages_hold_no_inline_scripts_or_styles(client, pages):
    for user, url in pages:
        if url.startswith("/admin/"):
            continue  # Django's own admin templates; their scripts are files too.
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        if response.status_code == 200:
            assert inline_code_in(response) == [], url


def test_redirects_and_json_carry_the_headers_too(client, db):
    redirect = client.get(reverse("home"))
    assert redirect.status_code == 302
    health = client.get("/healthz")
    for response in (redirect, health):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_locked_out_page_has_the_security_headers(client, leader):
    for _ in range(5):
        client.post(reverse("login"), {"username": leader.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": leader.username, "password": "wrong"})
    assert response.status_code == 429
    assert_security_headers(response)


def test_session_and_csrf_cookies_are_http_only_and_same_site(client, leader):
    from tests.factories import PASSWORD

    client.get(reverse("login"))
    response = client.post(reverse("login"), {"username": leader.username, "password": PASSWORD})
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"


def test_admin_pages_hold_no_inline_scripts(client, admin_user, world):  # noqa: F811
    """The admin (Django's, simple-history's, ours) runs under the same CSP: its scripts
    must be files too. (A stray inline style only loses its look, so it is allowed.)"""
    client.force_login(admin_user)
    problems = {}
    for name, route in admin_url_patterns():
        url = admin_url(name, route, world)
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            assert_security_headers(response)
            scripts = [p for p in inline_code_in(response) if not p.startswith("style=")]
            if scripts:
                problems[url] = scripts
    assert problems == {}
