"""My settings: a person turns reminders off and chooses a language, for themselves."""

import pytest
from django.urls import reverse

from communities.models import Profile

URL = reverse("communities:my_settings")


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("person", ["leader", "coordinator", "outsider", "member_leader"])
def test_each_person_sees_their_own_settings(client_for, person, request):
    response = client_for(request.getfixturevalue(person)).get(URL)
    assert response.status_code == 200
    assert "Email me reminders" in response.content.decode()


def test_the_header_links_to_it(client_for, leader):
    assert URL in client_for(leader).get(reverse("home")).content.decode()


def test_turning_reminders_off_and_choosing_a_language(client_for, leader, outsider):
    response = client_for(leader).post(URL, {"language": "fr-ca"})
    assert response.status_code == 302
    profile = Profile.objects.get(user=leader)
    assert (profile.email_reminders, profile.language) == (False, "fr-ca")
    assert not Profile.objects.filter(user=outsider, email_reminders=False).exists()


def test_an_unknown_language_is_a_field_error(client_for, leader):
    response = client_for(leader).post(URL, {"email_reminders": "on", "language": "xx"})
    assert response.status_code == 200
    assert 'href="#id_language"' in response.content.decode()
    assert not Profile.objects.filter(user=leader, language="xx").exists()
