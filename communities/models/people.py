"""People's own settings. Who leads a school or coordinates a hub is on School and Hub."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProfileQuerySet(models.QuerySet):
    def for_user(self, user) -> "Profile":
        """The person's profile, created with the defaults the first time it is asked for."""
        profile, _ = self.get_or_create(user=user)
        return profile


class Profile(models.Model):
    """One person's own settings, one row per user, created on demand."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(
        max_length=10,
        blank=True,
        help_text=_("The language of the pages and emails; empty: the browser's or the site's."),
    )
    email_reminders = models.BooleanField(
        _("email reminders"),
        default=True,
        help_text=_("Reminders of due actions, deadlines and invitations by email."),
    )

    objects = ProfileQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Profile of {self.user}"
