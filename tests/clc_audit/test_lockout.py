"""Login lockout (django-axes) through the real login view, and the password rules."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from clc_audit.client_ip import parse_networks
from tests.factories import PASSWORD

LOGIN = "/accounts/login/"


def attempt(client, username, password="not-the-password", address="127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail_five_times(client, username, address="127.0.0.1"):
    for _ in range(5):
        response = attempt(client, username, address=address)
    return response


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_url_is_the_documented_one():
    assert reverse("login") == LOGIN


def test_four_failures_do_not_lock(client, leader):
    for _ in range(4):
        assert attempt(client, leader.username).status_code == 200
    response = attempt(client, leader.username, PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_five_failures_lock_the_username_from_that_address(client, leader):
    fail_five_times(client, leader.username)
    response = attempt(client, leader.username, PASSWORD)
    assert response.status_code == 429
    assert not is_signed_in(client)
    text = response.content.decode()
    assert "locked" in text
    assert "15 minutes" in text


def test_lock_is_for_that_username_and_address_only(client, leader, outsider):
    fail_five_times(client, leader.username)
    # Another person from the same address signs in.
    assert attempt(client, outsider.username, PASSWORD).status_code == 302
    client.logout()
    # The same person from another address signs in.
    assert attempt(client, leader.username, PASSWORD, address="10.1.2.3").status_code == 302


def move_attempts_back(minutes: int) -> None:
    for row in AccessAttempt.objects.all():
        row.attempt_time -= timedelta(minutes=minutes)
        row.save(update_fields=["attempt_time"])


def test_lock_holds_for_fifteen_minutes(client, leader):
    fail_five_times(client, leader.username)
    move_attempts_back(14)
    assert attempt(client, leader.username, PASSWORD).status_code == 429


def test_lock_lifts_after_fifteen_minutes(client, leader):
    fail_five_times(client, leader.username)
    move_attempts_back(16)
    assert attempt(client, leader.username, PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "command",
    [("axes_reset",), ("axes_reset_username", "leader_a"), ("axes_reset_ip", "127.0.0.1")],
    ids=lambda command: command[0],
)
def test_admin_unlocks_with_a_management_command(client, leader, command):
    fail_five_times(client, leader.username)
    assert attempt(client, leader.username, PASSWORD).status_code == 429
    call_command(*command, verbosity=0)
    assert attempt(client, leader.username, PASSWORD).status_code == 302


def test_admin_sees_and_unlocks_in_the_admin(client, leader, admin_user):
    fail_five_times(client, leader.username)
    locked = AccessAttempt.objects.get(username=leader.username)

    admin = type(client)()
    admin.force_login(admin_user)
    listing = admin.get(reverse("admin:axes_accessattempt_changelist") + "?locked_out=yes")
    assert listing.status_code == 200
    assert leader.username in listing.content.decode()
    deleted = admin.post(
        reverse("admin:axes_accessattempt_delete", args=[locked.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302

    assert attempt(client, leader.username, PASSWORD).status_code == 302


def test_non_staff_cannot_reach_the_unlock_page(client_for, leader, outsider):
    response = client_for(outsider).get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Tr0ub4dor&3", "at least 12 characters"),
        ("password12345", "too common"),
        ("qwertyuiop123", "too common"),
        ("123456789012", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused(password, message):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert any(message in text for text in error.value.messages)


def test_long_uncommon_password_is_accepted():
    validate_password("correct-horse-battery-staple")


def test_password_change_form_applies_the_rules(leader):
    form = PasswordChangeForm(
        leader,
        {"old_password": PASSWORD, "new_password1": "short-pw", "new_password2": "short-pw"},
    )
    assert not form.is_valid()
    assert "at least 12 characters" in str(form.errors["new_password2"])
    form = SetPasswordForm(
        leader, {"new_password1": "password12345", "new_password2": "password12345"}
    )
    assert not form.is_valid()
    assert "too common" in str(form.errors["new_password2"])


def test_password_change_view_refuses_a_short_password(client_for, leader):
    response = client_for(leader).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "short-pw", "new_password2": "short-pw"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    leader.refresh_from_db()
    assert leader.check_password(PASSWORD)


def test_admin_login_counts_towards_the_same_lock(client, admin_user):
    for _ in range(5):
        client.post(
            reverse("admin:login"), {"username": admin_user.username, "password": "wrong-one"}
        )
    response = client.post(
        reverse("admin:login"), {"username": admin_user.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert not is_signed_in(client)
    # ...and the site's login refuses that username from that address as well.
    assert attempt(client, admin_user.username, PASSWORD).status_code == 429


# -- behind a load balancer ------------------------------------------------------------------


def attempt_via_proxy(client, username, client_address, password="not-the-password"):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.1",  # the load balancer
        HTTP_X_FORWARDED_FOR=client_address,
    )


def test_behind_a_proxy_one_client_cannot_lock_out_another(client, leader, settings):
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.1")
    for _ in range(5):
        attempt_via_proxy(client, leader.username, "203.0.113.66")
    response = attempt_via_proxy(client, leader.username, "198.51.100.7", password=PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_behind_a_proxy_the_attacker_is_locked(client, leader, settings):
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.1")
    for _ in range(5):
        attempt_via_proxy(client, leader.username, "203.0.113.66")
    response = attempt_via_proxy(client, leader.username, "203.0.113.66", password=PASSWORD)
    assert response.status_code == 429
    assert not is_signed_in(client)


def test_a_forged_forwarded_address_does_not_escape_the_lock(client, leader, settings):
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.1")
    # The client sends its own X-Forwarded-For; the proxy appends the real address.
    for forged in ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"]:
        attempt_via_proxy(client, leader.username, f"{forged}, 203.0.113.66")
    response = attempt_via_proxy(client, leader.username, "192.0.2.9, 203.0.113.66", PASSWORD)
    assert response.status_code == 429


@pytest.mark.parametrize("trusted", ["", "10.0.0.0/8"])
def test_a_client_connecting_directly_cannot_escape_the_lock_with_forwarded_addresses(
    client, leader, settings, trusted
):
    """Twenty wrong passwords, each claiming another X-Forwarded-For, from a client that
    reaches the app server directly: its own address is locked all the same."""
    settings.TRUSTED_PROXIES = parse_networks(trusted)
    for number in range(20):
        client.post(
            LOGIN,
            {"username": leader.username, "password": "wrong"},
            REMOTE_ADDR="203.0.113.50",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )
    assert attempt(client, leader.username, PASSWORD, address="203.0.113.50").status_code == 429


def test_a_client_connecting_directly_cannot_lock_out_an_address_it_names(client, leader, settings):
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.0/8")
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": leader.username, "password": "wrong"},
            REMOTE_ADDR="192.0.2.200",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    response = attempt_via_proxy(client, leader.username, "203.0.113.7", password=PASSWORD)
    assert response.status_code == 302


def test_without_proxies_the_forwarded_header_is_ignored(client, leader):
    for forged in ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"]:
        client.post(
            LOGIN,
            {"username": leader.username, "password": "wrong"},
            REMOTE_ADDR="203.0.113.66",
            HTTP_X_FORWARDED_FOR=forged,
        )
    assert attempt(client, leader.username, PASSWORD, address="203.0.113.66").status_code == 429
