"""The audit form through the browser's eyes (POSTs): drafts, submit, read-only,
copy forward, the start form, bad input and the two-editor conflict."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audits.forms import AuditForm, AuditStartForm, academic_year
from audits.instrument import CATEGORIES
from audits.models import Audit
from audits.services import CategoryAnswer, audit_save_category, audit_start
from tests.factories import UserFactory, make_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(school):
    return make_audit(school, stages=[None] * 9, period="2026/27", submitted=False)


def _edit(audit):
    return reverse("audits:audit_edit", args=[audit.pk])


def _edit_all(audit):
    return reverse("audits:audit_edit_all", args=[audit.pk])


def _all(stage, **extra):
    data = {f"stage_{c.number}": stage for c in CATEGORIES}
    data.update({f"evidence_{c.number}": f"Evidence {c.number}" for c in CATEGORIES})
    return {**data, **extra}


def _stages(audit):
    audit.refresh_from_db()
    return {r.category: r.stage for r in audit.ratings.all()}


# Drafts


def test_partial_draft_is_saved(client_for, leader, draft):
    data = {"version": 1, "stage_1": 3, "evidence_1": "Research lead's log", "stage_5": 2}
    response = client_for(leader).post(_edit_all(draft), data)
    assert response.status_code == 302
    assert response.url == _edit_all(draft)
    stages = _stages(draft)
    assert stages[1] == 3 and stages[5] == 2 and stages[2] is None
    assert draft.ratings.get(category=1).evidence == "Research lead's log"
    assert draft.version == 2
    assert draft.status == Audit.Status.DRAFT
    assert draft.updated_by == leader


def test_empty_draft_can_be_saved(client_for, leader, draft):
    response = client_for(leader).post(_edit_all(draft), {"version": 1})
    assert response.status_code == 302


def test_reflections_are_saved(client_for, leader, draft):
    data = {"version": 1, "reflection_condoned_failure": "Not any more."}
    client_for(leader).post(_edit_all(draft), data)
    draft.refresh_from_db()
    assert draft.reflection_condoned_failure == "Not any more."


def test_saved_draft_shows_again_in_the_form(client_for, leader, draft):
    client = client_for(leader)
    client.post(_edit_all(draft), {"version": 1, "stage_4": 4, "evidence_4": "Governors' minutes"})
    page = client.get(_edit_all(draft)).content.decode()
    assert 'value="4"  id="id_stage_4_3" checked' in page
    assert "Governors&#x27; minutes" in page
    assert "Draft saved." in page


@pytest.mark.parametrize("bad", ["7", "abc", "0", "-1", "4.5"])
def test_bad_stage_is_a_field_error_naming_the_category(client_for, leader, draft, bad):
    response = client_for(leader).post(_edit_all(draft), {"version": 1, "stage_4": bad})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose one of the four stages for Leadership × Relevant research." in page
    assert 'href="#id_stage_4_0"' in page  # the error summary links to the field
    assert _stages(draft)[4] is None


@pytest.mark.parametrize("bad", ["abc", "", "0"])
def test_bad_version_is_an_error_not_a_crash(client_for, leader, draft, bad):
    response = client_for(leader).post(_edit_all(draft), {"version": bad, "stage_1": 2})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert _stages(draft)[1] is None


def test_form_ignores_fields_it_does_not_own(client_for, leader, draft, other_school, outsider):
    data = {
        "version": 1,
        "stage_1": 2,
        "school": other_school.pk,
        "status": "submitted",
        "submitted_by": outsider.pk,
        "period": "1999/00",
        "version_extra": 99,
    }
    client_for(leader).post(_edit_all(draft), data)
    draft.refresh_from_db()
    assert draft.school_id == leader.led_schools.get().pk
    assert draft.status == Audit.Status.DRAFT
    assert draft.submitted_by is None
    assert draft.period == "2026/27"


# Submit


def test_check_with_missing_categories_saves_and_the_check_page_names_them(
    client_for, leader, draft
):
    data = {"version": 1, "check": "1", "stage_1": 4, "evidence_1": "Typed before checking"}
    data["reflection_coherence"] = "We share at weekly briefings."
    response = client_for(leader).post(_edit_all(draft), data, follow=True)
    assert response.redirect_chain == [(reverse("audits:audit_check", args=[draft.pk]), 302)]
    page = response.content.decode()
    assert "8 categories are not rated yet" in page
    assert "Rate every category first" in page and 'id="submit-form"' not in page
    draft.refresh_from_db()
    assert draft.status == Audit.Status.DRAFT
    assert _stages(draft)[1] == 4
    assert draft.ratings.get(category=1).evidence == "Typed before checking"
    assert draft.reflection_coherence == "We share at weekly briefings."


def test_the_one_page_form_never_submits_by_itself(client_for, leader, draft):
    """Its button saves and leads to the check page, where submitting needs the box ticked
    (an old page's "submit" button does the same)."""
    client = client_for(leader)
    for button in ("check", "submit"):
        response = client.post(_edit_all(draft), _all(4, version=draft.version, **{button: "1"}))
        assert response.status_code == 302
        assert response.url == reverse("audits:audit_check", args=[draft.pk])
        draft.refresh_from_db()
        assert draft.status == Audit.Status.DRAFT
    check = reverse("audits:audit_check", args=[draft.pk])
    refused = client.post(check, {"version": draft.version})
    assert "Tick the box to confirm that the audit is to be submitted." in refused.content.decode()
    draft.refresh_from_db()
    assert draft.status == Audit.Status.DRAFT
    response = client.post(check, {"version": draft.version, "confirm": "on"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Audit.Status.SUBMITTED
    assert draft.submitted_by == leader
    assert draft.submitted_at is not None
    assert draft.is_virtuous


def test_submitted_audit_refuses_edits(client_for, leader, school):
    audit = make_audit(school, stages=2, evidence="Original")
    client = client_for(leader)
    response = client.get(_edit_all(audit))
    assert response.status_code == 302
    assert response.url == reverse("audits:audit_report", args=[audit.pk])
    response = client.post(_edit_all(audit), _all(4, version=audit.version))
    assert response.status_code == 302
    assert set(_stages(audit).values()) == {2}
    assert set(audit.ratings.values_list("evidence", flat=True)) == {"Original"}


# Start and copy forward


def _start(school):
    return reverse("audits:audit_start", args=[school.pk])


def test_period_defaults_to_the_current_academic_year(client_for, leader, school):
    response = client_for(leader).get(_start(school))
    assert response.context["form"]["period"].value() == academic_year()


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 11, 22), "2026/27"),
        (datetime.date(2026, 9, 1), "2026/27"),
        (datetime.date(2026, 8, 31), "2025/26"),
        (datetime.date(2000, 1, 1), "1999/00"),
    ],
)
def test_academic_year_runs_september_to_august(day, expected):
    assert academic_year(day) == expected


