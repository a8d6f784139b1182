"""Who gets what: every URL pattern of the project × each person → the expected answer.

The people: anonymous; the leader of school A; the leader of school B (an outsider); the
peer invited to validate A's submitted audit (the leader of another member of A's hub);
the leader of another member of A's hub, not invited; the coordinator of A's hub; the
coordinator of B's hub; an admin. `MATRIX` has an explicit row (or several,
one per kind of object) for every named URL outside the admin; a new URL pattern with no
row fails `test_every_url_pattern_has_a_row`. Admin URLs are covered generically
(`test_admin_urls`): anonymous visitors and people without staff status are sent to the
admin login; the admin reaches every page without an error.

Every refused POST leaves the database as it was (`snapshot()` before and after), and
no 404 names a school, a hub or a word of evidence.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from audits.instrument import CATEGORIES, REFLECTION_QUESTIONS
from audits.models import (
    Audit,
    EvidenceFile,
    EvidenceLink,
    ImprovementAction,
    Rating,
    Validation,
    ValidationRating,
)
from communities.models import (
    HubDeadline,
    HubMembership,
    LeaderInvitation,
    RegisterImport,
    SentMessage,
    SupportAgreement,
)
from communities.models.invitations import token_digest
from communities.tasks import run_register_import
from tests.factories import (
    PASSWORD,
    HubMembershipFactory,
    PartnershipFactory,
    SchoolFactory,
    UserFactory,
    make_audit,
)

PEOPLE = (
    "anonymous",
    "leader_a",
    "leader_b",
    "peer_a",
    "member_a",
    "coordinator_a",
    "coordinator_b",
    "admin",
)
FIXTURE_FOR = {
    "leader_a": "leader",
    "leader_b": "outsider",
    "peer_a": "peer",
    "member_a": "member_leader",
    "coordinator_a": "coordinator",
    "coordinator_b": "other_coordinator",
    "admin": "admin_user",
}


# -- the URL patterns of the project -------------------------------------------------------


def url_patterns(patterns=None, prefix: str = "", namespace: str = ""):
    """(name with namespace, or the route where a pattern has no name; the pattern)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if pattern.name:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route
            else:
                yield route, route


def project_url_names() -> set[str]:
    return {name for name, route in url_patterns() if not route.startswith("admin/")}


def admin_url_patterns() -> list[tuple[str, str]]:
    return [(name, route) for name, route in url_patterns() if route.startswith("admin/")]


# -- what each person gets ---------------------------------------------------------------


@dataclass(frozen=True)
class Redirect:
    """A 302 to a URL starting with `to` (a path, or a key of the world's `paths`)."""

    to: str


LOGIN = Redirect("/accounts/login/?next=")
ADMIN_LOGIN = Redirect("/admin/login/?next=")


def everyone(answer) -> dict:
    return dict.fromkeys(PEOPLE, answer)


def signed_in(answer) -> dict:
    return {"anonymous": LOGIN} | dict.fromkeys(PEOPLE[1:], answer)


@dataclass(frozen=True)
class Case:
    name: str  # the URL name, with its namespace
    path: str  # a key of the world's `paths`
    expect: dict
    method: str = "get"
    data: str = ""  # a key of the world's `post_data`
    label: str = ""
    changes: tuple = field(default=())  # the people whose POST may change the database

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{f' ({self.label})' if self.label else ''}"


ONLY_LEADER_A = {
    "anonymous": LOGIN,
    "leader_a": 200,
    "leader_b": 404,
    "peer_a": 404,
    "member_a": 404,
    "coordinator_a": 404,
    "coordinator_b": 404,
    "admin": 404,
}
READERS_OF_A = {
    "anonymous": LOGIN,
    "leader_a": 200,
    "leader_b": 404,
    "peer_a": 404,
    "member_a": 404,
    "coordinator_a": 200,
    "coordinator_b": 404,
    "admin": 200,
}
HUB_A_COORDINATORS = {
    "anonymous": LOGIN,
    "leader_a": 404,
    "leader_b": 404,
    "peer_a": 404,
    "member_a": 404,
    "coordinator_a": 200,
    "coordinator_b": 404,
    "admin": 200,
}
REFUSED_EDIT_OF_SUBMITTED = {
    "anonymous": LOGIN,
    "leader_a": Redirect("report_a"),
    "leader_b": 404,
    "peer_a": Redirect("report_a"),  # invited to validate it: they read it
    "member_a": 404,
    "coordinator_a": Redirect("report_a"),
    "coordinator_b": 404,
    "admin": Redirect("report_a"),
}

ONLY_PEER_A = signed_in(404) | {"peer_a": 200}
# A's submitted audit: its invited peer reads it too.
READERS_OF_SUBMITTED_A = READERS_OF_A | {"peer_a": 200}
# The leaders of A's hub's other members see its summary.
MEMBERS_OF_HUB_A = {"peer_a": 200, "member_a": 200}

