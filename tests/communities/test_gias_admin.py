"""The GIAS upload page in the admin (the files are stored and imported by the task
worker; in the tests tasks run at once, so the import's page shows its result), and
carrying memberships to a successor."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bench.gias_fixture import link_row, links_bytes, register_bytes, school_row
from communities.models import Hub, HubMembership, School, SchoolLink
from communities.services import CarryOverError, school_carry_to_successor
from tests.factories import HubFactory, HubMembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:communities_school_gias_import")
CHANGELIST = reverse("admin:communities_school_changelist")


def upload(rows=None, *, data: bytes | None = None, name="edubasealldata20260101.csv"):
    body = data if data is not None else register_bytes(rows or [school_row("100001")])
    return SimpleUploadedFile(name, body, content_type="text/csv")


# The upload page ----------------------------------------------------------------------


def test_admin_sees_the_upload_form(client_for, admin_user):
    response = client_for(admin_user).get(URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Import schools from GIAS" in content
    assert 'enctype="multipart/form-data"' in content
    assert "csrfmiddlewaretoken" in content
    assert 'name="dry_run"' in content


def test_school_changelist_links_to_the_upload_page(client_for, admin_user):
    response = client_for(admin_user).get(CHANGELIST)

    assert response.status_code == 200
    assert f'href="{URL}"' in response.content.decode()


def test_admin_uploads_register_and_links_and_sees_the_summary(client_for, admin_user):
    rows = [
        school_row("100001", EstablishmentName="St Thomas à Becket, Eltham"),
        school_row("100002", **{"EstablishmentStatus (name)": "Closed"}),
    ]
    links = SimpleUploadedFile(
        "links.csv", links_bytes([link_row("100002", "100001", "Successor")]), "text/csv"
    )

    response = client_for(admin_user).post(
        URL, {"register": upload(rows), "links": links}, follow=True
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Import finished" in content
    assert "2 added" in content
    assert "Links: 1 row read: 1 added" in content
    assert School.objects.get(urn="100001").name == "St Thomas à Becket, Eltham"
    assert SchoolLink.objects.get().linked_school.urn == "100001"
    assert School.history.get(urn="100001").history_user == admin_user


def test_large_upload_spooled_to_disk_imports(client_for, admin_user, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    rows = [school_row(f"{100000 + n}", EstablishmentName=f"École {n}") for n in range(30)]

    response = client_for(admin_user).post(URL, {"register": upload(rows)}, follow=True)

    assert "30 added" in response.content.decode()
    assert School.objects.get(urn="100029").name == "École 29"


def test_admin_dry_run_writes_nothing(client_for, admin_user):
    response = client_for(admin_user).post(
        URL, {"register": upload(), "dry_run": "on"}, follow=True
    )

    assert "Dry run: nothing was written." in response.content.decode()
    assert "1 to add" in response.content.decode()
    assert not School.objects.exists()


def test_admin_dry_run_lists_the_schools_that_would_change(client_for, admin_user):
    SchoolFactory(urn="100001", name="Old Name")

    response = client_for(admin_user).post(
        URL,
        {
            "register": upload([school_row("100001"), school_row("100002")]),
            "dry_run": "on",
        },
        follow=True,
    )

    content = response.content.decode()
    assert "<h3>To add</h3>" in content
    assert "<td>100002</td>" in content
    assert "<h3>To update</h3>" in content
    assert "<li>name: “Old Name” → “School 100001”</li>" in content
    assert School.objects.get(urn="100001").name == "Old Name"


def test_admin_sees_a_control_character_as_a_row_error(client_for, admin_user):
    bad = upload([school_row("100001", EstablishmentName="Nul\x00 School")])

    response = client_for(admin_user).post(URL, {"register": bad}, follow=True)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Register file, row 2, column EstablishmentName: contains a control character" in content
    assert not School.objects.exists()


def test_admin_sees_the_error_for_a_bad_file(client_for, admin_user):
    bad = upload(data=register_bytes([school_row("100001", OpenDate="2020-09-01")]))

    response = client_for(admin_user).post(URL, {"register": bad}, follow=True)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Register file, row 2, column OpenDate" in content
    assert "Nothing was imported." in content
    assert not School.objects.exists()


def test_admin_sees_the_error_for_a_utf8_upload(client_for, admin_user):
    data = register_bytes([school_row("100001", EstablishmentName="École")])
    bad = upload(data=data.decode("cp1252").encode("utf-8"))

    response = client_for(admin_user).post(URL, {"register": bad}, follow=True)

    assert "UTF-8" in response.content.decode()
    assert not School.objects.exists()


def test_upload_without_a_file_asks_for_one(client_for, admin_user):
    response = client_for(admin_user).post(URL, {})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_upload_needs_the_csrf_token(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)

    response = client.post(URL, {"register": upload()})

    assert response.status_code == 403
    assert not School.objects.exists()


@pytest.mark.parametrize("person", ["leader", "coordinator", "outsider", "anonymous"])
def test_only_admins_reach_the_upload_page(request, client_for, person):
    user = None if person == "anonymous" else request.getfixturevalue(person)
    client = client_for(user)

    for response in (client.get(URL), client.post(URL, {"register": upload()})):
        assert response.status_code == 302
        assert "login" in response["Location"]
    assert not School.objects.filter(urn="100001").exists()


def test_staff_without_school_permissions_is_refused(client_for):
    staff = UserFactory(username="staff_only", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_school"))

    response = client_for(staff).post(URL, {"register": upload()})

    assert response.status_code == 403
    assert not School.objects.exists()


# Carrying memberships to a successor --------------------------------------------------


@pytest.fixture
def merger(db):
    """A closed school, a lead member of one hub and member of another, succeeded by an
    academy on 1 September 2025."""
    old = SchoolFactory(urn="100001", name="Old School", status=School.Status.CLOSED)
    new = SchoolFactory(urn="100002", name="New Academy")
    SchoolLink.objects.create(
        school=old,
        linked_urn="100002",
        linked_school=new,
        link_type="Successor - merged",
        established_on=datetime.date(2025, 9, 1),
    )
    lead_hub = HubFactory(name="West Hub", lead_school=old)
    member_hub = HubFactory(name="Oracy Hub")
    HubMembershipFactory(hub=lead_hub, school=old, role=HubMembership.Role.LEAD)
    HubMembershipFactory(hub=member_hub, school=old, role=HubMembership.Role.MEMBER)
    return old, new


def run_action(client, *schools):
    return client.post(
        CHANGELIST,
        {
            "action": "carry_memberships_to_successor",
            "_selected_action": [school.pk for school in schools],
        },
        follow=True,
    )


def test_carry_over_moves_memberships_to_the_successor(client_for, admin_user, merger):
    old, new = merger

    response = run_action(client_for(admin_user), old)

    assert response.status_code == 200
    assert "carried to New Academy (100002)" in response.content.decode()
    ended = HubMembership.objects.filter(school=old)
    assert {m.left_on for m in ended} == {datetime.date(2025, 9, 1)}
    carried = HubMembership.objects.filter(school=new).order_by("hub__name")
    assert [(m.hub.name, m.role, m.joined_on, m.left_on) for m in carried] == [
        ("Oracy Hub", "member", datetime.date(2025, 9, 1), None),
        ("West Hub", "lead", datetime.date(2025, 9, 1), None),
    ]
    assert Hub.objects.get(name="West Hub").lead_school == new
    assert HubMembership.history.filter(school=old, history_type="~").count() == 2
    assert HubMembership.history.filter(school=new, history_user=admin_user).count() == 2


def test_carry_over_is_offered_as_an_action(client_for, admin_user, school):
    response = client_for(admin_user).get(CHANGELIST)

    assert 'value="carry_memberships_to_successor"' in response.content.decode()


def test_carry_over_without_successor_says_so_and_changes_nothing(client_for, admin_user):
    closed = SchoolFactory(urn="100003", name="Lonely School", status=School.Status.CLOSED)
    HubMembershipFactory(school=closed)

    response = run_action(client_for(admin_user), closed)

    assert "Lonely School (100003) has no successor" in response.content.decode()
    assert HubMembership.objects.get(school=closed).left_on is None


def test_carry_over_refuses_an_open_school(merger):
    _, new = merger

    with pytest.raises(CarryOverError, match="is not closed"):
        school_carry_to_successor(school=new)


def test_carry_over_follows_a_predecessor_link_from_the_successor(merger):
    old, new = merger
    SchoolLink.objects.all().delete()
    SchoolLink.objects.create(
        school=new, linked_urn="100001", linked_school=old, link_type="Predecessor"
    )
    today = datetime.date(2026, 1, 5)

    carry = school_carry_to_successor(school=old, today=today)

    assert carry.on == today
    assert HubMembership.objects.current(today).filter(school=new).count() == 2
    assert not HubMembership.objects.current(today).filter(school=old).exists()


def test_carry_over_leaves_an_existing_membership_of_the_successor(merger):
    old, new = merger
    oracy = Hub.objects.get(name="Oracy Hub")
    HubMembershipFactory(hub=oracy, school=new)

    carry = school_carry_to_successor(school=old)

    assert carry.already_member == ["Oracy Hub"]
    assert HubMembership.objects.filter(hub=oracy, school=new).count() == 1
    assert "Already a member" in carry.message()


def test_carry_over_refuses_several_successors(merger):
    old, _ = merger
    other = SchoolFactory(urn="100009")
    SchoolLink.objects.create(
        school=old, linked_urn="100009", linked_school=other, link_type="Successor"
    )

    with pytest.raises(CarryOverError, match="2 successors"):
        school_carry_to_successor(school=old)
    assert not HubMembership.objects.filter(school__in=[other, merger[1]]).exists()


def test_carry_over_names_a_successor_not_yet_imported():
    old = SchoolFactory(urn="100001", status=School.Status.CLOSED)
    SchoolLink.objects.create(school=old, linked_urn="100077", link_type="Successor")

    with pytest.raises(CarryOverError, match="successor URN 100077 is not in the database"):
        school_carry_to_successor(school=old)


def test_carry_over_runs_every_registered_carrier_in_one_transaction(merger, monkeypatch):
    """What later parts of the app carry (partnerships, plans) joins the same step: a
    carrier that fails undoes the memberships already moved."""
    from communities import services

    old, new = merger
    seen = []

    def failing(carry):
        seen.append(carry.successor)
        raise RuntimeError("a later carrier failed")

    monkeypatch.setattr(services, "CARRIERS", [*services.CARRIERS, failing])
    with pytest.raises(RuntimeError):
        school_carry_to_successor(school=old)
    assert seen == [new]
    assert old.memberships.filter(left_on__isnull=True).count() == 2
    assert not new.memberships.exists()


# The import's own page -----------------------------------------------------------------


def test_the_upload_is_stored_and_its_page_lists_it_with_its_result(client_for, admin_user):
    from communities.models import RegisterImport

    response = client_for(admin_user).post(URL, {"register": upload()})

    record = RegisterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == record.get_absolute_url()
    assert record.status == RegisterImport.Status.DONE
    assert record.register.storage.exists(record.register.name)
    assert (record.requested_by, record.rows_read) == (admin_user, 1)
    page = client_for(admin_user).get(URL).content.decode()
    assert "Recent imports" in page and record.get_absolute_url() in page
    listed = client_for(admin_user).get(reverse("admin:communities_registerimport_changelist"))
    assert listed.status_code == 200


def test_a_refused_import_can_be_run_again(client_for, admin_user):
    from communities.models import RegisterImport

    bad = upload(data=register_bytes([school_row("100001", OpenDate="2020-09-01")]))
    client_for(admin_user).post(URL, {"register": bad})
    record = RegisterImport.objects.get()
    assert record.status == RegisterImport.Status.FAILED
    page = client_for(admin_user).get(record.get_absolute_url()).content.decode()
    assert "Run this import again" in page
    with record.register.open("wb") as fixed:
        fixed.write(register_bytes([school_row("100001")]))

    client_for(admin_user).post(
        reverse("admin:communities_registerimport_changelist"),
        {"action": "run_again", "_selected_action": [record.pk]},
    )

    record.refresh_from_db()
    assert record.status == RegisterImport.Status.DONE
    assert School.objects.filter(urn="100001").exists()


def test_an_import_is_seen_only_by_those_who_may_import(client_for, leader, admin_user):
    from communities.models import RegisterImport

    client_for(admin_user).post(URL, {"register": upload()})
    record = RegisterImport.objects.get()
    staff = UserFactory(username="staff_viewer", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_school"))
    response = client_for(staff).get(record.get_absolute_url())
    assert response.status_code in (403, 404)


def test_progress_is_kept_in_the_database_as_the_files_are_read(
    client_for, admin_user, monkeypatch
):
    """What the import's page shows while it runs: rows read and the counts so far, saved
    outside the import's transaction as it reads."""
    from communities.gias import writing
    from communities.models import RegisterImport
    from communities.tasks import _mark

    seen = []
    monkeypatch.setattr(writing, "PROGRESS_EVERY", 10)

    def recording(record, **fields):
        seen.append((fields.get("status"), fields.get("rows_read"), fields.get("result")))
        _mark(record, **fields)

    monkeypatch.setattr("communities.tasks._mark", recording)
    rows = [school_row(f"{100000 + n}") for n in range(25)]
    client_for(admin_user).post(URL, {"register": upload(rows)})

    reading = [
        (rows_read, result["added"])
        for status, rows_read, result in seen
        if status == "reading" and result
    ]
    assert reading == [(10, 10), (20, 20)]
    assert seen[-1][0] == RegisterImport.Status.DONE