def test_start_opens_a_draft_with_nine_unrated_categories(client_for, leader, school):
    response = client_for(leader).post(_start(school), {"period": "2026/27"})
    audit = Audit.objects.get()
    assert response.url == _edit(audit)
    assert audit.school == school and audit.status == Audit.Status.DRAFT
    assert audit.created_by == leader
    assert _stages(audit) == {c.number: None for c in CATEGORIES}


def test_start_copies_forward_last_submitted_ratings_and_evidence(client_for, leader, school):
    make_audit(school, stages=1, period="2023/24", evidence="Old")
    make_audit(school, stages=[3, 3, 3, 2, 2, 2, 4, 4, 4], period="2024/25", evidence="Kept")
    make_audit(school, stages=[1] * 9, period="2025/26", submitted=False)
    client_for(leader).post(_start(school), {"period": "2026/27", "copy_forward": "on"})
    audit = Audit.objects.get(period="2026/27")
    assert [_stages(audit)[c.number] for c in CATEGORIES] == [3, 3, 3, 2, 2, 2, 4, 4, 4]
    assert set(audit.ratings.values_list("evidence", flat=True)) == {"Kept"}
    assert audit.status == Audit.Status.DRAFT


def test_start_without_copy_forward(client_for, leader, school):
    make_audit(school, stages=3, period="2024/25", evidence="Kept")
    client_for(leader).post(_start(school), {"period": "2026/27"})
    audit = Audit.objects.get(period="2026/27")
    assert set(_stages(audit).values()) == {None}