MATRIX: list[Case] = [
    Case("home", "home", signed_in(200)),
    Case("healthz", "healthz", everyone(200)),
    Case("help", "help", everyone(200)),
    Case("login", "login", everyone(200)),
    Case("logout", "logout", signed_in(405)),
    Case("logout", "logout", signed_in(Redirect("/accounts/login/")), method="post"),
    Case("password_change", "password_change", signed_in(200)),
    Case(
        "password_change",
        "password_change",
        signed_in(Redirect("/accounts/password_change/done/")),
        method="post",
        data="password_change",
        changes=PEOPLE[1:],
    ),
    Case("password_change_done", "password_change_done", signed_in(200)),
    Case("switch_language", "switch_language", everyone(405)),
    Case(
        "switch_language",
        "switch_language",
        everyone(Redirect("home")),
        method="post",
        data="switch_language",
        changes=PEOPLE[1:],  # a signed-in person's choice is kept in their profile
    ),
    Case(
        "audits:hub_detail",
        "hub_a",
        HUB_A_COORDINATORS
        | dict.fromkeys(("leader_a", "peer_a", "member_a"), Redirect("hub_a_summary")),
    ),
    Case("audits:hub_summary", "hub_a_summary", READERS_OF_A | MEMBERS_OF_HUB_A),
    Case("audits:hub_sharing", "hub_a_sharing", HUB_A_COORDINATORS),
    Case(
        "audits:hub_sharing",
        "hub_a_sharing",
        HUB_A_COORDINATORS | {"coordinator_a": Redirect("hub_a"), "admin": Redirect("hub_a")},
        method="post",
        data="sharing",
        changes=("coordinator_a", "admin"),
    ),
    Case("audits:hub_export_csv", "hub_a_csv", HUB_A_COORDINATORS),
    Case("audits:hub_export_xlsx", "hub_a_xlsx", HUB_A_COORDINATORS),
    Case("audits:hub_export_pairings_csv", "hub_a_pairings", HUB_A_COORDINATORS),
    Case("audits:school_journey", "journey_a", READERS_OF_A),
    Case(
        "audits:school_journey",
        "journey_b",
        {
            "anonymous": LOGIN,
            "leader_a": 404,
            "leader_b": 200,
            "peer_a": 404,
            "member_a": 404,
            "coordinator_a": 404,
            "coordinator_b": 200,
            "admin": 200,
        },
        label="school B",
    ),
    Case("audits:audit_start", "start_a", ONLY_LEADER_A),
    Case(
        "audits:audit_start",
        "start_a",
        ONLY_LEADER_A | {"leader_a": Redirect("/audits/")},
        method="post",
        data="start",
        changes=("leader_a",),
    ),
    Case(
        "audits:hub_audit_start",
        "hub_start_a",
        HUB_A_COORDINATORS | {"admin": 404},
    ),
    Case(
        "audits:hub_audit_start",
        "hub_start_a",
        HUB_A_COORDINATORS | {"coordinator_a": Redirect("/audits/"), "admin": 404},
        method="post",
        data="start",
        changes=("coordinator_a",),
    ),
    Case("audits:audit_report", "report_a", READERS_OF_SUBMITTED_A, label="submitted"),
    Case(
        "audits:audit_report",
        "report_a_draft",
        READERS_OF_A | {"coordinator_a": 404},
        label="draft: not for the coordinator",
    ),
    Case(
        "audits:audit_report",
        "report_b",
        {
            "anonymous": LOGIN,
            "leader_a": 404,
            "leader_b": 200,
            "peer_a": 404,
            "member_a": 404,
            "coordinator_a": 404,
            "coordinator_b": 200,
            "admin": 200,
        },
        label="school B",
    ),
    Case(
        "audits:audit_report",
        "report_hub_a_draft",
        HUB_A_COORDINATORS,
        label="hub A's own draft",
    ),
    # The task list and the pages of a draft, one part at a time.
    Case(
        "audits:audit_edit",
        "edit_a_draft",
        ONLY_LEADER_A | {"admin": Redirect("report_a_draft")},
        label="draft",
    ),
    Case("audits:audit_edit", "edit_a_draft", signed_in(405), method="post", label="draft"),
    Case("audits:audit_edit", "edit_a", REFUSED_EDIT_OF_SUBMITTED, label="submitted"),
    Case(
        "audits:audit_edit",
        "edit_hub_a_draft",
        HUB_A_COORDINATORS | {"admin": Redirect("report_hub_a_draft")},
        label="hub A's draft",
    ),
    Case(
        "audits:audit_category",
        "category_a_draft",
        ONLY_LEADER_A | {"admin": Redirect("report_a_draft")},
        label="draft",
    ),
    Case(
        "audits:audit_category",
        "category_a_draft",
        ONLY_LEADER_A
        | {"leader_a": Redirect("category_a_draft_next"), "admin": Redirect("report_a_draft")},
        method="post",
        data="category",
        label="draft",
        changes=("leader_a",),
    ),
    Case("audits:audit_category", "category_a", REFUSED_EDIT_OF_SUBMITTED, label="submitted"),
    Case(
        "audits:audit_category",
        "category_a",
        REFUSED_EDIT_OF_SUBMITTED,
        method="post",
        data="category",
        label="submitted",
    ),
    Case(
        "audits:audit_category",
        "category_hub_a_draft",
        HUB_A_COORDINATORS | {"admin": Redirect("report_hub_a_draft")},
        label="hub A's draft",
    ),
    Case(
        "audits:audit_category",
        "category_a_draft_tenth",
        signed_in(404),
        label="no such category",
    ),
    Case(
        "audits:audit_reflections",
        "reflections_a_draft",
        ONLY_LEADER_A | {"admin": Redirect("report_a_draft")},
        label="draft",
    ),
    Case(
        "audits:audit_reflections",
        "reflections_a_draft",
        ONLY_LEADER_A
        | {"leader_a": Redirect("check_a_draft"), "admin": Redirect("report_a_draft")},
        method="post",
        data="reflections",
        label="draft",
        changes=("leader_a",),
    ),
    Case(
        "audits:audit_reflections",
        "reflections_a",
        REFUSED_EDIT_OF_SUBMITTED,
        method="post",
        data="reflections",
        label="submitted",
    ),
    Case(
        "audits:audit_check",
        "check_a_draft",
        ONLY_LEADER_A | {"admin": Redirect("report_a_draft")},
        label="draft",
    ),
    Case(
        "audits:audit_check",
        "check_a_draft",
        ONLY_LEADER_A
        | {"leader_a": Redirect("submitted_a_draft"), "admin": Redirect("report_a_draft")},
        method="post",
        data="submit_a_draft",
        label="draft",
        changes=("leader_a",),
    ),
    Case("audits:audit_check", "check_a", REFUSED_EDIT_OF_SUBMITTED, label="submitted"),
    Case(
        "audits:audit_check",
        "check_hub_a_draft",
        HUB_A_COORDINATORS | {"admin": Redirect("report_hub_a_draft")},
        label="hub A's draft",
    ),
    Case("audits:audit_submitted", "submitted_a", READERS_OF_SUBMITTED_A, label="submitted"),
    Case(
        "audits:audit_submitted",
        "submitted_a_draft",
        ONLY_LEADER_A | {"leader_a": Redirect("edit_a_draft"), "admin": Redirect("edit_a_draft")},
        label="a draft: back to its task list",
    ),
    Case("audits:audit_submitted", "submitted_a", signed_in(405), method="post"),
    Case("audits:evidence_file", "file_a", READERS_OF_SUBMITTED_A, label="submitted"),
    Case(
        "audits:evidence_file",
        "file_a_draft",
        READERS_OF_A | {"coordinator_a": 404},
        label="draft: not for the coordinator",
    ),
    Case("audits:evidence_file", "file_b", signed_in(404), label="of another audit"),
    Case("audits:evidence_file", "file_a", signed_in(405), method="post", label="submitted"),
    Case("audits:evidence_remove", "remove_file_a_draft", signed_in(405), label="draft"),
    Case(
        "audits:evidence_remove",
        "remove_file_a_draft",
        ONLY_LEADER_A | {"leader_a": Redirect("category_a_draft")},
        method="post",
        label="a draft's file",
        changes=("leader_a",),
    ),
    Case(
        "audits:evidence_remove",
        "remove_link_a_draft",
        ONLY_LEADER_A | {"leader_a": Redirect("category_a_draft")},
        method="post",
        label="a draft's link",
        changes=("leader_a",),
    ),
    Case(
        "audits:evidence_remove",
        "remove_file_a",
        signed_in(404),
        method="post",
        label="a submitted audit's file: never",
    ),
    Case(
        "audits:evidence_remove",
        "remove_junk_a_draft",
        signed_in(404),
        method="post",
        label="neither a file nor a link",
    ),
    # The one-page form of a whole draft.
    Case(
        "audits:audit_edit_all",
        "edit_all_a_draft",
        ONLY_LEADER_A | {"admin": Redirect("report_a_draft")},
        label="draft",
    ),
    Case(
        "audits:audit_edit_all",
        "edit_all_a_draft",
        ONLY_LEADER_A
        | {"leader_a": Redirect("edit_all_a_draft"), "admin": Redirect("report_a_draft")},
        method="post",
        data="edit_a_draft",
        label="draft",
        changes=("leader_a",),
    ),
    Case("audits:audit_edit_all", "edit_all_a", REFUSED_EDIT_OF_SUBMITTED, label="submitted"),
    Case(
        "audits:audit_edit_all",
        "edit_all_a",
        REFUSED_EDIT_OF_SUBMITTED,
        method="post",
        data="edit_a",
        label="submitted",
    ),
    Case(
        "audits:audit_edit_all",
        "edit_all_hub_a_draft",
        HUB_A_COORDINATORS | {"admin": Redirect("report_hub_a_draft")},
        label="hub A's draft",
    ),
    Case(
        "audits:audit_edit_all",
        "edit_all_hub_a_draft",
        HUB_A_COORDINATORS
        | {
            "coordinator_a": Redirect("edit_all_hub_a_draft"),
            "admin": Redirect("report_hub_a_draft"),
        },
        method="post",
        data="edit_hub_a_draft",
        label="hub A's draft",
        changes=("coordinator_a",),
    ),
    Case("audits:audit_discard", "discard_a_draft", ONLY_LEADER_A, label="draft"),
    Case(
        "audits:audit_discard",
        "discard_a_draft",
        ONLY_LEADER_A | {"leader_a": Redirect("home")},
        method="post",
        data="discard_a_draft",
        label="draft",
        changes=("leader_a",),
    ),
    Case("audits:audit_discard", "discard_a", signed_in(404), label="submitted: never"),
    Case(
        "audits:audit_discard",
        "discard_a",
        signed_in(404),
        method="post",
        data="discard_a",
        label="submitted: never",
    ),
    Case(
        "audits:audit_discard",
        "discard_hub_a_draft",
        HUB_A_COORDINATORS | {"admin": 404},
        label="hub A's draft",
    ),
    Case(
        "audits:audit_discard",
        "discard_hub_a_draft",
        HUB_A_COORDINATORS | {"coordinator_a": Redirect("home"), "admin": 404},
        method="post",
        data="discard_hub_a_draft",
        label="hub A's draft",
        changes=("coordinator_a",),
    ),
    # Partnerships: kept by the school's leaders (or the hub's coordinators), read by the
    # coordinators of its hubs.
    Case("communities:school_partnerships", "partnerships_a", READERS_OF_A),
    Case("communities:school_partnerships", "partnerships_a", signed_in(405), method="post"),
    Case("communities:school_partnership_new", "partnership_new_a", ONLY_LEADER_A),
    Case(
        "communities:school_partnership_new",
        "partnership_new_a_with_partner",
        ONLY_LEADER_A | {"leader_a": Redirect("partnerships_a")},
        method="post",
        data="partnership",
        changes=("leader_a",),
    ),
    Case("communities:partnership_edit", "partnership_edit_a", ONLY_LEADER_A),
    Case(
        "communities:partnership_edit",
        "partnership_edit_a",
        ONLY_LEADER_A | {"leader_a": Redirect("partnerships_a")},
        method="post",
        data="partnership",
        changes=("leader_a",),
    ),
    Case("communities:partnership_end", "partnership_end_a", ONLY_LEADER_A),
    Case(
        "communities:partnership_end",
        "partnership_end_a",
        ONLY_LEADER_A | {"leader_a": Redirect("partnerships_a")},
        method="post",
        data="partnership_end",
        changes=("leader_a",),
    ),
    Case("communities:hub_partnerships", "hub_partnerships_a", HUB_A_COORDINATORS),
    Case(
        "communities:hub_partnership_new",
        "hub_partnership_new_a",
        HUB_A_COORDINATORS | {"admin": 404},
    ),
    Case(
        "communities:hub_partnership_new",
        "hub_partnership_new_a_with_partner",
        HUB_A_COORDINATORS | {"coordinator_a": Redirect("hub_partnerships_a"), "admin": 404},
        method="post",
        data="partnership",
        changes=("coordinator_a",),
    ),
    Case("audits:hub_export_partnerships_csv", "hub_a_partnerships_csv", HUB_A_COORDINATORS),
    Case("audits:hub_export_partnerships_xlsx", "hub_a_partnerships_xlsx", HUB_A_COORDINATORS),
    # Agreed support: proposed by the coordinator (names are not shared in hub A, so only
    # they may), answered by both schools' leaders, read by them and the coordinator.
    Case("communities:support_new", "support_new_a", HUB_A_COORDINATORS | {"admin": 404}),
    Case(
        "communities:support_new",
        "support_new_a",
        HUB_A_COORDINATORS | {"coordinator_a": Redirect("/support/"), "admin": 404},
        method="post",
        data="support",
        changes=("coordinator_a",),
    ),
    Case(
        "communities:support_new",
        "support_new_a_with_an_outsider",
        signed_in(404),
        label="a school outside the hub",
    ),
    Case(
        "communities:support_detail",
        "support_a",
        READERS_OF_A | {"member_a": 200},
    ),
    Case(
        "communities:support_detail",
        "support_a",
        READERS_OF_A
        | {
            "leader_a": Redirect("support_a"),
            "member_a": Redirect("support_a"),
            "coordinator_a": 404,  # nothing of theirs to accept
            "admin": 404,
        },
        method="post",
        data="support_accept",
        changes=("leader_a", "member_a"),
    ),
    # Peer validation: the school's leader invites and withdraws; the invited peer (and
    # only they) works on it.
    Case("audits:validation_invite", "invite_a", ONLY_LEADER_A),
    Case(
        "audits:validation_invite",
        "invite_a",
        ONLY_LEADER_A | {"leader_a": Redirect("report_a")},
        method="post",
        data="invite",
        changes=("leader_a",),
    ),
    Case("audits:validation_invite", "invite_a_draft", signed_in(404), label="a draft: never"),
    Case("audits:validation_tasks", "validation_a", ONLY_PEER_A),
    Case("audits:validation_tasks", "validation_a", signed_in(405), method="post"),
    Case(
        "audits:validation_answer",
        "invitation_a",
        signed_in(404) | {"coordinator_a": Redirect("invitation_a_tasks")},
        method="post",
        data="accept",
        label="the coordinator's invitation",
        changes=("coordinator_a",),
    ),
    Case("audits:validation_answer", "invitation_a", signed_in(405)),
    Case("audits:validation_category", "validation_a_category", ONLY_PEER_A),
    Case(
        "audits:validation_category",
        "validation_a_category",
        ONLY_PEER_A | {"peer_a": Redirect("validation_a_next_category")},
        method="post",
        data="peer_category",
        changes=("peer_a",),
    ),
    Case("audits:validation_check", "validation_a_check", ONLY_PEER_A),
    Case(
        "audits:validation_check",
        "validation_a_check",
        ONLY_PEER_A,  # refused for the peer too: nine answers are missing
        method="post",
        data="complete",
    ),
    Case("audits:validation_withdraw", "validation_a_withdraw", signed_in(405)),
    Case(
        "audits:validation_withdraw",
        "validation_a_withdraw",
        ONLY_LEADER_A | {"leader_a": Redirect("report_a")},
        method="post",
        changes=("leader_a",),
    ),
    # Email: a forgotten password is open to everyone; the answer is the same whoever asks.
    Case("password_reset", "password_reset", everyone(200)),
    Case(
        "password_reset",
        "password_reset",
        everyone(Redirect("/accounts/password_reset/done/")),
        method="post",
        data="password_reset",
        changes=PEOPLE,  # counted for the rate limit
    ),
    Case("password_reset_done", "password_reset_done", everyone(200)),
    Case("password_reset_confirm", "password_reset_confirm_bad", everyone(200)),
    Case("password_reset_complete", "password_reset_complete", everyone(200)),
    Case("communities:my_settings", "my_settings", signed_in(200)),
    Case(
        "communities:my_settings",
        "my_settings",
        signed_in(Redirect("my_settings")),
        method="post",
        data="my_settings",
        changes=PEOPLE[1:],
    ),
    # The improvement plan: the school's leaders write it; its hub's coordinator reads it.
    Case("audits:school_plan", "plan_a", READERS_OF_A),
    Case(
        "audits:school_plan",
        "plan_b",
        signed_in(404) | {"leader_b": 200, "coordinator_b": 200, "admin": 200},
        label="school B",
    ),
    Case("audits:school_plan", "plan_a", signed_in(405), method="post"),
    Case("audits:action_new", "action_new_a", ONLY_LEADER_A, label="from a submitted audit"),
    Case(
        "audits:action_new",
        "action_new_a",
        ONLY_LEADER_A | {"leader_a": Redirect("report_a")},
        method="post",
        data="action",
        label="from a submitted audit",
        changes=("leader_a",),
    ),
    Case(
        "audits:action_new",
        "action_new_a_draft",
        ONLY_LEADER_A | {"leader_a": Redirect("report_a_draft")},
        label="from a draft: not yet",
    ),
    Case("audits:action_detail", "action_a", READERS_OF_A),
    Case("audits:action_detail", "action_a", signed_in(405), method="post"),
    Case("audits:action_edit", "action_edit_a", ONLY_LEADER_A),
    Case(
        "audits:action_edit",
        "action_edit_a",
        ONLY_LEADER_A | {"leader_a": Redirect("action_a")},
        method="post",
        data="action_edit",
        changes=("leader_a",),
    ),
    # The hub's follow-up list, deadline, actions and members: its coordinators.
    Case("audits:hub_follow_up", "hub_follow_up_a", HUB_A_COORDINATORS),
    Case("audits:hub_follow_up", "hub_follow_up_a", signed_in(405), method="post"),
    Case("audits:hub_deadline", "hub_deadline_a", HUB_A_COORDINATORS | {"admin": 404}),
    Case(
        "audits:hub_deadline",
        "hub_deadline_a",
        HUB_A_COORDINATORS | {"coordinator_a": Redirect("hub_follow_up_a"), "admin": 404},
        method="post",
        data="hub_deadline",
        changes=("coordinator_a",),
    ),
    Case("audits:hub_export_follow_up_csv", "hub_follow_up_csv_a", HUB_A_COORDINATORS),
    Case("audits:hub_export_follow_up_xlsx", "hub_follow_up_xlsx_a", HUB_A_COORDINATORS),
    Case("audits:hub_export_actions_csv", "hub_actions_csv_a", HUB_A_COORDINATORS),
    Case("audits:hub_export_actions_xlsx", "hub_actions_xlsx_a", HUB_A_COORDINATORS),
    Case("communities:hub_members", "hub_members_a", HUB_A_COORDINATORS | {"admin": 404}),
    Case("communities:hub_member_add", "hub_member_add_a", HUB_A_COORDINATORS | {"admin": 404}),
    Case(
        "communities:hub_member_add",
        "hub_member_add_a",
        HUB_A_COORDINATORS | {"coordinator_a": Redirect("hub_members_a"), "admin": 404},
        method="post",
        data="member_add",
        changes=("coordinator_a",),
    ),
    Case("communities:membership_end", "membership_end_a", HUB_A_COORDINATORS | {"admin": 404}),
    Case(
        "communities:membership_end",
        "membership_end_a",
        HUB_A_COORDINATORS | {"coordinator_a": Redirect("hub_members_a"), "admin": 404},
        method="post",
        data="membership_end",
        changes=("coordinator_a",),
    ),
    Case("communities:leader_invite", "leader_invite_a", HUB_A_COORDINATORS | {"admin": 404}),
    Case(
        "communities:leader_invite",
        "leader_invite_a_led",
        HUB_A_COORDINATORS | {"coordinator_a": 404, "admin": 404},
        label="a school with its leaders: never",
    ),
    Case(
        "communities:leader_invite",
        "leader_invite_a",
        HUB_A_COORDINATORS | {"coordinator_a": Redirect("hub_members_a"), "admin": 404},
        method="post",
        data="leader_invite",
        changes=("coordinator_a",),
    ),
    Case("communities:invitation_accept", "invitation_junk", everyone(404), label="junk"),
    Case(
        "communities:invitation_accept",
        "invitation_new_leader",
        everyone(200),
        label="a new leader's",
    ),
]


