"""Outgoing email: queued in the record, sent by the task after the commit (text and
HTML), a failure recorded with its error, the bodies emptied once sent, the recipient's
language, a subject kept on one line; and the email of a reopened audit."""

import pytest
from django.core import mail
from django.test import override_settings

from audits.services.drafts import audit_reopen
from communities.mail import queue_email
from communities.models import Profile, SentMessage
from tests.factories import make_audit

RESET = {"template": "password_reset", "kind": SentMessage.Kind.PASSWORD_RESET}


def queue(to, capture, **extra):
    with capture(execute=True):
        return queue_email(
            to=to, context={"user": to, "reset_url": "http://x/r/"}, **RESET, **extra
        )


def test_a_message_is_recorded_sent_and_its_bodies_emptied(
    leader, django_capture_on_commit_callbacks
):
    message = queue(leader, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[leader.email]]
    sent = mail.outbox[0]
    assert sent.body.startswith("CLC Audit") and "http://x/r/" in sent.body
    assert sent.alternatives[0][1] == "text/html" and "CLC Audit" in sent.alternatives[0][0]
    message.refresh_from_db()
    assert (message.status, message.to_user, message.error) == ("sent", leader, "")
    assert message.sent_at is not None
    assert (message.text_body, message.html_body) == ("", "")


def test_nothing_is_sent_before_the_commit(leader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_email(to=leader, context={"user": leader, "reset_url": "u"}, **RESET)
    assert mail.outbox == [] and len(callbacks) == 1
    assert SentMessage.objects.get().status == "queued"


@override_settings(EMAIL_BACKEND="tests.communities.test_mail.BrokenBackend")
def test_a_failure_is_recorded_with_its_error(leader, django_capture_on_commit_callbacks):
    message = queue(leader, django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert message.status == "failed"
    assert "ConnectionRefusedError: the relay is down" in message.error
    assert (message.text_body, message.html_body) == ("", "")  # no live link kept


@override_settings(EMAIL_BACKEND="tests.communities.test_mail.BrokenBackend")
def test_a_failed_reminder_does_not_count_as_sent(leader, django_capture_on_commit_callbacks):
    first = queue(leader, django_capture_on_commit_callbacks, about="deadline:1")
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        again = queue(leader, django_capture_on_commit_callbacks, about="deadline:1")
    assert again is not None and again.pk != first.pk
    again.refresh_from_db()
    assert again.status == "sent" and len(mail.outbox) == 1
    assert queue(leader, django_capture_on_commit_callbacks, about="deadline:1") is None


def test_a_subject_keeps_the_name_as_written(
    hub, school, coordinator, django_capture_on_commit_callbacks
):
    """A subject is plain text: "St Mary's & St John's" is not HTML-escaped."""
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_email(
            kind=SentMessage.Kind.LEADER_INVITATION,
            to="new.head@example.org",
            template="leader_invitation",
            context={
                "school_name": "St Mary's & St John's",
                "hub_name": hub.name,
                "inviter": "A. Coordinator",
                "accept_path": "/invitations/x/",
                "days": 7,
            },
        )
    assert message.subject == "CLC Audit: you are invited to lead St Mary's & St John's"
    assert mail.outbox[0].subject == message.subject
    assert "St Mary&#x27;s &amp; St John&#x27;s" in mail.outbox[0].alternatives[0][0]


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the relay is down")


def test_the_message_is_in_the_recipients_language(leader, django_capture_on_commit_callbacks):
    Profile.objects.update_or_create(user=leader, defaults={"language": "fr-ca"})
    queue(leader, django_capture_on_commit_callbacks)
    Profile.objects.filter(user=leader).update(language="")
    queue(leader, django_capture_on_commit_callbacks)
    french, english = (m.alternatives[0][0] for m in mail.outbox)
    assert '<html lang="fr-ca">' in french and '<html lang="en-gb">' in english


def test_the_same_reminder_goes_once_a_day(leader, django_capture_on_commit_callbacks):
    first = queue(leader, django_capture_on_commit_callbacks, about="thing:1")
    again = queue(leader, django_capture_on_commit_callbacks, about="thing:1")
    other = queue(leader, django_capture_on_commit_callbacks, about="thing:2")
    assert first is not None and again is None and other is not None
    assert len(mail.outbox) == 2


def test_an_address_can_be_the_recipient(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_email(to="new@example.org", context={"reset_url": "u"}, **RESET)
    assert (message.to_email, message.to_user) == ("new@example.org", None)
    assert mail.outbox[0].to == ["new@example.org"]


@pytest.fixture
def reopened(school, leader, admin_user, django_capture_on_commit_callbacks):
    audit = make_audit(school, stages=3)
    with django_capture_on_commit_callbacks(execute=True):
        audit_reopen(audit=audit, by=admin_user, reason="Wrong year:\nBcc: evil@example.org <b>")
    return audit


def test_reopening_an_audit_emails_its_leaders_the_reason(reopened, leader, outsider):
    assert [m.to for m in mail.outbox] == [[leader.email]]
    message = mail.outbox[0]
    assert "\n" not in message.subject and "2025/26" in message.subject
    assert "Bcc: evil@example.org <b>" in message.body
    assert "&lt;b&gt;" in message.alternatives[0][0]
    assert "Bcc" not in str(message.message()["Bcc"] or "")
    assert f"/audits/{reopened.pk}/edit/" in message.body
    assert SentMessage.objects.get().kind == "audit_reopened"


def test_reopening_a_draft_sends_nothing(
    school, leader, admin_user, django_capture_on_commit_callbacks
):
    audit = make_audit(school, stages=3, submitted=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert audit_reopen(audit=audit, by=admin_user, reason="no") is None
    assert mail.outbox == []
