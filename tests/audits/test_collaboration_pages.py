"""Partnerships as evidence on the audit's pages, the journey's timeline, and the hub's
partnership map and its exports; the hub page's cache follows all of it."""

import csv
import datetime
import io
import itertools
import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from audits import rules
from audits.models import Validation, ValidationRating
from communities.models import Partnership, PartnershipCategory, SupportAgreement
from tests.factories import (
    HubMembershipFactory,
    PartnerFactory,
    PartnershipFactory,
    SchoolFactory,
    make_audit,
)

pytestmark = pytest.mark.django_db

D = datetime.date


# -- the rule, and the query that says it again ------------------------------------------


DATES = st.one_of(st.none(), st.dates(min_value=D(2023, 1, 1), max_value=D(2028, 12, 31)))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(started=DATES, ended=DATES)
def test_fed_during_in_sql_says_what_the_rule_says(school, started, ended):
    if started and ended and ended < started:
        started, ended = ended, started
    partnership = PartnershipFactory(school=school, started_on=started, ended_on=ended)
    try:
        for start, end in [(D(2025, 9, 1), D(2026, 8, 31)), (D(2026, 9, 1), D(2027, 8, 31))]:
            in_sql = Partnership.objects.fed_during(start, end).filter(pk=partnership.pk).exists()
            assert in_sql == rules.fed_during(started, ended, start, end)
    finally:
        PartnershipCategory.objects.filter(partnership=partnership).delete()
        partnership.delete()


def test_undated_starts_count_as_before_the_period():
    assert rules.fed_during(None, None, D(2025, 9, 1), D(2026, 8, 31))
    assert rules.fed_during(None, D(2025, 9, 1), D(2025, 9, 1), D(2026, 8, 31))
    assert not rules.fed_during(None, D(2025, 8, 31), D(2025, 9, 1), D(2026, 8, 31))
    assert not rules.fed_during(D(2026, 9, 1), None, D(2025, 9, 1), D(2026, 8, 31))


@pytest.mark.parametrize(
    ("stage", "partnerships", "flagged"),
    [(None, 0, False), (1, 0, False), (2, 0, False), (3, 0, True), (4, 0, True), (4, 1, False)],
)
def test_engagement_or_integration_without_a_partnership_is_flagged(stage, partnerships, flagged):
    assert rules.lacks_partnership(stage, partnerships) is flagged


# -- on the audit's pages --------------------------------------------------------------------


@pytest.fixture
def draft(school):
    return make_audit(school, stages=[4] * 9, period="2025/26", submitted=False)


@pytest.fixture
def lesson_study(school):
    partner = PartnerFactory(name="Camden Lesson Study Hub")
    return PartnershipFactory(
        school=school,
        partner=partner,
        activity="Lesson study cycles",
        started_on=D(2024, 9, 1),
        categories=[1, 2],
    )


def test_a_category_page_shows_the_partnerships_that_fed_it(
    client_for, leader, draft, lesson_study
):
    PartnershipFactory(school=draft.school, activity="Long ended", ended_on=D(2024, 1, 1))
    page = client_for(leader).get(reverse("audits:audit_category", args=[draft.pk, 2]))
    text = page.content.decode()
    assert "Partnerships that fed this category in 2025/26" in text
    assert "Camden Lesson Study Hub" in text and "Lesson study cycles" in text
    assert "Long ended" not in text
    other = client_for(leader).get(reverse("audits:audit_category", args=[draft.pk, 3]))
    assert "None recorded for this category in this period." in other.content.decode()


def test_the_check_page_asks_about_high_stages_no_partnership_feeds(
    client_for, leader, draft, lesson_study
):
    page = client_for(leader).get(reverse("audits:audit_check", args=[draft.pk])).content.decode()
    # Nine at Integration, two fed: seven prompts, and the submit form still there.
    assert page.count('class="small lacks-partnership') == 7
    assert 'id="submit-form"' in page


def test_the_report_lists_the_partnerships_under_their_categories(
    client_for, leader, draft, lesson_study
):
    page = client_for(leader).get(reverse("audits:audit_report", args=[draft.pk])).content.decode()
    evidence = page.split('id="evidence-heading"', 1)[1]
    assert evidence.count("Camden Lesson Study Hub") == 2


def test_the_journey_shows_partnerships_beside_the_audits(client_for, leader, school, lesson_study):
    make_audit(school, stages=3, period="2023/24")
    make_audit(school, stages=3, period="2025/26")
    page = client_for(leader).get(reverse("audits:school_journey", args=[school.pk]))
    text = page.content.decode()
    table = text.split('class="table table-sm partnership-timeline"', 1)[1].split("</table>", 1)[0]
    assert "Camden Lesson Study Hub" in table
    row = table.split("Camden Lesson Study Hub", 1)[1].split("</tr>", 1)[0]
    # 2023/24: not yet; 2025/26 and this year: in force.
    assert row.count("In force") == 2 and "Not in force" in row


