"""The second factor: after the password, a code from an authenticator app (or a backup code)
for the roles that require it, and for whoever set one up of their own accord."""

import base64
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")
ENROL = reverse("accounts:second_factor_enrol")
VERIFY = reverse("accounts:second_factor_verify")
HOME = reverse("reports:home")


def _code(device: TOTPDevice, steps: int = 0) -> str:
    """The code the app shows now, or `steps` time steps later (earlier if negative)."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps)
    return f"{value:0{device.digits}d}"


def _wrong_code(device: TOTPDevice) -> str:
    accepted = {_code(device, steps) for steps in (-1, 0, 1)}
    return next(code for code in ("123456", "654321", "111111") if code not in accepted)


def _log_in(client: Client, user, next_url: str = "") -> str:
    """Type the password on the login form; return where the portal sends the user after."""
    data = {"username": user.username, "password": PASSWORD, "next": next_url}
    response = client.post(LOGIN, data, follow=True)
    return response.redirect_chain[-1][0]


@pytest.fixture
def app(staff) -> TOTPDevice:
    """The authenticator app the staff member set up at an earlier login."""
    return TOTPDevice.objects.create(user=staff, name="app", confirmed=True)


@pytest.fixture
def no_throttling(settings):
    """Wrong codes make the next attempt wait (a second, then two, four...): switched off
    where a test tries several codes in a row."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.mark.django_db
def test_after_the_password_a_staff_member_can_open_nothing_but_the_set_up_page(client, staff):
    assert _log_in(client, staff) == f"{ENROL}?next=%2F"
    for url in (
        HOME,
        reverse("candidates:list"),
        reverse("accounts:account"),
        reverse("accounts:password_change"),
        reverse("accounts:user_list"),
        "/django-admin/",
        "/accounts/not-a-page/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(f"{ENROL}?next="), url
    # Nothing to verify yet: the verification page too sends them to set an app up.
    assert client.get(VERIFY, follow=True).redirect_chain[-1][0].startswith(ENROL)
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("accounts:password_reset")).status_code == 200


@pytest.mark.django_db
def test_the_set_up_page_shows_a_qr_code_and_the_key_without_inline_styles(client, staff):
    _log_in(client, staff)
    response = client.get(ENROL)
    device = TOTPDevice.objects.get(user=staff)
    assert not device.confirmed
    svg = re.search(r"<svg.*?</svg>", response.text, re.DOTALL).group()
    assert "style=" not in svg
    assert "data:" not in svg
    assert "<title>Codice QR per la tua app di autenticazione</title>" in svg
    secret = base64.b32encode(device.bin_key).decode()
    shown = re.search(r'data-testid="second-factor-secret">([^<]+)<', response.text)[1]
    assert shown.replace(" ", "") == secret
    # Opening the page again shows the same app, which may have been scanned already.
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=staff).count() == 1


@pytest.mark.django_db
def test_confirming_the_app_with_its_code_lets_the_user_in_and_shows_backup_codes_once(
    client, staff
):
    _log_in(client, staff, next_url=reverse("candidates:list"))
    client.get(f"{ENROL}?next=/candidates/")
    device = TOTPDevice.objects.get(user=staff)

    response = client.post(ENROL, {"token": _code(device), "next": "/candidates/"})

    assert response.status_code == 200
    codes = re.findall(
        r'<span class="d-block border rounded py-1">([a-z2-7]{4} [a-z2-7]{4})<', response.text
    )
    assert len(codes) == 10
    assert "Vengono mostrati solo adesso" in response.text
    assert 'href="/candidates/"' in response.text
    assert client.get(reverse("candidates:list")).status_code == 200
    assert client.get("/django-admin/").status_code == 302  # staff are not the admin site's
    stored = set(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert stored == {code.replace(" ", "") for code in codes}
    # Set up once: the page now sends to the account page instead of offering another app.
    assert client.get(ENROL).url == reverse("accounts:account")


@pytest.mark.django_db
def test_a_wrong_first_code_does_not_confirm_the_app(client, staff):
    _log_in(client, staff)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=staff)
    wrong = _wrong_code(device)

    response = client.post(ENROL, {"token": wrong})

    assert "Questo codice è sbagliato" in response.text
    assert wrong not in response.text
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(HOME).url.startswith(ENROL)