# -- the world the matrix is tried in ----------------------------------------------------


def url_or_none(name: str, args=()) -> str | None:
    """The URL, or None for a pattern that no longer exists: its rows are then reported
    once by `test_every_row_names_a_url_pattern_and_every_person` instead of erroring."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def audit_form_data(audit, words: str) -> dict:
    data = {"version": audit.version, "save": "Save draft"}
    for category in CATEGORIES:
        data[f"stage_{category.number}"] = "4"
        data[f"evidence_{category.number}"] = words
    for question in REFLECTION_QUESTIONS:
        data[question.field] = words
    return data


def evidence_file_of(audit, category: int) -> EvidenceFile:
    """A PDF attached to a category of the audit (a submitted one's as if attached before
    it was submitted)."""
    status = audit.status
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.DRAFT)
    evidence = EvidenceFile(
        rating=Rating.objects.get(audit_id=audit.pk, category=category),
        name="Minutes.pdf",
        content_type="application/pdf",
        size=9,
    )
    evidence.file.save("Minutes.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    evidence.save()
    Audit.objects.filter(pk=audit.pk).update(status=status)
    return evidence


def _with_query(url: str | None, **query) -> str | None:
    return None if url is None else f"{url}?{urlencode(query)}"


@pytest.fixture
def peer(hub):
    """The leader of another member of hub A, invited to validate A's submitted audit."""
    school = SchoolFactory(name="Cranford Green Primary")
    HubMembershipFactory(hub=hub, school=school)
    user = UserFactory(username="peer_a")
    school.leaders.add(user)
    return user


