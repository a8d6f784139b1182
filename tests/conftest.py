"""Fixtures shared by the suite: the four people every protected page is tried with.

- `leader`: leads `school` (a current member of `hub`).
- `coordinator`: coordinates `hub`.
- `outsider`: leads `other_school`, a member of `other_hub`.
- `other_coordinator`: coordinates `other_hub`.
- `member_leader`: leads `member_school`, another member of `hub` (a peer, to invite).
- anonymous: the plain `client`.
"""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from tests.factories import (
    HubFactory,
    HubMembershipFactory,
    SchoolFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: on SQLite, ids (and so cache keys built from
    them) repeat from one rolled-back test to the next."""
    for each in caches.all():
        each.clear()


@pytest.fixture
def school(db):
    return SchoolFactory(name="Lampton School", urn="900001")


@pytest.fixture
def hub(school):
    hub = HubFactory(name="London West", slug="london-west", lead_school=school)
    HubMembershipFactory(hub=hub, school=school, role="lead")
    return hub


@pytest.fixture
def other_school(db):
    return SchoolFactory(name="Torriano School", urn="900101")


@pytest.fixture
def other_hub(other_school):
    hub = HubFactory(name="Oracy Hub", slug="oracy", lead_school=other_school)
    HubMembershipFactory(hub=hub, school=other_school, role="lead")
    return hub


@pytest.fixture
def leader(school):
    user = UserFactory(username="leader_a")
    school.leaders.add(user)
    return user


@pytest.fixture
def coordinator(hub):
    user = UserFactory(username="coordinator_a")
    hub.coordinators.add(user)
    return user


@pytest.fixture
def outsider(other_school):
    user = UserFactory(username="leader_b")
    other_school.leaders.add(user)
    return user


@pytest.fixture
def other_coordinator(other_hub):
    user = UserFactory(username="coordinator_b")
    other_hub.coordinators.add(user)
    return user


@pytest.fixture
def member_school(hub):
    """Another current member of `hub`: Brentside, whose leader is a peer of `school`."""
    school = SchoolFactory(name="Brentside Community College", urn="900003")
    HubMembershipFactory(hub=hub, school=school)
    return school


@pytest.fixture
def member_leader(member_school):
    """The leader of another member school of `hub`: a peer of `school`'s leader, who
    sees only the hub's summary until invited to validate an audit."""
    user = UserFactory(username="member_a")
    member_school.leaders.add(user)
    return user


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin_root", is_staff=True, is_superuser=True)


@pytest.fixture
def client_for(client):
    """`client_for(user)` logs `user` in (None stays anonymous) and returns the client."""

    def login(user):
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def fixed_today(monkeypatch) -> datetime.date:
    """Today, fixed for the test (2 March 2026), wherever the code asks
    `timezone.localdate()`: a test that compares with today's date cannot fail because
    midnight passed between the request and the assertion."""
    day = datetime.date(2026, 3, 2)
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return day if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return day


@pytest.fixture
def only_this_test_moves_the_data_version(monkeypatch):
    """On PostgreSQL the hub cache's data version holds the server's snapshot, which any
    commit on the server moves, the other test workers' included: a test that counts the
    queries of a cached page lets only its own writes move it (the snapshot's part is
    tested in tests/audits/test_hub_cache_commit_order.py)."""
    from audits import hub_cache

    real = hub_cache.data_version
    kept = len(hub_cache.TRACKED) + 1  # the newest history ids and the newest rating
    monkeypatch.setattr(hub_cache, "data_version", lambda: real()[:kept])
