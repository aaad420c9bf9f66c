import re

import pytest
from django.core import mail
from django.urls import reverse

import focus.settings
from tests.factories import PASSWORD


@pytest.mark.django_db
def test_login_page_speaks_italian_even_to_an_english_browser(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "it"
    assert "Accedi" in response.text
    assert "Password dimenticata?" in response.text


@pytest.mark.django_db
def test_language_switcher_turns_the_interface_to_english_and_back(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert "Forgot your password?" in client.get(reverse("accounts:login")).text
    client.post(reverse("set_language"), {"language": "it", "next": "/accounts/login/"})
    assert "Password dimenticata?" in client.get(reverse("accounts:login")).text


@pytest.mark.django_db
def test_a_user_logs_in_and_lands_on_their_home_page(client, caseworker):
    response = client.post(
        reverse("accounts:login"), {"username": "caseworker", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("reports:home")
    assert "Operatore sociale" in response.text


@pytest.mark.django_db
def test_a_wrong_password_is_refused_and_the_username_kept(client, caseworker):
    response = client.post(
        reverse("accounts:login"), {"username": "caseworker", "password": "wrong-password-1"}
    )
    assert response.status_code == 200
    assert 'value="caseworker"' in response.text
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login_and_back(client, caseworker):
    response = client.get(reverse("candidates:list"))
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={reverse('candidates:list')}"
    after = client.post(
        response.url, {"username": "caseworker", "password": PASSWORD, "next": "/candidates/"}
    )
    assert after.url == reverse("candidates:list")


@pytest.mark.django_db
def test_a_deactivated_user_cannot_log_in(client, caseworker):
    caseworker.is_active = False
    caseworker.save()
    client.post(reverse("accounts:login"), {"username": "caseworker", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_ends_the_session(login, caseworker):
    client = login(caseworker)
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("reports:home")).status_code == 302


@pytest.mark.django_db
def test_password_reset_sends_a_working_link_in_italian(
    client, caseworker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": caseworker.email})
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [caseworker.email]
    assert "password" in message.subject.lower()
    assert f"Nome utente: {caseworker.username}" in message.body
    link = re.search(r"https?://testserver(/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    new_password = "una-nuova-password-lunga"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.url == reverse("accounts:password_reset_complete")
    caseworker.refresh_from_db()
    assert caseworker.check_password(new_password)


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "nessuno@example.org"})
    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_passwords_shorter_than_twelve_characters_are_refused(login, caseworker):
    response = login(caseworker).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Corta-123", "new_password2": "Corta-123"},
    )
    assert response.status_code == 200
    assert "almeno 12 caratteri" in response.text
    caseworker.refresh_from_db()
    assert caseworker.check_password(PASSWORD)


def test_passwords_are_stored_with_argon2():
    # The tests themselves hash with MD5 for speed; the portal's own setting is what counts.
    assert focus.settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
