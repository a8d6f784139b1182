"""A register import asked for in the admin: the files, kept through Django's storage API,
and how far the background task has got, kept in the database (the worker and the app
servers share no memory)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RegisterImport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        READING = "reading", _("Reading the files")
        WRITING = "writing", _("Writing")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Refused: nothing was imported")

    register = models.FileField(_("register file"), upload_to="register-imports/")
    links = models.FileField(_("links file"), upload_to="register-imports/", blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("asked for"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The import's own report (counts and, for a dry run, the schools it would change),
    # as `GiasImportResult.as_dict` writes it; the reason when refused.
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("why it was refused"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")

    def __str__(self) -> str:
        return _("Register import of %(when)s") % {"when": timezone.localtime(self.requested_at)}

    def get_absolute_url(self) -> str:
        return reverse("admin:communities_registerimport_change", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
