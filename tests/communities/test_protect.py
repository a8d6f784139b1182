"""A school, hub or partner with audits, memberships or partnerships cannot be deleted:
closing or archiving is the way (PROTECT), in the models and in the admin."""

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from audits.models import Audit, Rating
from communities.models import Hub, HubMembership, Partner, Partnership, School
from tests.factories import (
    HubFactory,
    HubMembershipFactory,
    PartnerFactory,
    PartnershipFactory,
    SchoolFactory,
    make_audit,
)


def counts() -> dict[str, int]:
    models = (School, Hub, HubMembership, Partner, Partnership, Audit, Rating)
    return {model.__name__: model.objects.count() for model in models}


def assert_delete_refused(obj) -> None:
    before = counts()
    with pytest.raises(ProtectedError), transaction.atomic():
        obj.delete()
    assert counts() == before
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_school_with_an_audit_cannot_be_deleted(db):
    school = SchoolFactory()
    make_audit(school, stages=3)
    assert_delete_refused(school)


def test_school_with_a_draft_audit_cannot_be_deleted(db):
    school = SchoolFactory()
    make_audit(school, stages=None, submitted=False)
    assert_delete_refused(school)


def test_school_with_a_membership_cannot_be_deleted(db):
    school = SchoolFactory()
    HubMembershipFactory(school=school)
    assert_delete_refused(school)


def test_school_with_a_partnership_cannot_be_deleted(db):
    partnership = PartnershipFactory()
    assert_delete_refused(partnership.school)


def test_hub_with_members_cannot_be_deleted(hub):
    assert_delete_refused(hub)


def test_hub_with_an_audit_cannot_be_deleted(db):
    hub = HubFactory()
    make_audit(hub=hub, stages=2)
    assert_delete_refused(hub)


def test_hub_with_a_partnership_cannot_be_deleted(db):
    hub = HubFactory()
    PartnershipFactory(school=None, hub=hub)
    assert_delete_refused(hub)


def test_lead_school_of_a_hub_cannot_be_deleted(db):
    school = SchoolFactory()
    HubFactory(lead_school=school)
    assert_delete_refused(school)


def test_partner_with_partnerships_cannot_be_deleted(db):
    partnership = PartnershipFactory()
    assert_delete_refused(partnership.partner)


def test_things_with_no_history_can_be_deleted(db):
    SchoolFactory().delete()
    HubFactory().delete()
    PartnerFactory().delete()
    assert counts()["School"] == counts()["Hub"] == counts()["Partner"] == 0


@pytest.fixture
def protected(db):
    school = SchoolFactory(name="Protected School")
    hub = HubFactory(name="Protected Hub")
    HubMembershipFactory(hub=hub, school=school)
    make_audit(school, stages=3)
    partnership = PartnershipFactory(school=school)
    return {
        "communities_school": school,
        "communities_hub": hub,
        "communities_partner": partnership.partner,
    }


@pytest.mark.parametrize("name", ["communities_school", "communities_hub", "communities_partner"])
def test_admin_delete_shows_cannot_delete_and_deletes_nothing(
    client_for, admin_user, protected, name
):
    obj = protected[name]
    client = client_for(admin_user)
    url = reverse(f"admin:{name}_delete", args=[obj.pk])
    before = counts()

    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cannot delete" in text or "would require deleting the following protected" in text

    response = client.post(url, {"post": "yes"})
    # The admin shows the same refusal again instead of deleting.
    assert response.status_code == 200
    assert counts() == before
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("name", ["communities_school", "communities_hub", "communities_partner"])
def test_admin_bulk_delete_action_deletes_nothing(client_for, admin_user, protected, name):
    obj = protected[name]
    before = counts()
    response = client_for(admin_user).post(
        reverse(f"admin:{name}_changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert counts() == before
