"""Discarding a mistaken draft: asked first, by POST with CSRF, only by whoever may edit
the draft, never a submitted audit, and recorded in history with who did it."""

import pytest
from django.test import Client
from django.urls import reverse

from audits.models import Audit, AuditIsFinal, Rating
from audits.services import audit_discard
from tests.factories import make_audit

pytestmark = pytest.mark.django_db

PEOPLE = ["leader", "coordinator", "outsider", "other_coordinator", "admin_user"]


@pytest.fixture
def draft(school):
    return make_audit(school, stages=[2] * 4 + [None] * 5, period="2026/27", submitted=False)


def _discard(audit):
    return reverse("audits:audit_discard", args=[audit.pk])


def test_leader_is_asked_before_the_draft_is_discarded(client_for, leader, draft):
    response = client_for(leader).get(_discard(draft))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Discard the 2026/27 draft of Lampton School?" in page
    assert "4 of 9 rated" in page
    form = page.split(f'action="{_discard(draft)}"', 1)[1].split("</form>", 1)[0]
    assert 'name="csrfmiddlewaretoken"' in form
    assert f'name="version" value="{draft.version}"' in form
    assert Audit.objects.filter(pk=draft.pk).exists()


def test_leader_discards_the_draft_and_its_ratings(client_for, leader, draft):
    response = client_for(leader).post(_discard(draft), {"version": draft.version}, follow=True)
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "The 2026/27 draft of Lampton School is discarded." in response.content.decode()
    assert not Audit.objects.filter(pk=draft.pk).exists()
    assert not Rating.objects.filter(audit_id=draft.pk).exists()


def test_who_discarded_the_draft_is_in_its_history(client_for, leader, draft):
    client_for(leader).post(_discard(draft), {"version": draft.version})
    deleted = Audit.history.get(id=draft.pk, history_type="-")
    assert deleted.history_user == leader
    assert deleted.period == "2026/27"
    ratings = Rating.history.filter(audit_id=draft.pk, history_type="-")
    assert ratings.count() == 9
    assert {record.history_user for record in ratings} == {leader}


@pytest.mark.parametrize("person", PEOPLE[1:])
def test_nobody_else_may_discard_a_schools_draft(request, client_for, draft, person):
    client = client_for(request.getfixturevalue(person))
    assert client.get(_discard(draft)).status_code == 404
    assert client.post(_discard(draft), {"version": draft.version}).status_code == 404
    assert Audit.objects.filter(pk=draft.pk).exists()


def test_anonymous_visitor_is_sent_to_log_in(client, draft):
    response = client.post(_discard(draft), {"version": draft.version})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert Audit.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("person", PEOPLE)
def test_a_submitted_audit_can_never_be_discarded(request, client_for, school, hub, person):
    audit = make_audit(school, stages=3, period="2025/26")
    client = client_for(request.getfixturevalue(person))
    assert client.get(_discard(audit)).status_code == 404
    assert client.post(_discard(audit), {"version": audit.version}).status_code == 404
    assert Audit.objects.filter(pk=audit.pk).exists()
    assert audit.ratings.count() == 9


def test_the_service_refuses_a_submitted_audit(school, leader):
    audit = make_audit(school, stages=3, period="2025/26")
    with pytest.raises(AuditIsFinal):
        audit_discard(audit=audit, by=leader, version=audit.version)
    assert Audit.objects.filter(pk=audit.pk).exists()


@pytest.mark.parametrize("person", ["leader", "outsider", "other_coordinator", "admin_user"])
def test_only_the_hubs_coordinator_discards_its_draft(
    request, client_for, coordinator, hub, person
):
    hub_draft = make_audit(hub=hub, stages=None, period="2026/27", submitted=False)
    other = client_for(request.getfixturevalue(person))
    assert other.post(_discard(hub_draft), {"version": 1}).status_code == 404
    assert Audit.objects.filter(pk=hub_draft.pk).exists()
    response = client_for(coordinator).post(_discard(hub_draft), {"version": 1})
    assert response.status_code == 302
    assert not Audit.objects.filter(pk=hub_draft.pk).exists()


def test_a_draft_saved_since_the_question_is_not_discarded(client_for, leader, draft):
    client = client_for(leader)
    client.get(_discard(draft))
    client.post(reverse("audits:audit_edit_all", args=[draft.pk]), {"version": 1, "stage_9": 4})
    response = client.post(_discard(draft), {"version": 1})
    assert response.status_code == 409
    page = response.content.decode()
    assert "You saved this draft in another tab or window since you opened this page" in page
    assert 'name="version" value="2"' in page
    assert Audit.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("version", ["", "abc", "0"])
def test_a_post_without_a_good_version_discards_nothing(client_for, leader, draft, version):
    response = client_for(leader).post(_discard(draft), {"version": version})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert Audit.objects.filter(pk=draft.pk).exists()


def test_a_post_without_the_csrf_token_is_refused(leader, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(leader)
    assert client.post(_discard(draft), {"version": draft.version}).status_code == 403
    assert Audit.objects.filter(pk=draft.pk).exists()


def test_discard_query_count(client_for, leader, draft, django_assert_num_queries):
    client = client_for(leader)
    # session, user, the draft, its ratings
    with django_assert_num_queries(4):
        assert client.get(_discard(draft)).status_code == 200


# -- races: a double click, a save racing a discard -----------------------------------------


def test_a_second_discard_says_who_discarded_the_draft_and_when(client_for, leader, draft):
    client = client_for(leader)
    first = client.post(_discard(draft), {"version": draft.version})
    second = client.post(_discard(draft), {"version": draft.version})  # the double click
    assert first.status_code == 302
    assert second.status_code == 410
    assert "You discarded this draft" in second.content.decode()


def test_a_discard_that_loses_the_race_inside_the_service_says_so(
    client_for, leader, draft, monkeypatch
):
    """Both requests found the draft; the other one deleted it first."""
    from audits import services

    real = services.audit_discard

    def discarded_first(**kwargs):
        real(audit=draft, by=leader, version=draft.version)
        return real(**kwargs)

    monkeypatch.setattr(services, "audit_discard", discarded_first)
    response = client_for(leader).post(_discard(draft), {"version": draft.version})
    assert response.status_code == 410
    assert "You discarded this draft" in response.content.decode()


def test_a_save_racing_a_discard_shows_what_was_typed(client_for, leader, coordinator, draft):
    deputy = coordinator  # any other person; here the page only needs a name
    deputy.first_name, deputy.last_name = "Dana", "Deputy"
    deputy.save()
    page = client_for(leader).get(reverse("audits:audit_edit_all", args=[draft.pk]))
    data = {
        name: ("" if value is None else value)
        for name, value in ((b.html_name, b.value()) for b in page.context["form"])
    }
    audit_discard(audit=draft, by=deputy, version=draft.version)
    data |= {"evidence_3": "Typed while it was being discarded", "stage_3": "4", "save": "1"}

    response = client_for(leader).post(reverse("audits:audit_edit_all", args=[draft.pk]), data)

    assert response.status_code == 410
    content = response.content.decode()
    assert "Dana Deputy discarded this draft on" in content
    assert "Typed while it was being discarded" in content
    assert "Integration" in content


def test_nobody_else_learns_that_a_draft_was_discarded(client_for, leader, outsider, draft):
    audit_discard(audit=draft, by=leader, version=draft.version)
    for path in [_discard(draft), reverse("audits:audit_edit_all", args=[draft.pk])]:
        response = client_for(outsider).post(path, {"version": 1})
        assert response.status_code == 404
        assert b"discarded" not in response.content
