"""Outgoing email: every message is rendered for its recipient, recorded (SentMessage)
and handed to the task worker, which sends it once the transaction that queued it has
committed. Nothing is sent in the request.

A message `about` something (a reminder of an action list, a deadline) goes to one
address at most once a day: the record's unique constraint (kind, to, about, day).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from communities.models import Profile, SentMessage


def recipient_language(user) -> str:
    """The language the person chose (their profile), else the site's."""
    if user is None:
        return settings.LANGUAGE_CODE
    language = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def one_line(text: str) -> str:
    """A subject as one line: no line break can start a header of its own."""
    return " ".join(text.split())[:300]


def render_message(template: str, context: dict, language: str) -> tuple[str, str, str]:
    """The subject, plain text and HTML of `templates/emails/<template>*`, in `language`."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    return one_line(subject), text, html


def _recipient(to) -> tuple[str, object]:
    if isinstance(to, get_user_model()):
        return to.email, to
    return str(to), None


def already_sent(*, kind: str, to_email: str, about: str, day) -> bool:
    """A message of this kind about this went (or is going) to the address on the day;
    a failed one does not count."""
    found = SentMessage.objects.filter(kind=kind, to_email=to_email, about=about, day=day)
    return found.exclude(status=SentMessage.Status.FAILED).exists()


def queue_email(*, kind, to, template, context, about="", day=None) -> SentMessage | None:
    """Renders a message for `to` (a user or an address), records it and asks the worker
    to send it after this transaction commits. None, recording nothing, when a message
    of this kind `about` the same thing already went to that address on `day` (today)."""
    to_email, user = _recipient(to)
    day = day or timezone.localdate()
    if about and already_sent(kind=kind, to_email=to_email, about=about, day=day):
        return None
    subject, text, html = render_message(
        template, {"recipient": user, **context}, recipient_language(user)
    )
    message = SentMessage(
        kind=kind,
        to_email=to_email,
        to_user=user,
        subject=subject,
        about=about,
        day=day,
        text_body=text,
        html_body=html,
    )
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:  # the same reminder, queued at the same moment elsewhere
        return None
    from communities.tasks import send_message  # it imports this module

    transaction.on_commit(lambda: send_message.enqueue(message.pk))
    return message
