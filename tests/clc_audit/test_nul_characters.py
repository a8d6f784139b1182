"""A NUL character is never a 500 (PostgreSQL cannot compare one) and never a change: in
a query string or an admin form it is a 400 page; in one of the site's forms it is an
error on that field, with what was typed shown again."""

import pytest
from django.urls import reverse

from audits.models import Audit
from tests.factories import make_audit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/admin/communities/school/?phase=%00",
        "/admin/audits/audit/?period=%00",
        "/admin/communities/school/?q=%00",
        "/admin/autocomplete/?app_label=communities&model_name=hubmembership"
        "&field_name=school&term=%00",
    ],
)
def test_admin_filters_with_a_nul_are_a_400(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 400
    assert b"The request could not be read" in response.content


def test_hub_page_query_with_a_nul_is_a_400(client_for, coordinator, hub):
    url = reverse("audits:hub_detail", args=[hub.slug]) + "?phase=%00"
    assert client_for(coordinator).get(url).status_code == 400


def test_a_nul_in_a_form_field_is_an_error_on_that_field_and_changes_nothing(
    client_for, leader, school
):
    draft = make_audit(school, stages=[2] * 9, period="2026/27", submitted=False)
    before = list(draft.ratings.values_list("category", "stage", "evidence"))
    data = {"version": draft.version, "stage_1": "3", "evidence_1": "bad \x00 text", "save": "1"}
    response = client_for(leader).post(reverse("audits:audit_edit_all", args=[draft.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["evidence_1"] == ["Null characters are not allowed."]
    assert "bad \x00 text" in response.content.decode()  # what was typed, shown again
    draft.refresh_from_db()
    assert list(draft.ratings.values_list("category", "stage", "evidence")) == before
    assert Audit.objects.get(pk=draft.pk).version == draft.version


def test_a_nul_in_the_name_of_a_field_is_a_400(client_for, leader, school):
    draft = make_audit(school, stages=[2] * 9, period="2026/27", submitted=False)
    data = {"version": draft.version, "evidence_1\x00": "text", "save": "1"}
    response = client_for(leader).post(reverse("audits:audit_edit_all", args=[draft.pk]), data)
    assert response.status_code == 400
    assert Audit.objects.get(pk=draft.pk).version == draft.version


def test_a_nul_in_the_login_form_is_an_error_on_the_field(client, db):
    response = client.post(reverse("login"), {"username": "a\x00b", "password": "x"})
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


def test_ordinary_requests_pass(client_for, coordinator, hub):
    url = reverse("audits:hub_detail", args=[hub.slug]) + "?phase=Primary&sort=overall"
    assert client_for(coordinator).get(url).status_code == 200
