"""Hubs, their memberships, and who may see a hub."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communities.models.dates import plausible_date


class HubQuerySet(models.QuerySet):
    def coordinated_by(self, user) -> "HubQuerySet":
        """Hubs a person coordinates themselves (a superuser too: only those)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(coordinators=user)

    def seen_in_full_by(self, user) -> "HubQuerySet":
        """Hubs whose member schools' rows a person sees: those they coordinate, and
        every hub for a superuser."""
        if user.is_authenticated and user.is_superuser:
            return self
        return self.coordinated_by(user)

    def of_schools_led_by(self, user) -> "HubQuerySet":
        """Hubs that a school the person leads is a current member of."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=HubMembership.objects.led_by(user).values("hub_id"))


@dataclass(frozen=True)
class HubAccess:
    """A hub and how much of it a person sees: its member schools' rows (coordinators,
    superusers) or only its summary counts (leaders of its current member schools)."""

    hub: "Hub"
    sees_rows: bool


def get_hub_for(user, slug: str, *, need: str = "summary") -> HubAccess:
    """The hub with this slug if the person may see it, and how much of it; otherwise
    404, so that nobody learns that it exists.

    `need`: "summary" (coordinators, superusers and leaders of current member schools),
    "rows" (coordinators and superusers: the heatmap, exports) or "coordinate" (the hub's
    own coordinators only: what they do as the hub, such as opening its audit). One query
    for whoever sees rows, two for a member's leader."""
    full = Hub.objects.coordinated_by if need == "coordinate" else Hub.objects.seen_in_full_by
    hub = full(user).filter(slug=slug).first()
    if hub is not None:
        return HubAccess(hub, sees_rows=True)
    if need == "summary":
        hub = Hub.objects.of_schools_led_by(user).filter(slug=slug).first()
        if hub is not None:
            return HubAccess(hub, sees_rows=False)
    raise Http404("No such hub.")


class Hub(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    goal = models.TextField(
        blank=True, help_text=_("The clear, shared goal the hub's schools work towards.")
    )
    lead_school = models.ForeignKey(
        "communities.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_hubs",
    )
    founded_on = models.DateField(null=True, blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="coordinated_hubs"
    )
    # The coordinator's choice: may a member school's leader see which schools of the hub
    # could help them (and propose support to them), or only how many are at each stage?
    names_in_suggestions = models.BooleanField(
        _("member schools see who can help them"),
        default=False,
        help_text=_(
            "Off: a member school's report says how many schools of the hub are at each "
            "stage in the categories it could grow in, not which. On: it names them."
        ),
    )

    objects = HubQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[coordinators])

    class Meta:
        ordering = ["name"]
        permissions = [("change_hub_coordinators", _("Can choose who coordinates a hub"))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("audits:hub_detail", args=[self.slug])


class HubMembershipQuerySet(models.QuerySet):
    def current(self, on=None) -> "HubMembershipQuerySet":
        """Memberships in force on a date (today by default)."""
        on = on or timezone.localdate()
        return self.filter(joined_on__lte=on).filter(Q(left_on__isnull=True) | Q(left_on__gt=on))

    def coordinated_by(self, user) -> "HubMembershipQuerySet":
        """Today's memberships of the hubs a person coordinates: "the members of the hubs
        I coordinate", wherever it is asked."""
        if not user.is_authenticated:
            return self.none()
        return self.current().filter(hub__coordinators=user)

    def led_by(self, user) -> "HubMembershipQuerySet":
        """Today's memberships of the schools a person leads: "the hubs of the schools I
        lead", wherever it is asked."""
        if not user.is_authenticated:
            return self.none()
        return self.current().filter(school__leaders=user)


class HubMembership(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead school")
        MEMBER = "member", _("Member school")

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="memberships")
    school = models.ForeignKey(
        "communities.School", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(default=timezone.localdate, validators=[plausible_date])
    left_on = models.DateField(null=True, blank=True, validators=[plausible_date])

    objects = HubMembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "school__name", "joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "school"],
                condition=Q(left_on__isnull=True),
                name="one_open_membership_per_school_and_hub",
                violation_error_message=_(
                    "This school already has an open membership of this hub."
                ),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message=_("A school cannot leave a hub before it joined."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school.name} in {self.hub.name} ({self.get_role_display()})"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.joined_on <= today and (self.left_on is None or self.left_on > today)


class HubDeadline(models.Model):
    """The date by which a hub's coordinator asks its member schools to submit their
    audit of a period: the follow-up list and the reminders read it."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="deadlines")
    period = models.CharField(_("period"), max_length=7)
    due_on = models.DateField(_("submit by"), validators=[plausible_date])
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("audit deadline")
        ordering = ["hub", "-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "period"],
                name="one_deadline_per_hub_and_period",
                violation_error_message=_("This hub already has a deadline for this period."),
            ),
            models.CheckConstraint(
                condition=Q(period__regex=r"^[0-9]{4}/[0-9]{2}$"),
                name="deadline_period_format",
                violation_error_message=_('A period is an academic year such as "2025/26".'),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hub.name} {self.period}: {self.due_on}"
