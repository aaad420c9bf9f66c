"""What company HR see of a shortlist: pseudonymised cards, their own company only, contacts
only for an agreed interview with consent, and the moves they make."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from candidates.models import CandidateCertification, CandidateSkill, Experience, age_band
from catalog.models import Certification, Comune, JobProfile, Skill
from matching.disclosure import DASH
from matching.models import Entry, PipelineEvent
from matching.ranking import ROAD_FACTOR, road_km
from matching.selectors import shortlist_list
from matching.services import entry_move, shortlist_add, shortlist_share
from tests.factories import CandidateFactory, NeedFactory
from tests.planted import NEVER_SHOWN, PLANTED

pytestmark = pytest.mark.django_db

PORTAL = "https://focus.example.org/"


def _candidate(centre, caseworker, **values):
    fields = {"consent_share_profile": True, "centre": centre, "caseworker": caseworker}
    return CandidateFactory(**(fields | values))


@pytest.fixture
def need(company):
    return NeedFactory(company=company)


@pytest.fixture
def zenobia(centre, caseworker):
    candidate = _candidate(centre, caseworker, **PLANTED)
    forklift = JobProfile.objects.get(code="carrellista")
    Experience.objects.create(candidate=candidate, profile=forklift, years=3, country="MA")
    CandidateSkill.objects.create(
        candidate=candidate, skill=Skill.objects.get(code="conduzione-carrello"), verified=True
    )
    CandidateCertification.objects.create(
        candidate=candidate,
        certification=Certification.objects.get(code="abilitazione-carrelli-elevatori"),
    )
    return candidate


def _shortlist(need, staff, candidates, note=""):
    entries = [
        shortlist_add(need=need, candidate=candidate, actor=staff, note=note)
        for candidate in candidates
    ]
    shortlist_share(shortlist=entries[0].shortlist, actor=staff, portal_url=PORTAL)
    return entries[0].shortlist, entries


@pytest.fixture
def shared(need, staff, zenobia, centre, caseworker):
    """A shortlist shared with the HR persona's company: Zenobia and one more candidate."""
    other = _candidate(centre, caseworker)
    return _shortlist(need, staff, [zenobia, other], note="Nota dello staff")


def _cards_url(shortlist):
    return reverse("matching:shortlist_cards", args=[shortlist.pk])


def _feedback(client, entry, **data):
    return client.post(reverse("matching:entry_feedback", args=[entry.pk]), data)


def _agree(entry, company_hr, staff):
    """The company asks for an interview and the matching officers agree it."""
    entry.refresh_from_db()
    entry_move(entry=entry, to=Entry.Status.INTERVIEW_REQUESTED, actor=company_hr)
    entry_move(entry=entry, to=Entry.Status.INTERVIEW_AGREED, actor=staff)


# Pseudonymisation ---------------------------------------------------------------------------


def test_company_hr_read_cards_without_identity_contacts_or_confidential_fields(
    login, company_hr, shared, caseworker
):
    shortlist, (entry, _other) = shared
    cards = login(company_hr).get(_cards_url(shortlist))
    listing = login(company_hr).get(reverse("matching:shortlist_list"))

    assert cards.status_code == listing.status_code == 200
    html = cards.text + listing.text
    for value in [*NEVER_SHOWN, caseworker.get_full_name()]:
        assert value not in html, value
    assert cards.text.count('data-testid="card"') == 2
    assert entry.code in cards.text


def test_a_card_shows_what_the_company_may_read(login, company_hr, shared):
    shortlist, (entry, _other) = shared
    html = login(company_hr).get(_cards_url(shortlist)).text
    assert (
        f"25{DASH}34" in html or f"35{DASH}44" in html
    )  # Zenobia's age band, never her birth date
    assert "Bergamo" in html
    assert "Carrellista (3 " in html  # experience and years, not where
    assert (
        '<span class="badge text-bg-success text-wrap text-start me-1 mb-1">'
        "Conduzione del carrello elevatore<" in html
    )
    # the certification is only declared, and the badge says so
    assert "Abilitazione alla conduzione di carrelli elevatori · " in html
    assert f"{entry.score}".replace(".", ",") in html


