"""CSRF on every state-changing view: a POST without a token is refused (403) on every URL
pattern of the project, the admin included, whoever sends it, and changes nothing."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.clc_audit.test_access_matrix import (
    FIXTURE_FOR,
    PEOPLE,
    admin_url,
    admin_url_patterns,
    peer,  # noqa: F401  (a fixture of the world)
    project_url_names,
    snapshot,
    world,  # noqa: F401  (the fixture)
)


def csrf_client(request, person: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    if person != "anonymous":
        client.force_login(request.getfixturevalue(FIXTURE_FOR[person]))
    return client


def test_the_world_covers_every_project_url(world):  # noqa: F811
    """The paths below are tried for every named URL of the project."""
    from django.urls import resolve

    covered = set()
    for path in filter(None, world.paths.values()):
        match = resolve(path.split("?", 1)[0])
        covered.add(f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name)
    assert project_url_names() <= covered, project_url_names() - covered


@pytest.mark.parametrize("person", PEOPLE)
def test_post_without_token_is_refused_on_every_project_url(request, world, person):  # noqa: F811
    client = csrf_client(request, person)
    before = snapshot()
    for name, path in world.paths.items():
        if path is None:
            continue
        response = client.post(path, world.post_data.get(_data_key(name), {"x": "1"}))
        assert response.status_code == 403, (name, response.status_code)
    assert snapshot() == before


@pytest.mark.parametrize("person", ["admin", "leader_a", "anonymous"])
def test_post_without_token_is_refused_on_every_admin_url(request, world, person):  # noqa: F811
    client = csrf_client(request, person)
    before = snapshot()
    for name, route in admin_url_patterns():
        url = admin_url(name, route, world)
        response = client.post(url, {"post": "yes", "name": "Changed"})
        assert response.status_code == 403, (url, response.status_code)
    assert snapshot() == before


def test_admin_action_without_token_is_refused(request, world):  # noqa: F811
    client = csrf_client(request, "admin")
    audit = world.objects["submitted_a"]
    response = client.post(
        reverse("admin:audits_audit_changelist"),
        {
            "action": "reopen",
            "_selected_action": [audit.pk],
            "reason": "Attached to the wrong school.",
        },
    )
    assert response.status_code == 403
    audit.refresh_from_db()
    assert audit.is_submitted


def _data_key(path_name: str) -> str:
    return {
        "start_a": "start",
        "hub_start_a": "start",
        "edit_all_a": "edit_a",
        "edit_all_a_draft": "edit_a_draft",
        "edit_all_hub_a_draft": "edit_hub_a_draft",
        "category_a_draft": "category",
        "reflections_a_draft": "reflections",
        "check_a_draft": "submit_a_draft",
        "hub_a_sharing": "sharing",
    }.get(path_name, path_name)


def _token(client: Client, path: str) -> str:
    page = client.get(path).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_with_the_token_the_same_post_works(request, world):  # noqa: F811
    """The refusals above are the token's doing: with it, the leader's save goes through."""
    client = csrf_client(request, "leader_a")
    path = world.paths["edit_all_a_draft"]
    data = dict(world.post_data["edit_a_draft"], csrfmiddlewaretoken=_token(client, path))
    response = client.post(path, data)
    assert response.status_code == 302
    draft = world.objects["draft_a"]
    assert draft.ratings.get(category=3).evidence == "Written by whoever may."


def test_login_needs_the_token(client, leader):
    from tests.factories import PASSWORD

    csrf = Client(enforce_csrf_checks=True)
    response = csrf.post(reverse("login"), {"username": leader.username, "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in csrf.session
    token = _token(csrf, reverse("login"))
    response = csrf.post(
        reverse("login"),
        {"username": leader.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
