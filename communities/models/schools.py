"""Schools and the register's links between them."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communities.models.hubs import HubMembership

urn_validator = RegexValidator(r"^\d{6}$", _("A URN is six digits, for example 100000."))


class SchoolQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SchoolQuerySet":
        """Schools a person may see: those they lead, current members of hubs they
        coordinate, and every school for a superuser."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        coordinated = HubMembership.objects.coordinated_by(user).values("school_id")
        return self.filter(Q(leaders=user) | Q(pk__in=coordinated)).distinct()

    def led_by(self, user) -> "SchoolQuerySet":
        """Schools a person leads (a superuser too: only those they lead)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(leaders=user)


def get_school_for(user, pk: int, *, lead: bool = False) -> "School":
    """The school with this id if the person may see it (or leads it, with `lead`);
    otherwise 404, so that nobody learns that it exists."""
    schools = School.objects.led_by(user) if lead else School.objects.visible_to(user)
    try:
        return schools.get(pk=pk)
    except School.DoesNotExist:
        raise Http404("No such school.") from None


class School(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PROPOSED_TO_CLOSE = "proposed_to_close", _("Open, but proposed to close")
        PROPOSED_TO_OPEN = "proposed_to_open", _("Proposed to open")
        CLOSED = "closed", _("Closed")

    urn = models.CharField(
        _("URN"),
        max_length=6,
        unique=True,
        null=True,
        blank=True,
        validators=[urn_validator],
        help_text=_("England's six-digit unique reference number. Leave empty outside England."),
    )
    name = models.CharField(max_length=200)
    local_authority = models.CharField(max_length=100, blank=True)
    la_code = models.CharField(_("LA code"), max_length=10, blank=True)
    establishment_number = models.CharField(max_length=10, blank=True)
    phase = models.CharField(_("phase of education"), max_length=60, blank=True)
    establishment_type = models.CharField(_("type of establishment"), max_length=120, blank=True)
    establishment_type_group = models.CharField(max_length=120, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    gias_last_changed_on = models.DateField(_("last changed in GIAS"), null=True, blank=True)
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="led_schools"
    )

    objects = SchoolQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[leaders])

    class Meta:
        ordering = ["name"]
        permissions = [("change_school_leaders", _("Can choose who leads a school"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(urn__isnull=True) | Q(urn__regex=r"^[0-9]{6}$"),
                name="school_urn_six_digits",
                violation_error_message=_("A URN is six digits."),
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


# The register's link types that make one school the continuation of another (a school
# that converts, merges, splits or amalgamates gets a new URN). On school A's row, a
# predecessor type names a school B that came before A ("A was previously B", "A was the
# result of an amalgamation of B", "A was previously B, which closed"); a successor type
# names a school B that came after ("A became B", "B was split off from A", "A was
# amalgamated into B"). The other published types ("Merged - change in age range" and its
# kin, which do not say which school carried on; sixth-form and children's centre links;
# "Other") are imported and kept, and count as neither. The Python properties and the
# queryset filters read these two sets, and nothing else decides it.
PREDECESSOR_LINK_TYPES = frozenset(
    {
        "Predecessor",
        "Predecessor - merged",
        "Predecessor - amalgamated",
        "Predecessor - Split School",
        "Result of Amalgamation",
        "Closure",
    }
)
SUCCESSOR_LINK_TYPES = frozenset(
    {
        "Successor",
        "Successor - merged",
        "Successor - amalgamated",
        "Successor - Split School",
        "Expansion",
    }
)


class SchoolLinkQuerySet(models.QuerySet):
    def predecessors_of(self, school_ids) -> "SchoolLinkQuerySet":
        """Links that name a predecessor of one of these schools, from either side: A's
        predecessor link to B, or B's successor link to A."""
        return self.filter(
            Q(school_id__in=school_ids, link_type__in=PREDECESSOR_LINK_TYPES)
            | Q(linked_school_id__in=school_ids, link_type__in=SUCCESSOR_LINK_TYPES)
        )

    def successors_of(self, school) -> "SchoolLinkQuerySet":
        """Links that name a successor of this school, from either side."""
        return self.filter(
            Q(school=school, link_type__in=SUCCESSOR_LINK_TYPES)
            | Q(linked_school=school, link_type__in=PREDECESSOR_LINK_TYPES)
        )


class SchoolLink(models.Model):
    """A link from the register between two establishments: a predecessor or successor
    (see PREDECESSOR_LINK_TYPES), or another kind the register publishes."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="links")
    linked_urn = models.CharField(_("linked URN"), max_length=6)
    linked_school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    link_type = models.CharField(max_length=100)
    established_on = models.DateField(null=True, blank=True)

    objects = SchoolLinkQuerySet.as_manager()

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
        return self.link_type in SUCCESSOR_LINK_TYPES

    @property
    def is_predecessor(self) -> bool:
        return self.link_type in PREDECESSOR_LINK_TYPES
