"""Each role's home page (reports.home): panels of what to do next, each counting exactly the
rows of the list it links to, within the user's scope, in a fixed number of queries."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, DuplicateReview
from catalog.models import Certification, JobProfile
from interviews.models import Interview
from matching.models import Entry, Shortlist
from tests.factories import (
    CandidateFactory,
    InterviewFactory,
    NeedFactory,
    SurveyCampaignFactory,
    UserFactory,
)
from tests.reports.programme_data import WELDER, shortlist_entry
from training.models import GapAnalysis, GapCandidate
from training.services import support_action_propose

# A Wednesday morning in Bergamo: the homes' "today" and "this week" are read from it.
MOMENT = datetime.datetime(2026, 12, 2, 11, 0, tzinfo=ZoneInfo("Europe/Rome"))
HOME = reverse("reports:home")


@pytest.fixture
def moment(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: MOMENT.astimezone(datetime.UTC))
    return MOMENT


def at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """`days` after MOMENT's day, at that local time."""
    return (MOMENT + datetime.timedelta(days=days)).replace(hour=hour, minute=minute)


def _home(client):
    response = client.get(HOME)
    assert response.status_code == 200
    return response, {panel.key: panel for panel in response.context["home"].panels}


def _listed(client, panel) -> int:
    """How many rows the panel's list shows."""
    response = client.get(panel.url)
    assert response.status_code == 200, panel.url
    return response.context["page"].paginator.count


def _counts_are_the_lists(client, panels) -> None:
    for panel in panels.values():
        assert _listed(client, panel) == panel.count, panel.key


# Company HR ------------------------------------------------------------------------------------


def _person(centre, name: str, **consents) -> Candidate:
    return CandidateFactory(
        centre=centre, first_name=name, last_name="Ferrandi", consent_share_profile=True, **consents
    )


AGREED = (Entry.Status.INTERVIEW_REQUESTED, Entry.Status.INTERVIEW_AGREED)


@pytest.fixture
def company_world(moment, company, other_company, centre, staff):
    """The open campaign the company answered with two needs; its shared shortlist with two
    candidates waiting for its answer, one turned down and two interviews agreed (Carla
    consents to share her contacts, Dina does not); a shortlist of its own not shared yet;
    another company's shortlist, waiting and with an interview agreed."""
    campaign = SurveyCampaignFactory(name="Rilevazione 2026", closes_on=datetime.date(2027, 1, 17))
    SurveyCampaignFactory(name="Rilevazione 2025", status="closed")
    SurveyCampaignFactory(name="Bozza 2027", status="draft")
    welder = JobProfile.objects.get(code=WELDER)
    need = NeedFactory(company=company, campaign=campaign)
    unshared_need = NeedFactory(company=company, campaign=campaign, profile=welder)
    shared = Shortlist.objects.create(need=need, created_by=staff, shared_at=timezone.now())
    unshared = Shortlist.objects.create(need=unshared_need, created_by=staff)
    theirs = Shortlist.objects.create(
        need=NeedFactory(company=other_company, campaign=campaign),
        created_by=staff,
        shared_at=timezone.now(),
    )
    entries = {
        "anna": shortlist_entry(shared, _person(centre, "Anna"), staff, "proposed"),
        "bruna": shortlist_entry(
            shared, _person(centre, "Bruna"), staff, "interested", through=["interested"]
        ),
        "carla": shortlist_entry(
            shared,
            _person(centre, "Carla", consent_share_contacts=True),
            staff,
            "interview_agreed",
            through=AGREED,
        ),
        "dina": shortlist_entry(
            shared, _person(centre, "Dina"), staff, "interview_agreed", through=AGREED
        ),
        "ester": shortlist_entry(
            shared, _person(centre, "Ester"), staff, "not_interested", through=["not_interested"]
        ),
        "rita": shortlist_entry(unshared, _person(centre, "Rita"), staff, "proposed"),
        "omar": shortlist_entry(theirs, _person(centre, "Omar"), staff, "proposed"),
        "paola": shortlist_entry(
            theirs,
            _person(centre, "Paola", consent_share_contacts=True),
            staff,
            "interview_agreed",
            through=AGREED,
        ),
    }
    return campaign, shared, entries