@pytest.mark.django_db
def test_the_next_login_asks_for_the_code_and_goes_where_the_user_meant(client, staff, app):
    assert _log_in(client, staff, next_url="/candidates/") == f"{VERIFY}?next=%2Fcandidates%2F"
    assert client.get(HOME).url == f"{VERIFY}?next=%2F"
    page = client.get(f"{VERIFY}?next=/candidates/")
    assert 'autocomplete="one-time-code"' in page.text

    response = client.post(VERIFY, {"token": _code(app), "next": "/candidates/"})

    assert response.url == "/candidates/"
    assert client.get("/candidates/").status_code == 200


@pytest.mark.django_db
def test_the_page_after_the_code_is_never_outside_the_portal(client, staff, app):
    _log_in(client, staff)
    response = client.post(VERIFY, {"token": _code(app), "next": "https://example.com/"})
    assert response.url == HOME


@pytest.mark.django_db
def test_a_wrong_code_is_refused_in_italian_and_the_next_attempt_must_wait(
    client, settings, staff, app
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute after the first wrong code: no race here
    _log_in(client, staff)
    wrong = _wrong_code(app)

    response = client.post(VERIFY, {"token": wrong})

    assert response.status_code == 200
    assert "Questo codice è sbagliato o è già stato usato" in response.text
    assert wrong not in response.text  # the field comes back empty
    assert client.get(HOME).url.startswith(VERIFY)
    # Straight after a wrong code even the right one waits: guessing takes ever longer.
    response = client.post(VERIFY, {"token": _code(app)})
    assert re.search(r"Troppi codici sbagliati: attendi (60|59) secondi e riprova.", response.text)
    assert client.get(HOME).url.startswith(VERIFY)


@pytest.mark.django_db
def test_a_code_already_used_is_refused_and_so_is_an_earlier_one(client, staff, app, no_throttling):
    _log_in(client, staff)
    used = _code(app)
    assert client.post(VERIFY, {"token": used}).url == HOME
    client.post(reverse("accounts:logout"))

    _log_in(client, staff)
    for replayed in (used, _code(app, -1)):
        response = client.post(VERIFY, {"token": replayed})
        assert "è già stato usato" in response.text
        assert client.get(HOME).url.startswith(VERIFY)
    # The app's next code is a new one, and works.
    assert client.post(VERIFY, {"token": _code(app, 1)}).url == HOME


@pytest.mark.django_db
def test_a_backup_code_works_once(client, staff, app, no_throttling):
    first, *_others = services.backup_codes_regenerate(user=staff)
    typed = f"{first[:4]} {first[4:].upper()}"  # as the page shows it, or as it is copied
    _log_in(client, staff)
    assert client.post(VERIFY, {"token": typed}).url == HOME
    client.post(reverse("accounts:logout"))

    _log_in(client, staff)
    response = client.post(VERIFY, {"token": typed})
    assert "è già stato usato" in response.text
    assert client.get(HOME).url.startswith(VERIFY)
    assert StaticToken.objects.filter(device__user=staff).count() == 9


@pytest.mark.django_db
def test_a_password_alone_cannot_set_up_another_app(client, staff, app):
    _log_in(client, staff)
    response = client.get(ENROL, follow=True)
    assert response.redirect_chain[-1][0].startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=staff)) == [app]


