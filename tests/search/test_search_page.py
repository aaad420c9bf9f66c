"""The portal's search page (search:results): one box, every kind of record the user may list,
each group within the user's scope, counted, bounded and linked to its list."""

import logging
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from matching.models import Shortlist
from search.selectors import PER_GROUP
from tests.audit.conftest import trail_text
from tests.factories import CandidateFactory, CompanyFactory, NeedFactory
from tests.reports.programme_data import shortlist_entry

SEARCH = reverse("search:results")
ON_POSTGRESQL = connection.vendor == "postgresql"

pytestmark = pytest.mark.django_db


def _groups(response) -> dict:
    return {group.key: group for group in response.context["groups"]}


def _labels(response, key: str) -> list[str]:
    return [hit.label for hit in _groups(response)[key].hits]


def test_a_caseworker_finds_their_centres_candidate_never_another_centres(
    login, caseworker, centre, other_centre
):
    own = CandidateFactory(centre=centre, first_name="Anna", last_name="Müller")
    CandidateFactory(centre=other_centre, first_name="Berta", last_name="Müller")

    response = login(caseworker).get(SEARCH, {"q": "muller"})

    assert list(_groups(response)) == ["candidates"]  # no companies, needs nor shortlists
    assert _labels(response, "candidates") == ["Müller Anna"]
    assert _groups(response)["candidates"].count == 1
    assert own.get_absolute_url() in response.text
    assert "Berta" not in response.text


@pytest.mark.parametrize(
    "typed",
    ["MÜLLER", "muller", "Muller", "müller anna", "anna.muller@example", "MLLNNA85", "0351234"],
)
def test_staff_find_a_candidate_by_name_codice_fiscale_phone_or_e_mail(login, staff, centre, typed):
    CandidateFactory(
        centre=centre,
        first_name="Anna",
        last_name="Müller",
        codice_fiscale="MLLNNA85T41Z330K",
        phone="+39 035 123 4567",
        email="anna.muller@example.org",
    )
    CandidateFactory(centre=centre, first_name="Carla", last_name="Rota", phone="+39 333 999")

    assert _labels(login(staff).get(SEARCH, {"q": typed}), "candidates") == ["Müller Anna"]


def test_staff_find_a_candidate_by_their_number(login, staff, centre):
    candidate = CandidateFactory(centre=centre, first_name="Anna", last_name="Rota", phone="")
    CandidateFactory(centre=centre, first_name="Carla", last_name="Rota", phone="")
    client = login(staff)

    assert _labels(client.get(SEARCH, {"q": str(candidate.pk)}), "candidates") == ["Rota Anna"]
    # The number among other words: that record first, then the others the words find.
    both = client.get(SEARCH, {"q": f"rota {candidate.pk}"})
    assert _labels(both, "candidates")[0] == "Rota Anna"


def test_a_misspelt_surname_is_found_on_postgresql_and_only_as_typed_on_sqlite(
    login, staff, centre
):
    """SQLite has no trigrams: there the search compares folded text only."""
    CandidateFactory(centre=centre, first_name="Luca", last_name="Brembilla")
    CandidateFactory(centre=centre, first_name="Marco", last_name="Bremblla")
    CandidateFactory(centre=centre, first_name="Ugo", last_name="Locatelli")

    found = _labels(login(staff).get(SEARCH, {"q": "Bremblla"}), "candidates")

    if ON_POSTGRESQL:
        assert found == ["Bremblla Marco", "Brembilla Luca"]  # the exact spelling first
    else:
        assert found == ["Bremblla Marco"]


def test_company_hr_find_no_candidate_by_name_only_their_shortlists_codes(
    login, company_hr, company, other_company, centre, staff
):
    shortlist = Shortlist.objects.create(
        need=NeedFactory(company=company), created_by=staff, shared_at=timezone.now()
    )
    candidate = CandidateFactory(
        centre=centre, first_name="Gioconda", last_name="Brembilla", consent_share_profile=True
    )
    entry = shortlist_entry(shortlist, candidate, staff, "proposed")
    NeedFactory(company=other_company)
    client = login(company_hr)

    by_name = client.get(SEARCH, {"q": "Brembilla"})
    assert list(_groups(by_name)) == ["needs", "entries"]  # never the candidates' registry
    assert _groups(by_name)["entries"].count == 0
    assert "Brembilla" not in re.sub(r'(value|href)="[^"]*"', "", by_name.text)

    by_code = client.get(SEARCH, {"q": entry.code.lower()})
    assert _labels(by_code, "entries") == [entry.code]
    assert "Gioconda" not in by_code.text

    needs = client.get(SEARCH, {"q": "assemblaggio"})
    assert [hit.url for hit in _groups(needs)["needs"].hits] == [shortlist.need.get_absolute_url()]