def test_duplicate_period_is_a_clear_form_error(client_for, leader, school):
    make_audit(school, stages=3, period="2026/27")
    response = client_for(leader).post(_start(school), {"period": "2026/27"})
    assert response.status_code == 200
    assert "Lampton School already has an audit for 2026/27:" in response.content.decode()
    assert Audit.objects.count() == 1


def test_duplicate_period_links_to_the_submitted_audits_report(client_for, leader, school):
    audit = make_audit(school, stages=3, period="2025/26")
    page = client_for(leader).post(_start(school), {"period": "2025/26"}).content.decode()
    report = reverse("audits:audit_report", args=[audit.pk])
    assert f'<a href="{report}">read the 2025/26 report</a>' in page
    # Not a link inside the error summary's link: the summary links to the field, in
    # plain words, and the field's own message carries the link to the report.
    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert '<a href="#id_period">Period (academic year): Lampton School already has' in summary
    assert report not in summary


def test_duplicate_period_links_to_the_draft_its_leader_may_edit_all(client_for, leader, draft):
    page = client_for(leader).post(_start(draft.school), {"period": "2026/27"}).content.decode()
    assert f'<a href="{_edit(draft)}">continue the 2026/27 draft</a>' in page


def test_duplicate_hub_period_links_to_the_hub_draft(client_for, coordinator, hub):
    draft = make_audit(hub=hub, stages=None, period="2026/27", submitted=False)
    url = reverse("audits:hub_audit_start", args=[hub.slug])
    page = client_for(coordinator).post(url, {"period": "2026/27"}).content.decode()
    assert f'<a href="{_edit(draft)}">continue the 2026/27 draft</a>' in page


# Which periods may be opened (the walkthrough's day: 28 November 2026, in 2026/27)

WALKTHROUGH_DAY = datetime.date(2026, 11, 28)


@pytest.fixture
def on_day(monkeypatch):
    """`on_day(date)` makes that date today for the code under test."""

    def set_today(day: datetime.date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    set_today(WALKTHROUGH_DAY)
    return set_today


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("2026/27", "2026/27"),
        ("2027/28", None),  # a year that has not begun: it would be "latest" for a year
        ("2025/26", "2025/26"),
        ("2000/01", "2000/01"),
        ("2099/00", None),
        ("1999/00", None),
        ("2028/29", None),
        ("2025/27", None),
        (" 2026/27 ", "2026/27"),
        ("\t2025/26  ", "2025/26"),
    ],
)
def test_start_accepts_only_sensible_periods(client_for, leader, school, on_day, typed, saved):
    response = client_for(leader).post(_start(school), {"period": typed})
    if saved:
        assert response.status_code == 302
        assert Audit.objects.get().period == saved
    else:
        assert response.status_code == 200
        assert response.context["form"].errors["period"]
        assert not Audit.objects.exists()


def test_period_too_late_says_what_is_allowed(client_for, leader, school, on_day):
    response = client_for(leader).post(_start(school), {"period": " 2030/31 "})
    errors = response.context["form"].errors["period"]
    # Trimmed, then refused for being too late, not for the spaces.
    assert errors == [
        "The period must be between 2000/01 and 2026/27 (this school year): an audit "
        "describes a school year that has begun."
    ]
    page = response.content.decode()
    assert '<a href="#id_period">Period (academic year): The period must be between' in page


def test_period_years_must_follow_each_other(client_for, leader, school, on_day):
    response = client_for(leader).post(_start(school), {"period": "2025/27"})
    [error] = response.context["form"].errors["period"]
    assert error.startswith("The period must be an academic year written as two consecutive")
    assert "2025/26" in error


@pytest.mark.parametrize(
    ("day", "latest_allowed", "first_refused"),
    [
        (datetime.date(2026, 8, 31), "2025/26", "2026/27"),
        (datetime.date(2026, 9, 1), "2026/27", "2027/28"),
    ],
)
def test_this_school_year_begins_on_1_september(
    client_for, leader, school, on_day, day, latest_allowed, first_refused
):
    on_day(day)
    client = client_for(leader)
    assert client.post(_start(school), {"period": first_refused}).status_code == 200
    assert client.post(_start(school), {"period": latest_allowed}).status_code == 302
    assert list(Audit.objects.values_list("period", flat=True)) == [latest_allowed]


