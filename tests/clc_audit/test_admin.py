"""Django admin: changelists whose query count does not grow with the rows shown, the
list columns judged by audits.rules, and clear errors for what the database refuses."""

import csv
import io

import pytest
from django.urls import reverse

from audits.models import Audit
from communities.models import Hub, Partnership
from tests.factories import (
    HubFactory,
    HubMembershipFactory,
    PartnershipFactory,
    SchoolFactory,
    make_audit,
)


def build_schools(count: int) -> None:
    hub = HubFactory()
    for index in range(count):
        school = SchoolFactory()
        HubMembershipFactory(hub=hub, school=school)
        make_audit(school, stages=4 if index % 2 else 2, period="2024/25")
        make_audit(school, stages=3, period="2025/26", submitted=False)
        PartnershipFactory(school=school)


def build_hubs(count: int) -> None:
    for _ in range(count):
        hub = HubFactory()
        for stages in (4, 1):
            school = SchoolFactory()
            HubMembershipFactory(hub=hub, school=school)
            make_audit(school, stages=stages)


CHANGELISTS = {
    "admin:communities_school_changelist": (build_schools, 10),
    "admin:communities_hub_changelist": (build_hubs, 8),
    "admin:audits_audit_changelist": (build_schools, 8),
    "admin:communities_partnership_changelist": (build_schools, 6),  # and their cells
    "admin:communities_partner_changelist": (build_schools, 5),
    "admin:communities_hubmembership_changelist": (build_schools, 6),
    "admin:audits_rating_changelist": (build_schools, 5),
}


@pytest.mark.parametrize("url_name", CHANGELISTS)
@pytest.mark.parametrize("rows", [5, 100])
def test_changelist_query_count_does_not_grow_with_rows(
    url_name, rows, admin_client, django_assert_num_queries
):
    build, queries = CHANGELISTS[url_name]
    build(rows)
    url = reverse(url_name) + "?all="
    with django_assert_num_queries(queries):
        response = admin_client.get(url)
    assert response.status_code == 200


def test_school_changelist_shows_latest_audit_judged_by_rules(admin_client, db):
    virtuous = SchoolFactory(name="Virtuous Academy")
    make_audit(virtuous, stages=2, period="2023/24")
    make_audit(virtuous, stages=4, period="2024/25")
    engaged = SchoolFactory(name="Engaged Primary")
    make_audit(engaged, stages=[4, 4, 4, 4, 3, 4, 4, 4, 4], period="2024/25")
    response = admin_client.get(reverse("admin:communities_school_changelist"))
    rows = {school.name: school for school in response.context["cl"].result_list}
    assert rows["Virtuous Academy"].latest_audit.period == "2024/25"
    assert rows["Virtuous Academy"].latest_audit.is_virtuous
    assert not rows["Engaged Primary"].latest_audit.is_virtuous
    assert rows["Engaged Primary"].latest_audit.overall_stage.label == "Engagement"
    assert b"Engagement" in response.content


def test_hub_changelist_counts_current_members_and_virtuous_members(admin_client, db):
    build_hubs(1)
    response = admin_client.get(reverse("admin:communities_hub_changelist"))
    (hub,) = response.context["cl"].result_list
    assert (hub.member_total, hub.virtuous_total) == (2, 1)


def test_school_search_by_urn_and_filter_by_hub(admin_client, db):
    build_schools(3)
    target = SchoolFactory(urn="654321", name="Findable School")
    url = reverse("admin:communities_school_changelist")
    response = admin_client.get(url, {"q": "654321"})
    assert list(response.context["cl"].result_list) == [target]
    hub = Hub.objects.get()
    response = admin_client.get(url, {"hub": hub.pk})
    assert target not in response.context["cl"].result_list
    assert len(response.context["cl"].result_list) == 3


