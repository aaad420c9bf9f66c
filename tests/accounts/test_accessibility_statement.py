"""The accessibility statement: public, in the shape of an Italian "dichiarazione di
accessibilità", dated, naming the programme office to write to; linked, with the office's
contacts, from the footer of every page and from the login page. And the #Focus logo: the
menu bar's, the login page's and the favicon."""

import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from accounts.accessibility import STATEMENT_DATE
from focus.figures import TONES

STATEMENT = reverse("accessibility:statement")
# The programme's name, as the logo gives it to screen readers.
NAME = "#Focus \N{EN DASH} Formazione, Occupazione, Sviluppo"
FAVICON = '<link rel="icon" href="/static/img/focus-mark.svg" type="image/svg+xml">'


def _text(html: str) -> str:
    """The text as a reader sees it: tags dropped, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _part(content: str, testid: str, tag: str) -> str:
    """The inside of the element marked `data-testid=testid`, up to its closing `tag`."""
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</{tag}>', content, re.DOTALL)
    assert found, f"no {testid} on the page"
    return found.group(1)


@pytest.mark.django_db
def test_anyone_reads_the_statement_in_italian_without_logging_in(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):  # a static page: no session, no user to look up
        response = client.get(STATEMENT)
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert "Dichiarazione di accessibilità" in text
    assert "parzialmente conforme" in text
    assert "linee guida WCAG (Web Content Accessibility Guidelines) 2.1 di livello AA" in text
    assert "EN 301 549" in text
    with translation.override("it"):
        assert f"Dichiarazione del {date_format(STATEMENT_DATE)}" in text
    assert "a 1280 e a 768 pixel di larghezza" in text
    assert "con la sola tastiera" in text


@pytest.mark.django_db
def test_the_statement_says_what_is_not_covered(client):
    limitations = _text(_part(client.get(STATEMENT).content.decode(), "limitations", "dl"))
    assert "Cartelle di lavoro Excel" in limitations
    assert "interfaccia di amministrazione propria di Django" in limitations


@pytest.mark.django_db
def test_the_statement_reads_in_english_on_request(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = _text(client.get(STATEMENT).content.decode())
    assert "The portal is partially conformant with the Web Content Accessibility" in text


@pytest.mark.django_db
@override_settings(
    PROGRAMME_OFFICE="Ufficio #Focus",
    PROGRAMME_OFFICE_ADDRESS="via Conventino 8, 24125 Bergamo",
    PROGRAMME_OFFICE_EMAIL="accessibilita@example.org",
    PROGRAMME_OFFICE_PHONE="035 123 4567",
)
def test_problems_are_reported_to_the_configured_programme_office(client):
    content = client.get(STATEMENT).content.decode()
    contact = _part(content, "statement-contact", "address")
    assert "Ufficio #Focus" in contact
    assert "via Conventino 8, 24125 Bergamo" in contact
    assert 'href="mailto:accessibilita@example.org"' in contact
    assert 'href="tel:0351234567">035 123 4567</a>' in contact


@pytest.mark.django_db
@override_settings(PROGRAMME_OFFICE_PHONE="")
def test_without_a_phone_the_office_is_given_by_e_mail_and_address_only(client):
    content = client.get(STATEMENT).content.decode()
    for where in ("statement-contact", "office-contacts"):
        contact = _part(content, where, "address")
        assert f'href="mailto:{settings.PROGRAMME_OFFICE_EMAIL}"' in contact
        assert settings.PROGRAMME_OFFICE_ADDRESS in contact
        assert "tel:" not in contact
        assert "Telefono" not in contact


@pytest.mark.django_db
def test_the_statement_can_be_printed(client):
    assert b"data-print" in client.get(STATEMENT).content


@pytest.mark.django_db
@override_settings(PROGRAMME_OFFICE_EMAIL="ufficio@example.org", PROGRAMME_OFFICE_PHONE="035 1")
def test_a_logged_in_page_links_the_statement_and_gives_the_office_in_its_footer(login, staff):
    content = login(staff).get(reverse("reports:home")).content.decode()
    links = _part(content, "privacy-links", "nav")
    assert f'href="{STATEMENT}"' in links
    assert "Dichiarazione di accessibilità" in links
    assert f'href="{reverse("privacy:notice")}"' in links
    office = _part(content, "office-contacts", "address")
    assert 'href="mailto:ufficio@example.org"' in office
    assert 'href="tel:0351"' in office


@pytest.mark.django_db
def test_the_login_page_links_the_statement_in_its_card_and_its_footer(client):
    content = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{STATEMENT}"' in _part(content, "login-accessibility", "p")
    assert f'href="{STATEMENT}"' in _part(content, "privacy-links", "nav")


@pytest.mark.django_db
def test_the_menu_bar_shows_the_logo_named_for_screen_readers(login, staff, client):
    for content in (
        login(staff).get(reverse("reports:home")).content.decode(),
        client.get(STATEMENT).content.decode(),
    ):
        brand = _part(content, "brand", "a")
        assert 'src="/static/img/focus-logo-white.svg" alt=""' in brand
        assert _text(brand) == NAME
        assert FAVICON in content


@pytest.mark.django_db
def test_the_login_page_shows_the_logo_with_its_text_alternative(client):
    content = client.get(reverse("accounts:login")).content.decode()
    logo = re.search(r'<img[^>]*data-testid="login-logo"[^>]*>', content).group(0)
    assert 'src="/static/img/focus-logo.svg"' in logo
    assert f'alt="{NAME}"' in logo
    assert FAVICON in content


@pytest.mark.django_db
def test_the_server_error_page_which_stands_alone_has_the_favicon_too(login, staff, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("reports.views.home_page", broken)
    client = login(staff)
    client.raise_request_exception = False
    response = client.get(reverse("reports:home"))
    assert response.status_code == 500
    assert FAVICON in response.text


@pytest.mark.parametrize("name", ["focus-logo.svg", "focus-logo-white.svg", "focus-mark.svg"])
def test_the_logos_are_drawn_in_the_portals_blue_and_white(name):
    svg = (settings.BASE_DIR / "static" / "img" / name).read_text()
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9A-Fa-f]{6})"', svg))
    assert colours
    assert colours <= {f"#{TONES['primary'].background}", "#FFFFFF"}
