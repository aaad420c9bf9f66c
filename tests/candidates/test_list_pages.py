"""The candidate list as caseworkers and staff page, sort and search it, always within the
user's scope (its query pin at two sizes is in test_candidates.py)."""

import pytest
from django.urls import reverse

from candidates.models import Candidate, Experience
from catalog.models import Comune, JobProfile
from tests.factories import CandidateFactory, OrganisationFactory

LIST = reverse("candidates:list")

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:
    return [f"{c.last_name} {c.first_name}" for c in response.context["page"]]


def test_candidates_sort_by_name_either_way_and_by_comune(login, caseworker, centre):
    treviglio = Comune.objects.get(istat_code="016219")
    CandidateFactory(centre=centre, last_name="Rossi", first_name="Anna")
    CandidateFactory(
        centre=centre, last_name="Bianchi", first_name="Sara", residence_comune=treviglio
    )
    CandidateFactory(centre=centre, last_name="Verdi", first_name="Amal")
    client = login(caseworker)
    assert _names(client.get(LIST)) == ["Bianchi Sara", "Rossi Anna", "Verdi Amal"]
    assert _names(client.get(LIST, {"sort": "-name"})) == [
        "Verdi Amal",
        "Rossi Anna",
        "Bianchi Sara",
    ]
    # Bergamo before Treviglio, the same comune by name
    assert _names(client.get(LIST, {"sort": "comune"})) == [
        "Rossi Anna",
        "Verdi Amal",
        "Bianchi Sara",
    ]
    assert _names(client.get(LIST, {"sort": "codice_fiscale"})) == _names(client.get(LIST))


def test_staff_sort_candidates_by_their_centre(login, staff, centre, other_centre):
    CandidateFactory(centre=other_centre, last_name="Alfieri")  # Caritas Treviglio
    CandidateFactory(centre=centre, last_name="Zanetti")  # Diakonia Bergamo
    shown = [c.last_name for c in login(staff).get(LIST, {"sort": "centre"}).context["page"]]
    assert shown == ["Alfieri", "Zanetti"]
    shown = [c.last_name for c in login(staff).get(LIST, {"sort": "-centre"}).context["page"]]
    assert shown == ["Zanetti", "Alfieri"]


def test_candidates_page_by_number(login, caseworker, centre):
    for n in range(27):
        CandidateFactory(centre=centre, last_name=f"Cognome{n:02d}", first_name="Nome")
    page = login(caseworker).get(LIST, {"page": "2"})
    assert _names(page) == ["Cognome25 Nome", "Cognome26 Nome"]
    assert "Righe 26\N{EN DASH}27 di 27" in page.text


def test_the_search_finds_no_one_of_another_centre(login, caseworker, centre, other_centre):
    mine = CandidateFactory(centre=centre, last_name="Ferrari", first_name="Giulia")
    CandidateFactory(centre=other_centre, last_name="Ferrari", first_name="Giulia")
    CandidateFactory(centre=OrganisationFactory(kind="centre"), last_name="Ferrari")
    page = login(caseworker).get(LIST, {"q": "ferrari", "sort": "-centre"}).context["page"]
    assert list(page) == [mine]


def test_the_profile_filter_keeps_each_candidate_once_whatever_the_sort(login, caseworker, centre):
    forklift = JobProfile.objects.get(code="carrellista")
    placed = CandidateFactory(centre=centre, last_name="Arnoldi", status=Candidate.Status.PLACED)
    registered = CandidateFactory(centre=centre, last_name="Zucchelli")
    for person in (placed, placed, registered):  # two experiences of the same profile
        Experience.objects.create(candidate=person, profile=forklift, years=1)
    client = login(caseworker)
    for sort, expected in [("status", [registered, placed]), ("-name", [registered, placed])]:
        page = client.get(LIST, {"profile": forklift.pk, "sort": sort}).context["page"]
        assert list(page) == expected, sort


COMUNE_OPTIONS = reverse("candidates:comune_options")


def test_the_comune_filter_renders_only_the_chosen_comune_and_lists_its_candidates(
    login, caseworker, centre
):
    treviglio = Comune.objects.get(istat_code="016219")
    CandidateFactory(centre=centre, last_name="Bianchi", residence_comune=treviglio)
    CandidateFactory(centre=centre, last_name="Rossi")  # of Bergamo
    client = login(caseworker)
    assert 'data-picker-source="/candidates/comuni/options/"' in client.get(LIST).text
    assert ">Sarnico (BG)<" not in client.get(LIST).text  # no comune is rendered unasked

    chosen = client.get(LIST, {"comune": treviglio.pk})

    assert [c.last_name for c in chosen.context["page"]] == ["Bianchi"]
    assert f'<option value="{treviglio.pk}" selected>Treviglio (BG)</option>' in chosen.text
    assert ">Bergamo (BG)<" not in chosen.text


def test_the_comune_options_answer_the_programmes_comuni_only(login, caseworker):
    typed = login(caseworker).get(COMUNE_OPTIONS, {"q": "trevig"}).json()["results"]
    assert [row["text"] for row in typed] == ["Treviglio (BG)"]
    # Milano is not of the programme's provinces: the filter would not accept it.
    assert login(caseworker).get(COMUNE_OPTIONS, {"q": "milano"}).json()["results"] == []


def test_company_hr_may_not_ask_for_the_candidate_filters_comuni(login, company_hr):
    assert login(company_hr).get(COMUNE_OPTIONS, {"q": "trevig"}).status_code == 403
