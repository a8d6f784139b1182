import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template.loader import render_to_string

from audits import rules
from audits.models import Audit, Rating, Validation, ValidationRating
from audits.selectors.support import hub_support_rows
from communities.models import (
    Hub,
    HubMembership,
    Partner,
    Partnership,
    PartnershipCategory,
    School,
    SupportAgreement,
)

MODELS = [School, Hub, HubMembership, Partner, Partnership, PartnershipCategory, Audit, Rating]
MODELS += [Validation, ValidationRating, SupportAgreement, get_user_model()]


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.django_db
def test_loaddemo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("loaddemo")
    first = counts()
    call_command("loaddemo")
    assert counts() == first
    assert first["School"] >= 10


@pytest.mark.django_db
def test_loaddemo_tells_the_seeds_story(settings):
    settings.DEBUG = True
    call_command("loaddemo")
    london_west = Hub.objects.get(slug="london-west")
    assert london_west.lead_school.name == "Lampton School"
    assert Partnership.objects.filter(school__name="Lampton School").count() == 12
    oracy = Hub.objects.get(slug="camden-oracy")
    leads = oracy.memberships.filter(role="lead").values_list("school__name", flat=True)
    assert "Torriano School" in leads
    lampton = School.objects.get(name="Lampton School")
    audits = Audit.objects.filter(school=lampton).with_ratings()
    assert {a.status for a in audits} == {"draft", "submitted"}
    latest = Audit.objects.latest_submitted_per_school([lampton.pk]).with_ratings().get()
    assert latest.is_virtuous
    virtuous = [a for a in Audit.objects.submitted().with_ratings() if a.is_virtuous]
    assert [a.subject.name for a in virtuous] == ["Lampton School"]
    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    assert lampton.leaders.filter(username="leader").exists()
    assert london_west.coordinators.filter(username="coordinator").exists()


@pytest.mark.django_db
def test_loaddemo_does_not_overwrite_a_draft_someone_edited(settings):
    settings.DEBUG = True
    call_command("loaddemo")
    draft = Audit.objects.drafts().get(school__name="Lampton School")
    draft.reflection_coherence = "Typed by the head teacher"
    draft.save()
    call_command("loaddemo")
    draft.refresh_from_db()
    assert draft.reflection_coherence == "Typed by the head teacher"


@pytest.mark.django_db
def test_loaddemo_refuses_demo_passwords_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("loaddemo")
    assert not get_user_model().objects.filter(username="leader").exists()


def history_counts() -> dict:
    """Rows of every history table (the many-to-many ones too)."""
    return {
        model.__name__: model.objects.count()
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
    }


@pytest.mark.django_db
def test_a_second_loaddemo_writes_nothing_history_included(settings):
    settings.DEBUG = True
    call_command("loaddemo")
    first = history_counts()
    assert first["HistoricalSchool"] > 0

    call_command("loaddemo")

    assert history_counts() == first


def lampton_cells() -> dict[str, set[int]]:
    partnerships = Partnership.objects.filter(school__name="Lampton School").with_cells()
    return {p.activity: {c.number for c in p.categories} for p in partnerships}


@pytest.mark.django_db
def test_lamptons_twelve_activities_feed_the_cells_they_were_mapped_to(settings):
    settings.DEBUG = True
    call_command("loaddemo")

    cells = lampton_cells()

    assert len(cells) == 12
    assert cells["Initial Teacher Training"] == {1, 2}
    assert cells["Future Leaders"] == {6}
    assert cells["The Brilliant Club mentoring"] == {1}
    assert cells["Teaching School Alliance"] == {2, 5, 8}
    assert cells["Challenge Partners hub"] == {2, 8, 9}
    assert all(cells.values())
    lampton = Partnership.objects.filter(school__name="Lampton School")
    assert not lampton.filter(to_review=True).exists()
    assert set(lampton.values_list("updated_by__username", flat=True)) == {"leader"}


