"""Peer validation on the report, on the hub heatmap's list and on the home page's
(`audits.selectors.validations`), who is eligible (`audits.selectors.peers`), who may
open which page, and the pages' pinned query counts."""

# The fixtures of tests/audits/test_validation.py, imported: a test's parameter names them.
# ruff: noqa: F811

import datetime
import itertools

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from audits import rules
from audits.instrument import CATEGORIES
from audits.models import Audit, EvidenceFile, Rating, Validation, ValidationRating
from audits.models.audits import peers_of_school_q
from audits.selectors.peers import eligible_peers
from audits.selectors.validations import (
    open_validations_for,
    peer_validated_audit_ids,
    report_validations,
)
from audits.services import validation_invite, validation_withdraw
from tests.audits.evidence_samples import PDF
from tests.audits.test_validation import (  # noqa: F401
    LAMPTON,
    accepted,
    answer_all,
    audit,
    complete,
    invited,
    member_leader,
    peer,
    peer_school,
)
from tests.factories import UserFactory, make_audit

pytestmark = pytest.mark.django_db


def _report(audit):
    return reverse("audits:audit_report", args=[audit.pk])


def completed_validation(audit, peer_stages, *, days_ago=0, superseded=False, status="completed"):
    """A validation of the audit by a new person, as if completed `days_ago` days ago."""
    when = timezone.now() - datetime.timedelta(days=days_ago)
    validation = Validation.objects.create(
        audit=audit,
        validator=UserFactory(),
        invited_by=UserFactory(),
        status=status,
        answered_at=when,
        completed_at=when if status == "completed" else None,
        superseded_at=when if superseded else None,
        audit_version=audit.version,
    )
    own = audit.stages
    ValidationRating.objects.bulk_create(
        ValidationRating(
            validation=validation,
            category=c.number,
            school_stage=own.get(c.number),
            stage=stage,
            comment="" if stage == own.get(c.number) else f"Comment on {c.number}",
        )
        for c, stage in zip(CATEGORIES, peer_stages, strict=True)
    )
    return validation


DIFFERS_IN_4 = [3, 4, 4, 3, 4, 4, 1, 4, 4]


# -- the report ----------------------------------------------------------------------------


def test_the_report_shows_the_two_ratings_side_by_side(client_for, leader, audit):
    completed_validation(audit, DIFFERS_IN_4)
    page = client_for(leader).get(_report(audit)).content.decode()
    section = page.split('id="validations"')[1].split("</section>")[0]
    assert "Not peer validated yet" in section
    assert section.count("Agrees") == 8 and section.count("Differs") == 1
    assert (
        "4. Leadership × Relevant research: the school gives Initiation, the peer Engagement"
        in section
    )
    assert "Comment on 4" in section and "Comment on 1" not in section


def test_an_audit_is_peer_validated_by_a_validation_agreeing_on_all_nine(client_for, leader, audit):
    completed_validation(audit, LAMPTON)
    page = client_for(leader).get(_report(audit)).content.decode()
    assert "Peer validated" in page and "Not peer validated yet" not in page
    assert "The peer agrees on all nine categories." in page


def test_several_validations_are_each_shown(client_for, leader, coordinator, audit):
    first = completed_validation(audit, LAMPTON, days_ago=3)
    second = completed_validation(audit, DIFFERS_IN_4)
    superseded = completed_validation(audit, LAMPTON, days_ago=9, superseded=True)
    for person in (leader, coordinator):
        page = client_for(person).get(_report(audit)).content.decode()
        for validation in (first, second, superseded):
            assert f'id="validation-{validation.pk}-heading"' in page
        assert page.count("Superseded: the audit was reopened after it.") == 1
        assert "Not peer validated yet" in page  # the latest differs in one category


@pytest.mark.parametrize(
    ("validations", "validated"),
    [
        ([], False),
        ([(LAMPTON, 0, False, "completed")], True),
        ([(LAMPTON, 0, False, "accepted")], False),
        ([(LAMPTON, 5, False, "completed"), (DIFFERS_IN_4, 1, False, "completed")], False),
        ([(DIFFERS_IN_4, 5, False, "completed"), (LAMPTON, 1, False, "completed")], True),
        ([(DIFFERS_IN_4, 5, False, "completed"), (LAMPTON, 1, True, "completed")], False),
        ([(LAMPTON, 5, False, "completed"), (DIFFERS_IN_4, 1, True, "completed")], True),
        ([([*LAMPTON[:8], None], 0, False, "completed")], False),
    ],
)
def test_peer_validated_only_by_the_latest_completed_not_superseded(
    audit, leader, validations, validated
):
    for stages, days_ago, superseded, status in validations:
        completed_validation(audit, stages, days_ago=days_ago, superseded=superseded, status=status)
    assert report_validations(audit, leader)["peer_validated"] is validated
    assert (audit.pk in peer_validated_audit_ids([audit.pk])) is validated


