"""The "How the audit works" page: public, linked from every page's header and from the
task list, and saying what the grid, the stages and Virtuous are and who sees what."""

import pytest
from django.urls import reverse

from audits.instrument import STAGES

pytestmark = pytest.mark.django_db


def test_anyone_may_read_how_the_audit_works(client):
    response = client.get(reverse("help"))
    assert response.status_code == 200
    page = response.content.decode()
    for stage in STAGES:
        assert stage.label in page
    assert "Virtuous" in page and "Who sees what" in page


def test_the_header_links_to_it(client_for, leader):
    page = client_for(leader).get(reverse("home")).content.decode()
    header = page.split("</header>", 1)[0]
    assert f'href="{reverse("help")}"' in header