@dataclass
class World:
    paths: dict
    post_data: dict
    objects: dict
    names: tuple = ()  # what a 404 must never name


@pytest.fixture
def world(
    school,
    hub,
    other_school,
    other_hub,
    leader,
    coordinator,
    outsider,
    other_coordinator,
    member_school,
    member_leader,
    peer,
):
    submitted_a = make_audit(school, stages=3, period="2024/25", evidence="Peer review.")
    draft_a = make_audit(school, stages=[2] * 9, period="2025/26", submitted=False)
    file_a_draft = evidence_file_of(draft_a, 1)
    link_a_draft = EvidenceLink.objects.create(
        rating=draft_a.ratings.get(category=1), url="https://example.org/minutes"
    )
    file_a = evidence_file_of(submitted_a, 2)
    submitted_b = make_audit(other_school, stages=4, period="2024/25")
    hub_draft = make_audit(hub=hub, stages=[1] * 9, period="2025/26", submitted=False)
    partnership = PartnershipFactory(school=school, started_on=datetime.date(2020, 9, 1))
    PartnershipFactory(school=None, hub=hub, categories=[7, 8])
    support = SupportAgreement.objects.create(
        hub=hub,
        supporting_school=member_school,
        supported_school=school,
        category=1,
        goal="Lesson study together",
        started_on=datetime.date(2026, 9, 1),
        proposed_by=coordinator,
    )
    validation = Validation.objects.create(
        audit=submitted_a,
        validator=peer,
        invited_by=leader,
        status=Validation.Status.ACCEPTED,
        audit_version=submitted_a.version,
    )
    invitation = Validation.objects.create(
        audit=submitted_a, validator=coordinator, invited_by=leader, audit_version=1
    )
    ValidationRating.objects.bulk_create(
        ValidationRating(validation=v, category=c.number, school_stage=3)
        for v in (validation, invitation)
        for c in CATEGORIES
    )
    action_a = ImprovementAction.objects.create(
        school=school,
        audit=submitted_a,
        category=1,
        description="Lesson study",
        owner=leader,
        due_on=datetime.date(2026, 6, 30),
        created_by=leader,
        updated_by=leader,
    )
    member_membership = HubMembership.objects.get(hub=hub, school=member_school)
    LeaderInvitation.objects.create(
        hub=hub,
        school=member_school,
        email="new.leader@example.org",
        invited_by=coordinator,
        token_digest=token_digest("a-new-leaders-token"),
        expires_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
    )
    joining = SchoolFactory(name="Feltham Community College", urn="900777")
    # A member school nobody leads yet: where the coordinator invites a first leader.
    leaderless = SchoolFactory(name="Hanwell Fields School", urn="900778")
    HubMembershipFactory(hub=hub, school=leaderless)
    HubDeadline.objects.create(
        hub=hub, period="2025/26", due_on=datetime.date(2026, 6, 30), set_by=coordinator
    )
    SentMessage.objects.create(
        kind=SentMessage.Kind.DEADLINE,
        to_email="leader@example.org",
        subject="CLC Audit: the audit deadline",
        day=datetime.date(2026, 12, 1),
    )
    rating = draft_a.ratings.get(category=1)
    rating.evidence = "A change that leaves history."
    rating.save()
    paths = {
        "home": url_or_none("home"),
        "healthz": url_or_none("healthz"),
        "login": url_or_none("login"),
        "logout": url_or_none("logout"),
        "password_change": url_or_none("password_change"),
        "password_change_done": url_or_none("password_change_done"),
        "switch_language": url_or_none("switch_language"),
        "hub_a": url_or_none("audits:hub_detail", args=[hub.slug]),
        "hub_a_summary": url_or_none("audits:hub_summary", args=[hub.slug]),
        "hub_a_csv": url_or_none("audits:hub_export_csv", args=[hub.slug]),
        "hub_a_xlsx": url_or_none("audits:hub_export_xlsx", args=[hub.slug]),
        "hub_a_pairings": url_or_none("audits:hub_export_pairings_csv", args=[hub.slug]),
        "journey_a": url_or_none("audits:school_journey", args=[school.pk]),
        "journey_b": url_or_none("audits:school_journey", args=[other_school.pk]),
        "start_a": url_or_none("audits:audit_start", args=[school.pk]),
        "hub_start_a": url_or_none("audits:hub_audit_start", args=[hub.slug]),
        "report_a": url_or_none("audits:audit_report", args=[submitted_a.pk]),
        "report_a_draft": url_or_none("audits:audit_report", args=[draft_a.pk]),
        "report_b": url_or_none("audits:audit_report", args=[submitted_b.pk]),
        "report_hub_a_draft": url_or_none("audits:audit_report", args=[hub_draft.pk]),
        "edit_a": url_or_none("audits:audit_edit", args=[submitted_a.pk]),
        "edit_a_draft": url_or_none("audits:audit_edit", args=[draft_a.pk]),
        "edit_hub_a_draft": url_or_none("audits:audit_edit", args=[hub_draft.pk]),
        "edit_all_a": url_or_none("audits:audit_edit_all", args=[submitted_a.pk]),
        "edit_all_a_draft": url_or_none("audits:audit_edit_all", args=[draft_a.pk]),
        "edit_all_hub_a_draft": url_or_none("audits:audit_edit_all", args=[hub_draft.pk]),
        "category_a": url_or_none("audits:audit_category", args=[submitted_a.pk, 1]),
        "category_a_draft": url_or_none("audits:audit_category", args=[draft_a.pk, 1]),
        "category_a_draft_next": url_or_none("audits:audit_category", args=[draft_a.pk, 2]),
        "category_a_draft_tenth": url_or_none("audits:audit_category", args=[draft_a.pk, 10]),
        "category_hub_a_draft": url_or_none("audits:audit_category", args=[hub_draft.pk, 1]),
        "reflections_a": url_or_none("audits:audit_reflections", args=[submitted_a.pk]),
        "reflections_a_draft": url_or_none("audits:audit_reflections", args=[draft_a.pk]),
        "check_a": url_or_none("audits:audit_check", args=[submitted_a.pk]),
        "check_a_draft": url_or_none("audits:audit_check", args=[draft_a.pk]),
        "check_hub_a_draft": url_or_none("audits:audit_check", args=[hub_draft.pk]),
        "submitted_a": url_or_none("audits:audit_submitted", args=[submitted_a.pk]),
        "submitted_a_draft": url_or_none("audits:audit_submitted", args=[draft_a.pk]),
        "file_a": url_or_none("audits:evidence_file", args=[submitted_a.pk, file_a.pk]),
        "file_a_draft": url_or_none("audits:evidence_file", args=[draft_a.pk, file_a_draft.pk]),
        "file_b": url_or_none("audits:evidence_file", args=[submitted_b.pk, file_a.pk]),
        "remove_file_a": url_or_none(
            "audits:evidence_remove", args=[submitted_a.pk, "files", file_a.pk]
        ),
        "remove_file_a_draft": url_or_none(
            "audits:evidence_remove", args=[draft_a.pk, "files", file_a_draft.pk]
        ),
        "remove_link_a_draft": url_or_none(
            "audits:evidence_remove", args=[draft_a.pk, "links", link_a_draft.pk]
        ),
        "remove_junk_a_draft": url_or_none(
            "audits:evidence_remove", args=[draft_a.pk, "ratings", file_a_draft.pk]
        ),
        "help": url_or_none("help"),
        "partnerships_a": url_or_none("communities:school_partnerships", args=[school.pk]),
        "partnership_new_a": url_or_none("communities:school_partnership_new", args=[school.pk]),
        "partnership_new_a_with_partner": _with_query(
            url_or_none("communities:school_partnership_new", args=[school.pk]),
            partner=partnership.partner_id,
        ),
        "partnership_edit_a": url_or_none("communities:partnership_edit", args=[partnership.pk]),
        "partnership_end_a": url_or_none("communities:partnership_end", args=[partnership.pk]),
        "hub_partnerships_a": url_or_none("communities:hub_partnerships", args=[hub.slug]),
        "hub_partnership_new_a": url_or_none("communities:hub_partnership_new", args=[hub.slug]),
        "hub_partnership_new_a_with_partner": _with_query(
            url_or_none("communities:hub_partnership_new", args=[hub.slug]),
            partner=partnership.partner_id,
        ),
        "hub_a_partnerships_csv": url_or_none(
            "audits:hub_export_partnerships_csv", args=[hub.slug]
        ),
        "hub_a_partnerships_xlsx": url_or_none(
            "audits:hub_export_partnerships_xlsx", args=[hub.slug]
        ),
        "support_new_a": _with_query(
            url_or_none("communities:support_new", args=[hub.slug]),
            supporting=member_school.pk,
            supported=school.pk,
            category=2,
        ),
        "support_new_a_with_an_outsider": _with_query(
            url_or_none("communities:support_new", args=[hub.slug]),
            supporting=other_school.pk,
            supported=school.pk,
            category=2,
        ),
        "support_a": url_or_none("communities:support_detail", args=[support.pk]),
        "invite_a": url_or_none("audits:validation_invite", args=[submitted_a.pk]),
        "invite_a_draft": url_or_none("audits:validation_invite", args=[draft_a.pk]),
        "validation_a": url_or_none("audits:validation_tasks", args=[validation.pk]),
        "validation_a_category": url_or_none("audits:validation_category", args=[validation.pk, 1]),
        "validation_a_next_category": url_or_none(
            "audits:validation_category", args=[validation.pk, 2]
        ),
        "validation_a_check": url_or_none("audits:validation_check", args=[validation.pk]),
        "validation_a_withdraw": url_or_none("audits:validation_withdraw", args=[validation.pk]),
        "invitation_a": url_or_none("audits:validation_answer", args=[invitation.pk]),
        "invitation_a_tasks": url_or_none("audits:validation_tasks", args=[invitation.pk]),
        "hub_a_sharing": url_or_none("audits:hub_sharing", args=[hub.slug]),
        "discard_a": url_or_none("audits:audit_discard", args=[submitted_a.pk]),
        "discard_a_draft": url_or_none("audits:audit_discard", args=[draft_a.pk]),
        "discard_hub_a_draft": url_or_none("audits:audit_discard", args=[hub_draft.pk]),
        "password_reset": url_or_none("password_reset"),
        "password_reset_done": url_or_none("password_reset_done"),
        "password_reset_confirm_bad": url_or_none("password_reset_confirm", args=["MQ", "bad"]),
        "password_reset_complete": url_or_none("password_reset_complete"),
        "my_settings": url_or_none("communities:my_settings"),
        "plan_a": url_or_none("audits:school_plan", args=[school.pk]),
        "plan_b": url_or_none("audits:school_plan", args=[other_school.pk]),
        "action_new_a": _with_query(
            url_or_none("audits:action_new", args=[submitted_a.pk]), category=1
        ),
        "action_new_a_draft": url_or_none("audits:action_new", args=[draft_a.pk]),
        "action_a": url_or_none("audits:action_detail", args=[action_a.pk]),
        "action_edit_a": url_or_none("audits:action_edit", args=[action_a.pk]),
        "hub_follow_up_a": url_or_none("audits:hub_follow_up", args=[hub.slug]),
        "hub_deadline_a": url_or_none("audits:hub_deadline", args=[hub.slug]),
        "hub_follow_up_csv_a": url_or_none("audits:hub_export_follow_up_csv", args=[hub.slug]),
        "hub_follow_up_xlsx_a": url_or_none("audits:hub_export_follow_up_xlsx", args=[hub.slug]),
        "hub_actions_csv_a": url_or_none("audits:hub_export_actions_csv", args=[hub.slug]),
        "hub_actions_xlsx_a": url_or_none("audits:hub_export_actions_xlsx", args=[hub.slug]),
        "hub_members_a": url_or_none("communities:hub_members", args=[hub.slug]),
        "hub_member_add_a": _with_query(
            url_or_none("communities:hub_member_add", args=[hub.slug]), q="Feltham"
        ),
        "membership_end_a": url_or_none("communities:membership_end", args=[member_membership.pk]),
        "leader_invite_a": url_or_none("communities:leader_invite", args=[hub.slug, leaderless.pk]),
        "leader_invite_a_led": url_or_none(
            "communities:leader_invite", args=[hub.slug, member_school.pk]
        ),
        "invitation_junk": url_or_none("communities:invitation_accept", args=["junk-token"]),
        "invitation_new_leader": url_or_none(
            "communities:invitation_accept", args=["a-new-leaders-token"]
        ),
    }
    new_password = "a-new-and-long-password-2026"
    post_data = {
        "password_change": {
            "old_password": PASSWORD,
            "new_password1": new_password,
            "new_password2": new_password,
        },
        "start": {"period": "2026/27", "copy_forward": "on"},
        "switch_language": {"language": "fr-ca", "next": "/"},
        "edit_a": audit_form_data(submitted_a, "Overwritten by a refused post."),
        "edit_a_draft": audit_form_data(draft_a, "Written by whoever may."),
        "edit_hub_a_draft": audit_form_data(hub_draft, "Written by the hub's coordinator."),
        "category": {
            "stage": "3",
            "evidence": "Written on the category's page.",
            "version": "1",
            "loaded": "",
        },
        "reflections": {
            **{q.field: "Written on the reflections page." for q in REFLECTION_QUESTIONS},
            "version": "1",
            "loaded": "",
        },
        "submit_a_draft": {"version": draft_a.version, "confirm": "on"},
        "sharing": {"names_in_suggestions": "True"},
        "partnership": {
            "activity": "Lesson study",
            "learning_phase": "coaching",
            "categories": ["1", "5"],
            "started_on": "2025-09-01",
        },
        "partnership_end": {"ended_on": "2026-11-30"},
        "support": {"goal": "Better oracy", "started_on": "2026-11-01"},
        "support_accept": {"action": "accept"},
        "invite": {"validator": str(member_leader.pk), "message": "Would you?"},
        "accept": {"accept": "1"},
        "peer_category": {"stage": "3", "comment": "", "version": "1", "loaded": ""},
        "complete": {"version": str(validation.version), "confirm": "on"},
        "discard_a": {"version": submitted_a.version},
        "discard_a_draft": {"version": draft_a.version},
        "discard_hub_a_draft": {"version": hub_draft.version},
        "password_reset": {"email": "nobody@example.org"},
        "my_settings": {"email_reminders": "on", "language": "en-gb"},
        "action": {
            "category": "1",
            "description": "Peer review",
            "owner": "other",
            "owner_name": "A. Patel",
            "due_on": "2026-06-30",
            "status": "planned",
            "outcome": "",
        },
        "action_edit": {
            "category": "1",
            "description": "Peer review",
            "owner": "other",
            "owner_name": "A. Patel",
            "due_on": "2026-06-30",
            "status": "planned",
            "outcome": "",
            "version": "1",
        },
        "hub_deadline": {"due_on": "2026-06-30", "seen": ""},
        "member_add": {"school": str(joining.pk)},
        "membership_end": {"left_on": "2026-11-30"},
        "leader_invite": {"name": "New Leader", "email": "another.leader@example.org"},
    }
    register_import = RegisterImport.objects.create(
        register=ContentFile(b"URN\r\n", name="edubasealldata.csv"), status="done"
    )
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    ):
        queued = run_register_import.enqueue(register_import.pk)  # waits: no worker here
    objects = {
        "register_import": register_import,
        "queued_task": queued,
        "submitted_a": submitted_a,
        "draft_a": draft_a,
        "hub_draft": hub_draft,
        "partnership": partnership,
        "group": Group.objects.create(name="Readers"),
        "attempt": AccessAttempt.objects.create(
            username="someone", ip_address="10.0.0.9", failures_since_start=1
        ),
        "access_log": AccessLog.objects.create(username="someone", ip_address="10.0.0.9"),
        "failure_log": AccessFailureLog.objects.create(username="someone", ip_address="10.0.0.9"),
    }
    names = (school.name, hub.name, other_school.name, other_hub.name, "Peer review.")
    return World(paths, post_data, objects, names)