@pytest.mark.django_db
def test_company_hr_see_the_survey_to_answer_shortlists_to_review_and_interviews_agreed(
    login, company_hr, company_world
):
    campaign, shared, entries = company_world
    client = login(company_hr)
    _response, panels = _home(client)

    assert list(panels) == ["campaigns", "shortlists", "interviews"]
    survey = panels["campaigns"]
    assert survey.count == 1
    assert [(r.label, r.note, r.when) for r in survey.rows] == [
        ("Rilevazione 2026", "2 fabbisogni dichiarati", "chiude il 17/01/2027")
    ]
    assert survey.rows[0].url == reverse("companies:campaign_answer", args=[campaign.pk])

    review = panels["shortlists"]
    assert review.count == 1  # theirs only, and only once shared
    assert review.rows[0].note == "2 candidati attendono la vostra risposta"
    assert review.rows[0].url == reverse("matching:shortlist_cards", args=[shared.pk])

    interviews = panels["interviews"]
    carla, dina = entries["carla"], entries["dina"]
    assert interviews.count == 2
    assert {row.label for row in interviews.rows} == {f"{carla.code} · Carla Ferrandi", dina.code}
    assert f"#card-{dina.pk}" in next(r.url for r in interviews.rows if r.label == dina.code)
    _counts_are_the_lists(client, panels)


@pytest.mark.django_db
def test_company_hr_never_read_a_name_before_the_contacts_are_released_nor_another_company(
    login, company_hr, company_world
):
    _campaign, _shared, entries = company_world
    client = login(company_hr)
    home = client.get(HOME).text
    agreed = client.get(reverse("matching:entry_list"), {"status": "interview_agreed"}).text
    for page in (home, agreed):
        assert "Carla Ferrandi" in page
        for name in ("Anna", "Bruna", "Dina", "Omar", "Paola", "Rita"):
            assert f"{name} Ferrandi" not in page, name
        for other in ("omar", "paola", "rita"):
            assert entries[other].code not in page, other
    assert entries["dina"].code in agreed


@pytest.mark.django_db
def test_company_hr_with_nothing_to_do_are_told_so(login, company_hr):
    response, panels = _home(login(company_hr))
    assert [panel.count for panel in panels.values()] == [0, 0, 0]
    assert "Nessuna rilevazione è aperta ora: niente da compilare." in response.text
    assert "Nessun colloquio concordato al momento." in response.text
    assert 'data-testid="panel-all"' not in response.text


# Recruiters ------------------------------------------------------------------------------------


@pytest.fixture
def agenda_world(moment, recruiter):
    """The recruiter's interviews around Wednesday 11:00: yesterday's and this morning's still
    "scheduled", one done this morning, one this afternoon, one cancelled, Friday's, next
    Monday's; another recruiter's this afternoon."""

    def interview(name: str, when, status=Interview.Status.SCHEDULED, who=recruiter):
        return InterviewFactory(
            recruiter=who,
            scheduled_at=when,
            status=status,
            candidate__first_name=name,
            candidate__last_name="Colombo",
        )

    return {
        "yesterday": interview("Ieri", at(-1, 10)),
        "morning": interview("Mattina", at(0, 9)),
        "done": interview("Svolto", at(0, 9, 45), Interview.Status.DONE),
        "afternoon": interview("Pomeriggio", at(0, 15)),
        "cancelled": interview("Annullato", at(0, 16), Interview.Status.CANCELLED),
        "friday": interview("Venerdi", at(2, 10)),
        "monday": interview("Lunedi", at(5, 10)),
        "theirs": interview("Altrui", at(0, 15), who=UserFactory(role="recruiter")),
    }


