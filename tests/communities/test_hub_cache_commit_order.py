"""The hub page's cache on PostgreSQL when transactions commit out of order: a change
whose history row was written before another's, but committed after it, still shows on
the next load (see `selectors.hub_data_version`)."""

import threading

import pytest
from django.db import connection, transaction
from django.urls import reverse

from communities.models import School
from tests.factories import SchoolFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has one writer at a time, so commits keep order")


def test_a_change_committed_after_a_later_one_shows_on_the_next_load(
    client_for, hub, school, coordinator
):
    unrelated = SchoolFactory(name="Unrelated School")
    client = client_for(coordinator)
    url = reverse("communities:hub_detail", args=[hub.slug])
    assert b"Lampton School" in client.get(url).content
    written, release = threading.Event(), threading.Event()

    def rename_slowly():
        try:
            with transaction.atomic():
                renamed = School.objects.get(pk=school.pk)
                renamed.name = "Renamed Academy"
                renamed.save()  # its history id is taken now, seen at commit
                written.set()
                assert release.wait(10)
        finally:
            connection.close()

    writer = threading.Thread(target=rename_slowly)
    writer.start()
    assert written.wait(10)
    unrelated.name = "Unrelated School 2"
    unrelated.save()  # a newer history id, committed first
    assert b"Lampton School" in client.get(url).content  # built and cached now
    release.set()
    writer.join(10)

    page = client.get(url).content
    assert b"Renamed Academy" in page
    assert b"Lampton School" not in page
