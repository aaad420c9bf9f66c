"""Logging in and out are events of the trail; a failed login records the address only."""

import logging

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_login_is_one_event_with_the_user_their_role_and_address(client, caseworker, events):
    response = client.post(
        reverse("accounts:login"),
        {"username": "caseworker", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.20",
    )
    assert response.status_code == 302
    [event] = events()
    assert (event.action, event.actor, event.actor_role, event.ip) == (
        "login",
        caseworker,
        "caseworker",
        "198.51.100.20",
    )
    assert (event.object_type, event.object_id, event.fields) == (
        "accounts.user",
        str(caseworker.pk),
        [],
    )


def test_a_failed_login_records_the_address_and_nothing_that_was_typed(
    client, caseworker, caplog, events
):
    caplog.set_level(logging.DEBUG)
    response = client.post(
        reverse("accounts:login"),
        {"username": "caseworker", "password": "Zzplanted-wrong"},
        REMOTE_ADDR="198.51.100.21",
    )
    assert response.status_code == 200
    [event] = events()
    assert (event.action, event.ip, event.actor, event.actor_role) == (
        "login_failed",
        "198.51.100.21",
        None,
        "",
    )
    assert (event.object_type, event.object_id, event.candidate_id) == ("", "", None)
    trail = repr([vars(e) for e in events()])
    assert "caseworker" not in trail
    assert "Zzplanted" not in trail
    assert "Zzplanted" not in caplog.text


def test_a_failed_login_on_an_unknown_username_is_recorded_alike(client, events):
    client.post(
        reverse("accounts:login"),
        {"username": "Zzplanted", "password": "whatever-1234"},
        REMOTE_ADDR="198.51.100.22",
    )
    [event] = events()
    assert (event.action, event.ip, event.actor) == ("login_failed", "198.51.100.22", None)
    assert "Zzplanted" not in repr(vars(event))


def test_a_logout_is_one_event_of_the_user(login, staff, events):
    client = login(staff)
    start = len(events())
    client.post(reverse("accounts:logout"), REMOTE_ADDR="198.51.100.23")
    [event] = events()[start:]
    assert (event.action, event.actor, event.ip) == ("logout", staff, "198.51.100.23")


def test_the_admin_sites_login_is_recorded_too(client, admin, events):
    client.post(
        reverse("admin:login"),
        {"username": "admin", "password": "wrong-password-1"},
        REMOTE_ADDR="198.51.100.24",
    )
    assert [(e.action, e.ip) for e in events()] == [("login_failed", "198.51.100.24")]
