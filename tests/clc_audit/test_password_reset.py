"""Password reset by email: the same answer for an address with an account and one
without (the worker looks it up), rate limits per address and per client (429, counted
in the database), a link that works once, and one reset through a real SMTP exchange
with a server this test starts on loopback."""

import email
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from communities.models import SentMessage
from communities.models.messages import PasswordResetRequest
from tests.factories import UserFactory

RESET = "/accounts/password_reset/"
NEW_PASSWORD = "a-brand-new-passphrase-42"


def ask(client, address, **extra):
    return client.post(RESET, {"email": address}, **extra)


def reset_link(body: str) -> str:
    return re.search(r"https?://\S+/accounts/reset/\S+/", body).group(0)


@pytest.fixture
def person(db):
    return UserFactory(username="forgetful", email="forgetful@example.org")


def test_the_login_page_links_to_the_reset(client, db):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()


def test_known_and_unknown_addresses_get_the_same_answer(
    client, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = ask(client, "forgetful@example.org")
        unknown = ask(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert [m.to for m in mail.outbox] == [["forgetful@example.org"]]
    assert PasswordResetRequest.objects.count() == 2  # both counted for the limits
    message = mail.outbox[0]
    assert "CLC Audit" in message.subject
    assert message.alternatives[0][1] == "text/html"
    record = SentMessage.objects.get()
    assert (record.kind, record.status, record.text_body) == ("password_reset", "sent", "")


def test_the_form_names_a_bad_address(client, db):
    response = ask(client, "not an address")
    assert response.status_code == 200
    assert 'href="#id_email"' in response.content.decode()
    assert PasswordResetRequest.objects.count() == 0


def test_an_inactive_account_gets_nothing(client, person, django_capture_on_commit_callbacks):
    person.is_active = False
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert ask(client, person.email).status_code == 302
    assert mail.outbox == []


@override_settings(PASSWORD_RESET_PER_ADDRESS=3, PASSWORD_RESET_PER_CLIENT=10)
def test_an_address_is_limited_to_three_an_hour(client, person):
    for _ in range(3):
        assert ask(client, "FORGETFUL@example.org").status_code == 302
    limited = ask(client, "forgetful@example.org", REMOTE_ADDR="10.9.9.9")
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 3000
    assert "Try again in" in limited.content.decode()
    assert ask(client, "someone-else@example.org").status_code == 302


@override_settings(PASSWORD_RESET_PER_ADDRESS=3, PASSWORD_RESET_PER_CLIENT=10)
def test_a_client_is_limited_to_ten_an_hour(client, db):
    for n in range(10):
        assert ask(client, f"person{n}@example.org").status_code == 302
    assert ask(client, "person-new@example.org").status_code == 429
    other = ask(client, "person-new@example.org", REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302


def test_the_link_works_once(client, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, person.email)
    link = reset_link(mail.outbox[0].body)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("password_reset_complete")
    again = client.get("/" + path, follow=True)
    assert not again.context["validlink"]
    assert "does not work" in again.content.decode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def test_a_forgotten_password_is_reset_through_a_real_smtp_server(
    client, person, smtp_server, django_capture_on_commit_callbacks
):
    controller, inbox = smtp_server
    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": controller.hostname,
        "EMAIL_PORT": controller.port,
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "SITE_URL": "http://testserver",
    }
    with override_settings(**smtp), django_capture_on_commit_callbacks(execute=True):
        assert ask(client, person.email).status_code == 302
    assert [to for to, _ in inbox.messages] == [[person.email]]
    received = email.message_from_bytes(inbox.messages[0][1])
    assert "CLC Audit" in received["Subject"]
    parts = {part.get_content_type(): part for part in received.walk()}
    text = parts["text/plain"].get_payload(decode=True).decode()
    assert "text/html" in parts
    link = reset_link(text)
    assert link.startswith("http://testserver/accounts/reset/")
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert SentMessage.objects.get().status == "sent"
    assert (
        client.post(
            reverse("login"), {"username": "forgetful", "password": NEW_PASSWORD}
        ).status_code
        == 302
    )
    assert "_auth_user_id" in client.session
