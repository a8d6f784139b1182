"""The improvement plan: actions from a submitted audit's gaps, with an owner, a due date
and a status, across periods (services, forms, pages, access, admin, query counts)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from audits.forms.plans import SOMEONE_ELSE, ActionForm
from audits.management.commands._demo_data import load_demo_plan
from audits.models import ImprovementAction
from audits.selectors.plans import actions_due_for, plan_events, school_plan
from audits.services.plans import ActionConflict, action_create, action_update
from communities.models import SupportAgreement
from tests.factories import PartnershipFactory, UserFactory, make_audit

pytestmark = pytest.mark.django_db

# Lampton's 2025/26 audit: categories 1 and 5 are gaps (Initiation, Engagement).
STAGES = [2, 4, 4, 4, 3, 4, 4, 4, 4]


@pytest.fixture
def audit(school, leader):
    return make_audit(school, stages=STAGES, period="2025/26")


def create(audit, by, **fields):
    defaults = {
        "category": 1,
        "description": "Heads of department plan with EEF guidance.",
        "owner": by,
        "due_on": datetime.date(2026, 6, 30),
    }
    return action_create(audit=audit, by=by, **(defaults | fields))


def post_data(**fields) -> dict:
    return {
        "category": "1",
        "description": "Heads of department plan with EEF guidance.",
        "aim": "",
        "owner": SOMEONE_ELSE,
        "owner_name": "Amira Patel",
        "due_on": "2026-06-30",
        "status": "planned",
        "outcome": "",
    } | fields


# -- the service ------------------------------------------------------------------------


def test_leader_adds_an_action_from_a_gap(audit, leader):
    action = create(audit, leader)
    assert action.school == audit.school and action.audit == audit
    assert action.status == "planned" and action.finished_on is None
    assert action.created_by == leader and action.version == 1
    assert action.history.count() == 1


def test_no_action_from_a_draft(school, leader):
    draft = make_audit(school, stages=STAGES, period="2026/27", submitted=False)
    with pytest.raises(PermissionDenied):
        create(draft, leader)
    assert not ImprovementAction.objects.exists()


def test_no_action_from_another_schools_audit(audit, outsider, coordinator):
    for person in (outsider, coordinator):
        with pytest.raises(PermissionDenied):
            create(audit, person)
    assert not ImprovementAction.objects.exists()


def test_owner_must_lead_the_school(audit, leader, outsider):
    with pytest.raises(ValidationError) as refused:
        create(audit, leader, owner=outsider)
    assert "owner" in refused.value.message_dict
    action = create(audit, leader, owner=None, owner_name="Amira Patel")
    assert action.owner_label == "Amira Patel"


def test_an_action_needs_an_owner(audit, leader):
    with pytest.raises(ValidationError) as refused:
        create(audit, leader, owner=None, owner_name=" ")
    assert "owner" in refused.value.message_dict


@pytest.mark.parametrize("due_on", [datetime.date(1, 1, 1), datetime.date(9999, 12, 31)])
def test_the_service_refuses_a_due_date_nobody_meant(audit, leader, due_on):
    with pytest.raises(ValidationError) as refused:
        create(audit, leader, due_on=due_on)
    assert "Enter a date between 1900-01-01" in refused.value.message_dict["due_on"][0]
    assert not ImprovementAction.objects.exists()


def test_done_needs_what_changed_and_is_dated(audit, leader, fixed_today):
    with pytest.raises(ValidationError) as refused:
        create(audit, leader, status="done")
    assert "outcome" in refused.value.message_dict
    action = create(audit, leader, status="done", outcome="Schemes cite the guidance.")
    assert action.finished_on == fixed_today


def test_dropped_is_dated_and_reopening_clears_it(audit, leader, fixed_today):
    action = create(audit, leader)
    action = action_update(action=action, by=leader, version=1, status="dropped")
    assert action.finished_on == fixed_today and action.version == 2
    action = action_update(action=action, by=leader, version=2, status="in_progress")
    assert action.finished_on is None and action.version == 3


def test_partnership_and_support_must_be_the_schools_own(audit, leader, other_school, hub):
    theirs = PartnershipFactory(school=other_school)
    with pytest.raises(ValidationError) as refused:
        create(audit, leader, partnership=theirs)
    assert "partnership" in refused.value.message_dict
    ours = PartnershipFactory(school=audit.school)
    assert create(audit, leader, partnership=ours).partnership == ours


def test_support_of_other_schools_is_refused(audit, leader, hub, member_school, other_school):
    support = SupportAgreement.objects.create(
        hub=hub,
        supporting_school=member_school,
        supported_school=other_school,
        category=1,
        goal="Coaching",
        started_on=datetime.date(2025, 10, 1),
        proposed_by=leader,
    )
    with pytest.raises(ValidationError) as refused:
        create(audit, leader, support=support)
    assert "support" in refused.value.message_dict


def test_a_stale_save_is_refused_with_who_changed_it(audit, leader, school):
    colleague = UserFactory(username="colleague", first_name="Rosa", last_name="Diaz")
    school.leaders.add(colleague)
    action = create(audit, leader)
    action_update(action=action, by=colleague, version=1, description="Theirs.")
    with pytest.raises(ActionConflict) as conflict:
        action_update(action=action, by=leader, version=1, description="Mine.")
    assert conflict.value.current.updated_by == colleague
    assert ImprovementAction.objects.get().description == "Theirs."


def test_a_stale_save_of_what_is_already_saved_is_not_a_conflict(audit, leader):
    action = create(audit, leader)
    action_update(action=action, by=leader, version=1, description="Same.")
    saved = action_update(action=action, by=leader, version=1, description="Same.")
    assert saved.version == 2


def test_only_the_schools_leaders_change_an_action(audit, leader, coordinator):
    action = create(audit, leader)
    with pytest.raises(PermissionDenied):
        action_update(action=action, by=coordinator, version=1, description="No.")


# -- the form ---------------------------------------------------------------------------


def form_for(audit, data, **kwargs):
    return ActionForm(data, school=audit.school, categories=[1, 5], **kwargs)


def test_form_gives_the_service_a_leader_or_a_name(audit, leader):
    form = form_for(audit, post_data(owner=str(leader.pk), owner_name="ignored"))
    assert form.is_valid(), form.errors
    fields = form.fields_for_service()
    assert fields["owner"] == leader and fields["owner_name"] == ""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"owner_name": ""}, "owner_name"),
        ({"owner": "999999"}, "owner"),
        ({"category": "2"}, "category"),  # not a gap of the audit
        ({"due_on": "2026-02-30"}, "due_on"),
        ({"due_on": ""}, "due_on"),
        ({"due_on": "0001-01-01"}, "due_on"),
        ({"due_on": "9999-12-31"}, "due_on"),
        ({"description": ""}, "description"),
        ({"status": "done"}, "outcome"),
        ({"status": "finished"}, "status"),
        ({"partnership": "999999"}, "partnership"),
    ],
)
def test_form_names_the_field_in_error(audit, leader, change, field):
    form = form_for(audit, post_data(**change))
    assert not form.is_valid()
    assert field in form.errors


def test_the_due_dates_example_is_still_to_come(audit, leader, fixed_today):
    help_text = form_for(audit, None).fields["due_on"].help_text
    assert help_text == "For example 2026-06-30."  # fixed_today is in March 2026


def test_form_offers_only_the_schools_own_ways(audit, leader, other_school):
    ours = PartnershipFactory(school=audit.school)
    theirs = PartnershipFactory(school=other_school)
    form = form_for(audit, None)
    choices = list(form.fields["partnership"].queryset)
    assert choices == [ours] and theirs not in choices
    labels = [str(label) for _value, label in form.fields["partnership"].choices]
    assert labels[0] == "None of them" and "---------" not in str(form["support"])


# -- the pages and who gets them ---------------------------------------------------------


def plan_url(school):
    return reverse("audits:school_plan", args=[school.pk])


def new_url(audit, category=1):
    return reverse("audits:action_new", args=[audit.pk]) + f"?category={category}"


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("leader", 200),
        ("coordinator", 200),
        ("admin_user", 200),
        ("outsider", 404),
        ("other_coordinator", 404),
        ("member_leader", 404),
        (None, 302),
    ],
)
def test_who_reads_the_plan_and_an_action(client_for, request, audit, leader, person, expected):
    action = create(audit, leader)
    user = request.getfixturevalue(person) if person else None
    client = client_for(user)
    for url in (plan_url(audit.school), reverse("audits:action_detail", args=[action.pk])):
        response = client.get(url)
        assert response.status_code == expected
        if expected == 404:
            assert "Lampton" not in response.content.decode()


@pytest.mark.parametrize(
    "person", ["coordinator", "admin_user", "outsider", "other_coordinator", "member_leader"]
)
def test_only_the_leader_adds_or_changes(client_for, request, audit, leader, person):
    action = create(audit, leader)
    client = client_for(request.getfixturevalue(person))
    edit = reverse("audits:action_edit", args=[action.pk])
    for url in (new_url(audit), edit):
        assert client.get(url).status_code == 404
        assert client.post(url, post_data(version="1")).status_code == 404
    assert ImprovementAction.objects.get().version == 1


def test_anonymous_is_sent_to_log_in(client, audit, leader):
    action = create(audit, leader)
    for url in (new_url(audit), reverse("audits:action_edit", args=[action.pk])):
        response = client.post(url, post_data())
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert ImprovementAction.objects.count() == 1


def test_new_action_page_prefills_the_next_stage_as_aim(client_for, audit, leader):
    response = client_for(leader).get(new_url(audit, 5))
    form = response.context["form"]
    assert form.initial["category"] == 5
    assert form.initial["aim"]  # the Integration descriptor of category 5


def test_leader_plans_an_action_from_the_report(client_for, audit, leader):
    response = client_for(leader).post(new_url(audit), post_data(owner=str(leader.pk)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("audits:audit_report", args=[audit.pk]))
    action = ImprovementAction.objects.get()
    assert (action.category, action.owner, action.updated_by) == (1, leader, leader)


def test_bad_input_gives_field_errors_and_saves_nothing(client_for, audit, leader):
    response = client_for(leader).post(new_url(audit), post_data(owner_name="", due_on="soon"))
    assert response.status_code == 200
    anchors = [anchor for anchor, _message in response.context["error_links"]]
    assert anchors == ["id_owner_name", "id_due_on"]
    assert not ImprovementAction.objects.exists()


def test_no_new_action_from_a_draft_or_a_virtuous_audit(client_for, school, leader):
    draft = make_audit(school, stages=STAGES, period="2026/27", submitted=False)
    virtuous = make_audit(school, stages=4, period="2024/25")
    for audit in (draft, virtuous):
        response = client_for(leader).post(new_url(audit), post_data())
        assert response.status_code == 302
    assert not ImprovementAction.objects.exists()


def test_leader_marks_an_action_done(client_for, audit, leader, fixed_today):
    action = create(audit, leader)
    url = reverse("audits:action_edit", args=[action.pk])
    data = post_data(status="done", outcome="Every scheme cites the guidance.", version="1")
    response = client_for(leader).post(url, data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.finished_on, action.version) == ("done", fixed_today, 2)


def test_edit_conflict_keeps_what_was_typed_and_saves_nothing(client_for, audit, leader, school):
    colleague = UserFactory(username="colleague", first_name="Rosa", last_name="Diaz")
    school.leaders.add(colleague)
    action = create(audit, leader)
    action_update(action=action, by=colleague, version=1, description="Theirs.")
    url = reverse("audits:action_edit", args=[action.pk])
    response = client_for(leader).post(url, post_data(description="Mine.", version="1"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Rosa Diaz changed this action" in page and "Mine." in page
    saved_box = page[page.index('aria-labelledby="conflict-title"') : page.index("Save again")]
    assert "Theirs." in saved_box and "Aim: what the next stage looks like" in saved_box
    assert ImprovementAction.objects.get().description == "Theirs."
    assert response.context["form"]["version"].value() == "2"


def test_edit_without_a_version_is_refused(client_for, audit, leader):
    action = create(audit, leader)
    url = reverse("audits:action_edit", args=[action.pk])
    response = client_for(leader).post(url, post_data(description="Mine."))
    assert response.status_code == 200
    assert ImprovementAction.objects.get().version == 1


# -- where the plan shows ----------------------------------------------------------------


def test_report_offers_plan_an_action_to_the_leader_only(client_for, audit, leader, coordinator):
    create(audit, leader)
    report = reverse("audits:audit_report", args=[audit.pk])
    mine = client_for(leader).get(report).content.decode()
    assert mine.count("Plan an action") == 2 and "Heads of department plan" in mine
    theirs = client_for(coordinator).get(report).content.decode()
    assert "Plan an action" not in theirs and "Heads of department plan" in theirs


def test_next_audits_category_page_shows_earlier_actions(client_for, audit, leader, school):
    create(audit, leader, status="done", outcome="Schemes cite the guidance.")
    draft = make_audit(school, stages=STAGES, period="2026/27", submitted=False)
    url = reverse("audits:audit_category", args=[draft.pk, 1])
    page = client_for(leader).get(url).content.decode()
    assert "Actions for this category from earlier audits" in page
    assert "Schemes cite the guidance." in page
    other = client_for(leader).get(reverse("audits:audit_category", args=[draft.pk, 2]))
    assert "Schemes cite the guidance." not in other.content.decode()


def test_journey_shows_actions_done_beside_stage_moves(client_for, school, leader):
    earlier = make_audit(school, stages=STAGES, period="2024/25")
    make_audit(school, stages=[3, *STAGES[1:]], period="2025/26")
    create(earlier, leader, status="done", outcome="Done.", finished_on=datetime.date(2025, 5, 1))
    page = client_for(leader).get(reverse("audits:school_journey", args=[school.pk]))
    events = page.context["plan_events"]
    assert [e.is_stage_move for e in events] == [False, True]
    assert events[1].category.number == 1


def test_home_lists_overdue_then_due_actions_first(client_for, audit, leader, fixed_today):
    day = datetime.timedelta(days=1)
    create(audit, leader, description="Later", due_on=fixed_today + 30 * day)
    create(audit, leader, description="Soon", due_on=fixed_today + 3 * day)
    create(audit, leader, description="Late", due_on=fixed_today - day)
    create(audit, leader, description="Done", due_on=fixed_today - day, status="done", outcome="x")
    assert [a.description for a in actions_due_for(leader)] == ["Late", "Soon"]
    page = client_for(leader).get(reverse("home")).content.decode()
    assert page.index("Late") < page.index("Soon") < page.index("Your schools")
    assert "Later" not in page
    assert reverse("audits:school_plan", args=[audit.school.pk]) in page


def test_plan_lists_open_actions_first_with_overdue_flagged(audit, leader, fixed_today):
    day = datetime.timedelta(days=1)
    create(audit, leader, description="Done", status="done", outcome="x")
    create(audit, leader, description="Late", due_on=fixed_today - day)
    create(audit, leader, description="Next", due_on=fixed_today + day)
    plan = school_plan(audit.school)
    assert [(a.description, a.overdue) for a in plan["open"]] == [
        ("Late", True),
        ("Next", False),
    ]
    assert [a.description for a in plan["finished"]] == ["Done"]


# -- query counts, constant in the number of actions --------------------------------------


def make_actions(audit, leader, count):
    for n in range(count):
        status = "done" if n % 3 == 0 else "planned"
        create(audit, leader, description=f"Action {n}", status=status, outcome="x")


@pytest.mark.parametrize("count", [2, 30])
def test_plan_page_queries(client_for, audit, leader, count, django_assert_num_queries):
    make_actions(audit, leader, count)
    client = client_for(leader)
    # session, user, school, latest audit (2), plan, leads.
    with django_assert_num_queries(7):
        assert client.get(plan_url(audit.school)).status_code == 200


@pytest.mark.parametrize("count", [2, 30])
def test_plan_selectors_queries(audit, leader, count, django_assert_num_queries):
    make_actions(audit, leader, count)
    with django_assert_num_queries(1):
        school_plan(audit.school)
    with django_assert_num_queries(1):
        actions_due_for(leader)
    with django_assert_num_queries(1):
        plan_events(audit.school, [])


# -- the admin: the same checks ---------------------------------------------------------


def admin_data(action, **fields) -> dict:
    data = {
        "category": action.category,
        "description": action.description,
        "aim": action.aim,
        "owner": action.owner_id or "",
        "owner_name": action.owner_name,
        "due_on": action.due_on.isoformat(),
        "status": action.status,
        "outcome": action.outcome,
        "partnership": "",
        "support": "",
        "loaded_version": action.version,
    }
    return data | fields


def test_admin_refuses_an_owner_who_does_not_lead_the_school(
    client_for, audit, leader, outsider, admin_user
):
    action = create(audit, leader)
    url = reverse("admin:audits_improvementaction_change", args=[action.pk])
    response = client_for(admin_user).post(url, admin_data(action, owner=outsider.pk))
    assert response.status_code == 200
    assert "owner" in response.context["adminform"].form.errors
    assert ImprovementAction.objects.get().owner == leader


def test_admin_refuses_a_stale_change(client_for, audit, leader, admin_user):
    action = create(audit, leader)
    action_update(action=action, by=leader, version=1, description="The leader's.")
    url = reverse("admin:audits_improvementaction_change", args=[action.pk])
    response = client_for(admin_user).post(url, admin_data(action, description="Admin's."))
    assert response.status_code == 200
    assert "changed this action" in response.content.decode()
    assert ImprovementAction.objects.get().description == "The leader's."


def test_admin_changes_and_adds_through_the_service(client_for, audit, leader, admin_user):
    action = create(audit, leader)
    client = client_for(admin_user)
    url = reverse("admin:audits_improvementaction_change", args=[action.pk])
    response = client.post(url, admin_data(action, status="dropped"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "dropped" and action.finished_on and action.version == 2
    assert action.updated_by == admin_user
    add = reverse("admin:audits_improvementaction_add")
    data = admin_data(action, audit=audit.pk, status="planned", loaded_version="")
    assert client.post(add, data).status_code == 302
    assert ImprovementAction.objects.count() == 2


def test_admin_adds_nothing_from_a_draft(client_for, school, leader, admin_user):
    draft = make_audit(school, stages=STAGES, period="2026/27", submitted=False)
    data = post_data(owner=leader.pk, owner_name="", audit=draft.pk, partnership="", support="")
    response = client_for(admin_user).post(reverse("admin:audits_improvementaction_add"), data)
    assert response.status_code == 200
    assert "audit" in response.context["adminform"].form.errors
    assert not ImprovementAction.objects.exists()


def test_admin_list_and_history_pages(client_for, audit, leader, admin_user):
    action = create(audit, leader)
    client = client_for(admin_user)
    assert client.get(reverse("admin:audits_improvementaction_changelist")).status_code == 200
    history = reverse("admin:audits_improvementaction_history", args=[action.pk])
    assert client.get(history).status_code == 200


# -- the demo's plan ------------------------------------------------------------------------


def test_demo_plan_is_added_once_from_lamptons_gaps(settings):
    settings.DEBUG = True
    call_command("loaddemo")
    leader = get_user_model().objects.get(username="leader")
    added = load_demo_plan(leader)
    assert load_demo_plan(leader) == 0  # idempotent
    actions = ImprovementAction.objects.filter(school__urn="900001").order_by("category")
    assert added in (0, 2) and [a.status for a in actions] == ["done", "in_progress"]
    assert actions[0].outcome and actions[1].owner_label == "Amira Patel, head of peer review"
    assert actions_due_for(leader) == [actions[1]]