@pytest.mark.django_db
def test_recruiters_see_today_this_week_and_the_interviews_whose_outcome_is_missing(
    login, recruiter, agenda_world
):
    client = login(recruiter)
    response, panels = _home(client)

    assert list(panels) == ["today", "week", "missing"]
    today = panels["today"]
    assert [(r.label, r.when, r.flag) for r in today.rows] == [
        ("Mattina Colombo", "09:00", "Esito mancante"),
        ("Svolto Colombo", "09:45", ""),
        ("Pomeriggio Colombo", "15:00", ""),
    ]
    assert [r.label for r in panels["week"].rows] == [
        "Mattina Colombo",
        "Svolto Colombo",
        "Pomeriggio Colombo",
        "Venerdi Colombo",
    ]
    assert [(r.label, r.when) for r in panels["missing"].rows] == [
        ("Mattina Colombo", "02/12/2026 09:00"),
        ("Ieri Colombo", "01/12/2026 10:00"),
    ]
    assert "Altrui" not in response.text
    _counts_are_the_lists(client, panels)


@pytest.mark.django_db
def test_the_agenda_marks_a_past_interview_without_an_outcome_as_outcome_missing(
    login, recruiter, agenda_world
):
    client = login(recruiter)
    upcoming = client.get(reverse("interviews:agenda")).text
    assert upcoming.count('data-testid="outcome-missing"') == 1  # this morning's
    assert "Esito mancante" in upcoming
    missing = client.get(reverse("interviews:agenda"), {"when": "missing"})
    assert list(missing.context["page"]) == [agenda_world["morning"], agenda_world["yesterday"]]
    assert missing.text.count('data-testid="outcome-missing"') == 2
    assert 'aria-current="page" href="?when=missing"' in missing.text
    assert ">In programma<" not in missing.text


@pytest.mark.django_db
def test_a_recruiter_with_no_interview_today_is_told_so(login, recruiter, moment):
    response, panels = _home(login(recruiter))
    assert panels["today"].rows == []
    assert "Nessun colloquio oggi." in response.text


# Caseworkers -----------------------------------------------------------------------------------


@pytest.fixture
def centre_world(moment, centre, other_centre, caseworker, other_caseworker, candidate):
    """Two drafts of the persona's centre (one still without sex and phone), one of another
    centre; support actions due overdue, today, in 40 days, and another centre's today."""
    drafts = [
        CandidateFactory(centre=centre, first_name="Bozza", last_name="Completa", status="draft"),
        CandidateFactory(
            centre=centre,
            first_name="Bozza",
            last_name="Incompleta",
            status="draft",
            sex="",
            phone="",
        ),
    ]
    CandidateFactory(centre=other_centre, first_name="Bozza", last_name="Altrui", status="draft")
    CandidateFactory.create_batch(3, centre=centre)
    today = timezone.localdate()
    for days, who, whose in [
        (-2, candidate, caseworker),
        (0, candidate, caseworker),
        (40, candidate, caseworker),
        (0, CandidateFactory(centre=other_centre, last_name="Altrui"), other_caseworker),
    ]:
        support_action_propose(
            candidate=who,
            kind="documents",
            actor=whose,
            due_on=today + datetime.timedelta(days=days),
        )
    return drafts


@pytest.mark.django_db
def test_caseworkers_register_and_see_drafts_to_complete_and_support_due(
    login, caseworker, centre_world, candidate
):
    client = login(caseworker)
    response, panels = _home(client)

    assert list(panels) == ["drafts", "actions", "follow_ups"]
    assert f'href="{reverse("candidates:create")}" data-testid="home-action"' in response.text
    assert "Registra un candidato" in response.text
    drafts = panels["drafts"]
    assert drafts.count == 2
    assert {(r.label, r.note) for r in drafts.rows} == {
        ("Bozza Completa", "Non manca nulla: si può registrare"),
        ("Bozza Incompleta", "Da completare: sesso, telefono o e-mail"),
    }
    actions = panels["actions"]
    assert actions.count == 2  # due by Sunday, overdue first; their centre's only
    assert [r.flag for r in actions.rows] == ["in ritardo", ""]
    assert all(str(candidate) in r.label for r in actions.rows)
    assert "Altrui" not in response.text
    _counts_are_the_lists(client, panels)


# Matching officers -----------------------------------------------------------------------------