def test_the_start_field_says_which_periods_are_allowed(client_for, leader, school, on_day):
    page = client_for(leader).get(_start(school)).content.decode()
    assert "this one, 2026/27, or an earlier one" in page
    assert "2027/28" not in page
    assert 'maxlength="7"' not in page  # room for spaces around a pasted period


def test_audit_model_refuses_a_far_future_period(school, leader, on_day):
    audit = Audit(school=school, period="2099/00", audit_date=WALKTHROUGH_DAY)
    with pytest.raises(ValidationError) as refused:
        audit.full_clean()
    assert "period" in refused.value.message_dict
    with pytest.raises(ValidationError):
        audit_start(school=school, period="2025/27", by=leader, copy_forward=False)
    assert not Audit.objects.exists()


def test_start_offers_the_current_year_when_it_is_free(client_for, leader, school, on_day):
    make_audit(school, stages=3, period="2025/26")
    response = client_for(leader).get(_start(school))
    assert response.context["form"]["period"].value() == "2026/27"


def test_start_never_offers_the_next_year(client_for, leader, school, on_day):
    draft = make_audit(school, stages=None, period="2026/27", submitted=False)
    response = client_for(leader).get(_start(school))
    assert not response.context["form"]["period"].value()
    page = response.content.decode()
    assert "2027/28" not in page
    # The draft of this year is what the page leads to.
    assert f'href="{_edit(draft)}"' in page
    assert "Continue the 2026/27 draft" in page


def test_start_with_this_years_audit_submitted_says_so(client_for, leader, school, on_day):
    audit = make_audit(school, stages=3, period="2026/27")
    page = client_for(leader).get(_start(school)).content.decode()
    assert "2027/28" not in page
    assert f'href="{reverse("audits:audit_report", args=[audit.pk])}"' in page


@pytest.mark.parametrize("period", ["2026/28", "2026", "abcd/ef", "", "2026-27", "2026/27x"])
def test_bad_period_is_a_form_error(client_for, leader, school, period):
    response = client_for(leader).post(_start(school), {"period": period})
    assert response.status_code == 200
    assert response.context["form"].errors["period"]
    assert not Audit.objects.exists()


def test_start_form_ignores_a_posted_school(client_for, leader, school, other_school):
    data = {"period": "2026/27", "school": other_school.pk, "status": "submitted"}
    client_for(leader).post(_start(school), data)
    audit = Audit.objects.get()
    assert audit.school == school and audit.status == Audit.Status.DRAFT


def test_hub_audit_starts_and_its_coordinator_edits_it(client_for, coordinator, hub):
    client = client_for(coordinator)
    client.post(reverse("audits:hub_audit_start", args=[hub.slug]), {"period": "2026/27"})
    audit = Audit.objects.get()
    assert audit.hub == hub and audit.school is None
    assert client.post(_edit_all(audit), _all(4, version=1, check="1")).status_code == 302
    check = reverse("audits:audit_check", args=[audit.pk])
    assert client.post(check, {"version": 2, "confirm": "on"}).status_code == 302
    audit.refresh_from_db()
    assert audit.is_submitted and audit.is_virtuous


def test_start_form_accepts_only_its_fields(school):
    form = AuditStartForm(subject=school)
    assert set(form.fields) == {"period", "copy_forward"}


def test_audit_form_fields_are_the_instrument():
    form = AuditForm()
    # the audit's version, and each part's version and digest as loaded
    expected = {"version", "reflections_version", "reflections_loaded"}
    expected |= {f"{kind}_{c.number}" for c in CATEGORIES for kind in ("version", "loaded")}
    expected |= {f"stage_{c.number}" for c in CATEGORIES}
    expected |= {f"evidence_{c.number}" for c in CATEGORIES}
    expected |= {
        "reflection_coherence",
        "reflection_knowledge_owners",
        "reflection_condoned_failure",
        "reflection_learning_phases",
    }
    assert set(form.fields) == expected


# Two editors


def _someone_else_saves(draft, stage=2, evidence="Saved by the deputy head"):
    deputy = UserFactory(username="deputy", first_name="Dana", last_name="Deputy")
    draft.school.leaders.add(deputy)
    version = draft.ratings.get(category=1).version
    answer = CategoryAnswer(stage, evidence, version)
    return audit_save_category(audit=draft, category=1, answer=answer, by=deputy)