def client_as(request, person: str) -> Client:
    client = Client()
    if person != "anonymous":
        client.force_login(request.getfixturevalue(FIXTURE_FOR[person]))
    return client


def snapshot() -> str:
    """Every row of the domain (schools, hubs, memberships, partners, partnerships,
    audits, ratings and all their history) and of the people, serialised."""
    models = [
        *apps.get_app_config("communities").get_models(),
        *apps.get_app_config("audits").get_models(),
        apps.get_model("auth", "User"),
        apps.get_model("auth", "Group"),
    ]
    return "\n".join(
        serializers.serialize("json", model._default_manager.order_by("pk")) for model in models
    )


def check_answer(response, expected, world: World) -> None:
    if isinstance(expected, Redirect):
        assert response.status_code == 302, response.status_code
        target = world.paths.get(expected.to, expected.to)
        assert response["Location"].startswith(target), response["Location"]
    else:
        assert response.status_code == expected
    if expected == 404:
        content = response.content.decode()
        leaked = [name for name in world.names if name in content]
        assert not leaked, f"a 404 names {leaked}"


# -- the tests ---------------------------------------------------------------------------


def test_every_url_pattern_has_a_row():
    missing = project_url_names() - {case.name for case in MATRIX}
    assert not missing, f"URL patterns with no row in the access matrix: {sorted(missing)}"


