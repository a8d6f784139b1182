"""Forms accept only their own fields: posting another school's id, a hub, a status, a
submitted_by, a version of someone else's choosing or a period does nothing."""

from django.urls import reverse

from audits.instrument import CATEGORIES, REFLECTION_QUESTIONS
from audits.models import Audit
from tests.factories import make_audit

SMUGGLED = {
    "status": "submitted",
    "submitted_at": "2020-01-01T00:00:00Z",
    "created_by": "",
    "updated_by": "",
    "period": "1999/00",
    "audit_date": "1999-01-01",
    "pk": "1",
    "id": "1",
    "audit": "1",
    "copy_forward": "on",
}


def edit_data(audit, /, **extra) -> dict:
    data = {"version": audit.version, "save": "Save draft"}
    for category in CATEGORIES:
        data[f"stage_{category.number}"] = "3"
        data[f"evidence_{category.number}"] = "Our own words."
    for question in REFLECTION_QUESTIONS:
        data[question.field] = "Reflected."
    return data | extra


def test_audit_form_ignores_smuggled_fields(
    client_for, leader, school, other_school, other_hub, admin_user
):
    draft = make_audit(school, stages=[None] * 9, submitted=False)
    before = Audit.objects.values().get(pk=draft.pk)
    smuggled = SMUGGLED | {
        "school": other_school.pk,
        "school_id": other_school.pk,
        "hub": other_hub.pk,
        "submitted_by": admin_user.pk,
        "created_by": admin_user.pk,
    }
    response = client_for(leader).post(
        reverse("audits:audit_edit_all", args=[draft.pk]), edit_data(draft, **smuggled)
    )
    assert response.status_code == 302
    after = Audit.objects.values().get(pk=draft.pk)
    for name in ("school_id", "hub_id", "status", "period", "audit_date", "created_by_id"):
        assert after[name] == before[name], name
    assert after["submitted_by_id"] is None
    assert after["submitted_at"] is None
    assert after["updated_by_id"] == leader.pk
    assert after["version"] == before["version"] + 1
    assert draft.ratings.get(category=1).evidence == "Our own words."


def test_audit_form_ignores_ratings_of_categories_outside_the_nine(client_for, leader, school):
    draft = make_audit(school, stages=[None] * 9, submitted=False)
    extra = {"stage_0": "4", "stage_10": "4", "evidence_10": "x", "stage_1": "9"}
    response = client_for(leader).post(
        reverse("audits:audit_edit_all", args=[draft.pk]), edit_data(draft, **extra)
    )
    # stage_1 = 9 is not one of the four stages: refused with a field error.
    assert response.status_code == 200
    assert "stage" in response.content.decode().lower()
    assert sorted(draft.ratings.values_list("category", flat=True)) == list(range(1, 10))
    assert not draft.ratings.exclude(stage=None).exists()


def test_starting_an_audit_cannot_name_another_school(client_for, leader, school, other_school):
    response = client_for(leader).post(
        reverse("audits:audit_start", args=[school.pk]),
        {**SMUGGLED, "period": "2026/27", "school": other_school.pk, "hub": ""},
    )
    assert response.status_code == 302
    audit = Audit.objects.get(period="2026/27")
    assert audit.school == school
    assert audit.hub is None
    assert audit.status == Audit.Status.DRAFT
    assert audit.submitted_by is None
    assert not other_school.audits.exists()


def test_starting_a_hub_audit_cannot_name_another_hub(
    client_for, coordinator, hub, other_hub, other_school
):
    response = client_for(coordinator).post(
        reverse("audits:hub_audit_start", args=[hub.slug]),
        {**SMUGGLED, "period": "2026/27", "hub": other_hub.pk, "school": other_school.pk},
    )
    assert response.status_code == 302
    audit = Audit.objects.get(period="2026/27")
    assert (audit.hub, audit.school, audit.status) == (hub, None, Audit.Status.DRAFT)
    assert not other_hub.audits.exists()


def test_a_leader_cannot_submit_by_posting_a_status(client_for, leader, school):
    draft = make_audit(school, stages=[None] * 9, submitted=False)
    client_for(leader).post(
        reverse("audits:audit_edit_all", args=[draft.pk]),
        edit_data(draft, status="submitted", submitted="1"),
    )
    draft.refresh_from_db()
    assert draft.status == Audit.Status.DRAFT
