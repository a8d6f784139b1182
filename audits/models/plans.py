"""The improvement plan: actions a school takes from its audit's gaps, with an owner, a
due date and a status, across periods.

An action belongs to its school (the audit it came from is where it started, not its
owner): the next audit's category pages show it and what came of it. It may name one of
the school's partnerships or an agreed support as the way to get there. Nothing is
deleted to model a change: a plan that no longer holds is dropped, with a date. Writes go
through `audits.services.plans`; who may read or change an action is decided by
`get_action_for`.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audits.instrument import CATEGORY_BY_NUMBER, Category
from audits.models.audits import CATEGORY_CHOICES, Audit
from communities.models import HubMembership, Partnership, School, SupportAgreement
from communities.models.dates import plausible_date


def open_q() -> Q:
    """An action is open while planned or in progress (`ImprovementAction.is_open`)."""
    return Q(status__in=ImprovementAction.OPEN)


def overdue_q(on=None) -> Q:
    """An open action is overdue once its due date is before `on` (today by default), as
    `ImprovementAction.is_overdue` says of one action: for querysets and counts."""
    return open_q() & Q(due_on__lt=on or timezone.localdate())


class ActionQuerySet(models.QuerySet):
    def readable_by(self, user) -> "ActionQuerySet":
        """Actions of the schools a person leads and of the current members of the hubs
        they coordinate; all of them for a superuser."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        coordinated = HubMembership.objects.coordinated_by(user).values("school_id")
        return self.filter(Q(school__leaders=user) | Q(school_id__in=coordinated)).distinct()

    def editable_by(self, user) -> "ActionQuerySet":
        """Actions a person may change: those of the schools they lead."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(school__leaders=user)

    def open(self) -> "ActionQuerySet":
        """Planned or in progress."""
        return self.filter(open_q())

    def overdue(self, on=None) -> "ActionQuerySet":
        """Open actions whose due date has passed (before `on`, today by default)."""
        return self.filter(overdue_q(on))

    def due_within(self, days: int, on=None) -> "ActionQuerySet":
        """Open actions due from `on` (today by default) to `days` days after it."""
        on = on or timezone.localdate()
        return self.open().filter(due_on__gte=on, due_on__lte=on + datetime.timedelta(days=days))


def get_action_for(user, pk: int, *, write: bool = False) -> "ImprovementAction":
    """The action with this id if the person may read it (or change it, with `write`);
    otherwise 404, so that nobody learns that it exists."""
    actions = (
        ImprovementAction.objects.editable_by if write else ImprovementAction.objects.readable_by
    )
    found = (
        actions(user)
        .select_related("school", "audit", "owner", "partnership__partner", "support")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such action.")
    return found


class ImprovementAction(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OPEN = (Status.PLANNED, Status.IN_PROGRESS)

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="improvement_actions")
    # The submitted audit whose gap the action answers.
    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="improvement_actions")
    category = models.PositiveSmallIntegerField(_("category"), choices=CATEGORY_CHOICES)
    description = models.TextField(_("what will be done"))
    aim = models.TextField(
        _("aim"),
        blank=True,
        help_text=_("What the next stage looks like for the school, in its own words."),
    )
    # The owner: a user of the school, or a name (someone without an account).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_actions",
        verbose_name=_("owner"),
    )
    owner_name = models.CharField(_("owner's name"), max_length=200, blank=True)
    due_on = models.DateField(_("due on"), validators=[plausible_date])
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    outcome = models.TextField(_("what changed"), blank=True)
    finished_on = models.DateField(_("done or dropped on"), null=True, blank=True)
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvement_actions",
        verbose_name=_("through the partnership"),
    )
    support = models.ForeignKey(
        SupportAgreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvement_actions",
        verbose_name=_("through the agreed support"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped on every change: a save that started from an older version is refused.
    version = models.PositiveIntegerField(default=1)

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["school", "status", "due_on"], name="action_school_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__gte=1, category__lte=9),
                name="action_category_1_to_9",
                violation_error_message=_("The category is one of the nine."),
            ),
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | ~Q(owner_name=""),
                name="action_has_an_owner",
                violation_error_message=_("Name who owns the action."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(outcome=""),
                name="action_done_says_what_changed",
                violation_error_message=_("Say what changed when the action is done."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school.name}: {self.description[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("audits:action_detail", args=[self.pk])

    @property
    def category_obj(self) -> Category:
        return CATEGORY_BY_NUMBER[self.category]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def is_overdue(self, on=None) -> bool:
        return self.is_open and self.due_on < (on or timezone.localdate())

    @property
    def owner_label(self) -> str:
        """Who owns the action, as a page shows it."""
        if self.owner_id is not None:
            return self.owner.get_full_name() or self.owner.get_username()
        return self.owner_name
