"""Two people saving the same draft at once, through the real edit view, on PostgreSQL:
no update is ever lost silently. Every conflict is reported to the later person with
their words kept on the page and the other person's words shown. The 200-trial version
against gunicorn is `bench/bench_conflicts.py` (`make bench`)."""

import functools

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
    url = reverse("audits:audit_edit_all", args=[audit.pk])
    totals = run_trials(people, url, TRIALS, saved_evidence(audit))
    print(f"conflict_trials: {totals['conflict_trials']}, lost_updates: {totals['lost_updates']}")
    assert totals["errors"] == 0, totals
    assert totals["lost_updates"] == 0, totals
    assert totals["conflict_trials"] == TRIALS
    # Half the trials change the same box: exactly one save wins, the other is told...
    same_box = TRIALS // 2
    assert totals["conflicts_reported"] == same_box
    # ...and saving the conflict page's form as it is keeps their words.
    assert totals["saved_again_after_conflict"] == same_box
    # The other half change different boxes: both saves stand, nobody is refused.
    assert totals["saves"] == same_box + 2 * (TRIALS - same_box)


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


def _at_once(*calls) -> list:
    """Runs the calls in threads released together; their results, in order."""
    import threading

    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


ROUNDS = 5


def test_a_double_clicked_discard_never_gives_a_500(shared_draft):
    _, people = shared_draft
    school = School.objects.get(name="Two Editors School")
    for round_ in range(ROUNDS):
        draft = audit_start(
            school=school, period=f"20{10 + round_}/{11 + round_}", by=None, copy_forward=False
        )
        path = reverse("audits:audit_discard", args=[draft.pk])
        data = {"version": draft.version}
        answers = _at_once(*(functools.partial(p.post, path, data) for p in people))
        assert sorted(status for status, _ in answers) == [302, 410], answers


def test_a_save_racing_a_discard_never_gives_a_500_and_keeps_the_text(shared_draft):
    _, (saver, discarder) = shared_draft
    school = School.objects.get(name="Two Editors School")
    for round_ in range(ROUNDS):
        draft = audit_start(
            school=school, period=f"20{10 + round_}/{11 + round_}", by=None, copy_forward=False
        )
        _, page = saver.get(reverse("audits:audit_edit_all", args=[draft.pk]))
        typed = form_values(page) | {"evidence_1": f"Typed in round {round_}", "save": "1"}
        save_path = reverse("audits:audit_edit_all", args=[draft.pk])
        discard_path = reverse("audits:audit_discard", args=[draft.pk])
        (save_status, save_page), (discard_status, _) = _at_once(
            functools.partial(saver.post, save_path, typed),
            functools.partial(discarder.post, discard_path, {"version": draft.version}),
        )
        assert save_status in (302, 410) and discard_status in (302, 409), (
            save_status,
            discard_status,
        )
        if save_status == 410:  # the discard won: the page says so, with the text
            assert f"Typed in round {round_}" in save_page
