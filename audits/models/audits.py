"""Audits and their ratings.

Who may read or change an audit is decided once: `get_audit_for`, over the scopes
`AuditQuerySet.readable_by` and `editable_by`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audits import rules
from audits.instrument import CATEGORIES, CATEGORY_BY_NUMBER, STAGES, Category, Stage
from audits.instrument_texts import INSTRUMENT_VERSION
from audits.labels import category_label, stage_label
from audits.periods import academic_year, period_error
from communities.models import Hub, HubMembership, School


class AuditIsFinal(Exception):
    """Something tried to change a submitted audit. Only an admin reopening it may."""


# Translated when shown (the admin's choices), from the instrument's English ids.
STAGE_CHOICES = [(stage.value, gettext_lazy(stage.label)) for stage in STAGES]
CATEGORY_CHOICES = [(c.number, lazy(category_label, str)(c)) for c in CATEGORIES]


def _subject_filter(subject: School | Hub) -> dict:
    return {"school": subject} if isinstance(subject, School) else {"hub": subject}


def peers_of_school_q(user, school_ref: str) -> Q:
    """A filter, on the rows `school_ref` names a school of, that the person is that
    school's peer today: the leader of another current member of one of its current hubs,
    or a coordinator of one of them. Who may be invited to validate its audit, and who
    keeps seeing it while invited."""
    current = HubMembership.objects.current()
    in_same_hub = current.filter(
        hub_id=OuterRef("hub_id"), school_id=OuterRef(OuterRef(school_ref))
    )
    led = (
        current.filter(school__leaders=user)
        .exclude(school_id=OuterRef(school_ref))
        .filter(Exists(in_same_hub))
    )
    coordinated = current.filter(school_id=OuterRef(school_ref), hub__coordinators=user)
    return Q(Exists(led)) | Q(Exists(coordinated))


class AuditQuerySet(models.QuerySet):
    def submitted(self) -> "AuditQuerySet":
        return self.filter(status=Audit.Status.SUBMITTED)

    def drafts(self) -> "AuditQuerySet":
        return self.filter(status=Audit.Status.DRAFT)

    def with_ratings(self) -> "AuditQuerySet":
        return self.prefetch_related(Prefetch("ratings", queryset=Rating.objects.order_by()))

    def with_evidence_counts(self) -> "AuditQuerySet":
        """Each audit with `file_count` and `link_count`: the files and links attached to
        its evidence."""
        return self.annotate(
            file_count=Count("ratings__files", distinct=True),
            link_count=Count("ratings__links", distinct=True),
        )

    def readable_by(self, user) -> "AuditQuerySet":
        """Audits a person may read: every audit of a school they lead; the submitted
        audits of current members of hubs they coordinate; every audit of a hub they
        coordinate; an audit they are invited to validate, while the validation is live
        and they are still a peer of its school; everything for a superuser."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        coordinated_schools = HubMembership.objects.coordinated_by(user).values("school_id")
        # Subqueries rather than joins to the leaders and coordinators: no duplicate rows,
        # so no DISTINCT over every column.
        leads = School.leaders.through.objects.filter(school_id=OuterRef("school_id"), user=user)
        coordinates = Hub.coordinators.through.objects.filter(hub_id=OuterRef("hub_id"), user=user)
        return self.filter(
            Q(Exists(leads))
            | Q(status=Audit.Status.SUBMITTED, school_id__in=coordinated_schools)
            | Q(Exists(coordinates))
            | Q(pk__in=self._validated_by(user))
        )

    def _validated_by(self, user):
        """The ids of the submitted audits this person is invited to validate (or has),
        while they are still the school's peer (`peers_of_school_q`). Written here without
        its correlated subqueries: of the peers, a hub's coordinator reads its members'
        submitted audits anyway, and the leader of a school that shares a current hub with
        the audit's school (the audit's own school included, whose leader reads it anyway)
        is the rest."""
        peer_hubs = HubMembership.objects.led_by(user).values("hub_id")
        peer_schools = HubMembership.objects.current().filter(hub_id__in=peer_hubs)
        return (
            Audit.objects.submitted()
            .filter(
                validations__validator=user,
                validations__status__in=("invited", "accepted", "completed"),
                validations__superseded_at__isnull=True,
                school_id__in=peer_schools.values("school_id"),
            )
            .values("pk")
        )

    def editable_by(self, user) -> "AuditQuerySet":
        """Drafts a person may change: their schools' drafts and their hubs' drafts."""
        if not user.is_authenticated:
            return self.none()
        return self.drafts().filter(Q(school__leaders=user) | Q(hub__coordinators=user)).distinct()

    def previous_submitted(self, subject: School | Hub, before: str | None = None):
        """The subject's latest submitted audit before the period `before` (of all, when
        None), with its ratings; None if it has none. Two queries."""
        audits = self.submitted().filter(**_subject_filter(subject))
        if before:
            audits = audits.filter(period__lt=before)
        return audits.order_by("-period", "-pk").with_ratings().first()

    def latest_submitted_per_school(self, school_ids, as_of: str | None = None):
        """For each school, its latest submitted audit (by period) at or before the period
        `as_of` (this school year by default: an audit recorded for a later year is never
        anyone's latest). One query; add `.with_ratings()` for a second."""
        latest = Audit.objects.submitted().filter(
            school_id=OuterRef("pk"), period__lte=as_of or academic_year()
        )
        latest_ids = School.objects.filter(pk__in=school_ids).annotate(
            latest_id=Subquery(latest.order_by("-period", "-pk").values("pk")[:1])
        )
        return self.filter(pk__in=latest_ids.values("latest_id"))

    def latest_submitted_by_school_id(self, school_ids, as_of: str | None = None) -> dict:
        """{school id: its latest submitted audit, with its ratings}. Two queries."""
        audits = self.latest_submitted_per_school(school_ids, as_of).with_ratings()
        return {audit.school_id: audit for audit in audits}