@pytest.mark.django_db
def test_the_admin_sites_own_login_form_leads_to_the_second_factor_too(client, admin):
    response = client.post(
        f"{reverse('admin:login')}?next=/django-admin/",
        {"username": "admin", "password": PASSWORD, "next": "/django-admin/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"{ENROL}?next=%2Fdjango-admin%2F"
    assert client.get("/django-admin/accounts/user/").url.startswith(ENROL)


@pytest.mark.django_db
def test_an_administrator_resets_a_lost_phone_and_the_user_sets_up_an_app_again(
    login, admin, staff, app, caplog
):
    services.backup_codes_regenerate(user=staff)
    staff_client = login(staff, client=Client())
    assert staff_client.get(HOME).status_code == 200
    client = login(admin)
    page = client.get(reverse("accounts:user_update", args=[staff.pk]))
    assert "Azzera il secondo fattore" in page.text

    with caplog.at_level(logging.INFO, logger="accounts.services"):
        response = client.post(
            reverse("accounts:user_second_factor_reset", args=[staff.pk]), follow=True
        )

    assert "Il secondo fattore di staff è stato azzerato" in response.text
    assert f"Second factor of user staff (pk {staff.pk}) reset by admin" in caplog.text
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert not StaticDevice.objects.filter(user=staff).exists()
    # The session open with the lost phone no longer counts; a new login sets up a new app.
    assert staff_client.get(HOME).url.startswith(ENROL)
    assert _log_in(Client(), staff) == f"{ENROL}?next=%2F"


@pytest.mark.django_db
def test_only_an_administrator_resets_a_second_factor(login, staff, recruiter):
    TOTPDevice.objects.create(user=recruiter, name="app", confirmed=True)
    response = login(staff).post(reverse("accounts:user_second_factor_reset", args=[recruiter.pk]))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=recruiter).exists()


@pytest.mark.django_db
def test_company_hr_is_not_asked_for_a_second_factor_unless_they_set_one_up(client, company_hr):
    assert _log_in(client, company_hr) == HOME
    account = client.get(reverse("accounts:account"))
    assert "Accesso in due passaggi" in account.text
    assert "Attiva l'accesso in due passaggi" in account.text

    client.get(f"{ENROL}?next=/accounts/account/")
    device = TOTPDevice.objects.get(user=company_hr)
    codes = client.post(ENROL, {"token": _code(device), "next": "/accounts/account/"})
    assert "I tuoi codici di riserva" in codes.text
    assert "Ti restano 10 codici di riserva." in client.get(reverse("accounts:account")).text
    client.post(reverse("accounts:logout"))

    assert _log_in(client, company_hr) == f"{VERIFY}?next=%2F"
    assert client.get(reverse("matching:shortlist_list")).url.startswith(VERIFY)
    assert client.post(VERIFY, {"token": _code(device, 1)}).url == HOME


@pytest.mark.django_db
def test_a_reset_second_factor_of_an_optional_role_is_no_longer_asked(
    client, login, admin, caseworker
):
    TOTPDevice.objects.create(user=caseworker, name="app", confirmed=True)
    assert _log_in(client, caseworker) == f"{VERIFY}?next=%2F"
    login(admin, client=Client()).post(
        reverse("accounts:user_second_factor_reset", args=[caseworker.pk])
    )
    assert client.get(HOME).status_code == 200


@pytest.mark.django_db
def test_mfa_required_roles_with_caseworker_requires_it_of_caseworkers_only(
    client, settings, caseworker, staff
):
    settings.MFA_REQUIRED_ROLES = ["caseworker"]
    assert _log_in(client, caseworker) == f"{ENROL}?next=%2F"
    assert "Il tuo ruolo accede in due passaggi" in client.get(ENROL).text
    assert _log_in(Client(), staff) == HOME


@pytest.mark.django_db
def test_with_no_role_required_as_in_the_demo_staff_go_straight_home(client, settings, staff):
    settings.MFA_REQUIRED_ROLES = []
    assert _log_in(client, staff) == HOME
    assert client.get(reverse("candidates:list")).status_code == 200


@pytest.mark.django_db
def test_the_user_renews_their_backup_codes_from_the_account_page(login, staff, no_throttling):
    old = services.backup_codes_regenerate(user=staff)
    client = login(staff)
    assert "Ti restano 10 codici di riserva." in client.get(reverse("accounts:account")).text

    response = client.post(reverse("accounts:backup_codes_regenerate"))

    new = re.findall(
        r'<span class="d-block border rounded py-1">([a-z2-7]{4} [a-z2-7]{4})<', response.text
    )
    assert len(new) == 10
    assert 'href="/accounts/account/"' in response.text
    with pytest.raises(services.CodeRefused):
        services.second_factor_verify(user=staff, token=old[0])
    assert services.second_factor_verify(user=staff, token=new[0]).user == staff


@pytest.mark.django_db
def test_without_a_second_factor_there_are_no_backup_codes_to_renew(login, company_hr):
    response = login(company_hr).post(reverse("accounts:backup_codes_regenerate"), follow=True)
    assert "Attiva prima l&#x27;accesso in due passaggi" in response.text
    assert not StaticToken.objects.exists()


ROOT = Path(__file__).resolve().parent.parent.parent


def _required_roles(value: str) -> subprocess.CompletedProcess:
    """MFA_REQUIRED_ROLES as a fresh process of the portal reads it from the environment."""
    return subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(sorted(settings.MFA_REQUIRED_ROLES))",
        ],
        cwd=ROOT,
        env={**os.environ, "MFA_REQUIRED_ROLES": value, "DJANGO_SETTINGS_MODULE": "focus.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_mfa_required_roles_empty_as_in_the_demo_requires_it_of_nobody():
    result = _required_roles("")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("[]")


def test_mfa_required_roles_refuses_a_role_the_portal_does_not_have():
    result = _required_roles("admin,manager")
    assert result.returncode != 0
    assert "MFA_REQUIRED_ROLES may list only" in result.stderr
