"""Sends the day's reminders by email (audits/reminders.py says which): run it once a
day (cron or a scheduled task). A second run on the same day sends nothing new. It also
lets go of the password-reset requests that no limit counts any more."""

import datetime
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from audits.reminders import reminders_for
from communities.mail import queue_email
from communities.models.messages import PasswordResetRequest

# The rate limit of password resets counts the last hour: older requests are let go.
KEEP_RESETS = datetime.timedelta(days=1)


class Command(BaseCommand):
    help = "Queues today's reminders (actions due, deadlines, digests, validations) for the worker."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to send for, YYYY-MM-DD (default: today).")

    def handle(self, *args, **options):
        day = self._day(options["date"])
        counts: Counter = Counter()
        with transaction.atomic():
            for reminder in reminders_for(day):
                message = queue_email(
                    kind=reminder.kind,
                    to=reminder.to,
                    template=reminder.template,
                    context=reminder.context,
                    about=reminder.about,
                    day=day,
                )
                counts[reminder.template if message else "already sent"] += 1
        PasswordResetRequest.objects.filter(created_at__lt=timezone.now() - KEEP_RESETS).delete()
        summary = ", ".join(f"{name}: {n}" for name, n in sorted(counts.items())) or "nothing"
        self.stdout.write(f"Reminders for {day:%Y-%m-%d}: {summary}.")

    def _day(self, raw: str | None) -> datetime.date:
        if not raw:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            raise CommandError(f"--date must be a date such as 2026-03-02; got {raw!r}.") from None