def test_the_database_and_the_rules_agree_on_peer_validated(school, hub, leader):
    """Every pair of one category's school stage and peer stage, in an audit otherwise
    agreed: the query says what `rules.is_peer_validated` says."""
    audits = []
    for index, (own, peer_stage) in enumerate(itertools.product([1, 2, 3, 4], [None, 1, 2, 3, 4])):
        audit = make_audit(
            school, stages=[own] + [4] * 8, period=f"{2000 + index}/{(index + 1) % 100:02d}"
        )
        completed_validation(audit, [peer_stage] + [4] * 8)
        audits.append(audit)
    in_sql = peer_validated_audit_ids([a.pk for a in audits])
    for audit in audits:
        latest = audit.validations.get()
        expected = rules.is_peer_validated(audit.stages, latest.peer_stages)
        assert (audit.pk in in_sql) is expected
    assert len(in_sql) == 4


def test_peer_validated_audit_ids_is_one_query(django_assert_num_queries, audit, school):
    other = make_audit(school, stages=4, period="2024/25")
    completed_validation(audit, LAMPTON)
    completed_validation(other, [4] * 9)
    with django_assert_num_queries(1):
        assert peer_validated_audit_ids([audit.pk, other.pk]) == {audit.pk, other.pk}


def test_the_invited_peer_sees_only_their_own_validation(client_for, peer, invited, audit):
    others = completed_validation(audit, DIFFERS_IN_4)
    page = client_for(peer).get(_report(audit)).content.decode()
    assert f'id="validation-{invited.pk}-heading"' in page
    assert f'id="validation-{others.pk}-heading"' not in page
    assert "Comment on 4" not in page and "peer validated" not in page.lower()
    assert "Go on with your validation" in page
    assert reverse("audits:validation_tasks", args=[invited.pk]) in page


def test_the_leader_is_asked_to_invite_and_may_withdraw(client_for, leader, invited, audit):
    page = client_for(leader).get(_report(audit)).content.decode()
    assert "Ask a peer to validate this audit" in page
    assert reverse("audits:validation_withdraw", args=[invited.pk]) in page
    assert "Go on with your validation" not in page
    validation_withdraw(validation=invited, by=leader)
    page = client_for(leader).get(_report(audit)).content.decode()
    assert reverse("audits:validation_withdraw", args=[invited.pk]) not in page


def test_the_coordinator_neither_invites_nor_withdraws(client_for, coordinator, invited, audit):
    page = client_for(coordinator).get(_report(audit)).content.decode()
    assert "Validation by Ann Smith" in page
    assert "Ask a peer to validate this audit" not in page and "Withdraw the invitation" not in page


# -- the home page's and the invitation form's lists ------------------------------------------


def test_open_validations_for_lists_invitations_and_those_under_way(
    django_assert_num_queries, audit, leader, peer, invited, school
):
    done = make_audit(school, stages=LAMPTON, period="2024/25")
    finished = validation_invite(audit=done, validator=peer, by=leader)
    Validation.objects.filter(pk=finished.pk).update(status="completed")
    with django_assert_num_queries(1):
        found = open_validations_for(peer)
        assert [(v.pk, v.audit.school.name, v.answered) for v in found] == [
            (invited.pk, "Lampton School", 0)
        ]
    assert open_validations_for(leader) == []


def test_eligible_peers_say_who_they_are_and_agree_with_the_peer_filter(
    django_assert_num_queries,
    audit,
    peer,
    member_leader,
    coordinator,
    outsider,
    leader,
    other_coordinator,
):
    with django_assert_num_queries(2):
        peers = eligible_peers(audit)
    assert [p.label for p in peers] == [
        "Ann Smith, leader of Brentside School",
        "Bob Jones, leader of Cranford School",
        "coordinator_a, coordinator of London West",
    ]
    for person in (peer, member_leader, coordinator, outsider, other_coordinator):
        is_peer = (
            Audit.objects.filter(pk=audit.pk)
            .filter(peers_of_school_q(person, "school_id"))
            .exists()
        )
        assert is_peer is (person in [p.user for p in peers])


# -- who may open what -----------------------------------------------------------------------


VALIDATOR_PAGES = ("validation_tasks", "validation_check")


def _validator_urls(validation):
    return [reverse(f"audits:{name}", args=[validation.pk]) for name in VALIDATOR_PAGES] + [
        reverse("audits:validation_category", args=[validation.pk, 5])
    ]


@pytest.mark.parametrize(
    "who", ["leader", "member_leader", "coordinator", "outsider", "other_coordinator", "anonymous"]
)
def test_nobody_but_the_invited_peer_opens_the_validation(request, client_for, accepted, who):
    person = None if who == "anonymous" else request.getfixturevalue(who)
    client = client_for(person)
    for url in _validator_urls(accepted):
        response = client.get(url)
        if person is None:
            assert response.status_code == 302 and response.url.startswith("/accounts/login/")
        else:
            assert response.status_code == 404, url
    answer_url = reverse("audits:validation_answer", args=[accepted.pk])
    refused = client.post(answer_url, {"decline": "1"})
    assert refused.status_code == (302 if person is None else 404)
    assert Validation.objects.get().status == "accepted"


