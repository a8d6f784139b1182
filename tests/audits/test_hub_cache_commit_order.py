"""The hub page's cache on PostgreSQL when transactions commit out of order: a change
whose history row was written before another's, but committed after it, still shows on
the next load (see `audits.hub_cache.hub_page_version`)."""

import threading

import pytest
from django.db import connection, transaction
from django.urls import reverse

from communities.models import School
from tests.factories import HubMembershipFactory, SchoolFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has one writer at a time, so commits keep order")


def test_a_change_committed_after_a_later_one_shows_on_the_next_load(
    client_for, hub, school, coordinator
):
    other_member = SchoolFactory(name="Other Member School")
    HubMembershipFactory(hub=hub, school=other_member)
    client = client_for(coordinator)
    url = reverse("audits:hub_detail", args=[hub.slug])
    assert b"Lampton School" in client.get(url).content
    written, release = threading.Event(), threading.Event()
    released: list[bool] = []  # what the writer saw, asserted here, not in its thread

    def rename_slowly():
        try:
            with transaction.atomic():
                renamed = School.objects.get(pk=school.pk)
                renamed.name = "Renamed Academy"
                renamed.save()  # its history id is taken now, seen at commit
                written.set()
                released.append(release.wait(10))
        finally:
            connection.close()

    writer = threading.Thread(target=rename_slowly)
    writer.start()
    assert written.wait(10)
    other_member.name = "Other Member School 2"
    other_member.save()  # a newer history id of the same hub, committed first
    assert b"Lampton School" in client.get(url).content  # built and cached now
    release.set()
    writer.join(10)

    assert released == [True]
    page = client.get(url).content
    assert b"Renamed Academy" in page
    assert b"Lampton School" not in page
