"""The admin's "reopen" action returns a submitted audit to draft: only for those who may
change audits, and it says what it did with each selected audit."""

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


def reopen(client, *audits):
    return client.post(
        reverse(CHANGELIST),
        {"action": "reopen", "_selected_action": [audit.pk for audit in audits]},
    )


def test_staff_who_may_only_view_audits_cannot_reopen(client_for, school):
    audit = make_audit(school, stages=3)
    client = client_for(staff_with("view_audit"))
    page = client.get(reverse(CHANGELIST))
    assert "reopen" not in dict(page.context["action_form"].fields["action"].choices)

    reopen(client, audit)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED
    assert audit.history.count() == 1


def test_staff_who_may_change_audits_can_reopen(client_for, school):
    audit = make_audit(school, stages=3)
    reopen(client_for(staff_with("view_audit", "change_audit")), audit)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.DRAFT


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
