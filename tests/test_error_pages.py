"""What a user sees when something goes wrong: Italian pages, and nothing saved."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User


@pytest.mark.django_db
def test_a_missing_page_answers_in_italian(login, staff):
    response = login(staff).get("/non-esiste/")
    assert response.status_code == 404
    assert "Pagina non trovata" in response.text


@pytest.mark.django_db
def test_a_forbidden_page_answers_in_italian(login, caseworker):
    response = login(caseworker).get(reverse("accounts:user_list"))
    assert response.status_code == 403
    assert "Accesso non consentito" in response.text


@pytest.mark.django_db
def test_a_server_error_answers_in_italian(login, staff, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("reports.views.home_page", broken)
    client = login(staff)
    client.raise_request_exception = False
    response = client.get(reverse("reports:home"))
    assert response.status_code == 500
    assert 'lang="it"' in response.text
    assert "Si è verificato un errore" in response.text


def _new_caseworker(client, centre):
    """Post the form that creates the caseworker "x" of `centre`."""
    return client.post(
        reverse("accounts:user_create"),
        {
            "username": "x",
            "email": "x@example.org",
            "role": "caseworker",
            "organisation": centre.pk,
        },
    )


@pytest.mark.django_db
def test_a_form_sent_after_the_session_expired_saves_nothing(client, centre):
    response = _new_caseworker(client, centre)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_a_form_with_a_stale_csrf_token_explains_in_italian_and_saves_nothing(login, admin, centre):
    client = login(admin, client=Client(enforce_csrf_checks=True))
    response = _new_caseworker(client, centre)
    assert response.status_code == 403
    assert "La pagina era scaduta" in response.text
    assert not User.objects.filter(username="x").exists()
