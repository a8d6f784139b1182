"""An admin editing a draft in Django admin and a leader editing it on the site never
overwrite each other: each write goes through the same version check (audits.services),
and whoever would overwrite what the other changed is told who changed it and when.
Submitting is not offered in the admin: a posted status is ignored."""

import pytest
from django.urls import reverse

from audits.models import Audit
from tests.factories import make_audit

pytestmark = pytest.mark.django_db


def edit_url(audit) -> str:
    return reverse("audits:audit_edit_all", args=[audit.pk])


def admin_url(audit) -> str:
    return reverse("admin:audits_audit_change", args=[audit.pk])


def form_data(form) -> dict:
    """What a browser posts for a bound-looking form rendered from its initial data."""
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        data[bound.html_name] = "on" if value is True else value
    return data


def admin_page_data(response) -> dict:
    """The whole admin change form as the page holds it: the audit and its ratings."""
    data = form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= form_data(formset.management_form)
        for form in formset.forms:
            data |= form_data(form)
    return data


def leader_page_data(response) -> dict:
    data = form_data(response.context["form"])
    return data | {"save": "1"}


def rating_prefix(data: dict, category: int) -> str:
    """The admin inline form prefix ("ratings-3") of a category."""
    key = next(k for k, v in data.items() if k.endswith("-category") and str(v) == str(category))
    return key.removesuffix("-category")


@pytest.fixture
def draft(school):
    return make_audit(school, stages=[2] * 9, period="2026/27", submitted=False, evidence="old")


def test_an_admins_edit_survives_the_leaders_later_save(admin_client, client_for, leader, draft):
    leader_page = leader_page_data(client_for(leader).get(edit_url(draft)))
    admin_page = admin_page_data(admin_client.get(admin_url(draft)))
    prefix = rating_prefix(admin_page, 1)
    admin_page[f"{prefix}-evidence"] = "Corrected by the admin"
    assert admin_client.post(admin_url(draft), admin_page).status_code == 302
    assert Audit.objects.get(pk=draft.pk).version > draft.version  # the admin's save counts

    leader_page["stage_5"] = "4"  # the leader changed another category only
    response = client_for(leader).post(edit_url(draft), leader_page)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.ratings.get(category=1).evidence == "Corrected by the admin"
    assert draft.ratings.get(category=5).stage == 4


def test_the_leaders_edit_survives_the_admins_later_save(admin_client, client_for, leader, draft):
    admin_page = admin_page_data(admin_client.get(admin_url(draft)))
    leader_page = leader_page_data(client_for(leader).get(edit_url(draft)))
    leader_page["stage_3"], leader_page["evidence_3"] = "4", "Typed by the leader"
    assert client_for(leader).post(edit_url(draft), leader_page).status_code == 302

    admin_page["reflection_coherence"] = "Added by the admin"
    response = admin_client.post(admin_url(draft), admin_page)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.ratings.get(category=3).stage, draft.reflection_coherence) == (
        4,
        "Added by the admin",
    )
    assert draft.ratings.get(category=3).evidence == "Typed by the leader"


def test_an_admin_changing_what_the_leader_changed_is_refused_and_told_who(
    admin_client, client_for, leader, draft
):
    leader.first_name, leader.last_name = "Sue", "John"
    leader.save()
    admin_page = admin_page_data(admin_client.get(admin_url(draft)))
    leader_page = leader_page_data(client_for(leader).get(edit_url(draft)))
    leader_page["evidence_3"] = "Typed by the leader"
    assert client_for(leader).post(edit_url(draft), leader_page).status_code == 302

    prefix = rating_prefix(admin_page, 3)
    admin_page[f"{prefix}-evidence"] = "Typed by the admin"
    response = admin_client.post(admin_url(draft), admin_page)

    assert response.status_code == 200  # the form again, with the error
    page = response.content.decode()
    assert "Sue John changed Teaching and learning × Emerging effective innovation" in page
    assert "nothing was saved" in page
    assert draft.ratings.get(category=3).evidence == "Typed by the leader"


def test_the_leader_changing_what_the_admin_changed_gets_the_conflict_page(
    admin_client, client_for, leader, draft
):
    leader_page = leader_page_data(client_for(leader).get(edit_url(draft)))
    admin_page = admin_page_data(admin_client.get(admin_url(draft)))
    admin_page[f"{rating_prefix(admin_page, 1)}-evidence"] = "By the admin"
    admin_client.post(admin_url(draft), admin_page)

    leader_page["evidence_1"] = "By the leader"
    response = client_for(leader).post(edit_url(draft), leader_page)

    assert response.status_code == 409
    page = response.content.decode()
    assert "By the admin" in page and "By the leader" in page
    assert draft.ratings.get(category=1).evidence == "By the admin"


@pytest.mark.parametrize("view", ["change", "add"])
def test_a_status_posted_in_the_admin_is_ignored_never_a_500(admin_client, school, draft, view):
    if view == "change":
        data = admin_page_data(admin_client.get(admin_url(draft)))
        url = admin_url(draft)
    else:
        url = reverse("admin:audits_audit_add")
        data = admin_page_data(admin_client.get(url)) | {
            "school": school.pk,
            "period": "2025/26",
            "audit_date": "2026-03-01",
        }
    data["status"] = "submitted"

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert not Audit.objects.filter(status=Audit.Status.SUBMITTED).exists()
