"""Sessions end after a while without a request and a fixed time after the login."""

import time

import pytest
from django.urls import reverse

from accounts.middleware import SESSION_SEEN, SESSION_STARTED
from accounts.models import User

HOME = reverse("reports:home")


def _age(client, *, idle_minutes=0.0, started_hours_ago=None):
    """Move the session's clock back, as if the user had been away."""
    session = client.session
    now = time.time()
    session[SESSION_SEEN] = now - idle_minutes * 60
    if started_hours_ago is not None:
        session[SESSION_STARTED] = now - started_hours_ago * 3600
    session.save()


@pytest.mark.django_db
def test_after_thirty_idle_minutes_the_user_is_logged_out_and_told_why(login, caseworker):
    client = login(caseworker)
    _age(client, idle_minutes=31)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={HOME}"
    page = client.get(response.url)
    assert "La sessione è scaduta dopo 30 minuti di inattività" in page.text
    assert client.get(HOME).status_code == 302  # the session is gone, not only this request


@pytest.mark.django_db
def test_a_request_within_the_idle_timeout_keeps_the_session_and_restarts_it(login, caseworker):
    client = login(caseworker)
    _age(client, idle_minutes=29)
    assert client.get(HOME).status_code == 200
    assert time.time() - client.session[SESSION_SEEN] < 5


@pytest.mark.django_db
def test_a_form_posted_after_the_idle_timeout_saves_nothing(login, admin, programme_office):
    client = login(admin)
    _age(client, idle_minutes=45)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "nuova",
            "first_name": "Nuova",
            "last_name": "Utente",
            "email": "nuova@example.org",
            "role": "staff",
            "organisation": programme_office.pk,
        },
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not User.objects.filter(username="nuova").exists()


@pytest.mark.django_db
def test_however_active_a_session_ends_twelve_hours_after_the_login(login, caseworker):
    client = login(caseworker)
    _age(client, idle_minutes=0, started_hours_ago=12.1)
    response = client.get(HOME, follow=True)
    assert "La sessione è scaduta dopo 12 ore" in response.text


@pytest.mark.django_db
def test_both_limits_follow_the_settings(login, caseworker, settings):
    settings.SESSION_IDLE_MINUTES = 5
    client = login(caseworker)
    _age(client, idle_minutes=6)
    assert client.get(HOME).status_code == 302

    settings.SESSION_MAX_HOURS = 1
    client = login(caseworker)
    _age(client, started_hours_ago=1.5)
    assert client.get(HOME).status_code == 302


@pytest.mark.django_db
def test_stay_logged_in_restarts_the_idle_timeout(login, caseworker):
    client = login(caseworker)
    _age(client, idle_minutes=28)
    assert client.post(reverse("accounts:session_keepalive")).status_code == 204
    _age_seen = client.session[SESSION_SEEN]
    assert time.time() - _age_seen < 5


@pytest.mark.django_db
def test_stay_logged_in_cannot_revive_an_expired_session(login, caseworker):
    client = login(caseworker)
    _age(client, idle_minutes=31)
    assert client.post(reverse("accounts:session_keepalive")).status_code == 302
    assert client.get(HOME).status_code == 302


@pytest.mark.django_db
def test_pages_with_a_form_carry_the_warning_with_the_idle_timeout(login, admin):
    page = login(admin).get(reverse("accounts:user_create"))
    assert 'data-testid="session-warning"' in page.text
    assert 'data-idle-seconds="1800"' in page.text
    assert "Resta connesso" in page.text
