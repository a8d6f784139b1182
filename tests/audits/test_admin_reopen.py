"""The admin's "reopen" action returns a submitted audit to draft: only for those who hold
its own permission, after asking why (kept in history), and it says what it did with
each selected audit."""

from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from audits.models import Audit
from tests.factories import SchoolFactory, UserFactory, make_audit

CHANGELIST = "admin:audits_audit_changelist"


def staff_with(*codenames: str):
    """A staff user (not a superuser) holding only these permissions."""
    user = UserFactory(username=f"staff_{'_'.join(codenames)}", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def reopen(client, *audits, reason="The wrong school's evidence was attached."):
    data = {"action": "reopen", "_selected_action": [audit.pk for audit in audits]}
    if reason is not None:
        data["reason"] = reason
    return client.post(reverse(CHANGELIST), data)


def test_staff_who_may_only_view_audits_cannot_reopen(client_for, school):
    audit = make_audit(school, stages=3)
    client = client_for(staff_with("view_audit"))
    page = client.get(reverse(CHANGELIST))
    assert "reopen" not in dict(page.context["action_form"].fields["action"].choices)

    reopen(client, audit)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED
    assert audit.history.count() == 1


def test_changing_audits_is_not_enough_to_reopen_one(client_for, school):
    audit = make_audit(school, stages=3)
    reopen(client_for(staff_with("view_audit", "change_audit")), audit)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED


def test_staff_who_may_reopen_audits_can_after_saying_why(client_for, school):
    audit = make_audit(school, stages=3)
    reopen(client_for(staff_with("view_audit", "reopen_audit")), audit)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.DRAFT
    record = audit.history.order_by("-history_id").first()
    assert "The wrong school's evidence was attached." in record.history_change_reason
    assert record.history_user.username == "staff_view_audit_reopen_audit"


def test_reopen_first_asks_why_and_changes_nothing_until_told(client_for, admin_user, school):
    audit = make_audit(school, stages=3)
    client = client_for(admin_user)

    asked = reopen(client, audit, reason=None)
    assert asked.status_code == 200
    assert "Why is it reopened?" in asked.content.decode()
    empty = reopen(client, audit, reason="  ")
    assert empty.status_code == 200 and "Please say why" in empty.content.decode()
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED
    assert audit.history.count() == 1


def test_reopen_says_how_many_were_reopened_and_how_many_left(client_for, admin_user, db):
    submitted = make_audit(SchoolFactory(), stages=3)
    draft = make_audit(SchoolFactory(), stages=3, submitted=False)
    response = reopen(client_for(admin_user), submitted, draft)
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert said == ["Reopened 1 audit. 1 selected audit was already a draft and was left as it is."]
    submitted.refresh_from_db()
    assert submitted.status == Audit.Status.DRAFT


def test_reopen_of_submitted_audits_only_says_how_many(client_for, admin_user, db):
    audits = [make_audit(SchoolFactory(), stages=3) for _ in range(2)]
    response = reopen(client_for(admin_user), *audits)
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert said == ["Reopened 2 audits."]