def get_audit_for(user, pk: int, *, write: bool = False, ratings: bool = True) -> "Audit":
    """The audit with this id if the person may read it (or change it, with `write`),
    with its ratings (or without: `prefetch_ratings` reads them later); otherwise 404,
    so that nobody learns that it exists. The database decides on every call."""
    audits = _scope(user, write)
    audits = audits.select_related("school", "hub", "submitted_by")
    try:
        return (audits.with_ratings() if ratings else audits).get(pk=pk)
    except Audit.DoesNotExist:
        raise Http404("No such audit.") from None


# Each person's scopes, by (person, superuser, write, today): their SQL depends on nothing
# else (memberships are current by date), and building one costs more than running it.
_SCOPES: dict[tuple, "AuditQuerySet"] = {}
_MOST_SCOPES = 512


def _scope(user, write: bool) -> "AuditQuerySet":
    """The person's scope, built once a day in each process and never evaluated itself:
    each lookup runs a copy, so the database answers with what is true now."""
    key = (user.pk, user.is_superuser, write, timezone.localdate())
    scope = _SCOPES.get(key)
    if scope is None:
        if len(_SCOPES) >= _MOST_SCOPES:
            _SCOPES.clear()
        audits = Audit.objects
        scope = _SCOPES[key] = audits.editable_by(user) if write else audits.readable_by(user)
    return scope


def prefetch_ratings(audit: "Audit") -> None:
    """Read an audit's ratings (one query), as `AuditQuerySet.with_ratings` does."""
    prefetch_related_objects([audit], Prefetch("ratings", queryset=Rating.objects.order_by()))