@pytest.fixture
def staff_world(moment, staff, company, centre):
    """Open needs: one nobody is shortlisted for (starting soon), one whose only candidate
    withdrew, one with a candidate proposed; a filled need with nobody. Two interview requests
    waiting. The newest analysis of the open campaign finds Nadia near-ready for two profiles,
    Olga for one, and Rosa ready; an earlier one found Wanda near-ready."""
    soon = NeedFactory(start_date=datetime.date(2026, 12, 14))
    withdrawn = NeedFactory()
    shortlist_entry(
        Shortlist.objects.create(need=withdrawn, created_by=staff),
        CandidateFactory(centre=centre),
        staff,
        "withdrawn",
    )
    proposed = Shortlist.objects.create(
        need=NeedFactory(company=company), created_by=staff, shared_at=timezone.now()
    )
    shortlist_entry(proposed, CandidateFactory(centre=centre), staff, "proposed")
    NeedFactory(status="filled")
    requests = [
        shortlist_entry(
            proposed,
            CandidateFactory(centre=centre, first_name=name, last_name="Rota"),
            staff,
            "interview_requested",
            through=["interview_requested"],
        )
        for name in ("Ilaria", "Ines")
    ]
    campaign = SurveyCampaignFactory(opens_on=datetime.date(2026, 11, 1))
    profiles = list(JobProfile.objects.order_by("pk")[:2])
    licence = Certification.objects.order_by("pk").first()

    def analysis(**fields):
        return GapAnalysis.objects.create(
            campaign=campaign, status="done", computed_at=timezone.now(), **fields
        )

    def line(analysis, name, profile, closer="certification", needs=2):
        return GapCandidate.objects.create(
            analysis=analysis,
            profile=profile,
            candidate=people[name],
            closer=closer,
            certification=licence if closer == "certification" else None,
            needs=needs,
        )

    people = {
        name: CandidateFactory(centre=centre, first_name=name, last_name="Gap")
        for name in ("Nadia", "Olga", "Rosa", "Wanda")
    }
    earlier = analysis()
    line(earlier, "Wanda", profiles[0])
    GapAnalysis.objects.filter(pk=earlier.pk).update(
        computed_at=timezone.now() - datetime.timedelta(days=7)
    )
    newest = analysis()
    line(newest, "Nadia", profiles[0], needs=5)
    line(newest, "Nadia", profiles[1])
    line(newest, "Olga", profiles[1], needs=3)
    line(newest, "Rosa", profiles[0], closer="ready")
    return {"soon": soon, "withdrawn": withdrawn, "requests": requests}


@pytest.mark.django_db
def test_staff_see_needs_without_a_shortlist_interview_requests_and_near_ready_candidates(
    login, staff, staff_world
):
    client = login(staff)
    _response, panels = _home(client)

    assert list(panels) == ["needs", "requests", "near_ready"]
    needs = panels["needs"]
    assert needs.count == 2
    assert [row.url for row in needs.rows] == [
        reverse("matching:need_rank", args=[staff_world["soon"].pk]),
        reverse("matching:need_rank", args=[staff_world["withdrawn"].pk]),
    ]
    assert needs.rows[0].when == "dal 14/12/2026"
    requests = panels["requests"]
    assert requests.count == 2
    assert {row.label for row in requests.rows} == {"Ilaria Rota", "Ines Rota"}
    near = panels["near_ready"]
    assert [(row.label, row.when) for row in near.rows] == [
        ("Nadia Gap", "5 fabbisogni aperti"),
        ("Olga Gap", "3 fabbisogni aperti"),
    ]
    _counts_are_the_lists(client, panels)


# The programme office --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_sees_the_programme_at_a_glance_and_the_duplicates_to_review(
    login, admin, candidate, other_candidate, centre
):
    CandidateFactory.create_batch(2, centre=centre)
    DuplicateReview.objects.create(candidate=candidate, existing=other_candidate, reasons=["phone"])
    client = login(admin)
    response, panels = _home(client)

    figures = {figure.key: figure for figure in response.context["home"].figures}
    assert figures["registered"].value == 4
    assert client.get(figures["registered"].url).context["page"].paginator.count == 4
    assert reverse("reports:dashboard") in response.text
    assert panels["duplicates"].count == 1
    assert panels["duplicates"].rows[0].note == "Stesso telefono"
    _counts_are_the_lists(client, panels)


