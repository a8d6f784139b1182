"""Evidence beyond the text box: files and links attached to one category of an audit.

Like the ratings, they are final once the audit is submitted: the models refuse adding
to a submitted audit, and database triggers (migration 0005) refuse changing or deleting
them. Files are kept through Django's storage API and served only by a view that checks
who may read the audit. A stored file goes when its row is deleted, however it is (a
removal, a discarded draft, the admin's delete), once the deletion is committed.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audits.models.audits import AuditIsFinal, Rating


def evidence_path(instance: "EvidenceFile", filename: str) -> str:
    """Where a file is stored: a random name under its audit (never the name as sent,
    which is kept apart and only shown)."""
    return f"evidence/{instance.rating.audit_id}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


class EvidenceQuerySet(models.QuerySet):
    def of_audit(self, audit) -> "EvidenceQuerySet":
        return self.filter(rating__audit=audit)


class _Evidence(models.Model):
    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["added_at", "pk"]

    def save(self, *args, **kwargs) -> None:
        if self.rating.audit.is_submitted:
            raise AuditIsFinal("Evidence of a submitted audit cannot be changed.")
        super().save(*args, **kwargs)


class EvidenceFile(_Evidence):
    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    name = models.CharField(_("name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))

    history = HistoricalRecords()

    class Meta(_Evidence.Meta):
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name


class EvidenceLink(_Evidence):
    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(_("address"), max_length=2000)
    title = models.CharField(_("what it is"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta(_Evidence.Meta):
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")

    def __str__(self) -> str:
        return self.title or self.url


@receiver(post_delete, sender=EvidenceFile)
def delete_stored_file(sender, instance: EvidenceFile, **kwargs) -> None:
    """The stored file goes with its row, once the deletion is committed: never if it rolls
    back. Each file is stored once for one row (copying forward copies the file), so no
    other audit loses it."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name), robust=True)
