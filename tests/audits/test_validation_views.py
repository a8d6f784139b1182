"""Peer validation, the pages: the leader's invitation form, the peer's task list (accept,
decline), a page per category, the check page that completes, and withdrawing."""

# The fixtures of tests/audits/test_validation.py, imported: a test's parameter names them.
# ruff: noqa: F811

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.html import escape

from audits.instrument import CATEGORY_BY_NUMBER, Stage
from audits.instrument_texts import descriptor
from audits.models import Audit, EvidenceFile, EvidenceLink, Rating, Validation, ValidationRating
from tests.audits.evidence_samples import PDF
from tests.audits.test_validation import (  # noqa: F401 (fixtures)
    LAMPTON,
    accepted,
    answer_all,
    audit,
    invited,
    member_leader,
    peer,
    peer_school,
)
from tests.factories import make_audit

pytestmark = pytest.mark.django_db


def _invite(audit):
    return reverse("audits:validation_invite", args=[audit.pk])


def _tasks(validation):
    return reverse("audits:validation_tasks", args=[validation.pk])


def _category(validation, number, query=""):
    return reverse("audits:validation_category", args=[validation.pk, number]) + query


def _check(validation):
    return reverse("audits:validation_check", args=[validation.pk])


def _report(audit):
    return reverse("audits:audit_report", args=[audit.pk])


def _loaded(client, url) -> dict:
    form = client.get(url).context["form"]
    return {"version": form["version"].value(), "loaded": form["loaded"].value()}


def _save(client, validation, number, stage, comment="", query="", **extra):
    data = _loaded(client, _category(validation, number)) | {"stage": stage, "comment": comment}
    return client.post(_category(validation, number, query), data | extra)


def _rating(validation, number) -> ValidationRating:
    return ValidationRating.objects.get(validation=validation, category=number)


# -- inviting ------------------------------------------------------------------------------


def test_the_invitation_form_lists_who_each_peer_is(
    client_for, leader, audit, peer, member_leader, coordinator
):
    coordinator.first_name, coordinator.last_name = "Esther", "Arnott"
    coordinator.save()
    page = client_for(leader).get(_invite(audit)).content.decode()
    assert "Ann Smith, leader of Brentside School" in page
    assert "Bob Jones, leader of Cranford School" in page
    assert "Esther Arnott, coordinator of London West" in page
    assert "leader_a" not in page.split("<h1>")[1]  # the school's own leader is no peer


def test_a_peer_already_invited_is_not_listed_again(client_for, leader, invited, member_leader):
    page = client_for(leader).get(_invite(invited.audit)).content.decode()
    assert "Ann Smith" not in page and "Bob Jones, leader of Cranford School" in page


def test_inviting_from_the_form(client_for, leader, audit, peer):
    client = client_for(leader)
    response = client.post(_invite(audit), {"validator": peer.pk, "message": "Thank you!"})
    assert response.status_code == 302 and response.url == _report(audit) + "#validations"
    validation = Validation.objects.get()
    assert (validation.validator, validation.invited_by, validation.message) == (
        peer,
        leader,
        "Thank you!",
    )
    report = client.get(response.url).content.decode()
    assert "Ann Smith is invited to validate this audit." in report
    assert "Validation by Ann Smith" in report and "Withdraw the invitation" in report


@pytest.mark.parametrize("who", ["outsider", "other_coordinator", "leader", "nobody", "junk"])
def test_inviting_someone_not_listed_is_a_field_error(request, client_for, leader, audit, who):
    raw = {"nobody": "", "junk": "x'; --"}
    value = raw[who] if who in raw else request.getfixturevalue(who).pk
    response = client_for(leader).post(_invite(audit), {"validator": value})
    assert response.status_code == 200
    assert response.context["form"].errors["validator"]
    assert "There is a problem" in response.content.decode()
    assert not Validation.objects.exists()


def test_only_the_leader_of_a_submitted_school_audit_may_invite(
    client_for, leader, coordinator, peer, audit, school, hub
):
    draft = make_audit(school, stages=LAMPTON, period="2026/27", submitted=False)
    of_hub = make_audit(hub=hub, stages=4)
    assert client_for(leader).get(_invite(draft)).status_code == 404
    assert client_for(coordinator).get(_invite(of_hub)).status_code == 404
    assert client_for(coordinator).get(_invite(audit)).status_code == 404
    assert client_for(peer).post(_invite(audit), {"validator": peer.pk}).status_code == 404
    assert not Validation.objects.exists()