def test_every_row_names_a_url_pattern_and_every_person():
    names = project_url_names()
    for case in MATRIX:
        assert case.name in names, case.id
        assert set(case.expect) == set(PEOPLE), case.id


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("case", MATRIX, ids=lambda case: case.id)
def test_access(request, world, case, person):
    path = world.paths[case.path]
    if path is None:
        pytest.skip(f"{case.name} is gone: drop its rows")
    client = client_as(request, person)
    if case.method == "post":
        before = snapshot()
        response = client.post(path, world.post_data.get(case.data, {}))
        if person not in case.changes:
            assert snapshot() == before, f"a refused POST changed the database: {case.id}"
    else:
        response = client.get(path)
    check_answer(response, case.expect[person], world)
    if response["Content-Type"].startswith("text/html"):
        assert response["X-Frame-Options"] == "DENY"
        assert "Content-Security-Policy" in response


@pytest.mark.parametrize("person", PEOPLE)
def test_posting_to_any_page_without_a_form_changes_nothing(request, world, person):
    """An empty POST to every page (forms included: an empty form is refused)."""
    client = client_as(request, person)
    before = snapshot()
    for name, path in world.paths.items():
        if path is None or name in ("logout", "login"):
            continue  # signing out or a failed sign-in touch sessions and lockout rows only
        if name.startswith("remove_") or name.endswith("_withdraw"):
            continue  # a button is the whole form: its rows above test who may
        response = client.post(path, {})
        assert response.status_code < 500, (name, response.status_code)
    assert snapshot() == before


