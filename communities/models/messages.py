"""Every email the app sends, recorded: to whom, what kind, its subject, when it was
sent, and the error if sending failed. The record is also what makes a reminder go out
once a day at most (one row per kind, recipient, subject matter and day)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SentMessage(models.Model):
    class Kind(models.TextChoices):
        PASSWORD_RESET = "password_reset", _("Password reset")
        LEADER_INVITATION = "leader_invitation", _("Invitation to lead a school")
        AUDIT_REOPENED = "audit_reopened", _("Audit reopened")
        ACTION_DUE = "action_due", _("Actions due")
        DEADLINE = "deadline", _("Audit deadline")
        DIGEST = "digest", _("Coordinator's weekly digest")
        VALIDATION_INVITATION = "validation_invitation", _("Peer validation waiting")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    to_email = models.EmailField(_("to"))
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=300)
    # What the message is about ("hub:3:2026/27:before"), so that a reminder about the
    # same thing goes to the same person once on a day.
    about = models.CharField(max_length=100, blank=True)
    day = models.DateField(_("day"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    # The message as rendered for its recipient, kept until it is sent (then emptied: a
    # link in it may let its reader in, and the record must not).
    text_body = models.TextField(blank=True, editable=False)
    html_body = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("sent message")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["to_email", "kind", "day"], name="message_to_kind_day_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "to_email", "about", "day"],
                # A failed message does not count: the next run sends it again.
                condition=~models.Q(about="") & ~models.Q(status="failed"),
                name="one_reminder_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to_email} ({self.day})"


class PasswordResetRequestQuerySet(models.QuerySet):
    def since(self, moment) -> "PasswordResetRequestQuerySet":
        return self.filter(created_at__gte=moment)


class PasswordResetRequest(models.Model):
    """One request for a password reset link: the address asked for and the client that
    asked (its address as the login lockout counts it). Counted for the rate limits, in
    the database so that every app server sees the same count; whether the address has
    an account is not recorded here (the worker looks it up)."""

    email = models.EmailField(_("address asked for"))
    client = models.CharField(_("client"), max_length=45, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True, db_index=True)

    objects = PasswordResetRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("password reset request")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["email", "created_at"], name="reset_email_idx"),
            models.Index(fields=["client", "created_at"], name="reset_client_idx"),
        ]

    def __str__(self) -> str:
        return f"Reset asked for {self.email} ({self.created_at:%Y-%m-%d %H:%M})"
