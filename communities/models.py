"""Schools, hubs, memberships, partners and partnerships, and who leads or coordinates.

Communities are always in flux: memberships and partnerships end with a date, they are
never deleted to model a change, and nothing that has history can be deleted (PROTECT).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from audits.instrument import AREAS, SOURCES, LearningPhase

urn_validator = RegexValidator(r"^\d{6}$", "A URN is six digits, for example 100000.")


class SchoolQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SchoolQuerySet":
        """Schools a person may see: those they lead, current members of hubs they
        coordinate, and every school for a superuser."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        coordinated = HubMembership.objects.current().filter(hub__coordinators=user)
        return self.filter(Q(leaders=user) | Q(pk__in=coordinated.values("school_id"))).distinct()

    def led_by(self, user) -> "SchoolQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(leaders=user)


class School(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PROPOSED_TO_CLOSE = "proposed_to_close", "Open, but proposed to close"
        PROPOSED_TO_OPEN = "proposed_to_open", "Proposed to open"
        CLOSED = "closed", "Closed"

    urn = models.CharField(
        "URN",
        max_length=6,
        unique=True,
        null=True,
        blank=True,
        validators=[urn_validator],
        help_text="England's six-digit unique reference number. Leave empty outside England.",
    )
    name = models.CharField(max_length=200)
    local_authority = models.CharField(max_length=100, blank=True)
    la_code = models.CharField("LA code", max_length=10, blank=True)
    establishment_number = models.CharField(max_length=10, blank=True)
    phase = models.CharField("phase of education", max_length=60, blank=True)
    establishment_type = models.CharField("type of establishment", max_length=120, blank=True)
    establishment_type_group = models.CharField(max_length=120, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    gias_last_changed_on = models.DateField("last changed in GIAS", null=True, blank=True)
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="led_schools"
    )

    objects = SchoolQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[leaders])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(urn__isnull=True) | Q(urn__regex=r"^[0-9]{6}$"),
                name="school_urn_six_digits",
                violation_error_message="A URN is six digits.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})" if self.urn else self.name

    def save(self, *args, **kwargs) -> None:
        if self.urn == "":
            self.urn = None
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("audits:school_journey", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class SchoolLink(models.Model):
    """A predecessor or successor link from the register: a school that converts or
    merges gets a new URN, and the link says which."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="links")
    linked_urn = models.CharField("linked URN", max_length=6)
    linked_school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    link_type = models.CharField(max_length=60)
    established_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["school", "established_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "linked_urn", "link_type"], name="school_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} → {self.link_type} {self.linked_urn}"

    @property
    def is_successor(self) -> bool:
        return self.link_type.lower().startswith("successor")

    @property
    def is_predecessor(self) -> bool:
        return self.link_type.lower().startswith("predecessor")


class HubQuerySet(models.QuerySet):
    def coordinated_by(self, user) -> "HubQuerySet":
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(coordinators=user)


class Hub(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    goal = models.TextField(
        blank=True, help_text="The clear, shared goal the hub's schools work towards."
    )
    lead_school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="led_hubs"
    )
    founded_on = models.DateField(null=True, blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="coordinated_hubs"
    )

    objects = HubQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[coordinators])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("communities:hub_detail", args=[self.slug])


class HubMembershipQuerySet(models.QuerySet):
    def current(self, on=None) -> "HubMembershipQuerySet":
        """Memberships in force on a date (today by default)."""
        on = on or timezone.localdate()
        return self.filter(joined_on__lte=on).filter(Q(left_on__isnull=True) | Q(left_on__gt=on))


class HubMembership(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "Lead school"
        MEMBER = "member", "Member school"

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)

    objects = HubMembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "school__name", "joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "school"],
                condition=Q(left_on__isnull=True),
                name="one_open_membership_per_school_and_hub",
                violation_error_message="This school already has an open membership of this hub.",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message="A school cannot leave a hub before it joined.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school.name} in {self.hub.name} ({self.get_role_display()})"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.joined_on <= today and (self.left_on is None or self.left_on > today)


class Partner(models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", "School"
        UNIVERSITY = "university", "University"
        CHARITY = "charity", "Charity"
        PROGRAMME = "programme", "Programme"
        INDUSTRY = "industry", "Industry"
        PUBLIC_BODY = "public_body", "Public body"
        NETWORK = "network", "Network"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    website = models.URLField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


LEARNING_PHASE_CHOICES = [(phase.value, phase.label) for phase in LearningPhase]


class Partnership(models.Model):
    """A school or a hub working with a partner, and which knowledge it feeds.

    The areas and sources it feeds are one boolean per instrument member, named
    `area_<code>` and `source_<code>` (see `audits.instrument`)."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="partnerships"
    )
    hub = models.ForeignKey(
        Hub, on_delete=models.PROTECT, null=True, blank=True, related_name="partnerships"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="partnerships")
    activity = models.CharField("what it is", max_length=200)
    description = models.TextField(blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    learning_phase = models.CharField(
        "phase of learning activity", max_length=20, choices=LEARNING_PHASE_CHOICES
    )
    area_teaching = models.BooleanField("feeds teaching and learning", default=False)
    area_leadership = models.BooleanField("feeds leadership", default=False)
    area_collaborative = models.BooleanField("feeds collaborative learning", default=False)
    source_research = models.BooleanField("feeds relevant research", default=False)
    source_practice = models.BooleanField("feeds best practice", default=False)
    source_innovation = models.BooleanField("feeds emerging effective innovation", default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["started_on", "activity"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(school__isnull=False, hub__isnull=True)
                    | Q(school__isnull=True, hub__isnull=False)
                ),
                name="partnership_has_one_subject",
                violation_error_message="A partnership belongs to a school or to a hub, not both.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(ended_on__isnull=True)
                    | Q(started_on__isnull=True)
                    | Q(ended_on__gte=models.F("started_on"))
                ),
                name="partnership_ended_after_started",
                violation_error_message="A partnership cannot end before it started.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} with {self.partner}"

    def clean(self) -> None:
        if bool(self.school_id) == bool(self.hub_id):
            raise ValidationError("Choose a school or a hub for this partnership, not both.")

    @property
    def subject(self) -> "School | Hub":
        return self.school or self.hub

    @property
    def areas(self) -> list:
        return [area for area in AREAS if getattr(self, f"area_{area.value}")]

    @property
    def sources(self) -> list:
        return [source for source in SOURCES if getattr(self, f"source_{source.value}")]
