"""The partnership pages: a school's leaders (a hub's coordinators, for the hub's own)
list, add, edit and end its partnerships; the hub's coordinators read its member
schools' lists; everyone else gets a 404. Bad input is a field error and saves nothing."""

import datetime

import pytest
from django.urls import reverse

from communities.models import Partner, Partnership, PartnershipCategory
from tests.factories import (
    HubMembershipFactory,
    PartnerFactory,
    PartnershipFactory,
    SchoolFactory,
    UserFactory,
)

DETAILS = {
    "activity": "Initial teacher training",
    "description": "Two trainees a year.",
    "started_on": "2023-09-01",
    "ended_on": "",
    "learning_phase": "experience",
    "categories": ["2", "5"],
}


@pytest.fixture
def member_leader(hub):
    """The leader of another current member school of `hub`."""
    member = SchoolFactory(name="Heston Community School", urn="900002")
    HubMembershipFactory(hub=hub, school=member)
    user = UserFactory(username="leader_member")
    member.leaders.add(user)
    return user


@pytest.fixture
def partnership(school):
    return PartnershipFactory(school=school, activity="Peer review", categories=[1, 5])


@pytest.fixture
def hub_partnership(hub):
    return PartnershipFactory(school=None, hub=hub, activity="Oracy programme", categories=[7])


def school_list(school) -> str:
    return reverse("communities:school_partnerships", args=[school.pk])


def school_new(school, query: str = "") -> str:
    return reverse("communities:school_partnership_new", args=[school.pk]) + query


def edit_url(partnership) -> str:
    return reverse("communities:partnership_edit", args=[partnership.pk])


def end_url(partnership) -> str:
    return reverse("communities:partnership_end", args=[partnership.pk])


def person(request, name: str):
    return None if name == "anonymous" else request.getfixturevalue(name)


def nothing_changed(before: list) -> bool:
    return rows() == before


def rows() -> list:
    """Every partner, partnership and cell, as they stand."""
    return [
        list(Partner.objects.order_by("pk").values()),
        list(Partnership.objects.order_by("pk").values()),
        list(PartnershipCategory.objects.order_by("pk").values()),
    ]


# -- who may see and keep what -----------------------------------------------------------


@pytest.mark.parametrize(
    "name, status, keeps",
    [
        ("leader", 200, True),
        ("coordinator", 200, False),
        ("admin_user", 200, False),
        ("member_leader", 404, None),
        ("outsider", 404, None),
        ("other_coordinator", 404, None),
        ("anonymous", 302, None),
    ],
)
def test_who_sees_a_schools_partnerships(
    request, client_for, school, partnership, name, status, keeps
):
    response = client_for(person(request, name)).get(school_list(school))
    assert response.status_code == status
    content = response.content.decode()
    if status == 302:
        assert response["Location"].startswith("/accounts/login/?next=")
    if status == 404:
        assert "Lampton School" not in content and "Peer review" not in content
    if status == 200:
        assert "Peer review" in content
        assert ("Add a partnership" in content) is keeps
        assert (edit_url(partnership) in content) is keeps
        assert (end_url(partnership) in content) is keeps


@pytest.mark.parametrize(
    "name, status, keeps",
    [
        ("coordinator", 200, True),
        ("admin_user", 200, False),
        ("leader", 404, None),
        ("other_coordinator", 404, None),
        ("outsider", 404, None),
        ("anonymous", 302, None),
    ],
)
def test_who_sees_a_hubs_own_partnerships(
    request, client_for, hub, hub_partnership, name, status, keeps
):
    url = reverse("communities:hub_partnerships", args=[hub.slug])
    response = client_for(person(request, name)).get(url)
    assert response.status_code == status
    if status == 200:
        content = response.content.decode()
        assert "Oracy programme" in content
        assert (edit_url(hub_partnership) in content) is keeps
        assert ("Add a partnership" in content) is keeps


