"""Two people saving the same draft at once, through the real edit view, on PostgreSQL:
no update is ever lost silently. Every conflict is reported to the later person with
their words kept on the page and the other person's words shown. The 200-trial version
against gunicorn is `bench/bench_conflicts.py` (`make bench`)."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from audits.models import Rating
from audits.services import audit_start
from bench.bench_conflicts import Person, form_values, run_trials
from communities.models import School
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
TRIALS = 10


def client_person(user) -> Person:
    client = Client()
    client.force_login(user)

    def get(path):
        response = client.get(path)
        return response.status_code, response.content.decode()

    def post(path, data):
        response = client.post(path, data)
        return response.status_code, response.content.decode()

    # Each person's requests run in a thread of their own, on a connection of its own.
    return Person(get, post, done=lambda: connection.close())


@pytest.fixture
def shared_draft():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two connections saving at once")
    school = School.objects.create(name="Two Editors School")
    first, second = UserFactory(username="editor_1"), UserFactory(username="editor_2")
    school.leaders.add(first, second)
    audit = audit_start(school=school, period="2025/26", by=first, copy_forward=False)
    return audit, (client_person(first), client_person(second))


def saved_evidence(audit):
    def saved():
        ratings = Rating.objects.filter(audit=audit)
        return {f"evidence_{r.category}": r.evidence for r in ratings}

    return saved


def test_two_people_saving_the_same_draft_never_lose_an_update(shared_draft):
    audit, people = shared_draft
    url = reverse("audits:audit_edit", args=[audit.pk])
    totals = run_trials(people, url, TRIALS, saved_evidence(audit))
    print(f"conflict_trials: {totals['conflict_trials']}, lost_updates: {totals['lost_updates']}")
    assert totals["errors"] == 0, totals
    assert totals["lost_updates"] == 0, totals
    assert totals["conflict_trials"] == TRIALS
    # Both loaded the same version: exactly one save wins, the other is told.
    assert totals["saves"] == TRIALS
    assert totals["conflicts_reported"] == TRIALS
    # ...and saving the conflict page's form as it is keeps their words.
    assert totals["saved_again_after_conflict"] == TRIALS


def test_form_values_reads_what_a_browser_would_post():
    page = """
    <form id="audit-form" method="post">
      <input type="hidden" name="csrfmiddlewaretoken" value="tok">
      <input type="hidden" name="version" value="3">
      <input type="radio" name="stage_1" value="1">
      <input type="radio" name="stage_1" value="2" checked>
      <input type="radio" name="stage_2" value="1">
      <textarea name="evidence_1">
Kept &amp; safe</textarea>
    </form>
    <input type="text" name="q" value="outside">
    """
    assert form_values(page) == {
        "csrfmiddlewaretoken": "tok",
        "version": "3",
        "stage_1": "2",
        "evidence_1": "Kept & safe",
    }
