"""Every change to audits, ratings, memberships and partnerships is kept with who made it
and when (django-simple-history), on the request paths, the admin and the bulk paths,
and the admin shows it."""

import ast
import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from audits.instrument import CATEGORIES, REFLECTION_QUESTIONS
from audits.models import Audit, Rating
from communities.models import HubMembership, Partner, Partnership
from tests.factories import (
    HubMembershipFactory,
    PartnerFactory,
    PartnershipFactory,
    SchoolFactory,
    make_audit,
)

BASE_DIR = Path(__file__).resolve().parents[2]
TRACKED = {"Audit", "Rating", "HubMembership", "Partnership", "Partner", "School", "Hub"}
RELATED_TRACKED = {"audits", "ratings", "memberships", "partnerships"}


def audit_post(audit: Audit, **fields) -> dict:
    data = {"version": audit.version}
    for category in CATEGORIES:
        data[f"stage_{category.number}"] = ""
        data[f"evidence_{category.number}"] = ""
    for question in REFLECTION_QUESTIONS:
        data[question.field] = ""
    data.update(fields)
    return data


def assert_recent(record) -> None:
    assert timezone.now() - record.history_date < datetime.timedelta(minutes=1)


@pytest.fixture
def draft(school):
    return make_audit(school, stages=[None] * 9, submitted=False)


def test_saving_a_draft_records_the_leader_and_the_time(client_for, leader, draft):
    response = client_for(leader).post(
        reverse("audits:audit_edit_all", args=[draft.pk]),
        audit_post(
            draft,
            stage_1="4",
            evidence_1="Research lead in every department.",
            **{"reflection_coherence": "Weekly briefings."},
        ),
    )
    assert response.status_code == 302

    audit_record = draft.history.latest()
    assert audit_record.history_type == "~"
    assert audit_record.history_user == leader
    assert audit_record.reflection_coherence == "Weekly briefings."
    assert_recent(audit_record)

    rating = draft.ratings.get(category=1)
    rating_record = rating.history.latest()
    assert rating_record.history_user == leader
    assert (rating_record.stage, rating_record.evidence) == (
        4,
        "Research lead in every department.",
    )
    assert_recent(rating_record)


def test_each_save_keeps_the_earlier_words(client_for, leader, draft):
    client = client_for(leader)
    url = reverse("audits:audit_edit_all", args=[draft.pk])
    client.post(url, audit_post(draft, stage_2="2", evidence_2="First words."))
    draft.refresh_from_db()
    client.post(url, audit_post(draft, stage_2="3", evidence_2="Second words."))
    rating = draft.ratings.get(category=2)
    kept = list(rating.history.order_by("history_date").values_list("stage", "evidence"))
    assert (2, "First words.") in kept
    assert kept[-1] == (3, "Second words.")


def test_submitting_is_recorded(client_for, leader, draft):
    stages = {f"stage_{c.number}": "4" for c in CATEGORIES}
    client = client_for(leader)
    client.post(reverse("audits:audit_edit_all", args=[draft.pk]), audit_post(draft, **stages))
    draft.refresh_from_db()
    response = client.post(
        reverse("audits:audit_check", args=[draft.pk]),
        {"version": draft.version, "confirm": "on"},
    )
    assert response.status_code == 302
    record = draft.history.latest()
    assert record.status == Audit.Status.SUBMITTED
    assert record.history_user == leader


def test_admin_reopening_is_recorded(client_for, admin_user, school):
    audit = make_audit(school, stages=4)
    response = client_for(admin_user).post(
        reverse("admin:audits_audit_changelist"),
        {
            "action": "reopen",
            "_selected_action": [audit.pk],
            "reason": "Attached to the wrong school.",
        },
    )
    assert response.status_code == 302
    record = audit.history.latest()
    assert record.status == Audit.Status.DRAFT
    assert record.history_user == admin_user
    assert "Reopened" in (record.history_change_reason or "")


