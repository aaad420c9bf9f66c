"""What the portal's pages, forms and e-mails read like in Italian: no scaffolding of Django's
left in sight ("---------" on a select, its own help texts), dates as Italian writes them
("martedì 1 dicembre 2026"), one full stop after a company called "... S.p.A.", one heading
on every page, and counts over 999 with their thousands separator."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditEvent
from candidates.models import CandidateLanguage
from matching.services import shortlist_add
from tests import test_policy
from tests.factories import PASSWORD, CandidateFactory, InterviewFactory, NeedFactory

pytestmark = pytest.mark.django_db

# Every URL of the policy table with the records it needs (tests/test_policy.py).
objects = test_policy.objects

HEADINGS = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.DOTALL)
# Two full stops in a row, not an ellipsis: "Meccanica Orobica S.p.A.." once a sentence ends.
DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")


def _text(html: str) -> str:
    """What the reader sees of a page: no tags, scripts or styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _pages(client, user, objects):
    """(url, html) of every page of the policy table that `user` opens, in Italian."""
    role = test_policy.ROLES.index(user.role)
    for (method, name, key), statuses in test_policy.POLICY.items():
        if method != "get" or statuses[role] != 200:
            continue
        url = test_policy._url(name, key, objects, user)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="it")
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            yield url, response.content.decode()


@pytest.mark.parametrize("role", ["admin", "staff", "recruiter", "caseworker", "company_hr"])
def test_no_page_shows_djangos_dashes_a_double_full_stop_or_other_than_one_heading(
    login, personas, objects, role
):
    # The policy's company is "Meccanica Orobica S.p.A." (tests/conftest.py), on its needs,
    # shortlists, courses and offers.
    user = personas[role]
    client = login(user)
    problems, seen = [], 0
    for url, html in _pages(client, user, objects):
        seen += 1
        if "---------" in html:
            problems.append(f"{url}: a select offers “---------”")
        headings = [_text(heading).strip() for heading in HEADINGS.findall(html)]
        if len(headings) != 1 or not headings[0]:
            problems.append(f"{url}: headings {headings}")
        if found := DOUBLE_STOP.search(_text(html)):
            start = max(found.start() - 40, 0)
            problems.append(f"{url}: “{_text(html)[start : found.end() + 10]}”")
    assert seen > 10, "the walk opened next to no page"
    assert problems == []


@pytest.mark.parametrize("name", ["candidates:import", "companies:import"])
def test_an_import_page_is_headed_by_its_title(login, staff, name):
    html = login(staff).get(reverse(name), HTTP_ACCEPT_LANGUAGE="it").content.decode()
    title = {"candidates:import": "Importa candidati", "companies:import": "Importa aziende"}
    assert HEADINGS.findall(html)[0].startswith(title[name])
    assert f"<title>{title[name]}" in html


def test_an_interview_is_dated_as_italian_writes_dates(login, staff):
    rome = ZoneInfo("Europe/Rome")
    interview = InterviewFactory(scheduled_at=datetime.datetime(2026, 12, 1, 9, 30, tzinfo=rome))
    page = login(staff).get(interview.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="it")
    text = _text(page.content.decode())
    assert "martedì 1 dicembre 2026, 09:30" in text
    assert "Martedì" not in text
    assert "Dicembre" not in text
    assert "01 dicembre" not in text


def test_the_agenda_heads_each_day_in_lowercase_without_a_leading_zero(login, recruiter):
    rome = ZoneInfo("Europe/Rome")
    later = datetime.datetime.now(rome) + datetime.timedelta(days=30)
    day = later.replace(day=3, hour=10, minute=0, second=0, microsecond=0)
    InterviewFactory(recruiter=recruiter, scheduled_at=day)
    page = login(recruiter).get(reverse("interviews:agenda"), HTTP_ACCEPT_LANGUAGE="it")
    weekdays = ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"]
    months = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto"]
    months += ["settembre", "ottobre", "novembre", "dicembre"]
    heading = f"{weekdays[day.weekday()]} 3 {months[day.month - 1]} {day.year}"
    assert heading in _text(page.content.decode())


