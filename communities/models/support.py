"""Agreed support: in a hub, one school supporting another in one category, from a
proposal to an agreement both sides accepted, to its end with a note of its impact.

Either school's leader or the hub's coordinator proposes; the other school's leader
accepts (both schools' leaders, for the coordinator's proposal). Once agreed, each
school has a partnership with the other (kind school) feeding that category, so the
support shows in the partnership map and as evidence on the next audit. Nothing is
deleted: a declined, withdrawn or ended agreement is kept, dated. The writes are in
`communities.support`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audits.instrument import CATEGORY_BY_NUMBER, Category
from communities.models.dates import plausible_date
from communities.models.hubs import Hub, HubMembership
from communities.models.partners import CATEGORY_NUMBER_CHOICES, Partnership
from communities.models.schools import School


class SupportQuerySet(models.QuerySet):
    def open(self) -> "SupportQuerySet":
        """Proposed or agreed, and not ended."""
        return self.filter(status__in=SupportAgreement.OPEN)

    def involving(self, school: School) -> "SupportQuerySet":
        return self.filter(Q(supporting_school=school) | Q(supported_school=school))

    def readable_by(self, user) -> "SupportQuerySet":
        """What a person may read: support involving a school they lead (while it is a
        member of the hub, or from before it left, as history it took part in), and all
        of the hubs they coordinate; everything for a superuser."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            Q(supporting_school__leaders=user)
            | Q(supported_school__leaders=user)
            | Q(hub__coordinators=user)
        ).distinct()

    def waiting_for(self, user) -> "SupportQuerySet":
        """Proposals this person is to answer: as the leader of a school whose acceptance
        is still missing (never their own proposal)."""
        if not user.is_authenticated:
            return self.none()
        return (
            self.filter(status=SupportAgreement.Status.PROPOSED)
            .filter(
                Q(supporting_school__leaders=user, supporting_accepted_at__isnull=True)
                | Q(supported_school__leaders=user, supported_accepted_at__isnull=True)
            )
            .distinct()
        )


def get_support_for(user, pk: int) -> "SupportAgreement":
    """The agreement with this id if the person may read it; otherwise 404."""
    found = (
        SupportAgreement.objects.readable_by(user)
        .select_related("hub", "supporting_school", "supported_school", "proposed_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such support.")
    return found


class SupportAgreement(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        AGREED = "agreed", _("Agreed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ENDED = "ended", _("Ended")

    OPEN = (Status.PROPOSED, Status.AGREED)

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="support")
    supporting_school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="support_given",
        verbose_name=_("supporting school"),
    )
    supported_school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="support_received",
        verbose_name=_("supported school"),
    )
    category = models.PositiveSmallIntegerField(_("category"), choices=CATEGORY_NUMBER_CHOICES)
    goal = models.TextField(_("goal"))
    started_on = models.DateField(_("starts on"), validators=[plausible_date])
    ended_on = models.DateField(_("ended on"), null=True, blank=True, validators=[plausible_date])
    impact = models.TextField(_("what it achieved"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    supporting_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    supporting_accepted_at = models.DateTimeField(null=True, blank=True)
    supported_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    supported_accepted_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # who declined, withdrew or ended it
    closed_at = models.DateTimeField(null=True, blank=True)
    # The partnership each school has with the other once agreed, feeding the category.
    supporting_partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    supported_partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SupportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreed support")
        verbose_name_plural = _("agreed support")
        ordering = ["-started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supporting_school=models.F("supported_school")),
                name="support_between_two_schools",
                violation_error_message=_("A school cannot support itself."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="support_ended_after_started",
                violation_error_message=_("Support cannot end before it started."),
            ),
            models.UniqueConstraint(
                fields=["hub", "supporting_school", "supported_school", "category"],
                condition=Q(status__in=["proposed", "agreed"]),
                name="one_open_support_per_pair_and_category",
                violation_error_message=_(
                    "These two schools already have open support in this category."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supporting_school} supports {self.supported_school} in {self.category_obj}"

    @property
    def category_obj(self) -> Category:
        return CATEGORY_BY_NUMBER[self.category]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def schools(self) -> tuple[School, School]:
        return self.supporting_school, self.supported_school

    def members_now(self) -> bool:
        """Whether both schools are current members of the hub."""
        members = HubMembership.objects.current().filter(hub_id=self.hub_id)
        return members.filter(school__in=self.schools()).count() == 2