def test_withdrawn_entries_are_hidden_from_company_hr(login, company_hr, staff, shared):
    shortlist, (entry, other) = shared
    entry_move(entry=other, to=Entry.Status.WITHDRAWN, actor=staff)
    html = login(company_hr).get(_cards_url(shortlist)).text
    assert html.count('data-testid="card"') == 1
    assert other.code not in html
    assert entry.code in html


def test_contacts_stay_hidden_after_the_interview_is_agreed_without_consent(
    login, company_hr, staff, shared
):
    shortlist, (entry, _other) = shared
    _agree(entry, company_hr, staff)
    html = login(company_hr).get(_cards_url(shortlist)).text
    assert 'data-testid="contacts"' not in html
    assert "Quartararo" not in html
    assert "9998887" not in html


def test_contacts_appear_once_the_interview_is_agreed_and_the_candidate_consented(
    login, company_hr, staff, shared, zenobia
):
    shortlist, (entry, _other) = shared
    zenobia.consent_share_contacts = True
    zenobia.save(update_fields=["consent_share_contacts"])
    client = login(company_hr)
    assert "Quartararo" not in client.get(_cards_url(shortlist)).text  # consent alone: no
    _agree(entry, company_hr, staff)
    html = client.get(_cards_url(shortlist)).text
    assert "Zenobia Quartararo" in html
    assert "+39 333 9998887" in html
    assert "zenobia.quartararo@example.org" in html
    assert "Segreto sanitario" not in html
    assert "QRTZNB90C54A794C" not in html


# Scope --------------------------------------------------------------------------------------


@pytest.fixture
def out_of_reach(company, other_company, staff, centre, caseworker):
    """Two shortlists the HR persona may not open: one shared with another company, and one
    for their own company that nobody shared."""
    foreign, _ = _shortlist(
        NeedFactory(company=other_company), staff, [_candidate(centre, caseworker)]
    )
    unshared = shortlist_add(
        need=NeedFactory(company=company), candidate=_candidate(centre, caseworker), actor=staff
    ).shortlist
    return foreign, unshared


def test_company_hr_list_only_the_shortlists_shared_with_their_company(
    login, company_hr, shared, out_of_reach
):
    shortlist, _entries = shared
    foreign, unshared = out_of_reach
    html = login(company_hr).get(reverse("matching:shortlist_list")).text
    assert _cards_url(shortlist) in html
    assert _cards_url(foreign) not in html
    assert _cards_url(unshared) not in html
    assert html.count('data-testid="shortlist"') == 1


def test_company_hr_get_404_for_another_company_or_an_unshared_shortlist(
    login, company_hr, out_of_reach
):
    foreign, unshared = out_of_reach
    client = login(company_hr)
    assert client.get(_cards_url(foreign)).status_code == 404
    assert client.get(_cards_url(unshared)).status_code == 404


def test_staff_list_every_shortlist_with_counts_and_links_to_both_views(
    login, staff, shared, company_hr
):
    shortlist, (entry, _other) = shared
    _feedback(login(company_hr), entry, action="interested")
    html = login(staff).get(reverse("matching:shortlist_list")).text
    assert reverse("matching:shortlist_detail", args=[shortlist.pk]) in html
    assert _cards_url(shortlist) in html


def test_the_list_counts_entries_per_status_in_one_query(staff, shared, django_assert_num_queries):
    # the shortlists with need, company, organisation, profile and workplace, and their
    # entries counted by status
    with django_assert_num_queries(1):
        (row,) = list(shortlist_list(actor=staff))
    assert (row.n_shown, row.n_proposed, row.n_interested) == (2, 2, 0)


