"""Giving someone a role in the admin (leading a school, coordinating a hub) is its own
permission, is kept in history, and nobody gives themselves one. Only a superuser
changes what gives access in the user admin, and never their own."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from communities.models import Hub, School
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def staff_with(*codenames: str, username: str = "staff"):
    user = UserFactory(username=username, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def school_form(client, school) -> dict:
    page = client.get(reverse("admin:communities_school_change", args=[school.pk]))
    form = page.context["adminform"].form
    data = {b.html_name: b.value() for b in form if b.value() not in (None, False)}
    data["leaders"] = [u.pk for u in school.leaders.all()]
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {b.html_name: b.value() for b in management}
    return data


def hub_form(client, hub) -> dict:
    page = client.get(reverse("admin:communities_hub_change", args=[hub.pk]))
    form = page.context["adminform"].form
    data = {b.html_name: b.value() for b in form if b.value() not in (None, False)}
    data["coordinators"] = [u.pk for u in hub.coordinators.all()]
    for inline in page.context["inline_admin_formsets"]:
        data |= {b.html_name: b.value() for b in inline.formset.management_form}
    return data


def test_editing_a_school_is_not_enough_to_give_its_roles(client_for, school):
    staff = staff_with("view_school", "change_school")
    client = client_for(staff)
    data = school_form(client, school) | {"leaders": [staff.pk], "name": "Renamed School"}

    response = client.post(reverse("admin:communities_school_change", args=[school.pk]), data)

    assert response.status_code == 302
    school.refresh_from_db()
    assert school.name == "Renamed School"  # the edit itself is allowed
    assert not school.leaders.filter(pk=staff.pk).exists()


def test_editing_a_hub_is_not_enough_to_give_its_roles(client_for, hub):
    staff = staff_with("view_hub", "change_hub")
    client = client_for(staff)
    data = hub_form(client, hub) | {"coordinators": [staff.pk]}

    client.post(reverse("admin:communities_hub_change", args=[hub.pk]), data)

    assert not hub.coordinators.filter(pk=staff.pk).exists()


def test_with_the_permission_roles_are_given_and_kept_in_history(client_for, school):
    staff = staff_with("view_school", "change_school", "change_school_leaders")
    head = UserFactory(username="new_head")
    client = client_for(staff)
    data = school_form(client, school) | {"leaders": [head.pk]}

    response = client.post(reverse("admin:communities_school_change", args=[school.pk]), data)

    assert response.status_code == 302
    assert list(school.leaders.all()) == [head]
    record = school.history.order_by("-history_id").first()
    assert record.history_user == staff
    assert [m.user_id for m in record.leaders.all()] == [head.pk]


@pytest.mark.parametrize("superuser", [False, True])
def test_nobody_gives_themselves_a_role(client_for, school, hub, superuser):
    staff = staff_with(
        "view_school",
        "change_school",
        "change_school_leaders",
        "view_hub",
        "change_hub",
        "change_hub_coordinators",
    )
    staff.is_superuser = superuser
    staff.save()
    client = client_for(staff)

    to_school = client.post(
        reverse("admin:communities_school_change", args=[school.pk]),
        school_form(client, school) | {"leaders": [staff.pk]},
    )
    to_hub = client.post(
        reverse("admin:communities_hub_change", args=[hub.pk]),
        hub_form(client, hub) | {"coordinators": [staff.pk]},
    )

    for response in (to_school, to_hub):
        assert response.status_code == 200
        assert "You cannot give yourself a role" in response.content.decode()
    assert not School.objects.filter(leaders=staff).exists()
    assert not Hub.objects.filter(coordinators=staff).exists()


def test_only_a_superuser_changes_what_gives_access_and_never_their_own(
    client_for, admin_user, leader
):
    staff = staff_with("view_user", "change_user")
    client = client_for(staff)
    own = client.get(reverse("admin:auth_user_change", args=[staff.pk]))
    other = client.get(reverse("admin:auth_user_change", args=[leader.pk]))
    for page in (own, other):
        fields = page.context["adminform"].form.fields
        assert "is_superuser" not in fields and "user_permissions" not in fields
    by_admin = client_for(admin_user).get(reverse("admin:auth_user_change", args=[leader.pk]))
    assert "is_superuser" in by_admin.context["adminform"].form.fields
    own_admin = client_for(admin_user).get(reverse("admin:auth_user_change", args=[admin_user.pk]))
    assert "is_superuser" not in own_admin.context["adminform"].form.fields