# -- the admin, generically --------------------------------------------------------------


def _model_for(route: str):
    parts = route.split("/")
    if len(parts) > 3:
        try:
            return apps.get_model(parts[1], parts[2])
        except (LookupError, ValueError):
            return None
    return None


def admin_url(name: str, route: str, world: World) -> str:
    """A concrete URL for an admin pattern, on an object that exists where one is needed."""
    model = _model_for(route)
    obj = None
    if model is not None:
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"the world has no {model.__name__} for {route}"
    if name == "admin:app_list":
        return reverse(name, kwargs={"app_label": "audits"})
    if name == "admin:view_on_site":
        audit = world.objects["submitted_a"]
        return reverse(name, args=[ContentType.objects.get_for_model(audit).pk, audit.pk])
    if name.endswith("_simple_history"):
        record = model.history.order_by("history_id").first()
        assert record is not None, f"the world has no history of {model.__name__}"
        return reverse(name, args=[getattr(record, model._meta.pk.attname), record.history_id])
    if name.startswith("admin:") and "<" not in route and "(" not in route:
        return reverse(name)
    if name.startswith("admin:") and obj is not None and route.count("<") == 1:
        return reverse(name, args=[obj.pk])
    if route.endswith("<path:object_id>/"):  # the old change URL: redirects to the new one
        return "/" + route.replace("<path:object_id>", str(obj.pk))
    if route == "admin/(?P<url>.*)$":
        return "/admin/no-such-page/"
    raise AssertionError(f"no sample URL for the admin pattern {name} ({route}): add one")


