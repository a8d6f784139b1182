"""Bad input never gives a server error: huge ids, junk in every field."""

import pytest
from django.urls import reverse

from tests.factories import make_audit

pytestmark = pytest.mark.django_db

HUGE = 10**25


@pytest.mark.parametrize(
    "url",
    [
        f"/audits/{HUGE}/",
        f"/audits/{HUGE}/edit/all/",
        f"/schools/{HUGE}/",
        f"/schools/{HUGE}/audits/new/",
        "/hubs/no-such-hub/audits/new/",
    ],
)
def test_huge_or_unknown_ids_are_404(client_for, leader, url):
    assert client_for(leader).get(url).status_code == 404


def test_junk_in_every_field_is_a_form_error(client_for, leader, school):
    draft = make_audit(school, stages=[None] * 9, period="2026/27", submitted=False)
    junk = {f"stage_{n}": "<script>" for n in range(1, 10)}
    # (A NUL character is refused earlier, with a 400, by the site's middleware.)
    junk.update({"version": str(HUGE), "submit": "1", "evidence_1": "<script>" * 1000})
    response = client_for(leader).post(reverse("audits:audit_edit_all", args=[draft.pk]), junk)
    assert response.status_code in (200, 409)
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_junk_period_and_copy_forward(client_for, leader, school):
    data = {"period": "<b>2026/27</b>" * 10, "copy_forward": "maybe"}
    response = client_for(leader).post(reverse("audits:audit_start", args=[school.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["period"]