# Queries ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 7])
def test_the_company_hr_home_runs_a_fixed_number_of_queries(
    login, company_hr, company, centre, staff, moment, django_assert_num_queries, size
):
    campaign = SurveyCampaignFactory()
    shortlist = Shortlist.objects.create(
        need=NeedFactory(company=company, campaign=campaign),
        created_by=staff,
        shared_at=timezone.now(),
    )
    for _ in range(size):
        shortlist_entry(shortlist, _person(centre, "Anna"), staff, "proposed")
        shortlist_entry(
            shortlist,
            _person(centre, "Carla", consent_share_contacts=True),
            staff,
            "interview_agreed",
            through=AGREED,
        )
    client = login(company_hr)
    # session, user with organisation; then for each panel its count and its first rows:
    # open campaigns with the company's needs counted, shortlists waiting with their entries
    # counted by step, interviews agreed with candidate, need, latest step and outcome
    with django_assert_num_queries(8):
        _response, panels = _home(client)
    assert panels["interviews"].count == size


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 7])
def test_the_recruiter_home_runs_a_fixed_number_of_queries(
    login, recruiter, moment, django_assert_num_queries, size
):
    for index in range(size):
        InterviewFactory(recruiter=recruiter, scheduled_at=at(0, 8, index))
        InterviewFactory(recruiter=recruiter, scheduled_at=at(0, 14, index))
    client = login(recruiter)
    # session, user with organisation, their second factor's device; then the count and the
    # first rows with candidate, comune, recruiter, agency, tranche and assessment of today's,
    # this week's and the outcomes missing
    with django_assert_num_queries(9):
        _response, panels = _home(client)
    assert panels["today"].count == 2 * size


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 7])
def test_the_caseworker_home_runs_a_fixed_number_of_queries(
    login, caseworker, centre, candidate, moment, django_assert_num_queries, size
):
    CandidateFactory.create_batch(size, centre=centre, status="draft")
    for _ in range(size):
        support_action_propose(
            candidate=candidate, kind="documents", actor=caseworker, due_on=timezone.localdate()
        )
    client = login(caseworker)
    # session, user with organisation; then the count and the first rows of the drafts, of the
    # support actions due with owner, partner and funding (and their candidates with their
    # centres, by key), and of the follow-up checks due with their placements (none here)
    with django_assert_num_queries(9):
        _response, panels = _home(client)
    assert (panels["drafts"].count, panels["actions"].count) == (size, size)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 7])
def test_the_staff_home_runs_a_fixed_number_of_queries(
    login, staff, centre, moment, django_assert_num_queries, size
):
    campaign = SurveyCampaignFactory(opens_on=datetime.date(2026, 11, 1))
    analysis = GapAnalysis.objects.create(
        campaign=campaign, status="done", computed_at=timezone.now()
    )
    profile = JobProfile.objects.order_by("pk").first()
    for _ in range(size):
        NeedFactory()
        GapCandidate.objects.create(
            analysis=analysis,
            profile=profile,
            candidate=CandidateFactory(centre=centre),
            closer="italian",
            italian_level="B1",
            needs=1,
        )
    client = login(staff)
    # session, user with organisation, their second factor's device; the newest open
    # campaign and its newest analysis; then the count and the first rows of the needs without
    # a shortlist, of the interview requests, and of the near-ready
    with django_assert_num_queries(11):
        _response, panels = _home(client)
    assert panels["near_ready"].count == size


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 7])
def test_the_admin_home_runs_a_fixed_number_of_queries(
    login, admin, centre, other_centre, moment, django_assert_num_queries, size
):
    for _ in range(size):
        NeedFactory()
        DuplicateReview.objects.create(
            candidate=CandidateFactory(centre=centre),
            existing=CandidateFactory(centre=other_centre),
            reasons=["phone"],
        )
    client = login(admin)
    # session, user with organisation, their second factor's device; the demand and the
    # candidates of the programme's funnel; the count and the first possible duplicates
    with django_assert_num_queries(7):
        _response, panels = _home(client)
    assert panels["duplicates"].count == size
