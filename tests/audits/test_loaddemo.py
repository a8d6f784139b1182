import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from audits.models import Audit, Rating
from communities.models import Hub, HubMembership, Partnership, School

MODELS = [School, Hub, HubMembership, Partnership, Audit, Rating, get_user_model()]


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