@pytest.mark.parametrize("persona", ["staff", "company_hr"])
@pytest.mark.parametrize("size", [3, 30])
def test_the_shortlist_list_reads_a_fixed_number_of_queries(
    login, personas, company, centre, caseworker, persona, size, django_assert_num_queries
):
    for _ in range(size):
        _shortlist(
            NeedFactory(company=company), personas["staff"], [_candidate(centre, caseworker)]
        )
    client = login(personas[persona])
    client.get(reverse("matching:shortlist_list"))  # warm the session
    # session, user with organisation, (staff) their second factor's device, the count for
    # the paginator, the page of shortlists with need, company, organisation, profile and
    # workplace and their entries counted by status, sorted and searched
    with django_assert_num_queries(5 if persona == "staff" else 4):
        response = client.get(
            reverse("matching:shortlist_list"), {"sort": "-candidates", "q": "Meccanica"}
        )
    assert response.text.count('data-testid="shortlist"') == min(size, 25)


# Moves --------------------------------------------------------------------------------------


def test_company_hr_mark_a_candidate_interested_and_the_move_is_recorded(login, company_hr, shared):
    shortlist, (entry, _other) = shared
    response = _feedback(login(company_hr), entry, action="interested")
    assert response.status_code == 302
    assert response.url.startswith(_cards_url(shortlist))
    entry.refresh_from_db()
    assert entry.status == Entry.Status.INTERESTED
    event = entry.events.last()
    assert (event.by, event.from_status, event.to_status) == (
        company_hr,
        Entry.Status.PROPOSED,
        Entry.Status.INTERESTED,
    )


def test_not_interested_needs_a_reason(login, company_hr, shared):
    _, (entry, _other) = shared
    client = login(company_hr)
    response = _feedback(client, entry, action="not_interested")
    entry.refresh_from_db()
    assert entry.status == Entry.Status.PROPOSED
    assert "alert-danger" in client.get(response.url).text
    _feedback(client, entry, action="not_interested", reason=Entry.Reason.DISTANCE)
    entry.refresh_from_db()
    assert (entry.status, entry.reason) == (Entry.Status.NOT_INTERESTED, Entry.Reason.DISTANCE)
    assert entry.events.filter(to_status=Entry.Status.NOT_INTERESTED, by=company_hr).exists()


def test_an_interview_request_emails_the_matching_officers(
    login, company_hr, staff, shared, django_capture_on_commit_callbacks
):
    shortlist, (entry, _other) = shared
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _feedback(login(company_hr), entry, action="interview_requested")
    entry.refresh_from_db()
    assert entry.status == Entry.Status.INTERVIEW_REQUESTED
    assert [message.to for message in mail.outbox] == [[staff.email]]
    assert entry.code in mail.outbox[0].subject
    assert reverse("matching:shortlist_detail", args=[shortlist.pk]) in mail.outbox[0].body
    assert "Quartararo" not in mail.outbox[0].body


def test_company_hr_record_a_hire_after_the_interview_is_agreed(login, company_hr, staff, shared):
    shortlist, (entry, _other) = shared
    client = login(company_hr)
    _feedback(client, entry, action="interview_requested")
    entry.refresh_from_db()
    entry_move(entry=entry, to=Entry.Status.INTERVIEW_AGREED, actor=staff)
    html = client.get(_cards_url(shortlist)).text
    assert 'data-move="hired"' in html
    assert 'data-move="not_hired"' in html
    assert (
        'data-move="interested"'
        not in html.split(f'id="card-{entry.pk}"')[1].split("</article>")[0]
    )

    _feedback(client, entry, action="hired", contract="fixed_term", start_date="2027-02-01")
    entry.refresh_from_db()
    assert entry.status == Entry.Status.HIRED
    assert (entry.contract, entry.start_date) == ("fixed_term", datetime.date(2027, 2, 1))
    assert entry.candidate.status == "placed"
    assert list(entry.events.values_list("from_status", "to_status", "by")) == [
        ("", "proposed", staff.pk),
        ("proposed", "interview_requested", company_hr.pk),
        ("interview_requested", "interview_agreed", staff.pk),
        ("interview_agreed", "hired", company_hr.pk),
    ]