def test_the_user_form_says_what_a_username_may_be_in_the_portals_words(login, admin):
    html = login(admin).get(reverse("accounts:user_create"), HTTP_ACCEPT_LANGUAGE="it")
    text = _text(html.content.decode())
    assert "Ciò che l'utente scrive per accedere, ad esempio mario.rossi" in text
    assert "150 caratteri o meno" not in text
    assert "— scegli —" in text  # the role, before one is chosen


@pytest.mark.parametrize("page", ["change", "reset"])
def test_a_new_password_is_asked_for_in_the_portals_words(
    client, login, caseworker, page, django_capture_on_commit_callbacks
):
    if page == "change":
        response = login(caseworker).get(
            reverse("accounts:password_change"), HTTP_ACCEPT_LANGUAGE="it"
        )
    else:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("accounts:password_reset"), {"email": caseworker.email})
        (message,) = mail.outbox
        link = re.search(r"https?://[^/\s]+(/accounts/\S+)", message.body).group(1)
        response = client.get(link, follow=True, HTTP_ACCEPT_LANGUAGE="it")
    text = _text(response.content.decode())
    assert "Almeno 12 caratteri, non solo cifre." in text
    assert "Scrivi di nuovo la nuova password, per controllo." in text
    assert "La tua password" not in text  # Django's validators, one sentence each


def test_a_short_password_is_refused_in_italian(login, caseworker):
    response = login(caseworker).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Corta-123", "new_password2": "Corta-123"},
        HTTP_ACCEPT_LANGUAGE="it",
    )
    text = _text(response.content.decode())
    assert "Questa password è troppo corta: deve avere almeno 12 caratteri." in text
    assert "too short" not in text


def test_a_reset_e_mail_says_how_long_its_link_lasts(
    client, caseworker, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_LINK_HOURS = 24
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:password_reset"),
            {"email": caseworker.email},
            HTTP_ACCEPT_LANGUAGE="it",
        )
    (message,) = mail.outbox
    assert "Il link vale una sola volta e scade tra 24 ore." in message.body
    assert "speriamo" not in message.body


def _shared(client, staff, company, **candidate):
    """A shortlist of `company`'s need with one candidate who consents to share a profile,
    shared by `staff` (logged in on `client`), and the page the sharing lands on."""
    person = CandidateFactory(consent_share_profile=True, **candidate)
    entry = shortlist_add(need=NeedFactory(company=company), candidate=person, actor=staff)
    url = reverse("matching:shortlist_share", args=[entry.shortlist_id])
    return entry, client.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="it")


def test_sharing_with_a_company_called_spa_ends_the_sentence_with_one_full_stop(
    login, staff, company
):
    assert str(company).endswith("S.p.A.")
    _entry, page = _shared(login(staff), staff, company)
    text = _text(page.content.decode())
    assert f"Rosa condivisa: ora {company} può vederla." in text
    assert not DOUBLE_STOP.search(text)


def test_a_native_speaker_reads_madrelingua_on_the_card_and_on_the_candidates_page(
    client, login, staff, company_hr, company
):
    entry, _page = _shared(login(staff), staff, company, italian_level="native")
    CandidateLanguage.objects.create(candidate=entry.candidate, language="ar", level="native")
    staff_page = client.get(entry.candidate.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="it")
    assert "Arabo madrelingua" in _text(staff_page.content.decode())

    cards = login(company_hr).get(
        reverse("matching:shortlist_cards", args=[entry.shortlist_id]), HTTP_ACCEPT_LANGUAGE="it"
    )
    text = _text(cards.content.decode())
    assert "Italiano madrelingua" in text
    assert "native" not in text


def test_a_count_over_999_has_its_thousands_separator(login, admin):
    AuditEvent.objects.create(action=AuditEvent.Action.EXPORT, actor=admin, count=1553)
    page = login(admin).get(reverse("audit:event_list"), HTTP_ACCEPT_LANGUAGE="it")
    assert "1.553" in _text(page.content.decode())
