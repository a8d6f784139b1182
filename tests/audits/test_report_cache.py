"""A submitted audit's report is cached for the person until anything changes (on
PostgreSQL, `audits.page_cache`): a reload costs four queries, a change shows on the next
load, who may read it is decided on every request (a leader who loses the school gets a
404 on the next load), nobody is served another person's page, and each response carries
its own CSRF token."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits import page_cache, services
from audits.models import ImprovementAction
from tests.factories import HubMembershipFactory, SchoolFactory, UserFactory, make_audit

# session, user, the audit (who may read it), the data version
CACHED_REPORT_QUERIES = 4


@pytest.fixture
def report_cache(settings, on_postgres, only_this_test_moves_the_data_version):
    if not on_postgres:
        pytest.skip("PostgreSQL only: SQLite's data version does not see every table")
    settings.REPORT_CACHE_SECONDS = 600


def article(page: str) -> str:
    return page[page.index('<article class="audit-report">') : page.index("</article>")]


def report_url(audit):
    return reverse("audits:audit_report", args=[audit.pk])


def test_a_reload_is_read_from_the_cache(
    report_cache, client_for, leader, school, django_assert_num_queries
):
    audit = make_audit(school, stages=2)
    client = client_for(leader)
    first = client.get(report_url(audit)).content.decode()

    with django_assert_num_queries(CACHED_REPORT_QUERIES):
        again = client.get(report_url(audit)).content.decode()

    assert article(again) == article(first)  # the frame around it masks its CSRF token anew
    assert "Self-audit report: Lampton School, 2025/26" in again


def test_a_change_shows_on_the_next_load(report_cache, client_for, leader, school):
    audit = make_audit(school, stages=2)
    client = client_for(leader)
    assert "Start a reading club" not in client.get(report_url(audit)).content.decode()

    ImprovementAction.objects.create(
        school=school,
        audit=audit,
        category=2,
        description="Start a reading club",
        owner_name="Ms Patel",
        due_on=timezone.localdate(),
        created_by=leader,
        updated_by=leader,
    )

    assert "Start a reading club" in client.get(report_url(audit)).content.decode()


def test_nobody_else_is_served_a_cached_report(report_cache, client_for, leader, outsider, school):
    audit = make_audit(school, stages=2)
    assert client_for(leader).get(report_url(audit)).status_code == 200

    assert client_for(outsider).get(report_url(audit)).status_code == 404


def test_another_person_gets_their_own_report(
    report_cache, client_for, leader, coordinator, school
):
    audit = make_audit(school, stages=2)
    as_leader = client_for(leader).get(report_url(audit)).content.decode()
    assert "Plan an action" in as_leader

    as_coordinator = client_for(coordinator).get(report_url(audit)).content.decode()

    assert "Plan an action" not in as_coordinator


def test_the_cached_form_carries_a_working_token_of_its_own(report_cache, leader, school, hub):
    audit = make_audit(school, stages=2)
    peer_school = SchoolFactory(name="Brentside School")
    HubMembershipFactory(hub=hub, school=peer_school)
    peer = UserFactory(username="peer_ann")
    peer_school.leaders.add(peer)
    invited = services.validation_invite(audit=audit, validator=peer, by=leader, message="")
    client = Client(enforce_csrf_checks=True)
    client.force_login(leader)
    client.get(report_url(audit))  # built and cached

    pages = [client.get(report_url(audit)).content.decode() for _ in range(2)]

    forms = [withdraw_form(page, invited) for page in pages]
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', f)[1] for f in forms]
    assert tokens[0] != tokens[1] and all(len(token) == 64 for token in tokens)
    assert all(page_cache.CSRF_PLACEHOLDER not in page for page in pages)
    withdraw = reverse("audits:validation_withdraw", args=[invited.pk])
    response = client.post(withdraw, {"csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302  # not 403: the token is this session's


def withdraw_form(page: str, validation) -> str:
    action = reverse("audits:validation_withdraw", args=[validation.pk])
    return page.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]


def test_the_placeholder_stands_for_every_token_and_nothing_else():
    field = '<input type="hidden" name="csrfmiddlewaretoken" value="abc123">'
    page = f"<p>&lt;csrf-token&gt;</p>{field}<form>{field}</form>"

    cached = page_cache.without_csrf_token(page)

    assert cached.count(page_cache.CSRF_PLACEHOLDER) == 2
    assert "abc123" not in cached
    assert "<p>&lt;csrf-token&gt;</p>" in cached


def test_a_draft_report_is_built_every_time(report_cache, client_for, leader, school):
    draft = make_audit(school, stages=2, submitted=False)
    client = client_for(leader)
    client.get(report_url(draft))

    with CaptureQueriesContext(connection) as captured:
        client.get(report_url(draft))

    assert len(captured) > CACHED_REPORT_QUERIES + 3


@pytest.mark.django_db(transaction=True)
def test_a_leader_who_loses_the_school_gets_a_404_on_the_next_load(
    settings, on_postgres, client_for, leader, school
):
    if not on_postgres:
        pytest.skip("PostgreSQL only: SQLite's data version does not see every table")
    settings.REPORT_CACHE_SECONDS = 600
    audit = make_audit(school, stages=2)
    client = client_for(leader)
    assert client.get(report_url(audit)).status_code == 200  # built and cached

    school.leaders.remove(leader)  # committed: the data version moves

    assert client.get(report_url(audit)).status_code == 404


def test_off_on_sqlite(settings, on_postgres, client_for, school):
    if on_postgres:
        pytest.skip("SQLite only")
    settings.REPORT_CACHE_SECONDS = 600
    leader = UserFactory(username="sqlite_leader")
    school.leaders.add(leader)
    audit = make_audit(school, stages=2)
    client = client_for(leader)
    client.get(report_url(audit))

    with CaptureQueriesContext(connection) as captured:
        client.get(report_url(audit))

    assert len(captured) > CACHED_REPORT_QUERIES + 3