def test_not_hired_needs_a_reason(login, company_hr, staff, shared):
    _, (entry, _other) = shared
    _agree(entry, company_hr, staff)
    client = login(company_hr)
    _feedback(client, entry, action="not_hired")
    entry.refresh_from_db()
    assert entry.status == Entry.Status.INTERVIEW_AGREED
    _feedback(client, entry, action="not_hired", reason=Entry.Reason.EXPERIENCE)
    entry.refresh_from_db()
    assert (entry.status, entry.reason) == (Entry.Status.NOT_HIRED, Entry.Reason.EXPERIENCE)


def test_a_move_transitions_do_not_allow_is_refused_with_a_message(login, company_hr, shared):
    _, (entry, _other) = shared
    client = login(company_hr)
    response = _feedback(
        client, entry, action="hired", contract="fixed_term", start_date="2027-02-01"
    )
    entry.refresh_from_db()
    assert entry.status == Entry.Status.PROPOSED
    assert not PipelineEvent.objects.filter(entry=entry, to_status="hired").exists()
    assert "alert-danger" in client.get(response.url).text


def test_the_card_offers_only_the_moves_the_company_may_make_now(login, company_hr, shared):
    shortlist, (entry, _other) = shared
    client = login(company_hr)
    _feedback(client, entry, action="interview_requested")
    card = client.get(_cards_url(shortlist)).text.split(f'id="card-{entry.pk}"')[1]
    card = card.split("</article>")[0]
    assert "data-move=" not in card  # staff must agree the interview first


def test_company_hr_cannot_move_an_entry_of_another_company(login, other_company_hr, shared):
    _, (entry, _other) = shared
    response = _feedback(login(other_company_hr), entry, action="interested")
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.status == Entry.Status.PROPOSED


def test_staff_make_their_moves_elsewhere(login, staff, shared):
    _, (entry, _other) = shared
    assert _feedback(login(staff), entry, action="interested").status_code == 403
    assert login(staff).get(reverse("matching:entry_feedback", args=[entry.pk])).status_code == 405


# Queries ------------------------------------------------------------------------------------


def _shortlist_of(size, need, staff, company_hr, centre, caseworker):
    forklift = JobProfile.objects.get(code="carrellista")
    skill = Skill.objects.get(code="conduzione-carrello")
    cert = Certification.objects.get(code="abilitazione-carrelli-elevatori")
    candidates = []
    for _n in range(size):
        candidate = _candidate(centre, caseworker, consent_share_contacts=True)
        Experience.objects.create(candidate=candidate, profile=forklift, years=2)
        Experience.objects.create(candidate=candidate, description="Magazziniere", years=1)
        CandidateSkill.objects.create(candidate=candidate, skill=skill, verified=True)
        CandidateCertification.objects.create(candidate=candidate, certification=cert)
        candidates.append(candidate)
    shortlist, entries = _shortlist(need, staff, candidates)
    entry_move(entry=entries[0], to=Entry.Status.INTERESTED, actor=company_hr)
    return shortlist


@pytest.mark.parametrize("size", [2, 10])
def test_the_cards_page_reads_a_fixed_number_of_queries(
    login, company_hr, staff, need, centre, caseworker, size, django_assert_num_queries
):
    shortlist = _shortlist_of(size, need, staff, company_hr, centre, caseworker)
    client = login(company_hr)
    # session, user, shortlist with need/company/profile/workplace, entries with candidates
    # and comuni, languages, experience with profiles and sectors, skills, valid
    # certifications, how many people live in those comuni
    with django_assert_num_queries(9):
        response = client.get(_cards_url(shortlist))
    assert response.text.count('data-testid="card"') == size


