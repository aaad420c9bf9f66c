import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import User
from candidates.models import Candidate
from companies.models import Need
from interviews.models import Assessment
from matching.models import Entry
from reports.figures import Period, programme_figures
from tests.factories import CandidateFactory, InterviewFactory, NeedFactory, UserFactory
from tests.reports.programme_data import (
    EXPECTED,
    EXPECTED_CENTRE,
    assess,
    shortlist_entry,
)
from training.models import Course, Enrolment, GapAnalysis, GapCandidate
from training.services import support_action_propose


def _funnel(response) -> dict:
    return {figure.key: figure.value for figure in response.context["figures"].funnel}


def _listed(client, url: str, *, people: bool = False) -> int:
    """How many rows the list at `url` says it holds (all its pages); with `people`, how many
    people the listed needs ask for."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["people"] if people else response.context["page"].paginator.count


def _check_links(client, figures) -> None:
    for figure in figures:
        listed = _listed(client, figure.url, people=figure.key == "headcount")
        assert listed == figure.value, figure.key


@pytest.mark.django_db
def test_admin_dashboard_shows_the_programme_figures(login, admin, programme):
    response = login(admin).get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert _funnel(response) == EXPECTED
    html = response.text
    with translation.override("it"):  # the portal's language; the labels as translated
        assert gettext("Candidates registered") in html
        assert gettext("Demand and suitable candidates by profile") in html
    assert f'href="{reverse("reports:export")}"' in html


@pytest.mark.django_db
def test_funnel_figures_equal_the_database(admin, programme):
    figures = programme_figures(admin)
    active = Need.objects.exclude(status=Need.Status.CANCELLED)
    assessed = Candidate.objects.filter(interviews__assessment__isnull=False).distinct()
    entries = Entry.objects.values("candidate").distinct()
    assert figures.figure("companies").value == active.values("company").distinct().count()
    assert figures.figure("needs").value == active.count()
    assert figures.figure("headcount").value == sum(active.values_list("headcount", flat=True))
    assert figures.figure("registered").value == Candidate.objects.exclude(status="draft").count()
    assert figures.figure("interviewed").value == assessed.count()
    for cls in "ABC":
        expected = assessed.filter(employability=cls).count()
        assert figures.figure(f"class_{cls.lower()}").value == expected
    assert figures.figure("shortlisted").value == entries.count()
    assert figures.figure("hired").value == entries.filter(status="hired").count()


@pytest.mark.django_db
def test_every_funnel_figure_links_to_a_list_of_exactly_that_many(login, admin, programme):
    client = login(admin)
    figures = programme_figures(admin)
    _check_links(client, figures.funnel)


@pytest.mark.django_db
def test_demand_rows_set_needs_against_suitable_candidates(login, admin, programme):
    client = login(admin)
    rows = {row.profile_id: row for row in programme_figures(admin).demand}
    assembly, welder = rows[programme.assembly.pk], rows[programme.welder.pk]
    # Carla's class C keeps her out of the assembly workers suitable for the demand.
    assert (assembly.needs, assembly.headcount, assembly.suitable) == (2, 4, 2)
    assert (welder.needs, welder.headcount, welder.suitable) == (1, 2, 2)
    assert list(rows) == [programme.assembly.pk, programme.welder.pk]  # most needed first
    assert _listed(client, assembly.needs_url) == 2
    assert _listed(client, assembly.headcount_url, people=True) == 4
    assert _listed(client, assembly.suitable_url) == 2
    assert _listed(client, welder.suitable_url) == 2


@pytest.mark.django_db
def test_obstacles_count_candidates_and_link_to_them(login, admin, programme):
    client = login(admin)
    obstacles = programme_figures(admin).obstacles
    assert (obstacles[0].key, obstacles[0].value) == ("transport", 3)  # the most frequent
    assert {row.key: row.value for row in obstacles} == {
        "transport": 3,
        "language": 1,
        "documents": 1,
    }
    for row in obstacles:
        assert _listed(client, row.url) == row.value, row.key


@pytest.mark.django_db
def test_tranche_rows_count_interviews_and_classes(login, admin, programme):
    client = login(admin)
    rows = {row.name: row for row in programme_figures(admin).tranches}
    first, second = rows["Prima tranche"], rows["Seconda tranche"]
    # Dina's cancelled interview is not planned; Fatima's is still to be held.
    assert (first.planned, first.done, first.no_show) == (4, 3, 0)
    assert (first.class_a, first.class_b, first.class_c) == (1, 1, 1)
    assert (second.planned, second.done, second.no_show) == (2, 1, 1)
    assert (second.class_a, second.class_b, second.class_c) == (1, 0, 0)
    for key in ("planned", "done", "no_show", "class_a", "class_b", "class_c"):
        assert _listed(client, first.links[key]) == getattr(first, key), key


@pytest.mark.django_db
def test_campaign_restricts_the_demand_side(login, admin, programme):
    client = login(admin)
    response = client.get(reverse("reports:dashboard"), {"campaign": programme.other_campaign.pk})
    funnel = _funnel(response)
    assert (funnel["companies"], funnel["needs"], funnel["headcount"]) == (1, 1, 1)
    assert funnel["registered"] == EXPECTED["registered"]  # the campaign is about demand only
    _check_links(client, response.context["figures"].demand_totals)


@pytest.mark.django_db
def test_period_restricts_registrations_assessments_and_shortlists(login, admin, programme):
    """Anna went through everything last year: a period starting this year leaves her out."""
    anna = programme.candidates["anna"]
    last_year = timezone.now() - datetime.timedelta(days=400)
    Candidate.objects.filter(pk=anna.pk).update(created_at=last_year)
    Assessment.objects.filter(interview__candidate=anna).update(recorded_at=last_year)
    Entry.objects.filter(candidate=anna).update(added_at=last_year)
    start = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    client = login(admin)

    response = client.get(reverse("reports:dashboard"), {"date_from": start})

    funnel = _funnel(response)
    assert funnel["registered"] == EXPECTED["registered"] - 1
    assert funnel["interviewed"] == EXPECTED["interviewed"] - 1
    assert funnel["class_a"] == EXPECTED["class_a"] - 1
    assert funnel["hired"] == 0
    assert funnel["needs"] == EXPECTED["needs"]  # dates are about candidates, not demand
    _check_links(client, response.context["figures"].funnel)
    transport = response.context["figures"].obstacles[0]
    assert (transport.key, transport.value) == ("transport", 2)
    assert _listed(client, transport.url) == 2


@pytest.mark.django_db
def test_caseworker_sees_only_their_centres_candidates(login, caseworker, programme):
    client = login(caseworker)
    response = client.get(reverse("reports:dashboard"))
    figures = response.context["figures"]
    assert _funnel(response) == EXPECTED_CENTRE
    assert figures.demand == []
    assert figures.tranches == []
    assert {row.key: row.value for row in figures.obstacles}["transport"] == 2  # not Omar
    assert "Diakonia Bergamo" in response.text
    assert "Omar" not in response.text
    _check_links(client, figures.funnel)
    assert reverse("companies:need_list") not in response.text


@pytest.mark.django_db
def test_other_centres_caseworker_sees_only_omar(login, other_caseworker, programme):
    funnel = _funnel(login(other_caseworker).get(reverse("reports:dashboard")))
    assert funnel["registered"] == funnel["interviewed"] == funnel["class_a"] == 1
    assert funnel["hired"] == 0


@pytest.mark.django_db
def test_company_hr_sees_their_needs_and_shortlists_by_step(login, company_hr, programme):
    response = login(company_hr).get(reverse("reports:dashboard"))
    assert response.status_code == 200
    figures = response.context["figures"]
    needs = {row.profile: (row.headcount, row.hired) for row in figures.needs}
    assert needs == {str(programme.assembly): (3, 1), str(programme.welder): (2, 0)}
    steps = {
        row.profile: {str(step.label): step.value for step in row.steps if step.value}
        for row in figures.shortlists
    }
    assert steps[str(programme.assembly)] == {
        "Proposto": 1,
        "Colloquio concordato": 1,
        "Assunto": 1,
    }
    # Giulia was withdrawn: the company never sees her.
    assert steps[str(programme.welder)] == {"Azienda interessata": 1}
    html = response.text
    for person in programme.candidates.values():
        # As a word: the HR user's own (random) name may contain a candidate's surname.
        assert not re.search(rf"\b{re.escape(person.last_name)}\b", html)
    assert "Plastiche Serio" not in html
    assert 'data-testid="download-workbook"' not in html


@pytest.mark.django_db
def test_company_hr_step_links_open_the_cards_at_that_step(login, company_hr, programme):
    client = login(company_hr)
    shortlist = next(
        row
        for row in client.get(reverse("reports:dashboard")).context["figures"].shortlists
        if row.profile == str(programme.assembly)
    )
    for step in shortlist.steps:
        cards = client.get(step.url).context["cards"]
        assert len(cards) == step.value, step.label


@pytest.mark.django_db
def test_other_company_hr_sees_nothing_of_this_company(login, other_company_hr, programme):
    response = login(other_company_hr).get(reverse("reports:dashboard"))
    figures = response.context["figures"]
    assert [row.headcount for row in figures.needs] == [1]  # their own need of 2025
    assert figures.shortlists == []
    assert "Meccanica Orobica" not in response.text


@pytest.mark.django_db
def test_recruiter_has_no_dashboard(login, recruiter):
    assert login(recruiter).get(reverse("reports:dashboard")).status_code == 403


@pytest.mark.django_db
def test_dashboard_is_in_the_menu_of_those_who_may_open_it(login, personas):
    url = reverse("reports:dashboard")
    for role in ("admin", "staff", "caseworker", "company_hr"):
        assert f'href="{url}"' in login(personas[role]).get(reverse("reports:home")).text, role
    assert f'href="{url}"' not in login(personas["recruiter"]).get(reverse("reports:home")).text


@pytest.mark.django_db
def test_end_before_start_is_refused_and_nothing_filtered(login, admin, programme):
    response = login(admin).get(
        reverse("reports:dashboard"), {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    )
    assert response.context["filters"].errors
    assert _funnel(response) == EXPECTED


def _grow(programme, centre, staff, times: int) -> None:
    """More of everything the dashboard counts, so a query per row would show."""
    recruiter = UserFactory(role=User.Role.RECRUITER)
    for _ in range(times):
        candidate = CandidateFactory(centre=centre)
        interview = InterviewFactory(
            tranche=programme.tranche, candidate=candidate, recruiter=recruiter
        )
        assess(interview, recruiter, "B", suitable=[programme.welder], obstacles=["care"])
        shortlist_entry(programme.assembly_need.shortlist, candidate, staff, Entry.Status.PROPOSED)
        NeedFactory(campaign=programme.campaign)
        support_action_propose(candidate=candidate, kind="care", actor=staff, cost=Decimal(20))
        course = Course.objects.create(
            title="Corso", seats=2, status=Course.Status.COMPLETED, created_by=staff
        )
        Enrolment.objects.create(
            course=course, candidate=candidate, status="completed", proposed_by=staff
        )
        Enrolment.objects.create(
            course=course, candidate=programme.candidates["bruna"], status="dropped",
            drop_reason="health", proposed_by=staff,
        )  # fmt: skip
        for days, closer in ((3, "skill"), (1, "ready")):
            analysis = GapAnalysis.objects.create(
                status="done", computed_at=timezone.now() - datetime.timedelta(days=days)
            )
            GapCandidate.objects.create(
                analysis=analysis, profile=programme.welder, candidate=candidate, closer=closer,
                needs=1,
            )  # fmt: skip


# The dashboard page for an administrator, in queries, when its counts are not kept (the
# test's data are written in its open transaction, so every count is computed afresh):
#  1-2. the session and the user (authentication);
#  3. companies, needs and people needed;
#  4. the candidates' steps, classes and hires (one aggregate);
#  5. needs by profile; 6. suitable candidates by profile; 7. the profiles' names;
#  8. obstacles; 9. tranches' interviews and classes; 10. the tranches themselves;
#  11-13. retention after placement by profile, by company and by class (one grouped query
#  each, tests/training/test_follow_ups.py grows them);
#  14. support actions by kind and status; 15. their cost by funding channel;
#  16. the candidates hired, and those hired after a support action or a course (4 again:
#  served from the cache once it is kept); 17. courses by status with their seats; 18. their
#  enrolments by course status, status and reason (seats filled, outcomes and drop-outs in
#  one grouped query); 19-20. who moved from near-ready to ready, by profile and in all
#  (tests/reports/test_dashboard_courses.py); 21. the campaigns of the filter form; 22. the
#  device of the user's second factor (authentication, with 1-2).
DASHBOARD_QUERIES = 22


@pytest.mark.django_db
@pytest.mark.parametrize("more", [0, 15])
def test_dashboard_queries_do_not_grow_with_the_data(
    login, admin, programme, centre, staff, more, django_assert_num_queries
):
    _grow(programme, centre, staff, more)
    client = login(admin)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("reports:dashboard"))
    assert _funnel(response)["interviewed"] == EXPECTED["interviewed"] + more


@pytest.mark.django_db
@pytest.mark.parametrize("more", [0, 15])
def test_figures_for_a_caseworker_take_two_queries(
    caseworker, programme, centre, staff, more, django_assert_num_queries
):
    _grow(programme, centre, staff, more)
    # the candidates' steps and classes, the obstacles: no demand, no tranches for a centre
    with django_assert_num_queries(2):
        figures = programme_figures(caseworker)
    assert figures.figure("interviewed").value == EXPECTED_CENTRE["interviewed"] + more


@pytest.mark.django_db
def test_figures_for_admin_take_eight_queries(admin, programme, django_assert_num_queries):
    # demand totals, the candidates, needs by profile, suitable candidates, profile names,
    # obstacles, the tranches' counts, the tranches
    with django_assert_num_queries(8):
        programme_figures(admin, Period(campaign=programme.campaign))
