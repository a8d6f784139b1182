"""factory-boy factories for the whole suite, in one place."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from audits.instrument import CATEGORIES
from audits.models import Audit, Rating
from communities.models import (
    Hub,
    HubMembership,
    Partner,
    Partnership,
    PartnershipCategory,
    School,
)

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: f"{800000 + n:06d}")
    name = factory.Sequence(lambda n: f"School {n:04d}")
    local_authority = "Hounslow"
    phase = "Secondary"
    establishment_type = "Academy converter"
    postcode = "TW5 0AA"


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hub

    name = factory.Sequence(lambda n: f"Hub {n}")
    slug = factory.Sequence(lambda n: f"hub-{n}")
    goal = "Every student gets an education that reflects the wisdom of the community."
    founded_on = datetime.date(2011, 9, 1)


class HubMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HubMembership

    hub = factory.SubFactory(HubFactory)
    school = factory.SubFactory(SchoolFactory)
    role = HubMembership.Role.MEMBER
    joined_on = datetime.date(2020, 9, 1)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = Partner.Kind.CHARITY


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    partner = factory.SubFactory(PartnerFactory)
    activity = "Mentoring programme"
    learning_phase = "coaching"

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        """The category numbers it feeds: `PartnershipFactory(categories=[1, 5])`; the
        first category by default."""
        if create:
            numbers = [1] if extracted is None else extracted
            PartnershipCategory.objects.bulk_create(
                PartnershipCategory(partnership=obj, category=n) for n in numbers
            )


class AuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audit

    school = factory.SubFactory(SchoolFactory)
    period = "2025/26"
    audit_date = datetime.date(2026, 3, 1)
    status = Audit.Status.DRAFT


def make_audit(
    school=None,
    *,
    hub=None,
    stages=None,
    period: str = "2025/26",
    submitted: bool = True,
    evidence: str = "",
) -> Audit:
    """An audit with ratings. `stages` is one stage for all nine, or a list of nine
    (None for unrated); None leaves the audit without ratings."""
    status = Audit.Status.SUBMITTED if submitted else Audit.Status.DRAFT
    audit = AuditFactory(
        school=school if hub is None else None,
        hub=hub,
        period=period,
        status=status,
        submitted_at=timezone.now() if submitted else None,
    )
    if stages is not None:
        values = [stages] * len(CATEGORIES) if isinstance(stages, int) else list(stages)
        Rating.objects.bulk_create(
            Rating(audit=audit, category=c.number, stage=value, evidence=evidence)
            for c, value in zip(CATEGORIES, values, strict=True)
        )
    return audit