@pytest.mark.parametrize(
    "name, status",
    [
        ("leader", 200),
        ("coordinator", 404),
        ("admin_user", 404),
        ("member_leader", 404),
        ("outsider", 404),
        ("other_coordinator", 404),
        ("anonymous", 302),
    ],
)
def test_only_the_schools_leaders_add_edit_and_end(
    request, client_for, school, partnership, name, status
):
    client = client_for(person(request, name))
    for url in (
        school_new(school),
        school_new(school, "?new=1"),
        edit_url(partnership),
        end_url(partnership),
    ):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(
    "name, status",
    [("coordinator", 200), ("leader", 404), ("other_coordinator", 404), ("admin_user", 404)],
)
def test_only_the_hubs_coordinators_keep_its_own(
    request, client_for, hub, hub_partnership, name, status
):
    client = client_for(person(request, name))
    new = reverse("communities:hub_partnership_new", args=[hub.slug])
    for url in (new, edit_url(hub_partnership), end_url(hub_partnership)):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(
    "name", ["outsider", "coordinator", "other_coordinator", "admin_user", "member_leader"]
)
def test_a_post_to_a_partnership_one_does_not_keep_is_a_404_and_changes_nothing(
    request, client_for, school, partnership, name
):
    client = client_for(person(request, name))
    before = rows()
    assert client.post(edit_url(partnership), DETAILS).status_code == 404
    assert client.post(end_url(partnership), {"ended_on": "2025-01-01"}).status_code == 404
    assert (
        client.post(
            school_new(school, "?new=1"),
            {**DETAILS, "partner-name": "X", "partner-kind": "charity"},
        ).status_code
        == 404
    )
    assert nothing_changed(before)


# -- the list ----------------------------------------------------------------------------


def test_list_shows_current_first_then_ended_dated_with_counts_and_cells(
    client_for, leader, school, fixed_today
):
    PartnershipFactory(
        school=school,
        activity="Brilliant Club tutoring",
        categories=[1, 9],
        started_on=datetime.date(2022, 9, 1),
    )
    PartnershipFactory(
        school=school,
        activity="Old network",
        categories=[4],
        started_on=datetime.date(2019, 9, 1),
        ended_on=datetime.date(2021, 7, 31),
    )
    content = client_for(leader).get(school_list(school)).content.decode()
    assert "1 current partnership." in content
    assert "1 ended partnership, kept with its dates." in content
    current, ended = content.split('id="ended-heading"')
    assert "Brilliant Club tutoring" in current and "Old network" in ended
    assert "From 1 September 2019 to 31 July 2021" in ended
    assert "Since 1 September 2022" in current
    assert "1. Teaching and learning × Relevant research" in current
    assert "9. Collaborative learning × Emerging effective innovation" in current
    assert end_url(Partnership.objects.get(activity="Old network")) not in ended  # ended once


def test_list_flags_partnerships_to_review(client_for, leader, coordinator, school):
    flagged = PartnershipFactory(school=school, to_review=True)
    content = client_for(leader).get(school_list(school)).content.decode()
    assert "Check which categories this partnership feeds" in content
    assert f'href="{edit_url(flagged)}">Check which categories' in content


@pytest.mark.parametrize("count", [5, 50])
def test_list_query_count_does_not_grow(
    client_for, leader, school, count, django_assert_num_queries
):
    for n in range(count):
        PartnershipFactory(
            school=school,
            partner=PartnerFactory(school=None),
            categories=sorted({1 + n % 9, 5}),
            ended_on=datetime.date(2020, 1, 1) if n % 3 == 0 else None,
        )
    client = client_for(leader)
    # session, user, school, "does this person lead it", partnerships with partners, cells
    with django_assert_num_queries(6):
        response = client.get(school_list(school))
    assert response.content.decode().count('class="partnership-item"') == count


# -- adding ------------------------------------------------------------------------------


def test_leader_adds_a_partnership_with_a_new_school_partner_found_by_urn(
    client_for, leader, school, other_school
):
    data = {
        **DETAILS,
        "partner-name": "",
        "partner-kind": "school",
        "partner-urn": other_school.urn,
    }
    response = client_for(leader).post(school_new(school, "?new=1"), data)
    assert response.status_code == 302
    assert response["Location"] == school_list(school)
    saved = Partnership.objects.get(school=school)
    assert saved.partner.school == other_school and saved.partner.kind == "school"
    assert saved.partner.name == "Torriano School"
    assert [c.number for c in saved.categories] == [2, 5]
    assert saved.learning_phase == "experience" and saved.started_on == datetime.date(2023, 9, 1)
    assert saved.updated_by == leader and not saved.to_review
    listed = client_for(leader).get(response["Location"]).content.decode()
    assert "The partnership with Torriano School is saved." in listed


def test_a_school_that_is_already_a_partner_is_not_added_twice(
    client_for, leader, school, other_school
):
    existing = Partner.of_school(other_school)
    data = {**DETAILS, "partner-kind": "school", "partner-urn": other_school.urn}
    assert client_for(leader).post(school_new(school, "?new=1"), data).status_code == 302
    assert Partnership.objects.get(school=school).partner == existing
    assert Partner.objects.filter(school=other_school).count() == 1


