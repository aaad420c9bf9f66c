"""Failed logins lock a username out from an address; password links are limited and leave
from the background worker, so that the answer says nothing of who has an account."""

import datetime
import logging
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")


def _attempt(username, password, *, client=None, address="198.51.100.7", url=LOGIN, **headers):
    client = client or Client()
    response = client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )
    return client, response


def _fail(username, times, **kwargs):
    for _ in range(times):
        _attempt(username, "not-the-password", **kwargs)


@pytest.mark.django_db
def test_ten_wrong_passwords_lock_the_username_out_even_with_the_right_one_after(caseworker):
    _fail("caseworker", 9)
    client, response = _attempt("caseworker", PASSWORD)
    assert "_auth_user_id" in client.session  # nine are not yet a lock
    client.post(reverse("accounts:logout"))

    _fail("caseworker", 10)
    client, response = _attempt("caseworker", PASSWORD)
    assert response.status_code == 429
    assert "Troppi accessi non riusciti" in response.text
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_admin_sites_login_form_is_locked_out_the_same_way(admin):
    admin_login = reverse("admin:login")
    _fail("admin", 10, url=admin_login)
    client, response = _attempt("admin", PASSWORD, url=admin_login)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # ... and the portal's form refuses the same pair too: the lock is the username's.
    client, response = _attempt("admin", PASSWORD)
    assert response.status_code == 429


@pytest.mark.django_db
def test_a_lock_does_not_reach_a_colleague_behind_the_same_office_address(caseworker, staff):
    _fail("caseworker", 10)
    client, _response = _attempt("staff", PASSWORD)
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_the_lock_ends_after_the_cool_off(caseworker, settings):
    _fail("caseworker", 10)
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC)
        - settings.AXES_COOLOFF_TIME
        - datetime.timedelta(minutes=1)
    )
    client, _response = _attempt("caseworker", PASSWORD)
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_each_lock_is_logged_and_listed_for_the_admin_who_can_lift_it(
    caseworker, admin, login, caplog
):
    with caplog.at_level(logging.WARNING, logger="accounts.services"):
        _fail("caseworker", 10)
    assert any(
        "Login locked out: caseworker from 198.51.100.7" in r.getMessage() for r in caplog.records
    )
    assert PASSWORD not in caplog.text

    office = login(admin)
    page = office.get(reverse("accounts:lockout_list"))
    assert "caseworker" in page.text
    assert "198.51.100.7" in page.text
    attempt = AccessAttempt.objects.get(username="caseworker")
    lifted = office.post(reverse("accounts:lockout_lift", args=[attempt.pk]), follow=True)
    assert "caseworker può provare di nuovo ad accedere" in lifted.text
    assert "Nessun accesso è bloccato" in lifted.text

    client, _response = _attempt("caseworker", PASSWORD)
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_behind_the_proxy_the_address_is_the_one_the_proxy_wrote_not_the_clients_own(
    caseworker, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client writes a header of its own; the proxy appends the real address after it.
    for forged in range(10):
        _attempt(
            "caseworker",
            "wrong",
            address="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{forged}, 198.51.100.7",
        )
    client, response = _attempt(
        "caseworker", PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert response.status_code == 429
    # Someone else behind the same proxy, from another address, still logs in.
    client, response = _attempt(
        "caseworker", PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8"
    )
    assert "_auth_user_id" in client.session


def _reset(email, address="198.51.100.7"):
    return Client().post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_a_reset_leaves_from_the_worker_so_known_and_unknown_addresses_answer_alike(
    caseworker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as known_work:
        known = _reset(caseworker.email)
    with django_capture_on_commit_callbacks() as unknown_work:
        unknown = _reset("nessuno@example.org")
    # The same answer, and the same work queued; nothing was sent during the request.
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert len(known_work) == len(unknown_work) == 1
    assert mail.outbox == []
    known_work[0]()
    unknown_work[0]()
    assert [message.to for message in mail.outbox] == [[caseworker.email]]


@pytest.mark.django_db
def test_resets_for_one_address_stop_after_three_an_hour_without_saying_so(
    caseworker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answers = [_reset(caseworker.email, address=f"198.51.100.{n}") for n in range(5)]
    assert {answer.url for answer in answers} == {reverse("accounts:password_reset_done")}
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_too_many_resets_from_one_network_are_refused_whatever_the_address(
    caseworker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(20):
            assert _reset(f"persona{n}@example.org").status_code == 302
        refused = _reset(caseworker.email)
    assert refused.status_code == 429
    assert "Troppe richieste di nuova password" in refused.text
    assert mail.outbox == []
    assert _reset(caseworker.email, address="198.51.100.99").status_code == 302


@pytest.mark.django_db
def test_invitations_to_one_user_stop_after_three_an_hour(
    login, admin, caseworker, django_capture_on_commit_callbacks
):
    office = login(admin)
    invite = reverse("accounts:user_invite", args=[caseworker.pk])
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            office.post(invite)
        fourth = office.post(invite, follow=True)
    assert len(mail.outbox) == 3
    assert "attendi prima di inviarne un altro" in fourth.text


@pytest.mark.django_db
def test_the_link_says_it_lasts_a_day_and_is_refused_after_it(
    client, caseworker, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("accounts:password_reset"), {"email": caseworker.email}, follow=True
        )
    assert "scade tra 24 ore" in done.text
    link = re.search(r"https?://testserver(/\S+)", mail.outbox[0].body).group(1)

    later = datetime.datetime.now() + datetime.timedelta(hours=24, minutes=1)  # noqa: DTZ005
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    page = client.get(link, follow=True)
    assert "Questo link non è più valido" in page.text
    assert "new_password1" not in page.text
