"""The privacy notice (one page per published version) and the rights page: public, in Italian
by default, naming the configured controller and data protection officer, linked from every
page's footer, the login page and the consents a candidate gave."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from django.urls import reverse

from accounts import privacy
from accounts.privacy import NoticeVersion
from candidates.models import Consent, ConsentRecord
from candidates.services import consent_set

NOTICE = reverse("privacy:notice")
RIGHTS = reverse("privacy:rights")


def _text(response) -> str:
    """The page's text as a reader sees it: tags dropped, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.mark.django_db
def test_anonymous_visitor_reads_the_current_notice_in_italian(client):
    response = client.get(NOTICE)
    assert response.status_code == 200
    text = _text(response)
    assert "Informativa sul trattamento dei dati personali per i candidati" in text
    assert "Il titolare del trattamento dei tuoi dati personali è Confindustria Bergamo" in text
    assert f"Versione {settings.PRIVACY_NOTICE_VERSION}" in text
    assert "Garante per la protezione dei dati personali" in text
    # The partners who receive the data are named, companies only see pseudonymised cards.
    for partner in ("Servizi Confindustria Bergamo", "Caritas Bergamo", "Diakonia", "Gi Group"):
        assert partner in text
    assert "scheda pseudonimizzata" in text
    assert "versione precedente" not in text


@pytest.mark.django_db
def test_the_notice_is_in_english_for_who_chose_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = _text(client.get(NOTICE))
    assert "Privacy notice for the candidates of the #Focus programme" in text
    assert "The controller of your personal data is" in text


@pytest.mark.django_db
@override_settings(
    PRIVACY_CONTROLLER="Associazione Diakonia, via Conventino 8, Bergamo",
    PRIVACY_CONTROLLER_EMAIL="titolare@example.org",
    PRIVACY_DPO_NAME="Studio Rossi",
    PRIVACY_DPO_EMAIL="rpd@example.org",
    RETENTION_MONTHS=36,
)
def test_the_notice_names_the_configured_controller_dpo_and_retention(client):
    response = client.get(NOTICE)
    text = _text(response)
    assert "Il titolare del trattamento dei tuoi dati personali è Associazione Diakonia" in text
    assert "titolare@example.org" in text
    assert "Studio Rossi" in text
    assert 'href="mailto:rpd@example.org"' in response.content.decode()
    assert "per 36 mesi dalla sua conclusione" in text


@pytest.mark.django_db
def test_each_published_version_has_its_own_address(client):
    current = client.get(reverse("privacy:notice_version", args=[settings.PRIVACY_NOTICE_VERSION]))
    assert current.status_code == 200
    assert f"Versione {settings.PRIVACY_NOTICE_VERSION}" in _text(current)


@pytest.mark.django_db
def test_an_unknown_version_is_not_found(client):
    assert client.get(reverse("privacy:notice_version", args=["1999-01"])).status_code == 404


@pytest.mark.django_db
def test_an_earlier_version_says_which_one_is_in_force(client, monkeypatch, settings):
    class Reissued(NoticeVersion):
        template_name = "privacy/notice/2026-01.html"

    monkeypatch.setattr(
        privacy,
        "NOTICE_VERSIONS",
        (Reissued("2026-07", datetime.date(2026, 7, 1)), *privacy.NOTICE_VERSIONS),
    )
    settings.PRIVACY_NOTICE_VERSION = "2026-07"
    response = client.get(reverse("privacy:notice_version", args=["2026-01"]))
    assert response.status_code == 200
    text = _text(response)
    assert "Questa è una versione precedente dell'informativa" in text
    assert "La versione in vigore è la 2026-07" in text
    assert f'href="{NOTICE}"' in response.content.decode()
    assert "Versione 2026-07" in _text(client.get(NOTICE))


@pytest.mark.django_db
def test_the_portal_does_not_start_with_an_unpublished_notice_version(settings, client):
    settings.PRIVACY_NOTICE_VERSION = "2030-01"
    with pytest.raises(SystemCheckError, match=r"accounts\.E001"):
        call_command("check")
    assert client.get(NOTICE).status_code == 404


@pytest.mark.django_db
@override_settings(PRIVACY_DPO_NAME="Studio Rossi", PRIVACY_DPO_EMAIL="rpd@example.org")
def test_anonymous_visitor_reads_the_rights_page_with_the_dpo_contact(client):
    response = client.get(RIGHTS)
    assert response.status_code == 200
    text = _text(response)
    assert "Responsabile della protezione dei dati (RPD o DPO) Studio Rossi rpd@example.org" in text
    assert 'href="mailto:rpd@example.org"' in response.content.decode()
    for right in ("Accesso", "Rettifica", "Cancellazione", "Limitazione", "Portabilità"):
        assert right in text
    assert "Opposizione" in text
    assert "Revoca del consenso" in text
    assert "entro un mese" in text
    assert "gratuito" in text
    assert "L'operatore del tuo centro di ascolto può aiutarti" in text


@pytest.mark.django_db
@pytest.mark.parametrize("url", [NOTICE, RIGHTS])
def test_the_privacy_pages_can_be_printed(client, url):
    assert b"data-print" in client.get(url).content


@pytest.mark.django_db
def test_the_login_page_links_the_notice_and_the_footer_both_pages(client):
    content = client.get(reverse("accounts:login")).content.decode()
    login_link = re.search(r'data-testid="login-privacy"><a href="([^"]+)"', content)
    assert login_link
    assert login_link.group(1) == NOTICE
    footer = re.search(r'data-testid="privacy-links">(.*?)</nav>', content, re.DOTALL).group(1)
    assert f'href="{NOTICE}"' in footer
    assert f'href="{RIGHTS}"' in footer


@pytest.mark.django_db
def test_logged_in_pages_have_the_privacy_links_in_the_footer(login, staff):
    content = login(staff).get(reverse("reports:home")).content.decode()
    footer = re.search(r'data-testid="privacy-links">(.*?)</nav>', content, re.DOTALL).group(1)
    assert f'href="{NOTICE}"' in footer
    assert f'href="{RIGHTS}"' in footer


@pytest.mark.django_db
def test_a_user_who_has_not_given_the_second_factor_yet_can_read_the_notice(client, staff):
    client.force_login(staff)  # password given, no second factor in this session
    assert client.get(reverse("reports:home")).status_code == 302
    assert client.get(NOTICE).status_code == 200
    assert client.get(RIGHTS).status_code == 200


@pytest.mark.django_db
def test_the_candidate_page_links_each_consent_to_its_notice(login, caseworker, candidate):
    consent_set(candidate=candidate, purpose=Consent.SHARE_PROFILE, granted=True, actor=caseworker)
    ConsentRecord.objects.create(
        candidate=candidate,
        purpose=Consent.SHARE_CONTACTS,
        granted=True,
        notice_version="2024-03",
        recorded_by=caseworker,
    )
    content = login(caseworker).get(reverse("candidates:detail", args=[candidate.pk])).content
    links = re.findall(rb'<a href="([^"]+)" data-testid="notice-version">([^<]+)</a>', content)
    version = settings.PRIVACY_NOTICE_VERSION
    assert links == [(reverse("privacy:notice_version", args=[version]).encode(), version.encode())]
    # A version that was never published here is shown as text, not as a broken link.
    assert b"2024-03" in content