def test_the_invited_peer_opens_every_page_of_it(client_for, peer, accepted):
    client = client_for(peer)
    for url in _validator_urls(accepted):
        assert client.get(url).status_code == 200, url
    assert client.get(_report(accepted.audit)).status_code == 200


def test_an_invited_coordinator_opens_it_too(client_for, audit, leader, coordinator):
    validation = validation_invite(audit=audit, validator=coordinator, by=leader)
    response = client_for(coordinator).get(reverse("audits:validation_tasks", args=[validation.pk]))
    assert response.status_code == 200 and 'name="accept"' in response.content.decode()


@pytest.mark.parametrize(
    "who", ["member_leader", "outsider", "other_coordinator", "peer", "anonymous"]
)
def test_only_the_schools_leader_withdraws(request, client_for, accepted, who):
    client = client_for(None if who == "anonymous" else request.getfixturevalue(who))
    response = client.post(reverse("audits:validation_withdraw", args=[accepted.pk]))
    assert response.status_code == (302 if who == "anonymous" else 404)
    assert Validation.objects.get().status == "accepted"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("leader", 200),
        ("coordinator", 200),
        ("peer", 200),
        ("member_leader", 404),
        ("outsider", 404),
    ],
)
def test_who_reads_the_report_of_an_audit_under_validation(
    request, client_for, accepted, who, status
):
    person = request.getfixturevalue(who)
    assert client_for(person).get(_report(accepted.audit)).status_code == status


def test_a_peer_whose_school_leaves_the_hub_loses_everything(
    client_for, peer, peer_school, accepted, audit
):
    rating = Rating.objects.get(audit=audit, category=1)
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.DRAFT)
    file = EvidenceFile(
        rating=rating, name="Minutes.pdf", content_type="application/pdf", size=len(PDF)
    )
    file.file.save("Minutes.pdf", ContentFile(PDF), save=False)
    file.save()
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.SUBMITTED)
    evidence_url = reverse("audits:evidence_file", args=[audit.pk, file.pk])
    client = client_for(peer)
    assert client.get(evidence_url).status_code == 200

    peer_school.memberships.update(left_on=timezone.localdate() - datetime.timedelta(days=1))
    for url in [*_validator_urls(accepted), _report(audit), evidence_url]:
        assert client.get(url).status_code == 404, url
    assert open_validations_for(peer) == []


def test_a_coordinator_who_stops_coordinating_loses_it(client_for, audit, leader, coordinator, hub):
    validation = validation_invite(audit=audit, validator=coordinator, by=leader)
    hub.coordinators.remove(coordinator)
    client = client_for(coordinator)
    assert client.get(reverse("audits:validation_tasks", args=[validation.pk])).status_code == 404
    assert client.get(_report(audit)).status_code == 404


# -- query counts ------------------------------------------------------------------------------


def test_task_list_query_count(client_for, peer, accepted, django_assert_num_queries):
    client = client_for(peer)
    # session, user, validation (with its audit and school), its ratings
    with django_assert_num_queries(4):
        assert client.get(reverse("audits:validation_tasks", args=[accepted.pk])).status_code == 200


def test_category_page_query_count(client_for, peer, accepted, django_assert_num_queries):
    client = client_for(peer)
    # session, user, validation, its ratings, the school's rating, files, links
    with django_assert_num_queries(7):
        response = client.get(reverse("audits:validation_category", args=[accepted.pk, 3]))
        assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_report_queries_do_not_grow_with_validations(
    client_for, leader, audit, count, django_assert_num_queries
):
    for index in range(count):
        completed_validation(audit, LAMPTON if index % 2 else DIFFERS_IN_4, days_ago=index)
    client = client_for(leader)
    client.get(_report(audit))  # warm whatever is cached per process
    with django_assert_num_queries(REPORT_QUERIES):
        page = client.get(_report(audit)).content.decode()
    assert page.count('class="validation mb-4"') == count


# The whole report page for its school's leader (the validations' part: the validations
# and their ratings; whether they lead the school or coordinate it is read once for the
# whole report); update it when the report reads more.
REPORT_QUERIES = 14  # 13 before the improvement plan's section


@pytest.mark.parametrize(("who", "queries"), [("leader", 3), ("coordinator", 3), ("peer", 3)])
def test_report_validations_query_count(
    request, audit, invited, who, queries, django_assert_num_queries
):
    for index in range(5):
        completed_validation(audit, LAMPTON, days_ago=index)
    person = request.getfixturevalue(who)
    with django_assert_num_queries(queries):
        shown = report_validations(audit, person)
        assert len(shown["items"]) == (1 if who == "peer" else 6)