# -- the hub's partnership map ---------------------------------------------------------------


@pytest.fixture
def mapped_hub(hub, school):
    """Three members: two work with the same university (one in two categories), one
    with a charity; nothing feeds categories 7 to 9; an ended partnership is left out."""
    university = PartnerFactory(name="=University of Hull", kind="university")
    charity = PartnerFactory(name="Voice 21", kind="charity")
    second, third = SchoolFactory(name="Second"), SchoolFactory(name="Third")
    for member in (second, third):
        HubMembershipFactory(hub=hub, school=member)
    PartnershipFactory(school=school, partner=university, categories=[1, 4])
    PartnershipFactory(school=second, partner=university, categories=[1])
    PartnershipFactory(school=third, partner=charity, categories=[5, 6])
    PartnershipFactory(school=third, partner=charity, categories=[9], ended_on=D(2020, 1, 1))
    return hub


def test_the_hub_page_maps_partners_by_category(client_for, coordinator, mapped_hub):
    page = client_for(coordinator).get(reverse("audits:hub_detail", args=[mapped_hub.slug]))
    text = page.content.decode()
    section = text.split('id="partnerships-heading"', 1)[1].split("</section>", 1)[0]
    assert "2 partners work with the member schools today" in section
    university = section.split("=University of Hull", 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", university)
    assert cells[:5] == ["2", "2", "–", "–", "1"]
    assert "No partnership of any member feeds:" in section
    for number in (7, 8, 9):
        assert f"{number}. " in section.split("No partnership of any member feeds:", 1)[1]


def test_the_partnership_map_exports_are_formula_safe(client_for, coordinator, mapped_hub):
    client = client_for(coordinator)
    csv_response = client.get(reverse("audits:hub_export_partnerships_csv", args=[mapped_hub.slug]))
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Partner", "Kind", "Member schools served"]
    assert rows[1][:7] == ["'=University of Hull", "University", "2", "2", "0", "0", "1"]
    assert rows[-1][0] == "No partnership of any member feeds"
    xlsx = client.get(reverse("audits:hub_export_partnerships_xlsx", args=[mapped_hub.slug]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.values)
    assert values[2][0] == "=University of Hull" and sheet["A3"].data_type == "s"
    assert sheet["A3"].quotePrefix


@pytest.mark.parametrize("partners", [5, 50])
def test_the_hub_page_query_count_does_not_grow_with_partnerships(
    client_for, coordinator, hub, school, django_assert_num_queries, partners
):
    for index in range(partners):
        member = SchoolFactory()
        HubMembershipFactory(hub=hub, school=member)
        PartnershipFactory(school=member, categories=[1 + index % 9])
        make_audit(member, stages=3, period="2025/26")
    client = client_for(coordinator)
    from tests.audits.test_hub_page import PAGE_QUERIES

    with django_assert_num_queries(PAGE_QUERIES):
        client.get(reverse("audits:hub_detail", args=[hub.slug]))


# -- the hub page's cache follows what it shows ---------------------------------------------


def _content(client, hub) -> str:
    return client.get(reverse("audits:hub_detail", args=[hub.slug])).content.decode()


def test_each_change_of_what_the_hub_page_shows_shows_at_once(
    client_for, coordinator, hub, school, leader, member_school, member_leader
):
    client = client_for(coordinator)
    audit = make_audit(school, stages=[1] * 9, period="2025/26")
    make_audit(member_school, stages=4, period="2025/26")
    pages = [_content(client, hub)]
    partnership = PartnershipFactory(school=school, categories=[3])  # a partnership
    pages.append(_content(client, hub))
    PartnershipCategory.objects.create(partnership=partnership, category=8)  # a cell
    pages.append(_content(client, hub))
    SupportAgreement.objects.create(
        hub=hub,
        supporting_school=member_school,
        supported_school=school,
        category=1,
        goal="Oracy",
        started_on=D(2026, 9, 1),
        proposed_by=coordinator,
    )  # agreed support
    pages.append(_content(client, hub))
    validation = Validation.objects.create(
        audit=audit,
        validator=member_leader,
        invited_by=leader,
        audit_version=audit.version,
        status=Validation.Status.COMPLETED,
        completed_at=audit.submitted_at,
    )
    ValidationRating.objects.bulk_create(
        ValidationRating(validation=validation, category=n, school_stage=1, stage=1)
        for n in range(1, 10)
    )
    validation.save()  # a completed peer validation, agreeing on all nine: history
    pages.append(_content(client, hub))
    for before, after in itertools.pairwise(pages):
        assert before != after
