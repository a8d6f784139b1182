"""Partner organisations and the partnerships of schools and hubs with them.

A partnership feeds some of the nine categories: its cells (`PartnershipCategory`), one
row per category, so that counts stay in SQL. It is never deleted to model a change:
ending one dates it. "It fed a category during a period" is `rules.fed_during`, which
`PartnershipQuerySet.fed_during` says again in SQL.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audits.instrument import CATEGORIES, CATEGORY_BY_NUMBER, Category, LearningPhase
from communities.models.dates import plausible_date
from communities.models.hubs import Hub, HubMembership
from communities.models.schools import School


class Partner(models.Model):
    """An organisation schools work with. Names need not be unique (two "St Mary's"
    schools are two partners); a partner that is a school points to its record."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("School")
        UNIVERSITY = "university", _("University")
        CHARITY = "charity", _("Charity")
        PROGRAMME = "programme", _("Programme")
        INDUSTRY = "industry", _("Industry")
        PUBLIC_BODY = "public_body", _("Public body")
        NETWORK = "network", _("Network")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)
    school = models.OneToOneField(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="as_partner",
        help_text=_("For a partner that is a school: that school's record."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["name"], name="partner_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(school__isnull=True) | Q(kind="school"),
                name="partner_school_is_a_school",
                violation_error_message=_("Only a partner of the kind school is a school."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def of_school(cls, school: School) -> "Partner":
        """The partner that is this school, made the first time it is needed."""
        partner, _ = cls.objects.get_or_create(
            school=school, defaults={"name": school.name, "kind": cls.Kind.SCHOOL}
        )
        return partner


LEARNING_PHASE_CHOICES = [(phase.value, phase.label) for phase in LearningPhase]
CATEGORY_NUMBER_CHOICES = [(c.number, str(c.number)) for c in CATEGORIES]


class PartnershipQuerySet(models.QuerySet):
    def of(self, subject: "School | Hub") -> "PartnershipQuerySet":
        field = "school" if isinstance(subject, School) else "hub"
        return self.filter(**{field: subject})

    def fed_during(self, start: datetime.date, end: datetime.date) -> "PartnershipQuerySet":
        """Partnerships whose dates overlap start..end (`rules.fed_during` in SQL): begun
        by the end (an undated start counts as before), not ended before the start."""
        return self.filter(
            Q(started_on__isnull=True) | Q(started_on__lte=end),
            Q(ended_on__isnull=True) | Q(ended_on__gte=start),
        )

    def current(self, on: datetime.date | None = None) -> "PartnershipQuerySet":
        on = on or timezone.localdate()
        return self.fed_during(on, on)

    def readable_by(self, user) -> "PartnershipQuerySet":
        """Partnerships a person may read: those of the schools they lead and the hubs
        they coordinate, and those of the current members of the hubs they coordinate;
        every one for a superuser."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        members = HubMembership.objects.coordinated_by(user).values("school_id")
        return self.filter(
            Q(school__leaders=user) | Q(hub__coordinators=user) | Q(school_id__in=members)
        ).distinct()

    def editable_by(self, user) -> "PartnershipQuerySet":
        """Partnerships a person keeps: their schools' and their hubs'."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(school__leaders=user) | Q(hub__coordinators=user)).distinct()

    def with_cells(self) -> "PartnershipQuerySet":
        return self.select_related("partner").prefetch_related("cells")


def get_partnership_for(user, pk: int, *, write: bool = False) -> "Partnership":
    """The partnership with this id if the person may read it (or keep it, with `write`);
    otherwise 404, so that nobody learns that it exists."""
    scope = Partnership.objects.editable_by if write else Partnership.objects.readable_by
    found = scope(user).with_cells().select_related("school", "hub").filter(pk=pk).first()
    if found is None:
        raise Http404("No such partnership.")
    return found


class Partnership(models.Model):
    """A school or a hub working with a partner, and which of the nine categories it
    feeds (its cells)."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="partnerships"
    )
    hub = models.ForeignKey(
        Hub, on_delete=models.PROTECT, null=True, blank=True, related_name="partnerships"
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("partner")
    )
    activity = models.CharField(_("what it is"), max_length=200)
    description = models.TextField(_("more about it"), blank=True)
    started_on = models.DateField(
        _("started on"), null=True, blank=True, validators=[plausible_date]
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True, validators=[plausible_date])
    learning_phase = models.CharField(
        _("phase of learning activity"), max_length=20, choices=LEARNING_PHASE_CHOICES
    )
    # Converted from the old area and source flags, which over-claim: its school should
    # say which cells it really feeds. Saving it from its page clears this.
    to_review = models.BooleanField(_("to review"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Bumped on every save, whichever page or admin form made it: a change that started
    # from an older version is refused (`communities.partnerships.partnership_save`).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PartnershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["started_on", "activity", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(school__isnull=False, hub__isnull=True)
                    | Q(school__isnull=True, hub__isnull=False)
                ),
                name="partnership_has_one_subject",
                violation_error_message=_(
                    "A partnership belongs to a school or to a hub, not both."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(ended_on__isnull=True)
                    | Q(started_on__isnull=True)
                    | Q(ended_on__gte=models.F("started_on"))
                ),
                name="partnership_ended_after_started",
                violation_error_message=_("A partnership cannot end before it started."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} with {self.partner}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            self.version += 1
            if update_fields := kwargs.get("update_fields"):
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if bool(self.school_id) == bool(self.hub_id):
            raise ValidationError(_("Choose a school or a hub for this partnership, not both."))

    @property
    def subject(self) -> "School | Hub":
        return self.school or self.hub

    @property
    def categories(self) -> list[Category]:
        """The categories it feeds, in instrument order (its cells, prefetched where
        listed)."""
        numbers = {cell.category for cell in self.cells.all()}
        return [c for c in CATEGORIES if c.number in numbers]

    def is_current(self, on: datetime.date) -> bool:
        return self.ended_on is None or self.ended_on >= on


class PartnershipCategory(models.Model):
    """One category a partnership feeds."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="cells")
    category = models.PositiveSmallIntegerField(choices=CATEGORY_NUMBER_CHOICES)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("category a partnership feeds")
        verbose_name_plural = _("categories partnerships feed")
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "category"], name="one_cell_per_partnership_category"
            ),
            models.CheckConstraint(
                condition=Q(category__gte=1) & Q(category__lte=len(CATEGORIES)),
                name="partnership_cell_in_instrument",
            ),
        ]

    def __str__(self) -> str:
        return str(CATEGORY_BY_NUMBER[self.category])