def test_partnership_filters_by_area_and_source(admin_client, db):
    feeds_research = PartnershipFactory(categories=[1])  # teaching and learning × research
    PartnershipFactory(categories=[5])  # leadership × best practice
    url = reverse("admin:communities_partnership_changelist")
    response = admin_client.get(url, {"source": "research"})
    assert list(response.context["cl"].result_list) == [feeds_research]
    response = admin_client.get(url, {"area": "leadership"})
    assert feeds_research not in response.context["cl"].result_list


def test_audit_changelist_export_csv_action(admin_client, db):
    school = SchoolFactory(name="=HYPERLINK(evil)")
    audit = make_audit(school, stages=4)
    response = admin_client.post(
        reverse("admin:audits_audit_changelist"),
        {"action": "export_csv", "_selected_action": [audit.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["School", "URN", "Hub", "Period", "Status"]
    assert rows[1][0] == "'=HYPERLINK(evil)"
    assert rows[1][14:16] == ["Integration", "Yes"]


def test_admin_shows_clear_error_for_audit_with_both_subjects(admin_client, db):
    school, hub = SchoolFactory(), HubFactory()
    response = admin_client.post(
        reverse("admin:audits_audit_add"),
        {
            "school": school.pk,
            "hub": hub.pk,
            "period": "2025/26",
            "audit_date": "2026-01-10",
            "status": "draft",
            "ratings-TOTAL_FORMS": "0",
            "ratings-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "An audit is of a school or of a hub" in response.content.decode()
    assert not Audit.objects.exists()


def test_admin_shows_clear_error_for_duplicate_category_and_bad_stage(admin_client, db):
    school = SchoolFactory()
    data = {
        "school": school.pk,
        "period": "2025/26",
        "audit_date": "2026-01-10",
        "status": "draft",
        "ratings-TOTAL_FORMS": "2",
        "ratings-INITIAL_FORMS": "0",
        "ratings-0-category": "1",
        "ratings-0-stage": "2",
        "ratings-1-category": "1",
        "ratings-1-stage": "7",
    }
    response = admin_client.post(reverse("admin:audits_audit_add"), data)
    assert response.status_code == 200
    assert "7 is not one of the available choices" in response.content.decode()
    data["ratings-1-stage"] = "3"
    response = admin_client.post(reverse("admin:audits_audit_add"), data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for category" in response.content.decode()
    assert not Audit.objects.exists()


def test_admin_shows_clear_error_for_duplicate_urn(admin_client, db):
    SchoolFactory(urn="111111")
    response = admin_client.post(
        reverse("admin:communities_school_add"),
        {
            "urn": "111111",
            "name": "Copy",
            "status": "open",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "partnerships-TOTAL_FORMS": "0",
            "partnerships-INITIAL_FORMS": "0",
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "School with this URN already exists" in response.content.decode()


def test_submitted_audit_is_read_only_in_admin_and_reopen_is_recorded(admin_client, db):
    audit = make_audit(SchoolFactory(), stages=3)
    change_url = reverse("admin:audits_audit_change", args=[audit.pk])
    page = admin_client.get(change_url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    admin_client.post(change_url, {"period": "1999/00", "status": "draft"})
    audit.refresh_from_db()
    assert (audit.period, audit.status) == ("2025/26", "submitted")

    admin_client.post(
        reverse("admin:audits_audit_changelist"),
        {
            "action": "reopen",
            "_selected_action": [audit.pk],
            "reason": "Attached to the wrong school.",
        },
    )
    audit.refresh_from_db()
    assert audit.status == Audit.Status.DRAFT
    latest = audit.history.first()
    assert latest.history_change_reason == "Reopened by admin_root: Attached to the wrong school."
    assert latest.history_user.username == "admin_root"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_partnership_needs_exactly_one_subject_in_admin(admin_client, db):
    partnership = PartnershipFactory()
    response = admin_client.post(
        reverse("admin:communities_partnership_add"),
        {
            "partner": partnership.partner.pk,
            "activity": "Orphan",
            "learning_phase": "information",
        },
    )
    assert response.status_code == 200
    assert "belongs to a school or to a hub" in response.content.decode()
    assert Partnership.objects.count() == 1