@pytest.mark.django_db
def test_a_partnership_still_to_review_takes_the_demo_cells_once(settings):
    settings.DEBUG = True
    call_command("loaddemo")
    converted = Partnership.objects.get(school__name="Lampton School", activity="Future Leaders")
    converted.cells.all().delete()
    PartnershipCategory.objects.bulk_create(
        PartnershipCategory(partnership=converted, category=n) for n in (4, 5, 6)
    )
    Partnership.objects.filter(pk=converted.pk).update(to_review=True)
    reviewed = Partnership.objects.get(school__name="Lampton School", activity="Teach First")
    reviewed.cells.create(category=9)  # saved by its school since: left alone

    call_command("loaddemo")

    assert lampton_cells()["Future Leaders"] == {6}
    assert lampton_cells()["Teach First"] == {3, 9}
    assert not Partnership.objects.filter(to_review=True).exists()


def lampton_latest() -> Audit:
    lampton = School.objects.get(name="Lampton School")
    return Audit.objects.latest_submitted_per_school([lampton.pk]).with_ratings().get()


@pytest.mark.django_db
def test_a_hub_peer_validated_lamptons_latest_audit_disagreeing_once(settings):
    settings.DEBUG = True
    call_command("loaddemo")
    latest = lampton_latest()

    completed = Validation.objects.filter(audit=latest).completed().live()

    assert completed.count() == 1
    validation = completed.prefetch_related("ratings").get()
    assert validation.validator.username == "brentside_leader"
    assert validation.validator.led_schools.get().name == "Brentside Community College"
    assert validation.invited_by.username == "leader"
    disagreed = rules.disagreements(latest.stages, validation.peer_stages)
    assert [c.number for c in disagreed] == [4]
    assert validation.ratings.get(category=4).comment
    assert latest.is_virtuous  # the school's own judgement is unchanged
    assert not rules.is_peer_validated(latest.stages, validation.peer_stages)


@pytest.mark.django_db
def test_another_peer_is_invited_and_has_not_answered(settings):
    settings.DEBUG = True
    call_command("loaddemo")
    latest = lampton_latest()

    pending = Validation.objects.filter(audit=latest, status=Validation.Status.INVITED)

    assert [v.validator.username for v in pending] == ["isleworth_leader"]
    assert pending.get().is_open and pending.get().answered_at is None
    assert Validation.objects.filter(audit=latest).live().count() == 2


@pytest.mark.django_db
def test_agreed_support_between_two_london_west_schools_moved_the_supported_up(settings):
    settings.DEBUG = True
    call_command("loaddemo")
    london_west = Hub.objects.get(slug="london-west")

    rows = hub_support_rows(london_west)

    assert len(rows) == 1
    row = rows[0]
    agreement = row.agreement
    assert agreement.status == SupportAgreement.Status.AGREED
    assert agreement.proposed_by.username == "coordinator"
    members = set(london_west.memberships.current().values_list("school_id", flat=True))
    assert {agreement.supporting_school_id, agreement.supported_school_id} <= members
    assert row.change == rules.Change.UP
    shown = render_to_string("audits/_hub_support.html", {"support_rows": rows})
    assert "Up: Initiation to Engagement (2025/26)" in shown
    assert row.since == row.before + 1
    assert row.since_period == "2025/26"
    assert agreement.supported_partnership.cells.get().category == agreement.category
    assert not SupportAgreement.objects.filter(hub__slug="camden-oracy").exists()


@pytest.mark.django_db
def test_the_new_peers_lead_their_schools_and_are_listed(settings, capsys):
    settings.DEBUG = True
    call_command("loaddemo")

    out = capsys.readouterr().out

    brentside = School.objects.get(name="Brentside Community College")
    isleworth = School.objects.get(name="Isleworth Riverside School")
    assert brentside.leaders.filter(username="brentside_leader").exists()
    assert isleworth.leaders.filter(username="isleworth_leader").exists()
    assert "brentside_leader, isleworth_leader; password clc-demo-password" in out
    assert "admin, leader, coordinator, camden_leader, camden_coordinator" in out
    assert "2 validations, 1 agreed support" in out
    call_command("loaddemo")
    assert "nothing new: already loaded" in capsys.readouterr().out
