"""A NUL character in a query string or form field is a 400, never a 500 (PostgreSQL
cannot compare one) and never a change."""

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
    assert b"NUL" in response.content


def test_hub_page_query_with_a_nul_is_a_400(client_for, coordinator, hub):
    url = reverse("audits:hub_detail", args=[hub.slug]) + "?phase=%00"
    assert client_for(coordinator).get(url).status_code == 400


def test_a_posted_nul_changes_nothing(client_for, leader, school):
    draft = make_audit(school, stages=[2] * 9, period="2026/27", submitted=False)
    before = list(draft.ratings.values_list("category", "stage", "evidence"))
    response = client_for(leader).post(
        reverse("audits:audit_edit", args=[draft.pk]),
        {"version": draft.version, "cat_1-evidence": "bad \x00 text", "save": "1"},
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert list(draft.ratings.values_list("category", "stage", "evidence")) == before
    assert Audit.objects.get(pk=draft.pk).version == draft.version


def test_ordinary_requests_pass(client_for, coordinator, hub):
    url = reverse("audits:hub_detail", args=[hub.slug]) + "?phase=Primary&sort=overall"
    assert client_for(coordinator).get(url).status_code == 200
