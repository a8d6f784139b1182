"""Adding and removing the files and links of a category of a draft."""

from django.db import transaction

from audits.evidence_files import checked_kind, display_name
from audits.models import Audit, EvidenceFile, EvidenceLink, Rating
from audits.services.drafts import locked_draft, touch


def _rating(audit: Audit, category: int) -> Rating:
    rating, _ = Rating.objects.get_or_create(audit=audit, category=category)
    return rating


@transaction.atomic
def evidence_file_add(*, audit: Audit, category: int, upload, by) -> EvidenceFile:
    """Stores an uploaded file (checked again here, whatever the form did) as evidence of
    one category of a draft. Its rating's version does not move: a file is added beside
    what the category says, so a tab editing that text is not refused for it."""
    kind = checked_kind(upload)
    locked = locked_draft(audit.pk)
    evidence = EvidenceFile(
        rating=_rating(locked, category),
        name=display_name(upload.name),
        content_type=kind.content_type,
        size=upload.size,
        added_by=by,
    )
    evidence.file.save(evidence.name, upload, save=False)
    try:
        evidence._history_user = by
        evidence.save()
        touch(locked, by)
    except BaseException:
        evidence.file.storage.delete(evidence.file.name)  # no row: no file
        raise
    return evidence


@transaction.atomic
def evidence_link_add(*, audit: Audit, category: int, url: str, title: str, by) -> EvidenceLink:
    """Adds a link as evidence of one category of a draft."""
    locked = locked_draft(audit.pk)
    link = EvidenceLink(rating=_rating(locked, category), url=url, title=title, added_by=by)
    link._history_user = by
    link.save()
    touch(locked, by)
    return link


@transaction.atomic
def evidence_remove(*, audit: Audit, evidence: EvidenceFile | EvidenceLink, by) -> None:
    """Removes a file (its stored file too, once the transaction commits: see
    `audits.models.evidence`) or a link from a draft."""
    locked = locked_draft(audit.pk)
    evidence._history_user = by
    evidence.delete()
    touch(locked, by)