def test_leader_adds_a_partner_that_is_not_a_school(client_for, leader, school):
    data = {
        **DETAILS,
        "partner-name": "The Brilliant Club",
        "partner-kind": "charity",
        "partner-website": "thebrilliantclub.org",
    }
    assert client_for(leader).post(school_new(school, "?new=1"), data).status_code == 302
    partner = Partner.objects.get(name="The Brilliant Club")
    assert partner.kind == "charity" and partner.school is None
    assert partner.website == "https://thebrilliantclub.org"
    assert partner.history.get().history_user == leader


def test_the_school_can_be_chosen_among_those_of_its_hubs(
    client_for, leader, school, hub, member_leader
):
    member = member_leader.led_schools.get()
    client = client_for(leader)
    page = client.get(school_new(school, "?new=1")).content.decode()
    assert "Heston Community School" in page
    assert f'<option value="{school.pk}">' not in page  # not itself
    data = {**DETAILS, "partner-kind": "school", "partner-school": str(member.pk)}
    assert client.post(school_new(school, "?new=1"), data).status_code == 302
    assert Partnership.objects.get(school=school).partner.school == member


def test_partner_search_tells_two_of_the_same_name_apart_and_choosing_one_keeps_it(
    client_for, leader, school
):
    first = Partner.of_school(
        SchoolFactory(name="St Mary's", urn="100001", local_authority="Camden")
    )
    Partner.of_school(SchoolFactory(name="St Mary's", urn="100002", local_authority="Ealing"))
    PartnerFactory(name="Teach First", kind="programme")
    client = client_for(leader)
    page = client.get(school_new(school, "?q=mary")).content.decode()
    assert "2 partners found for “mary”" in page
    assert "URN 100001" in page and "URN 100002" in page and "Camden" in page and "Ealing" in page
    assert "Teach First" not in page
    assert f'href="{school_new(school)}?partner={first.pk}"' in page
    assert "The partner is not listed: add it" in page
    details = client.get(school_new(school, f"?partner={first.pk}")).content.decode()
    assert "St Mary&#x27;s" in details and "URN 100001" in details
    assert f'href="{school_new(school)}">Change' in details
    before = Partner.objects.count()
    assert client.post(school_new(school, f"?partner={first.pk}"), DETAILS).status_code == 302
    assert Partnership.objects.get(school=school).partner == first
    assert Partner.objects.count() == before


def test_partner_search_finds_a_school_by_urn_and_shows_at_most_twenty(client_for, leader, school):
    for n in range(25):
        PartnerFactory(name=f"Network {n:02d}", kind="network")
    Partner.of_school(SchoolFactory(name="Acton High", urn="100123"))
    client = client_for(leader)
    page = client.get(school_new(school, "?q=Network")).content.decode()
    assert page.count('class="partner-result"') == 20
    assert "Only the first 20 are shown" in page
    assert "Acton High" in client.get(school_new(school, "?q=100123")).content.decode()


@pytest.mark.parametrize("value", ["abc", "999999", "1" * 40, "-1"])
def test_a_partner_that_does_not_exist_is_a_404(client_for, leader, school, value):
    assert client_for(leader).get(school_new(school, f"?partner={value}")).status_code == 404


def test_a_school_cannot_choose_itself_as_partner(client_for, leader, school):
    itself = Partner.of_school(school)
    client = client_for(leader)
    assert (
        "Lampton School"
        not in client.get(school_new(school, "?q=Lampton")).content.decode().split("<h1>")[1]
    )
    assert client.get(school_new(school, f"?partner={itself.pk}")).status_code == 404


def test_coordinator_adds_a_partnership_of_the_hub(client_for, coordinator, hub):
    partner = PartnerFactory(name="Challenge Partners", kind="network")
    url = reverse("communities:hub_partnership_new", args=[hub.slug]) + f"?partner={partner.pk}"
    response = client_for(coordinator).post(url, DETAILS)
    assert response["Location"] == reverse("communities:hub_partnerships", args=[hub.slug])
    saved = Partnership.objects.get(hub=hub)
    assert saved.school is None and saved.partner == partner and saved.updated_by == coordinator