def test_the_form_says_when_there_is_nobody_to_invite(client_for, leader, audit):
    page = client_for(leader).get(_invite(audit)).content.decode()
    assert "There is nobody to invite" in page and "Send the invitation" not in page


# -- the invitation ------------------------------------------------------------------------


def test_the_invited_peer_accepts(client_for, peer, invited, leader):
    client = client_for(peer)
    page = client.get(_tasks(invited)).content.decode()
    assert "asked you on" in page and "Please" in page
    assert 'name="accept"' in page and 'name="decline"' in page
    assert _category(invited, 1) not in page  # no categories before accepting
    response = client.post(reverse("audits:validation_answer", args=[invited.pk]), {"accept": "1"})
    assert response.status_code == 302 and response.url == _tasks(invited)
    page = client.get(_tasks(invited)).content.decode()
    assert "0 of 9 categories completed." in page and _category(invited, 9) in page


def test_the_invited_peer_declines_and_loses_access(client_for, peer, invited):
    client = client_for(peer)
    response = client.post(reverse("audits:validation_answer", args=[invited.pk]), {"decline": "1"})
    assert response.status_code == 302 and response.url == reverse("home")
    assert Validation.objects.get().status == "declined"
    assert client.get(_tasks(invited)).status_code == 404
    assert client.get(_report(invited.audit)).status_code == 404


def test_a_category_before_accepting_goes_back_to_the_invitation(client_for, peer, invited):
    response = client_for(peer).get(_category(invited, 1))
    assert response.status_code == 302 and response.url == _tasks(invited)


# -- a category ------------------------------------------------------------------------------


def test_a_category_page_shows_what_the_school_says(client_for, peer, accepted, audit):
    rating = Rating.objects.get(audit=audit, category=4)
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.DRAFT)  # as if before submitting
    EvidenceLink.objects.create(
        rating=rating, url="https://example.org/plan", title="Leadership plan"
    )
    file = EvidenceFile(
        rating=rating, name="Minutes.pdf", content_type="application/pdf", size=len(PDF)
    )
    file.file.save("Minutes.pdf", ContentFile(PDF), save=False)
    file.save()
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.SUBMITTED)

    client = client_for(peer)
    page = client.get(_category(accepted, 4)).content.decode()
    category = CATEGORY_BY_NUMBER[4]
    assert "Category 4 of 9" in page and "Initiation" in page  # Lampton gives 2 in category 4
    assert escape(descriptor(category, Stage.INITIATION)) in page
    assert "Minutes of the research group" in page
    assert "Leadership plan" in page and "Minutes.pdf" in page
    assert "I agree: Initiation" in page
    for other in ("Isolation", "Engagement", "Integration"):
        assert escape(descriptor(category, Stage[other.upper()])) in page
    evidence_url = reverse("audits:evidence_file", args=[audit.pk, file.pk])
    assert evidence_url in page and client.get(evidence_url).status_code == 200


def test_agreeing_saves_and_goes_to_the_next_category(client_for, peer, accepted):
    response = _save(client_for(peer), accepted, 1, "3")
    assert response.status_code == 302 and response.url == _category(accepted, 2)
    assert _rating(accepted, 1).stage == 3


def test_disagreeing_with_a_comment_saves_it(client_for, peer, accepted):
    response = _save(client_for(peer), accepted, 4, "3", "They run a research group")
    assert response.status_code == 302
    rating = _rating(accepted, 4)
    assert (rating.stage, rating.comment) == (3, "They run a research group")


def test_the_last_category_goes_to_the_check_page(client_for, peer, accepted):
    response = _save(client_for(peer), accepted, 9, "4")
    assert response.url == _check(accepted)
    assert _save(client_for(peer), accepted, 3, "4", query="?return=check").url == _check(accepted)


@pytest.mark.parametrize(("stage", "comment", "field"), [("3", "", "comment"), ("9", "x", "stage")])
def test_a_wrong_answer_is_a_field_error_and_saves_nothing(
    client_for, peer, accepted, stage, comment, field
):
    response = _save(client_for(peer), accepted, 4, stage, comment)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    page = response.content.decode()
    assert "There is a problem" in page and f'href="#id_{field}' in page
    assert _rating(accepted, 4).stage is None and _rating(accepted, 4).version == 1