def test_a_recruiter_finds_only_the_candidates_of_their_interviews(login, recruiter, centre):
    from tests.factories import InterviewFactory

    theirs = CandidateFactory(centre=centre, first_name="Anna", last_name="Rota")
    InterviewFactory(candidate=theirs, recruiter=recruiter)
    CandidateFactory(centre=centre, first_name="Bice", last_name="Rota")

    response = login(recruiter).get(SEARCH, {"q": "rota"})

    assert list(_groups(response)) == ["candidates"]
    assert _labels(response, "candidates") == ["Rota Anna"]


def test_staff_find_companies_by_name_or_partita_iva_and_needs_by_profile_or_workplace(
    login, staff
):
    company = CompanyFactory(organisation__name="Fonderia Müller S.p.A.")
    CompanyFactory(organisation__name="Tessitura Seriana S.r.l.")
    need = NeedFactory(company=company)
    client = login(staff)

    assert _labels(client.get(SEARCH, {"q": "fonderia muller"}), "companies") == [
        "Fonderia Müller S.p.A."
    ]
    assert _labels(client.get(SEARCH, {"q": company.partita_iva}), "companies") == [
        "Fonderia Müller S.p.A."
    ]
    by_workplace = client.get(SEARCH, {"q": need.workplace.name})
    assert [hit.url for hit in _groups(by_workplace)["needs"].hits] == [need.get_absolute_url()]


def test_a_group_shows_its_first_rows_its_count_and_opens_its_list_with_the_same_rows(
    login, staff, centre
):
    CandidateFactory.create_batch(PER_GROUP + 3, centre=centre, last_name="Rossi")
    CandidateFactory(centre=centre, last_name="Bianchi")
    client = login(staff)

    response = client.get(SEARCH, {"q": "rossi"})
    group = _groups(response)["candidates"]
    assert (group.count, len(group.hits)) == (PER_GROUP + 3, PER_GROUP)
    assert group.url == f"{reverse('candidates:list')}?q=rossi"
    assert client.get(group.url).context["page"].paginator.count == PER_GROUP + 3


def test_the_page_is_never_stored_and_tells_other_pages_only_the_portals_origin(login, staff):
    response = login(staff).get(SEARCH, {"q": "rossi"})
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "strict-origin"


def test_what_was_typed_reaches_neither_a_log_nor_the_audit_trail(login, staff, centre, caplog):
    caplog.set_level(logging.DEBUG)
    CandidateFactory(centre=centre, last_name="Zzplanted")
    client = login(staff)

    assert client.get(SEARCH, {"q": "Zzplanted"}).status_code == 200
    assert client.get(SEARCH, {"q": "Zzplanted", "page": "x"}).status_code == 200
    assert client.post(SEARCH, {"q": "Zzplanted"}).status_code == 405

    assert "Zzplanted" not in caplog.text
    assert "Zzplanted" not in trail_text()


def test_the_navbar_offers_the_search_box_with_its_label_to_those_logged_in(login, caseworker):
    page = login(caseworker).get(reverse("reports:home")).text
    box = re.search(r'<div[^>]*data-testid="navbar-search".*?</form>', page, re.DOTALL).group()
    assert f'action="{SEARCH}"' in box
    assert '<label class="form-label small" for="navbar-search-q">' in box
    assert 'id="navbar-search-q" name="q"' in box
    assert 'aria-controls="navbar-search-form"' in box  # the button that opens it


def test_the_login_page_has_no_search_box(client):
    assert 'data-testid="navbar-search"' not in client.get(reverse("accounts:login")).text


@pytest.mark.parametrize("size", [2, 15])
def test_the_results_page_runs_a_fixed_number_of_queries(
    login, staff, centre, company, django_assert_num_queries, size
):
    shortlist = Shortlist.objects.create(
        need=NeedFactory(company=company), created_by=staff, shared_at=timezone.now()
    )
    for n in range(size):
        candidate = CandidateFactory(centre=centre, last_name="Orobica", first_name=f"N{n}")
        shortlist_entry(shortlist, candidate, staff, "proposed")
        NeedFactory(company=CompanyFactory(organisation__name=f"Orobica {n} S.r.l."))
    client = login(staff)
    # session, user with organisation, their second factor's device; one query a group, its
    # rows with their count (a window): candidates, companies, needs, shortlisted candidates
    with django_assert_num_queries(7):
        response = client.get(SEARCH, {"q": "orobica"})
    counts = {key: group.count for key, group in _groups(response).items()}
    assert counts == {"candidates": size, "companies": size + 1, "needs": size + 1, "entries": size}
