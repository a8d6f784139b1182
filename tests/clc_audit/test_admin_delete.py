"""Deleting in the admin: a draft audit goes with its ratings; a submitted audit is kept
on every path (admin, bulk, raw SQL on PostgreSQL) until an admin reopens it; and a
school, hub or partner that other rows point to says why it is kept and what to do."""

import pytest
from django.contrib.messages import get_messages
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audits.models import Audit, Rating
from tests.factories import (
    HubFactory,
    HubMembershipFactory,
    PartnershipFactory,
    SchoolFactory,
    make_audit,
)

AUDITS = "admin:audits_audit_changelist"
NO_PERMISSION = "doesn’t have permission to delete"


def bulk_delete(client, *objs, confirmed: bool = True, changelist: str = AUDITS):
    data = {"action": "delete_selected", "_selected_action": [obj.pk for obj in objs]}
    if confirmed:
        data["post"] = "yes"
    return client.post(reverse(changelist), data)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_draft_audit_and_its_ratings_can_be_deleted_from_its_page(client_for, admin_user, school):
    draft = make_audit(school, stages=2, submitted=False)
    client = client_for(admin_user)
    url = reverse("admin:audits_audit_delete", args=[draft.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert NO_PERMISSION not in page.content.decode()

    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Audit.objects.filter(pk=draft.pk).exists()
    assert not Rating.objects.filter(audit_id=draft.pk).exists()


def test_draft_audits_can_be_deleted_in_bulk(client_for, admin_user, db):
    drafts = [make_audit(SchoolFactory(), stages=2, submitted=False) for _ in range(2)]
    client = client_for(admin_user)
    page = bulk_delete(client, *drafts, confirmed=False)
    assert page.status_code == 200
    assert NO_PERMISSION not in page.content.decode()

    assert bulk_delete(client, *drafts).status_code == 302
    assert not Audit.objects.exists()
    assert not Rating.objects.exists()


def test_bulk_delete_with_a_submitted_audit_deletes_nothing_and_says_why(
    client_for, admin_user, db
):
    submitted = make_audit(SchoolFactory(), stages=3)
    draft = make_audit(SchoolFactory(), stages=2, submitted=False)
    client = client_for(admin_user)
    for confirmed in (False, True):
        response = bulk_delete(client, submitted, draft, confirmed=confirmed)
        assert response.status_code == 302
        said = messages_of(response)[-1]
        assert "Nothing was deleted" in said
        assert "1 of the selected audits is submitted" in said
        assert "reopen" in said
    assert Audit.objects.count() == 2
    assert Rating.objects.count() == 18


def test_submitted_audit_has_no_delete_page(client_for, admin_user, school):
    submitted = make_audit(school, stages=3)
    client = client_for(admin_user)
    url = reverse("admin:audits_audit_delete", args=[submitted.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Audit.objects.filter(pk=submitted.pk).exists()


def test_reopened_audit_can_then_be_deleted(client_for, admin_user, school):
    audit = make_audit(school, stages=3)
    client = client_for(admin_user)
    client.post(
        reverse(AUDITS),
        {
            "action": "reopen",
            "_selected_action": [audit.pk],
            "reason": "Attached to the wrong school.",
        },
    )
    assert bulk_delete(client, audit).status_code == 302
    assert not Audit.objects.filter(pk=audit.pk).exists()
    assert audit.history.latest().history_type == "-"


def refused(delete) -> bool:
    try:
        with transaction.atomic():
            delete()
    except DatabaseError as error:
        assert "submitted audit cannot be deleted" in str(error)
        return True
    return False


def skip_unless_postgres(on_postgres: bool) -> None:
    if not on_postgres:
        pytest.skip(
            "SQLite keeps no delete trigger: its flush is a row-by-row DELETE (migration 0003)"
        )


def test_database_refuses_deleting_a_submitted_audit(on_postgres, school):
    skip_unless_postgres(on_postgres)
    audit = make_audit(school, stages=3)
    assert refused(lambda: Audit.objects.filter(pk=audit.pk).delete())
    with connection.cursor() as cursor:
        assert refused(lambda: cursor.execute("DELETE FROM audits_audit WHERE id = %s", [audit.pk]))
    assert Rating.objects.filter(audit=audit).count() == 9


def test_database_refuses_deleting_a_rating_of_a_submitted_audit(on_postgres, school):
    skip_unless_postgres(on_postgres)
    audit = make_audit(school, stages=3)
    assert refused(lambda: Rating.objects.filter(audit=audit, category=1).delete())
    with connection.cursor() as cursor:
        sql = "DELETE FROM audits_rating WHERE audit_id = %s"
        assert refused(lambda: cursor.execute(sql, [audit.pk]))
    assert Rating.objects.filter(audit=audit).count() == 9


def test_database_lets_a_draft_and_its_ratings_be_deleted(school):
    draft = make_audit(school, stages=3, submitted=False)
    Rating.objects.filter(audit=draft, category=1).delete()
    draft.delete()
    assert not Audit.objects.exists() and not Rating.objects.exists()


@pytest.fixture
def kept(db):
    school = SchoolFactory(name="Kept School")
    hub = HubFactory(name="Kept Hub")
    HubMembershipFactory(hub=hub, school=school)
    make_audit(school, stages=3)
    make_audit(hub=hub, stages=3)
    partnership = PartnershipFactory(school=school)
    return {
        "communities_school": (school, "mark the school Closed"),
        "communities_hub": (hub, "end its memberships"),
        "communities_partner": (partnership.partner, "end its partnerships"),
    }


@pytest.mark.parametrize("name", ["communities_school", "communities_hub", "communities_partner"])
def test_deleting_what_is_kept_names_the_protected_rows_and_what_to_do(
    client_for, admin_user, kept, name
):
    obj, hint = kept[name]
    client = client_for(admin_user)
    for response in (
        client.get(reverse(f"admin:{name}_delete", args=[obj.pk])),
        client.post(reverse(f"admin:{name}_delete", args=[obj.pk]), {"post": "yes"}),
        bulk_delete(client, obj, changelist=f"admin:{name}_changelist"),
    ):
        assert response.status_code == 200
        text = response.content.decode()
        assert "would require deleting the following protected related objects" in text
        assert NO_PERMISSION not in text
        assert hint in text
    assert type(obj).objects.filter(pk=obj.pk).exists()