# -- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"activity": ""}, "activity"),
        ({"activity": "x" * 201}, "activity"),
        ({"description": "x" * 4001}, "description"),
        ({"started_on": "31/02/2024"}, "started_on"),
        ({"started_on": "not a date"}, "started_on"),
        ({"ended_on": "2023-08-31"}, "ended_on"),
        ({"ended_on": "9999-99-99"}, "ended_on"),
        ({"learning_phase": ""}, "learning_phase"),
        ({"learning_phase": "osmosis"}, "learning_phase"),
        ({"categories": []}, "categories"),
        ({"categories": ["10"]}, "categories"),
        ({"categories": ["0", "2"]}, "categories"),
        ({"categories": ["two"]}, "categories"),
        ({"partner-kind": ""}, "partner-kind"),
        ({"partner-kind": "guild"}, "partner-kind"),
        ({"partner-name": ""}, "partner-name"),
        ({"partner-name": "x" * 201}, "partner-name"),
        ({"partner-website": "not a website"}, "partner-website"),
        ({"partner-kind": "school", "partner-urn": "12345"}, "partner-urn"),
        ({"partner-kind": "school", "partner-urn": "999999"}, "partner-urn"),
        ({"partner-kind": "school", "partner-urn": "900001"}, "partner-urn"),  # itself
        ({"partner-urn": "900101"}, "partner-urn"),  # a URN for a charity
        ({"partner-kind": "school", "partner-school": "999999"}, "partner-school"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(
    client_for, leader, school, other_school, member_leader, changes, field
):
    data = {**DETAILS, "partner-name": "Teach First", "partner-kind": "charity", **changes}
    before = rows()
    response = client_for(leader).post(school_new(school, "?new=1"), data)
    assert response.status_code == 200
    form = response.context["new_partner" if field.startswith("partner-") else "form"]
    assert field.removeprefix("partner-") in form.errors, (form.errors, changes)
    content = response.content.decode()
    assert "There is a problem" in content and "<title>" in content
    assert f'href="#id_{field}' in content
    assert nothing_changed(before)


def test_the_error_summary_links_the_grid_to_its_first_checkbox(
    client_for, leader, school, partnership
):
    response = client_for(leader).post(edit_url(partnership), {**DETAILS, "categories": []})
    content = response.content.decode()
    assert 'href="#id_categories_0"' in content and 'id="id_categories_0"' in content
    assert 'aria-describedby="categories-hint categories-error"' in content


def test_a_partnership_that_fails_saves_no_new_partner_either(
    client_for, leader, school, monkeypatch
):
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError({"activity": "Refused by the service."})

    monkeypatch.setattr("communities.partnerships.partnership_save", refuse)
    before = rows()
    data = {**DETAILS, "partner-name": "Teach First", "partner-kind": "programme"}
    response = client_for(leader).post(school_new(school, "?new=1"), data)
    assert response.context["form"].errors["activity"] == ["Refused by the service."]
    assert response.context["partner"] is None  # the new-partner fields are shown again
    assert nothing_changed(before)


# -- editing and ending ------------------------------------------------------------------


def test_editing_keeps_exactly_the_picked_cells_and_records_who(
    client_for, leader, school, partnership
):
    page = client_for(leader).get(edit_url(partnership)).content.decode()
    assert 'value="1" class="form-check-input" id="id_categories_0" checked' in page
    response = client_for(leader).post(
        edit_url(partnership), {**DETAILS, "categories": ["2", "5", "9"]}
    )
    assert response["Location"] == school_list(school)
    partnership.refresh_from_db()
    assert [c.number for c in partnership.categories] == [2, 5, 9]
    assert partnership.activity == "Initial teacher training" and partnership.updated_by == leader
    assert partnership.history.latest().history_user == leader
    removed = PartnershipCategory.history.filter(category=1, history_type="-").get()
    assert removed.history_user == leader
    added = PartnershipCategory.history.filter(history_type="+", category__in=[2, 9])
    assert {h.history_user for h in added} == {leader}


def test_saving_clears_to_review(client_for, leader, school):
    flagged = PartnershipFactory(school=school, to_review=True, categories=[1, 2, 3])
    client_for(leader).post(edit_url(flagged), {**DETAILS, "categories": ["3"]})
    flagged.refresh_from_db()
    assert not flagged.to_review and [c.number for c in flagged.categories] == [3]
    assert (
        "Check which categories" not in client_for(leader).get(school_list(school)).content.decode()
    )


def test_editing_a_partnership_does_not_change_its_partner(client_for, leader, school, partnership):
    other = PartnerFactory()
    client_for(leader).post(
        edit_url(partnership) + f"?partner={other.pk}", {**DETAILS, "partner": other.pk}
    )
    partnership.refresh_from_db()
    assert partnership.partner != other


def test_ending_keeps_it_dated_under_ended(client_for, leader, school, partnership, fixed_today):
    client = client_for(leader)
    page = client.get(end_url(partnership)).content.decode()
    assert 'value="2026-03-02"' in page  # today by default
    response = client.post(end_url(partnership), {"ended_on": "2026-02-27"})
    assert response["Location"] == school_list(school)
    partnership.refresh_from_db()
    assert partnership.ended_on == datetime.date(2026, 2, 27) and partnership.updated_by == leader
    assert [c.number for c in partnership.categories] == [1, 5]
    listed = client.get(school_list(school)).content.decode()
    assert "has ended." in listed
    assert "Peer review" in listed.split('id="ended-heading"')[1]
    assert "Until 27 February 2026" in listed


@pytest.mark.parametrize("value", ["", "yesterday", "2026-13-01", "2019-12-31"])
def test_a_bad_end_date_is_a_field_error(client_for, leader, partnership, value):
    partnership.started_on = datetime.date(2020, 1, 1)
    partnership.save()
    response = client_for(leader).post(end_url(partnership), {"ended_on": value})
    assert response.status_code == 200
    assert "ended_on" in response.context["form"].errors
    assert 'href="#id_ended_on"' in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.ended_on is None


def test_an_ended_partnership_cannot_be_ended_again(client_for, leader, school):
    ended = PartnershipFactory(school=school, ended_on=datetime.date(2020, 7, 31))
    response = client_for(leader).post(end_url(ended), {"ended_on": "2025-01-01"})
    assert response["Location"] == school_list(school)
    ended.refresh_from_db()
    assert ended.ended_on == datetime.date(2020, 7, 31)


def test_the_error_summary_follows_the_order_of_the_page(client_for, leader, school):
    response = client_for(leader).post(school_new(school, "?new=1"), {"categories": ["1"]})
    anchors = [anchor for anchor, _ in response.context["error_links"]]
    assert anchors == ["id_partner-name", "id_partner-kind_0", "id_activity", "id_learning_phase_0"]


def test_a_coordinator_no_longer_reads_a_school_that_left_the_hub(
    client_for, coordinator, school, hub, partnership
):
    hub.memberships.filter(school=school).update(left_on=datetime.date(2024, 8, 31))
    assert client_for(coordinator).get(school_list(school)).status_code == 404


def test_another_method_than_get_or_post_is_refused(client_for, leader, partnership):
    assert client_for(leader).put(edit_url(partnership)).status_code == 405
    assert client_for(leader).post(school_list(partnership.school)).status_code == 405


def _loaded(client, partnership) -> dict:
    """What the edit page carries back: the version it was opened with."""
    form = client.get(edit_url(partnership)).context["form"]
    return {"loaded_version": form["loaded_version"].value()}


def test_a_stale_edit_never_reopens_a_partnership_ended_meanwhile(
    client_for, leader, school, partnership, fixed_today
):
    client = client_for(leader)
    loaded = _loaded(client, partnership)
    client.post(end_url(partnership), {"ended_on": "2026-02-27"})

    response = client.post(edit_url(partnership), {**DETAILS, **loaded})

    assert response.status_code == 200
    page = response.content.decode()
    assert "after you opened this page: nothing was saved" in page
    assert 'href="#partnership-form"' in page  # the error summary leads to it
    assert "What is saved now" in page and "27 February 2026" in page
    assert 'value="Initial teacher training"' in page  # what they typed is kept
    partnership.refresh_from_db()
    assert partnership.ended_on == datetime.date(2026, 2, 27)
    assert partnership.activity == "Peer review"


def test_after_seeing_the_change_saving_again_applies_it(client_for, leader, partnership):
    client = client_for(leader)
    loaded = _loaded(client, partnership)
    Partnership.objects.get(pk=partnership.pk).save()  # someone else, meanwhile

    refused = client.post(edit_url(partnership), {**DETAILS, **loaded})
    again = refused.context["form"]["loaded_version"].value()
    response = client.post(edit_url(partnership), {**DETAILS, "loaded_version": again})

    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.activity == "Initial teacher training"
    assert partnership.version == int(again) + 1


def test_the_admin_refuses_a_change_saved_meanwhile(admin_client, partnership):
    url = reverse("admin:communities_partnership_change", args=[partnership.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data |= {"activity": "Changed in the admin", "cells-TOTAL_FORMS": "0"}
    data |= {"cells-INITIAL_FORMS": "0", "cells-MIN_NUM_FORMS": "0", "cells-MAX_NUM_FORMS": "9"}
    Partnership.objects.get(pk=partnership.pk).save()  # someone else, meanwhile

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "after you opened this page: nothing was saved" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.activity == "Peer review"
    data["loaded_version"] = str(partnership.version)
    assert admin_client.post(url, data).status_code == 302
    partnership.refresh_from_db()
    assert partnership.activity == "Changed in the admin"