def test_two_tabs_saving_the_same_category_conflict(client_for, peer, accepted):
    client = client_for(peer)
    tab_a = _loaded(client, _category(accepted, 2))
    tab_b = _loaded(client, _category(accepted, 2))
    assert client.post(_category(accepted, 2), tab_a | {"stage": "4"}).status_code == 302
    response = client.post(_category(accepted, 2), tab_b | {"stage": "3", "comment": "A pilot"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "You saved this category in another tab or window" in page and "A pilot" in page
    assert _rating(accepted, 2).stage == 4  # nothing overwritten
    rebased = response.context["form"]
    again = client.post(
        _category(accepted, 2),
        {
            "version": rebased["version"].value(),
            "loaded": rebased["loaded"].value(),
            "stage": "3",
            "comment": "A pilot",
        },
    )
    assert again.status_code == 302 and _rating(accepted, 2).stage == 3


# -- check and complete --------------------------------------------------------------------


def test_the_check_page_lists_what_is_missing(client_for, peer, accepted):
    _save(client_for(peer), accepted, 1, "3")
    page = client_for(peer).get(_check(accepted)).content.decode()
    assert "8 categories are not answered yet" in page
    assert _category(accepted, 1, "?return=check") in page
    assert "Complete the validation" in page and 'name="confirm"' not in page


def test_completing_from_the_check_page(client_for, peer, accepted):
    answer_all(accepted, peer, stages=[3, 4, 4, 3, 4, 4, 1, 4, 4])
    client = client_for(peer)
    page = client.get(_check(accepted)).content.decode()
    assert "(differs)" in page and "Not what I saw" in page
    form = client.get(_check(accepted)).context["form"]
    refused = client.post(_check(accepted), {"version": form["version"].value()})
    assert refused.status_code == 200 and refused.context["form"].errors["confirm"]
    done = client.post(_check(accepted), {"version": form["version"].value(), "confirm": "on"})
    assert done.status_code == 302 and done.url == _report(accepted.audit) + "#validations"
    assert Validation.objects.get().status == "completed"
    # then read-only: its pages lead to the report
    for url in (_tasks(accepted), _category(accepted, 1), _check(accepted)):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(_report(accepted.audit))
    assert client.post(_category(accepted, 1), {"stage": "1"}).status_code == 302
    assert _rating(accepted, 1).stage == 3


def test_completing_what_changed_in_another_tab_asks_again(client_for, peer, accepted):
    answer_all(accepted, peer)
    client = client_for(peer)
    version = client.get(_check(accepted)).context["form"]["version"].value()
    _save(client, accepted, 1, "4", "On second thoughts")
    response = client.post(_check(accepted), {"version": version, "confirm": "on"})
    assert (
        response.status_code == 409
        and "changed since you opened this page" in response.content.decode()
    )
    assert Validation.objects.get().status == "accepted"


def test_after_the_audit_is_reopened_the_peer_gets_404(
    client_for, peer, accepted, audit, admin_user
):
    from audits.services import audit_reopen

    answer_all(accepted, peer)
    audit_reopen(audit=audit, by=admin_user, reason="Wrong evidence")
    client = client_for(peer)
    for url in (_tasks(accepted), _category(accepted, 1), _check(accepted), _report(audit)):
        assert client.get(url).status_code == 404
    assert client.post(_check(accepted), {"version": "9", "confirm": "on"}).status_code == 404
    assert Validation.objects.get().status == "accepted"


# -- withdrawing ---------------------------------------------------------------------------


def test_the_leader_withdraws_and_the_peer_loses_access(client_for, leader, peer, accepted):
    url = reverse("audits:validation_withdraw", args=[accepted.pk])
    assert client_for(peer).post(url).status_code == 404
    response = client_for(leader).post(url)
    assert response.status_code == 302 and response.url == _report(accepted.audit) + "#validations"
    assert Validation.objects.get().status == "withdrawn"
    peer_client = client_for(peer)
    assert peer_client.get(_tasks(accepted)).status_code == 404
    assert peer_client.get(_report(accepted.audit)).status_code == 404
    assert client_for(leader).post(url).status_code == 404  # withdrawn already