class Audit(models.Model):
    """A self-audit of a school or of a hub as a community, at a fixed point in time."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="audits"
    )
    hub = models.ForeignKey(
        Hub, on_delete=models.PROTECT, null=True, blank=True, related_name="audits"
    )
    period = models.CharField(
        max_length=7, help_text='The academic year the audit describes, such as "2025/26".'
    )
    audit_date = models.DateField(_("date of the audit"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every change of the audit or of any of its ratings: what submitting and
    # discarding check (see audits.services). Each rating has a version of its own, and
    # so do the reflections, so that saving one part never conflicts with another.
    version = models.PositiveIntegerField(default=1)
    reflections_version = models.PositiveIntegerField(default=1)
    # The version of the instrument's texts (audits.instrument_texts) the audit is rated
    # against: its pages and report show that version's descriptors.
    instrument_version = models.PositiveSmallIntegerField(
        _("version of the instrument's texts"), default=INSTRUMENT_VERSION, editable=False
    )
    reflection_coherence = models.TextField(blank=True)
    reflection_knowledge_owners = models.TextField(blank=True)
    reflection_condoned_failure = models.TextField(blank=True)
    reflection_learning_phases = models.TextField(blank=True)

    objects = AuditQuerySet.as_manager()
    # A reopening's reason is kept in full in the history's change reason.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["-period", "pk"]
        permissions = [("reopen_audit", _("Can reopen a submitted audit"))]
        indexes = [models.Index(fields=["school", "status", "period"], name="audit_latest_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(school__isnull=False, hub__isnull=True)
                    | Q(school__isnull=True, hub__isnull=False)
                ),
                name="audit_has_one_subject",
                violation_error_message=_(
                    "An audit is of a school or of a hub: choose exactly one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(period__regex=r"^[0-9]{4}/[0-9]{2}$"),
                name="audit_period_format",
                violation_error_message='A period is an academic year such as "2025/26".',
            ),
            models.UniqueConstraint(
                fields=["school", "period"],
                name="one_audit_per_school_and_period",
                violation_error_message=_("This school already has an audit for this period."),
            ),
            models.UniqueConstraint(
                fields=["hub", "period"],
                name="one_audit_per_hub_and_period",
                violation_error_message=_("This hub already has an audit for this period."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="submitted_audit_has_submitted_at",
                violation_error_message=_("A submitted audit needs the time it was submitted."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} — {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("audits:audit_report", args=[self.pk])

    def clean(self) -> None:
        # A period that was allowed when the audit opened stays allowed: the upper
        # bound only moves later as time goes by.
        error = period_error(self.period)
        if error:
            raise ValidationError({"period": error})

    @property
    def subject(self) -> School | Hub:
        return self.school or self.hub

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def stages(self) -> dict[int, int | None]:
        """{category number: stage} from the ratings (prefetched where listed)."""
        return {rating.category: rating.stage for rating in self.ratings.all()}

    @property
    def is_complete(self) -> bool:
        return rules.is_complete(self.stages)

    @property
    def is_virtuous(self) -> bool:
        return rules.is_virtuous(self.stages)

    @property
    def overall_stage(self) -> Stage | None:
        return rules.overall_stage(self.stages)

    @property
    def integration_count(self) -> int:
        return rules.integration_count(self.stages)

    @property
    def rated_count(self) -> int:
        """How many of the nine categories have a stage (a draft may have fewer)."""
        return len(CATEGORIES) - len(rules.missing_categories(self.stages))


class Rating(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="ratings")
    category = models.PositiveSmallIntegerField(choices=CATEGORY_CHOICES)
    stage = models.PositiveSmallIntegerField(choices=STAGE_CHOICES, null=True, blank=True)
    evidence = models.TextField(_("How do we know?"), blank=True)
    # Copied from the school's last submitted audit when the draft was opened, and not yet
    # saved by anyone since: the task list and the check page say so until it is.
    to_review = models.BooleanField(_("copied from the last audit, to review"), default=False)
    # Bumped on every change of this rating: a save that started from an older version is
    # refused, unless it gives what is saved now (see audits.services).
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["audit", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "category"],
                name="one_rating_per_category",
                violation_error_message=_("This category is already rated in this audit."),
            ),
            models.CheckConstraint(
                condition=Q(category__gte=1, category__lte=len(CATEGORIES)),
                name="rating_category_in_instrument",
                violation_error_message=_("The category must be one of the nine."),
            ),
            models.CheckConstraint(
                condition=Q(stage__isnull=True) | Q(stage__gte=1, stage__lte=4),
                name="rating_stage_in_range",
                violation_error_message=_(
                    "The stage must be between 1 (Isolation) and 4 (Integration)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category_info.label}: {stage_label(self.stage)}"

    def save(self, *args, **kwargs) -> None:
        # Updates are refused by a database trigger too (migration 0002); this also
        # refuses adding a rating to a submitted audit, which the trigger lets through
        # so that a restore with loaddata works.
        if self.audit.is_submitted:
            raise AuditIsFinal("A rating of a submitted audit cannot be changed.")
        super().save(*args, **kwargs)

    @property
    def category_info(self) -> Category:
        return CATEGORY_BY_NUMBER[self.category]