def test_admin_changing_a_membership_is_recorded(client_for, admin_user, hub, school):
    membership = HubMembership.objects.get(hub=hub, school=school)
    response = client_for(admin_user).post(
        reverse("admin:communities_hubmembership_change", args=[membership.pk]),
        {
            "hub": hub.pk,
            "school": school.pk,
            "role": "lead",
            "joined_on": "2020-09-01",
            "left_on": "2026-07-31",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = membership.history.latest()
    assert record.left_on == datetime.date(2026, 7, 31)
    assert record.history_type == "~"
    assert record.history_user == admin_user
    assert_recent(record)


def test_admin_adding_a_partnership_is_recorded(client_for, admin_user, school):
    partner = PartnerFactory(name="The Brilliant Club")
    response = client_for(admin_user).post(
        reverse("admin:communities_partnership_add"),
        {
            "school": school.pk,
            "partner": partner.pk,
            "activity": "Scholars programme",
            "description": "",
            "started_on": "2024-09-01",
            "learning_phase": "coaching",
            "cells-TOTAL_FORMS": "1",
            "cells-INITIAL_FORMS": "0",
            "cells-0-category": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    partnership = Partnership.objects.get(activity="Scholars programme")
    record = partnership.history.get()
    assert record.history_type == "+"
    assert record.history_user == admin_user
    [cell] = partnership.cells.all()
    assert cell.category == 1 and cell.history.get().history_user == admin_user


def test_ending_a_partnership_keeps_its_start(admin_user):
    partnership = PartnershipFactory(started_on=datetime.date(2019, 9, 1))
    partnership.ended_on = datetime.date(2025, 8, 31)
    partnership._history_user = admin_user
    partnership.save()
    first, last = partnership.history.order_by("history_date")
    assert (first.started_on, first.ended_on) == (datetime.date(2019, 9, 1), None)
    assert last.ended_on == datetime.date(2025, 8, 31)
    assert last.history_user == admin_user


def test_bulk_paths_record_history(admin_user, hub):
    schools = SchoolFactory.create_batch(3)
    memberships = bulk_create_with_history(
        [
            HubMembership(hub=hub, school=school, joined_on=datetime.date(2020, 9, 1))
            for school in schools
        ],
        HubMembership,
        default_user=admin_user,
    )
    assert HubMembership.history.filter(history_type="+", history_user=admin_user).count() == 3
    created = list(HubMembership.objects.filter(school__in=schools))
    for membership in created:
        membership.left_on = datetime.date(2026, 8, 31)
    bulk_update_with_history(created, HubMembership, ["left_on"], default_user=admin_user)
    updated = HubMembership.history.filter(history_type="~", history_user=admin_user)
    assert updated.count() == len(memberships) == 3
    assert {record.left_on for record in updated} == {datetime.date(2026, 8, 31)}


def _bulk_writes_bypassing_history(path: Path) -> list[str]:
    """Calls like `Rating.objects.bulk_create(...)`, `audit.ratings.update(...)` or
    `Audit.objects.filter(...).update(...)` on a model with history: they write rows
    without history records."""
    found = []
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in {"bulk_create", "bulk_update", "update"}:
            continue
        chain, current = [], node.func.value
        while isinstance(current, ast.Attribute | ast.Call):
            if isinstance(current, ast.Call):
                current = current.func
                continue
            chain.append(current.attr)
            current = current.value
        root = current.id if isinstance(current, ast.Name) else ""
        if (root in TRACKED and "objects" in chain) or RELATED_TRACKED & set(chain):
            found.append(f"{path.relative_to(BASE_DIR)}:{node.lineno} {node.func.attr}")
    return found


def test_no_app_code_writes_tracked_rows_in_bulk_without_history():
    sources = [
        path
        for app in ("audits", "communities", "clc_audit")
        for path in (BASE_DIR / app).rglob("*.py")
        if "migrations" not in path.parts
    ]
    bypasses = [found for path in sources for found in _bulk_writes_bypassing_history(path)]
    assert bypasses == [], (
        f"use simple_history.utils.bulk_create_with_history / bulk_update_with_history: {bypasses}"
    )


def test_admin_shows_the_history_of_an_audit(client_for, admin_user, leader, draft):
    client = client_for(admin_user)
    draft._history_user = leader
    draft.reflection_coherence = "Changed by the leader."
    draft.save()
    response = client.get(reverse("admin:audits_audit_history", args=[draft.pk]))
    assert response.status_code == 200
    assert leader.username in response.content.decode()


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("communities_hubmembership", lambda hub, school: HubMembershipFactory(hub=hub)),
        ("communities_partnership", lambda hub, school: PartnershipFactory(school=school)),
        (
            "communities_partner",
            lambda hub, school: Partner.objects.create(name="X", kind="charity"),
        ),
        ("communities_school", lambda hub, school: school),
        ("communities_hub", lambda hub, school: hub),
    ],
)
def test_admin_history_pages_answer(client_for, admin_user, hub, school, name, make):
    obj = make(hub, school)
    response = client_for(admin_user).get(reverse(f"admin:{name}_history", args=[obj.pk]))
    assert response.status_code == 200


def test_rating_history_is_visible_in_the_admin(client_for, admin_user, leader, draft):
    rating = draft.ratings.get(category=5)
    rating.stage = 3
    rating._history_user = leader
    rating.save()
    response = client_for(admin_user).get(reverse("admin:audits_rating_history", args=[rating.pk]))
    assert response.status_code == 200
    assert leader.username in response.content.decode()


def test_history_is_not_lost_when_a_draft_rating_is_deleted(admin_user, draft):
    rating = draft.ratings.get(category=9)
    pk = rating.pk
    rating._history_user = admin_user
    rating.delete()
    assert Rating.history.filter(id=pk, history_type="-").exists()
    assert not Rating.objects.filter(pk=pk).exists()
