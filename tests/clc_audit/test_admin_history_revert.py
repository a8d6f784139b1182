"""The admin's history pages (django-simple-history) show every earlier version to those
who may view the object, but a revert (a POST to a version's form) saves only for those
who may change the object as it is now, and never for an audit or a rating: a submitted
audit is final and reopening it is the admin's recorded action."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit
from communities.models import School
from tests.factories import SchoolFactory, UserFactory, make_audit


def staff_with(*codenames: str):
    """A staff user (not a superuser) holding only these permissions."""
    user = UserFactory(username=f"staff_{'_'.join(codenames)}", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def history_form_url(obj, record) -> str:
    opts = obj._meta
    name = f"admin:{opts.app_label}_{opts.model_name}_simple_history"
    return reverse(name, args=[obj.pk, record.history_id])


def form_data(response) -> dict:
    """What the version's form holds, as a browser would post it back."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = field.prepare_value(form[name].value())
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif value is not None:
            data[name] = str(value)
    return data


def submitted_after_a_draft(school) -> Audit:
    """A submitted audit whose history holds the draft it was before."""
    audit = make_audit(school, stages=3, submitted=False, period="2025/26")
    audit.status = Audit.Status.SUBMITTED
    audit.submitted_at = timezone.now()
    audit.save()
    return audit


@pytest.mark.parametrize(
    ("codename", "model_name"),
    [("view_school", "school"), ("view_hub", "hub")],
)
def test_view_only_staff_cannot_make_themselves_leader_or_coordinator(
    client_for, hub, codename, model_name
):
    staff = staff_with(codename)
    obj = hub.lead_school if model_name == "school" else hub
    people = "leaders" if model_name == "school" else "coordinators"
    url = history_form_url(obj, obj.history.latest())
    client = client_for(staff)

    page = client.get(url)
    assert page.status_code == 200
    assert page.context["revert_disabled"]
    assert 'name="_save"' not in page.content.decode()

    response = client.post(url, {**form_data(page), people: [staff.pk]})
    assert response.status_code == 403
    assert not getattr(obj, people).filter(pk=staff.pk).exists()


def test_view_only_staff_cannot_turn_a_submitted_audit_into_a_draft(client_for, school):
    audit = submitted_after_a_draft(school)
    draft_version = audit.history.earliest()
    client = client_for(staff_with("view_audit"))
    url = history_form_url(audit, draft_version)
    page = client.get(url)
    assert page.status_code == 200

    response = client.post(url, {**form_data(page), "status": "draft", "period": "2019/20"})
    assert response.status_code == 403
    audit.refresh_from_db()
    assert (audit.status, audit.period) == ("submitted", "2025/26")


def test_view_only_staff_still_sees_the_history(client_for, school):
    client = client_for(staff_with("view_school"))
    response = client.get(reverse("admin:communities_school_history", args=[school.pk]))
    assert response.status_code == 200
    assert "View history" in response.content.decode()


def test_staff_who_may_change_a_school_can_revert_it(client_for, db):
    school = SchoolFactory(name="Old Name")
    school.name = "New Name"
    school.save()
    client = client_for(staff_with("view_school", "change_school"))
    url = history_form_url(school, school.history.earliest())
    page = client.get(url)
    assert not page.context["revert_disabled"]
    assert 'name="_save"' in page.content.decode()

    response = client.post(url, form_data(page))
    assert response.status_code == 302
    assert School.objects.get(pk=school.pk).name == "Old Name"


def test_superuser_cannot_revert_an_audit(client_for, admin_user, school):
    audit = submitted_after_a_draft(school)
    client = client_for(admin_user)
    url = history_form_url(audit, audit.history.earliest())
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["revert_disabled"]
    assert 'name="_save"' not in page.content.decode()

    response = client.post(url, {**form_data(page), "status": "draft", "period": "2019/20"})
    assert response.status_code == 403
    audit.refresh_from_db()
    assert (audit.status, audit.period, audit.history.count()) == ("submitted", "2025/26", 2)


def test_superuser_cannot_revert_a_rating(client_for, admin_user, school):
    audit = make_audit(school, stages=2, submitted=False)
    rating = audit.ratings.get(category=1)
    rating.stage = 4
    rating.save()
    client = client_for(admin_user)
    url = history_form_url(rating, rating.history.earliest())
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["revert_disabled"]

    response = client.post(url, {**form_data(page), "stage": "1"})
    assert response.status_code == 403
    rating.refresh_from_db()
    assert rating.stage == 4
