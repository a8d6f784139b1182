"""Scale out: sessions live in the database, so two app servers behind one PostgreSQL
share them. Starts two gunicorn instances on two ports of 127.0.0.1 against the test
database, signs in on one and uses the session on the other (the full version with the
production settings is `bench/bench_scaleout.py`)."""

import os
from contextlib import ExitStack

import pytest
from django.db import connection

from bench.bench_scaleout import PASSWORD, USERNAME, Browser, gunicorn, session_round_trips
from communities.models import School
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def servers():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two servers share one database")
    db = connection.settings_dict
    env = {
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "tests.settings"),
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
            f":{db['PORT'] or 5432}/{db['NAME']}"
        ),
    }
    with ExitStack() as stack:
        yield stack.enter_context(gunicorn(env)), stack.enter_context(gunicorn(env))


@pytest.fixture
def scaleout_leader(db):
    user = UserFactory(username=USERNAME, password=PASSWORD)
    School.objects.create(name="Scale Out School").leaders.add(user)
    return user


def test_session_from_one_server_works_on_the_other(servers, scaleout_leader):
    port_a, port_b = servers
    figures = session_round_trips(port_a, port_b, rounds=10)
    assert figures["scaleout_session_failures"] == 0
    assert figures["scaleout_logout_on_b_status"] == 302
    # Signed out on B: A no longer knows the session and sends the person to log in.
    assert figures["scaleout_a_after_logout_on_b_status"] == 302


def test_without_the_session_the_other_server_asks_to_log_in(servers, scaleout_leader):
    port_a, port_b = servers
    assert Browser(port_a).login(USERNAME, PASSWORD) == 302
    status, headers, _ = Browser(port_b).get("/")
    assert status == 302
    assert headers["Location"].startswith("/accounts/login/")
