"""Peer validations as the pages show them: on an audit's report, on the hub heatmap and
on a person's home page. Agreement and "peer validated" are judged by `audits.rules`;
`peer_validated_audit_ids` says the same in SQL (a test holds the two equal)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery

from audits import rules
from audits.instrument import CATEGORIES, CATEGORY_BY_NUMBER
from audits.models import Audit, Validation, ValidationRating
from communities.models import HubMembership, School


@dataclass
class ValidationRow:
    """One category of a completed validation: the school's stage beside the peer's."""

    category: object
    school_stage: int | None
    stage: int | None
    comment: str

    @property
    def agrees(self) -> bool:
        return rules.peer_agrees(self.school_stage, self.stage)


@dataclass
class ShownValidation:
    """A validation on the report: who, its state and dates, and (once completed) its
    nine rows and the categories where the peer differs."""

    validation: Validation
    rows: list[ValidationRow]
    can_withdraw: bool = False  # the school's leader, while it is open
    can_work: bool = False  # the peer themselves, while it is open

    @property
    def differing(self) -> list[ValidationRow]:
        differs = {c.number for c in rules.disagreements(self.own, self.peer)}
        return [row for row in self.rows if row.category.number in differs]

    @property
    def own(self) -> dict[int, int | None]:
        return {row.category.number: row.school_stage for row in self.rows}

    @property
    def peer(self) -> dict[int, int | None]:
        return {row.category.number: row.stage for row in self.rows}

    @property
    def validator_name(self) -> str:
        person = self.validation.validator
        return person.get_full_name() or person.get_username()


def _rows(validation: Validation) -> list[ValidationRow]:
    ratings = {rating.category: rating for rating in validation.ratings.all()}
    rows = []
    for c in CATEGORIES:
        rating = ratings.get(c.number)
        school_stage, stage = (rating.school_stage, rating.stage) if rating else (None, None)
        rows.append(ValidationRow(c, school_stage, stage, rating.comment if rating else ""))
    return rows


def latest_completed(validations) -> Validation | None:
    """The latest completed validation that is not superseded, of those given."""
    done = [
        v for v in validations if v.status == Validation.Status.COMPLETED and not v.is_superseded
    ]
    return max(done, key=lambda v: (v.completed_at, v.pk), default=None)


def report_roles(audit: Audit, user) -> tuple[bool, bool]:
    """Whether the person leads the audit's school, and whether they coordinate one of
    its current hubs. One query."""
    flags = (
        School.objects.filter(pk=audit.school_id)
        .annotate(
            leads=Exists(
                School.leaders.through.objects.filter(school_id=OuterRef("pk"), user_id=user.pk)
            ),
            coordinates=Exists(
                HubMembership.objects.coordinated_by(user).filter(school_id=OuterRef("pk"))
            ),
        )
        .values_list("leads", "coordinates")
        .first()
    )
    return flags or (False, False)


def _shown_statuses(sees_all: bool) -> tuple:
    """The school and its coordinators also see invitations declined or withdrawn."""
    return tuple(Validation.Status) if sees_all else Validation.LIVE


def report_validations(audit: Audit, user, roles: tuple[bool, bool] | None = None) -> dict:
    """What the report shows of a school audit's validations: those invited, under way or
    completed, and those superseded when the audit was reopened (newest first); whether
    the audit is peer validated; what its leader may do (invite, withdraw). Three queries
    (two when there are none; one less when the caller gives `roles`, from
    `report_roles`), however many validations; none for a hub's audit."""
    if audit.school_id is None:
        return {"shown": False}
    if roles is None:
        roles = report_roles(audit, user) if user.is_authenticated else (False, False)
    leads, coordinates = roles
    # An invited peer sees only their own validation: their judgement should not lean on
    # the others'. The school's leaders, its hubs' coordinators and superusers see all.
    sees_all = leads or coordinates or user.is_superuser
    validations = (
        Validation.objects.filter(audit=audit)
        .filter(status__in=_shown_statuses(sees_all))
        .select_related("validator", "invited_by")
        .prefetch_related(Prefetch("ratings", queryset=ValidationRating.objects.order_by()))
        .order_by("-invited_at", "-pk")
    )
    if not sees_all:
        validations = validations.filter(validator=user)
    validations = list(validations)
    latest = latest_completed(validations)
    return {
        "shown": True,
        "items": [
            ShownValidation(
                v, _rows(v), leads and v.is_open, v.is_open and v.validator_id == user.pk
            )
            for v in validations
        ],
        "sees_all": sees_all,
        "latest": latest,
        "peer_validated": latest is not None
        and rules.is_peer_validated(latest.seen_stages, latest.peer_stages),
        "can_invite": leads and audit.is_submitted,
    }


def peer_validated_audit_ids(audit_ids) -> set[int]:
    """Of these audits, the ids of those that are peer validated: their latest completed,
    not superseded validation agrees on all nine categories (`rules.is_peer_validated`,
    said in SQL). One query."""
    latest = (
        Validation.objects.completed()
        .filter(audit_id=OuterRef("audit_id"), superseded_at__isnull=True)
        .order_by("-completed_at", "-pk")
        .values("pk")[:1]
    )
    agreeing = Count(
        "ratings",
        filter=Q(
            ratings__category__in=list(CATEGORY_BY_NUMBER),
            ratings__stage__isnull=False,
            ratings__stage=F("ratings__school_stage"),
        ),
    )
    validated = (
        Validation.objects.filter(audit_id__in=audit_ids, pk=Subquery(latest))
        .annotate(agreeing=agreeing)
        .filter(agreeing=len(CATEGORIES))
        .values_list("audit_id", flat=True)
    )
    return set(validated)


def open_validations_for(user) -> list[Validation]:
    """The person's invitations and validations under way, oldest invitation first, each
    with its audit and school, who invited them, and `answered`: how many of the nine
    categories they have answered. One query."""
    return list(
        Validation.objects.open_for(user)
        .select_related("audit__school", "invited_by")
        .annotate(answered=Count("ratings", filter=Q(ratings__stage__isnull=False)))
        .order_by("invited_at", "pk")
    )