ADMIN_PUBLIC = {"admin:login": 200}


@pytest.mark.parametrize("person", PEOPLE)
def test_admin_urls(request, world, person):
    client = client_as(request, person)
    before = snapshot()
    answers = {}
    for name, route in admin_url_patterns():
        url = admin_url(name, route, world)
        response = client.get(url)
        answers[url] = response.status_code
        if name == "admin:logout":
            assert response.status_code in (302, 405)
        elif person != "admin":
            if name in ADMIN_PUBLIC:
                assert response.status_code == ADMIN_PUBLIC[name], url
            elif name == "admin:view_on_site":
                # Only a content type and an id: it redirects to the object's own page,
                # which checks access itself (tried in the matrix above).
                assert response.status_code in (302, 404), url
            elif person == "anonymous":
                # The site's login (LoginRequiredMiddleware) or the admin's: both return
                # to the admin page after signing in.
                assert response.status_code == 302, url
                assert response["Location"].startswith(("/accounts/login/", "/admin/login/"))
            else:
                check_answer(response, ADMIN_LOGIN, world)
        else:
            assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
            if name == "admin:index" or name.endswith("_changelist"):
                assert response.status_code == 200, url
            if route == "admin/(?P<url>.*)$":
                assert response.status_code == 404
    assert snapshot() == before
    assert answers


@pytest.mark.parametrize("person", PEOPLE[:-1])
def test_admin_posts_by_non_staff_change_nothing(request, world, person):
    client = client_as(request, person)
    audit = world.objects["submitted_a"]
    before = snapshot()
    attempts = [
        (
            reverse("admin:audits_audit_changelist"),
            {"action": "reopen", "_selected_action": audit.pk},
        ),
        (reverse("admin:audits_audit_delete", args=[world.objects["draft_a"].pk]), {"post": "yes"}),
        (reverse("admin:communities_school_add"), {"name": "Sneaked In School"}),
        (
            reverse("admin:auth_user_change", args=[request.getfixturevalue("leader").pk]),
            {"username": "leader_a", "is_staff": "on", "is_superuser": "on"},
        ),
        (
            reverse("admin:communities_partnership_delete", args=[world.objects["partnership"].pk]),
            {"post": "yes"},
        ),
    ]
    for url, data in attempts:
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith(("/accounts/login/", "/admin/login/")), url
    assert snapshot() == before
