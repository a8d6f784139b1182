"""Partner organisations and the partnerships of schools and hubs with them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audits.instrument import AREAS, SOURCES, LearningPhase
from communities.models.hubs import Hub
from communities.models.schools import School


class Partner(models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", _("School")
        UNIVERSITY = "university", _("University")
        CHARITY = "charity", _("Charity")
        PROGRAMME = "programme", _("Programme")
        INDUSTRY = "industry", _("Industry")
        PUBLIC_BODY = "public_body", _("Public body")
        NETWORK = "network", _("Network")

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
    activity = models.CharField(_("what it is"), max_length=200)
    description = models.TextField(blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    learning_phase = models.CharField(
        _("phase of learning activity"), max_length=20, choices=LEARNING_PHASE_CHOICES
    )
    area_teaching = models.BooleanField(_("feeds teaching and learning"), default=False)
    area_leadership = models.BooleanField(_("feeds leadership"), default=False)
    area_collaborative = models.BooleanField(_("feeds collaborative learning"), default=False)
    source_research = models.BooleanField(_("feeds relevant research"), default=False)
    source_practice = models.BooleanField(_("feeds best practice"), default=False)
    source_innovation = models.BooleanField(_("feeds emerging effective innovation"), default=False)

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

    def clean(self) -> None:
        if bool(self.school_id) == bool(self.hub_id):
            raise ValidationError(_("Choose a school or a hub for this partnership, not both."))

    @property
    def subject(self) -> "School | Hub":
        return self.school or self.hub

    @property
    def areas(self) -> list:
        return [area for area in AREAS if getattr(self, f"area_{area.value}")]

    @property
    def sources(self) -> list:
        return [source for source in SOURCES if getattr(self, f"source_{source.value}")]