# Helpers ------------------------------------------------------------------------------------


def test_age_bands_hide_the_birth_date_and_follow_the_birthday():
    today = datetime.date(2026, 6, 1)
    assert age_band(None, today) is None
    assert age_band(datetime.date(2010, 6, 1), today) == "meno di 18 anni"
    assert age_band(datetime.date(2002, 6, 2), today) == f"18{DASH}24"
    assert age_band(datetime.date(2001, 6, 1), today) == f"25{DASH}34"
    assert age_band(datetime.date(1971, 6, 2), today) == f"45{DASH}54"
    assert age_band(datetime.date(1971, 6, 1), today) == "55+"


def test_the_distance_between_two_comuni_is_an_estimate_of_road_km():
    bergamo = Comune.objects.get(istat_code="016024")
    dalmine = Comune.objects.get(istat_code="016091")
    km = road_km(bergamo, dalmine)
    # About 7.5 km as the crow flies; by road, a third more.
    assert Decimal("5") * Decimal(ROAD_FACTOR) < Decimal(km) < Decimal("10") * Decimal(ROAD_FACTOR)
    assert road_km(bergamo, bergamo) == 0
    assert road_km(None, bergamo) is None


# A move answered in place (htmx): the card again, with what the move did ---------------------


def test_a_move_answered_in_place_is_the_card_again_with_what_it_did(login, company_hr, shared):
    _shortlist, (entry, _other) = shared
    client = login(company_hr)
    response = client.post(
        reverse("matching:entry_feedback", args=[entry.pk]),
        {"action": Entry.Status.INTERVIEW_REQUESTED},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    html = response.text
    assert "<html" not in html
    assert html.count('data-testid="card"') == 1
    assert f'id="card-{entry.pk}"' in html
    assert 'data-status="interview_requested"' in html
    assert 'data-testid="card-said"' in html
    assert 'role="status"' in html
    for value in NEVER_SHOWN:
        assert value not in html, value
    entry.refresh_from_db()
    assert entry.status == Entry.Status.INTERVIEW_REQUESTED


def test_a_refused_move_in_place_says_why_in_the_card(login, company_hr, shared):
    _shortlist, (entry, _other) = shared
    response = login(company_hr).post(
        reverse("matching:entry_feedback", args=[entry.pk]),
        {"action": Entry.Status.HIRED},  # not a step from "proposed"
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert 'data-testid="card-said"' in response.text
    assert 'role="alert"' in response.text
    entry.refresh_from_db()
    assert entry.status == Entry.Status.PROPOSED


def test_no_move_in_place_on_another_companys_card(login, other_company_hr, shared):
    _shortlist, (entry, _other) = shared
    response = login(other_company_hr).post(
        reverse("matching:entry_feedback", args=[entry.pk]),
        {"action": Entry.Status.INTERVIEW_REQUESTED},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.status == Entry.Status.PROPOSED


def test_a_card_writes_years_of_experience_as_italian_does(login, company_hr, shared):
    """A decimal comma, "1 anno" in the singular, months below a year: the same words in the
    card's summary line and in its experience list."""
    shortlist, (entry, _other) = shared
    candidate = entry.candidate
    candidate.experiences.update(years=Decimal("5.5"))
    one, half = JobProfile.objects.exclude(code="carrellista").order_by("code")[:2]
    Experience.objects.create(candidate=candidate, profile=one, years=1)
    Experience.objects.create(candidate=candidate, profile=half, years=Decimal("0.5"))
    html = login(company_hr).get(_cards_url(shortlist)).text
    assert "Esperienza come Carrellista (5,5 anni)" in html  # the summary line
    assert html.count("Carrellista (5,5 anni)") == 2  # and the experience list
    assert f"{one} (1 anno)" in html
    assert f"{half} (6 mesi)" in html
    assert "5.5" not in html
