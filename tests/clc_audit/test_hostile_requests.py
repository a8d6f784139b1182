"""Requests as an attacker sends them: a Content-Type no browser sends, a body too large
or without a length, a health check with a session cookie while the database is down.
Each gets a clear 4xx (or the documented 503), never a 500, and changes nothing.

Some are sent through the real WSGI application (`clc_audit.wsgi.application`, what
gunicorn serves), because Django's test client builds its requests its own way.
"""

import io
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from audits.models import Audit
from clc_audit.wsgi import application
from tests.factories import make_audit

pytestmark = pytest.mark.django_db

# Bodies Django refuses to parse: a form in a charset other than UTF-8, a multipart body
# without a boundary.
UNREADABLE = [
    "application/x-www-form-urlencoded; charset=latin-1",
    "multipart/form-data",
]
# Odd, but readable: an unknown charset is ignored, a boundary that matches nothing gives
# an empty form. The page answers as to any empty or wrong form.
ODD_BUT_READ = [
    "application/x-www-form-urlencoded; charset=bogus-charset",
    "multipart/form-data; boundary=nothing-like-the-body",
    "text/plain; charset=latin-1",
]


def wsgi(path: str, *, method="GET", body=b"", headers=None, length=None):
    """(status, headers, body) from the real WSGI application."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "CONTENT_LENGTH": str(len(body) if length is None else length),
        **(headers or {}),
    }
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(response_headers)

    content = b"".join(application(environ, start_response))
    return answer["status"], answer["headers"], content


def post_login(client, content_type: str):
    client.get(reverse("login"))  # a valid CSRF cookie
    token = client.cookies["csrftoken"].value
    body = f"username=leader_a&password=x&csrfmiddlewaretoken={token}".encode()
    return client.generic("POST", reverse("login"), body, content_type=content_type)


@pytest.mark.parametrize("content_type", UNREADABLE)
@pytest.mark.parametrize("signed_in", [False, True])
def test_a_body_that_cannot_be_read_is_a_400_with_or_without_a_session(
    client_for, leader, content_type, signed_in
):
    response = post_login(client_for(leader if signed_in else None), content_type)

    assert response.status_code == 400
    assert b"The request could not be read" in response.content


@pytest.mark.parametrize("content_type", ODD_BUT_READ)
def test_an_odd_but_readable_body_is_answered_as_a_form(client, db, content_type):
    assert post_login(client, content_type).status_code in (200, 403)


def test_a_post_to_a_draft_with_an_unreadable_body_changes_nothing(client_for, leader, school):
    draft = make_audit(school, stages=[2] * 9, period="2026/27", submitted=False)
    url = reverse("audits:audit_edit_all", args=[draft.pk])
    body = b"version=1&stage_1=4&save=1"
    content_type = "application/x-www-form-urlencoded; charset=latin-1"

    response = client_for(leader).generic("POST", url, body, content_type=content_type)

    assert response.status_code == 400
    assert Audit.objects.get(pk=draft.pk).version == draft.version


def test_an_unparseable_content_type_is_a_400_from_the_server_itself(transactional_db):
    headers = {"CONTENT_TYPE": "application/x-www-form-urlencoded; charset*=BOGUS''x"}
    status, _, content = wsgi("/accounts/login/", method="POST", body=b"a=b", headers=headers)
    assert status == 400
    assert b"The request could not be read" in content


@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/no-such-page/"])
def test_a_body_over_the_limit_is_refused_before_it_is_read(transactional_db, settings, path):
    settings.REQUEST_MAX_BYTES = 1000
    body = io.BytesIO(b"x" * 10)  # far shorter than it claims: it is never read

    status, _, content = wsgi(
        path,
        method="POST",
        headers={"CONTENT_TYPE": "multipart/form-data; boundary=b", "wsgi.input": body},
        length=50 * 1024 * 1024,
    )

    assert status == 413
    assert b"What you sent is too large" in content
    assert body.tell() == 0


def test_a_chunked_body_is_refused(client):
    response = client.post(
        reverse("login"), {"username": "a"}, headers={"Transfer-Encoding": "chunked"}
    )
    assert response.status_code == 413


def test_the_register_import_has_its_own_larger_limit(settings):
    from clc_audit.middleware import RequestBodyLimitMiddleware

    import_url = reverse("admin:communities_school_gias_import")
    assert RequestBodyLimitMiddleware.limit_for(import_url) == settings.GIAS_UPLOAD_MAX_BYTES
    assert RequestBodyLimitMiddleware.limit_for("/accounts/login/") == settings.REQUEST_MAX_BYTES
    assert settings.GIAS_UPLOAD_MAX_BYTES >= 100 * 1024 * 1024 > settings.REQUEST_MAX_BYTES


def test_healthz_with_a_session_cookie_is_a_503_when_the_database_is_down(client):
    client.cookies["sessionid"] = "a" * 32
    down = OperationalError("the database is down")
    with (
        mock.patch("clc_audit.views.connection.cursor", side_effect=down),
        mock.patch(
            "django.contrib.sessions.backends.db.SessionStore.load", side_effect=down
        ) as session_load,
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
    session_load.assert_not_called()


def test_signed_in_pages_are_not_kept_by_caches(client_for, leader, school):
    audit = make_audit(school, stages=3)
    for url in [reverse("home"), reverse("audits:audit_report", args=[audit.pk])]:
        response = client_for(leader).get(url)
        assert response["Cache-Control"] == "private, no-store", url


def test_error_pages_are_in_the_sites_layout_with_a_way_home(client_for, leader):
    response = client_for(leader).get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "<h1>Page not found</h1>" in content
    assert 'href="/">Go to the home page</a>' in content
    assert "Log out" in content  # the site's header, as signed in
