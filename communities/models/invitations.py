"""A coordinator's invitation to lead a member school: a link sent by email that lets
the invited person set a password once, before it expires. Only a hash of the link's
token is kept."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models.hubs import Hub
from communities.models.schools import School


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class LeaderInvitationQuerySet(models.QuerySet):
    def usable(self, now=None) -> "LeaderInvitationQuerySet":
        """Invitations not yet used, withdrawn or expired."""
        return self.filter(
            accepted_at__isnull=True,
            withdrawn_at__isnull=True,
            expires_at__gt=now or timezone.now(),
        )

    def with_token(self, token: str) -> "LeaderInvitationQuerySet":
        return self.filter(token_digest=token_digest(token))


class LeaderInvitation(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="leader_invitations")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="leader_invitations")
    email = models.EmailField(_("email address"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # The account that accepted: a new one, or the existing account with that address.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = LeaderInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation to lead a school")
        verbose_name_plural = _("invitations to lead a school")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} to lead {self.school.name}"
