"""Background work of the communities app, run by the task worker (`manage.py
db_worker`, django-tasks with its database backend): the register import asked for in
the admin, and sending email (communities.mail queues it)."""

import logging

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from communities.gias import GiasImportError, GiasImportResult, import_gias
from communities.mail import queue_email
from communities.models import RegisterImport, SentMessage

logger = logging.getLogger(__name__)


@task()
def run_register_import(import_id: int) -> str:
    """Imports the files of a RegisterImport, recording its progress and its result in
    the database as it goes, outside the import's own (short) write transaction."""
    record = RegisterImport.objects.select_related("requested_by").get(pk=import_id)
    _mark(record, status=RegisterImport.Status.READING, started_at=timezone.now(), error="")

    so_far = GiasImportResult(dry_run=record.dry_run)  # filled in as the files are read

    def progress(stage: str, rows: int, seconds: float) -> None:
        status = (
            RegisterImport.Status.WRITING if stage == "writing" else RegisterImport.Status.READING
        )
        _mark(record, status=status, rows_read=rows, result=so_far.as_json())

    try:
        with record.register.open("rb") as register:
            links = record.links.open("rb") if record.links else None
            try:
                result = import_gias(
                    register,
                    links=links,
                    dry_run=record.dry_run,
                    user=record.requested_by,
                    progress=progress,
                    result=so_far,
                )
            finally:
                if links is not None:
                    links.close()
    except GiasImportError as error:
        _mark(
            record,
            status=RegisterImport.Status.FAILED,
            error=str(error),
            finished_at=timezone.now(),
        )
        return RegisterImport.Status.FAILED
    except Exception:
        logger.exception("Register import %s failed", import_id)
        _mark(
            record,
            status=RegisterImport.Status.FAILED,
            error="The import stopped on an unexpected error: nothing was imported. "
            "The server's log has the details.",
            finished_at=timezone.now(),
        )
        raise
    _mark(
        record,
        status=RegisterImport.Status.DONE,
        rows_read=result.rows + result.link_rows,
        result=result.as_json(),
        finished_at=timezone.now(),
    )
    return RegisterImport.Status.DONE


def _mark(record: RegisterImport, **fields) -> None:
    """Saves these fields now, in their own transaction, for the progress page."""
    for name, value in fields.items():
        setattr(record, name, value)
    RegisterImport.objects.filter(pk=record.pk).update(**fields)


def enqueue_register_import(record: RegisterImport) -> None:
    """Hands a stored import to the worker (again, for a failed one)."""
    RegisterImport.objects.filter(pk=record.pk).update(
        status=RegisterImport.Status.QUEUED, rows_read=0, result=None, error="", finished_at=None
    )
    run_register_import.enqueue(record.pk)


@task()
def send_message(message_id: int) -> str:
    """Sends a recorded message (plain text and HTML) and records the outcome: when it
    was sent, or the error; then the bodies are emptied either way (a link in them may
    let its reader in). A reminder that failed goes again on the next run of
    send_reminders; a reset link is asked for again."""
    message = SentMessage.objects.filter(pk=message_id, status=SentMessage.Status.QUEUED).first()
    if message is None:
        return "nothing to send"
    email = EmailMultiAlternatives(
        subject=message.subject, body=message.text_body, to=[message.to_email]
    )
    email.attach_alternative(message.html_body, "text/html")
    try:
        email.send()
    except Exception as error:  # SMTP, network, refused address: recorded, not lost
        logger.warning("Message %s to %s failed: %s", message.pk, message.to_email, error)
        SentMessage.objects.filter(pk=message.pk).update(
            status=SentMessage.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            text_body="",
            html_body="",
        )
        return SentMessage.Status.FAILED
    SentMessage.objects.filter(pk=message.pk).update(
        status=SentMessage.Status.SENT, sent_at=timezone.now(), error="", text_body="", html_body=""
    )
    return SentMessage.Status.SENT


@task()
def send_password_reset(email: str) -> int:
    """Emails a reset link to each active account with this address that can log in
    with a password (Django's rule); none, silently, when there is none. Returns how
    many were queued."""
    count = 0
    for user in PasswordResetForm().get_users(email):
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        path = reverse("password_reset_confirm", args=[uid, token])
        queue_email(
            kind=SentMessage.Kind.PASSWORD_RESET,
            to=user,
            template="password_reset",
            context={"user": user, "reset_url": f"{settings.SITE_URL}{path}"},
        )
        count += 1
    return count