def test_later_save_is_refused_and_shows_what_the_other_saved(client_for, leader, draft):
    client = client_for(leader)
    client.get(_edit_all(draft))  # the leader loads version 1
    _someone_else_saves(draft)  # the deputy saves: version 2
    data = {"version": 1, "stage_1": 4, "evidence_1": "Typed by the head"}
    response = client.post(_edit_all(draft), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Dana Deputy saved this audit while you were editing it" in page
    assert "Saved by the deputy head" in page  # what the other person saved
    assert "Typed by the head" in page  # the later person's text stays on the page
    assert 'value="4"  id="id_stage_1_3" checked' in page
    assert 'name="version" value="2"' in page
    rating = draft.ratings.get(category=1)
    assert (rating.stage, rating.evidence) == (2, "Saved by the deputy head")


def test_after_a_conflict_saving_again_keeps_the_later_version(client_for, leader, draft):
    client = client_for(leader)
    _someone_else_saves(draft)
    client.post(_edit_all(draft), {"version": 1, "stage_1": 4, "evidence_1": "Mine"})
    response = client.post(_edit_all(draft), {"version": 2, "stage_1": 4, "evidence_1": "Mine"})
    assert response.status_code == 302
    assert draft.ratings.get(category=1).evidence == "Mine"


def test_submit_from_a_stale_page_is_refused(client_for, leader, draft):
    _someone_else_saves(draft)
    response = client_for(leader).post(_edit_all(draft), _all(4, version=1, submit="1"))
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.status == Audit.Status.DRAFT


def test_save_after_the_other_person_submitted(client_for, leader, draft):
    client = client_for(leader)
    client.get(_edit_all(draft))
    other = client_for(leader)  # same session is fine: the version is what matters
    other.post(_edit_all(draft), _all(3, version=1, check="1"))
    other.post(reverse("audits:audit_check", args=[draft.pk]), {"version": 2, "confirm": "on"})
    response = client.post(_edit_all(draft), {"version": 1, "stage_1": 1})
    # The draft is submitted now: the edit page turns into the read-only report.
    assert response.status_code == 302
    assert set(_stages(draft).values()) == {3}


def test_error_summary_names_the_category_of_bad_evidence(client_for, leader, draft):
    data = {"version": 1, "stage_5": 2, "evidence_5": "x" * 5001}
    response = client_for(leader).post(_edit_all(draft), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_evidence_5"' in page
    assert (
        "The evidence for Leadership × Best practice is too long: 5001 characters. "
        "Shorten it to 5,000 characters or fewer."
    ) in page
    assert _stages(draft)[5] is None  # nothing saved


# Length limits: 5,000 characters of evidence, 10,000 of each reflection


def test_evidence_and_reflections_show_their_limits(client_for, leader, draft):
    page = client_for(leader).get(_edit_all(draft)).content.decode()
    assert page.count('maxlength="5000"') == len(CATEGORIES)
    assert page.count('maxlength="10000"') == 4
    assert "Up to 5,000 characters." in page and "Up to 10,000 characters." in page


def test_evidence_of_exactly_the_limit_is_saved(client_for, leader, draft):
    data = {"version": 1, "evidence_1": "x" * 5000, "reflection_coherence": "y" * 10_000}
    assert client_for(leader).post(_edit_all(draft), data).status_code == 302
    assert len(draft.ratings.get(category=1).evidence) == 5000


def test_too_long_reflection_is_refused_naming_the_question(client_for, leader, draft):
    data = {"version": 1, "reflection_coherence": "y" * 10_001}
    response = client_for(leader).post(_edit_all(draft), data)
    assert response.status_code == 200
    [(anchor, message)] = response.context["error_links"]
    assert anchor == "id_reflection_coherence"
    assert message.startswith("The answer to “How coherent")
    assert "is too long: 10001 characters. Shorten it to 10,000 characters or fewer." in message
    draft.refresh_from_db()
    assert draft.version == 1 and draft.reflection_coherence == ""


def test_a_huge_evidence_is_refused_without_saving(client_for, leader, draft):
    data = {"version": 1, "evidence_9": "z" * 500_000}
    response = client_for(leader).post(_edit_all(draft), data)
    assert response.status_code == 200
    assert draft.ratings.get(category=9).evidence == ""
