"""Peer validation of a submitted audit: a peer (the leader of another current member
school of one of the school's hubs, or a coordinator of one of them) agrees with each
category's stage or says which they would give, with a comment.

The school cannot change a validation and the validator cannot change the audit. A
validation records the audit's version and, per category, the stage it saw; when an
admin reopens the audit its validations are superseded. What is judged of it (agreement,
"peer validated") is in `audits.rules`; the writes are in `audits.services.validation`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audits.models.audits import CATEGORY_CHOICES, STAGE_CHOICES, Audit, peers_of_school_q


class ValidationIsFinal(Exception):
    """A completed, declined, withdrawn or superseded validation is not changed."""


class ValidationQuerySet(models.QuerySet):
    def live(self) -> "ValidationQuerySet":
        """Invited, accepted or completed, and not superseded."""
        return self.filter(status__in=Validation.LIVE, superseded_at__isnull=True)

    def open_for(self, user) -> "ValidationQuerySet":
        """The invitations and validations under way of this person, while they are still
        a peer of the school."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            validator=user,
            status__in=(Validation.Status.INVITED, Validation.Status.ACCEPTED),
            superseded_at__isnull=True,
        ).filter(peers_of_school_q(user, "audit__school_id"))

    def seen_by(self, user) -> "ValidationQuerySet":
        """This person's own live validations (a completed one too), while they are still
        a peer of the school: what they may read of their own."""
        if not user.is_authenticated:
            return self.none()
        return (
            self.live().filter(validator=user).filter(peers_of_school_q(user, "audit__school_id"))
        )

    def withdrawable_by(self, user) -> "ValidationQuerySet":
        """The open invitations and validations of the audits of schools this person
        leads: what they may withdraw."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            status__in=(Validation.Status.INVITED, Validation.Status.ACCEPTED),
            superseded_at__isnull=True,
            audit__school__leaders=user,
        )

    def completed(self) -> "ValidationQuerySet":
        return self.filter(status=Validation.Status.COMPLETED)


class Validation(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Under way")
        COMPLETED = "completed", _("Completed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    LIVE = (Status.INVITED, Status.ACCEPTED, Status.COMPLETED)

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="validations")
    validator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="validations",
        verbose_name=_("validator"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(_("message to the peer"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)  # accepted or declined
    completed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)  # the audit was reopened
    audit_version = models.PositiveIntegerField()  # the audit as it was validated
    # Bumped on every save of the validation or its ratings: what completing checks.
    version = models.PositiveIntegerField(default=1)

    objects = ValidationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "validator"],
                condition=Q(status__in=["invited", "accepted", "completed"])
                & Q(superseded_at__isnull=True),
                name="one_live_validation_per_audit_and_peer",
                violation_error_message=_("This peer is already invited to validate this audit."),
            ),
        ]

    def __str__(self) -> str:
        return f"Validation of {self.audit} by {self.validator}"

    @property
    def is_superseded(self) -> bool:
        return self.superseded_at is not None

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.INVITED, self.Status.ACCEPTED) and not self.is_superseded

    @property
    def peer_stages(self) -> dict[int, int | None]:
        """{category number: the peer's stage} (ratings prefetched where listed)."""
        return {rating.category: rating.stage for rating in self.ratings.all()}

    @property
    def seen_stages(self) -> dict[int, int | None]:
        """{category number: the school's stage as the peer saw it}."""
        return {rating.category: rating.school_stage for rating in self.ratings.all()}


def get_validation_for(user, pk: int, *, need: str = "work") -> Validation:
    """A validation the person may work on (`need="work"`): their own, open, while they
    are still a peer of the school; their own live one, completed too, to read it
    ("read"); an open one of an audit of a school they lead, to withdraw it ("withdraw").
    Otherwise 404."""
    scopes = {
        "work": Validation.objects.open_for,
        "read": Validation.objects.seen_by,
        "withdraw": Validation.objects.withdrawable_by,
    }
    found = (
        scopes[need](user)
        .select_related("audit__school", "invited_by", "validator")
        .prefetch_related("ratings")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such validation.")
    return found


class ValidationRating(models.Model):
    """What the peer says of one category: the stage they would give (the school's own,
    when they agree) and why; and the school's stage as they saw it."""

    validation = models.ForeignKey(Validation, on_delete=models.CASCADE, related_name="ratings")
    category = models.PositiveSmallIntegerField(choices=CATEGORY_CHOICES)
    school_stage = models.PositiveSmallIntegerField(choices=STAGE_CHOICES, null=True)
    stage = models.PositiveSmallIntegerField(
        _("the peer's stage"), choices=STAGE_CHOICES, null=True, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(
                fields=["validation", "category"], name="one_peer_rating_per_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.validation}: category {self.category}"
