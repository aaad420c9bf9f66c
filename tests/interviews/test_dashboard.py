import pytest
from django.urls import reverse

from interviews.models import Assessment, Interview
from interviews.services import ObstacleInput, assessment_record
from tests.factories import CandidateFactory, InterviewFactory, TrancheFactory


@pytest.fixture
def tranche(db, recruiter, centre):
    """Twelve interviews: ten assessed (4 A, 4 B, 2 C), one no-show, one cancelled."""
    tranche = TrancheFactory(target=12)
    plan = [
        ("A", "F", "MA", []),
        ("A", "F", "IT", []),
        ("A", "M", "IT", ["transport"]),
        ("A", "M", "RO", []),
        ("B", "F", "MA", ["transport", "care"]),
        ("B", "F", "UA", ["care"]),
        ("B", "F", "IT", ["transport"]),
        ("B", "M", "NG", ["language", "transport"]),
        ("C", "F", "MA", ["health", "care"]),
        ("C", "M", "IT", ["housing"]),
    ]
    for employability, sex, nationality, obstacles in plan:
        interview = InterviewFactory(
            tranche=tranche,
            recruiter=recruiter,
            candidate=CandidateFactory(centre=centre, sex=sex, nationality=nationality),
        )
        assessment_record(
            interview=interview,
            actor=recruiter,
            employability=employability,
            obstacles=[ObstacleInput(kind, 2) for kind in obstacles],
        )
    InterviewFactory(tranche=tranche, recruiter=recruiter, status=Interview.Status.NO_SHOW)
    InterviewFactory(tranche=tranche, recruiter=recruiter, status=Interview.Status.CANCELLED)
    return tranche


def _figures(client, tranche):
    response = client.get(reverse("interviews:tranche_detail", args=[tranche.pk]))
    return response.context["figures"]


@pytest.mark.django_db
def test_the_dashboard_counts_equal_the_database(login, staff, tranche):
    figures = _figures(login(staff), tranche)
    assessed = Assessment.objects.filter(interview__tranche=tranche)
    assert (figures.planned.value, figures.done.value, figures.no_show.value) == (11, 10, 1)
    assert figures.assessed == assessed.count() == 10
    assert [(f.value, f.percent) for f in figures.classes] == [
        (
            assessed.filter(employability=c).count(),
            round(100 * assessed.filter(employability=c).count() / 10),
        )
        for c in "ABC"
    ]
    assert [(f.value, f.percent) for f in figures.classes] == [(4, 40), (4, 40), (2, 20)]
    # transport 4, care 3, then language, health, housing once each (most frequent first)
    assert [(f.value, f.percent) for f in figures.obstacles] == [
        (4, 40),
        (3, 30),
        (1, 10),
        (1, 10),
        (1, 10),
    ]
    (_women, women), (_men, men) = figures.by_sex
    assert [f.value for f in women] == [2, 3, 1]
    assert [f.value for f in men] == [2, 1, 1]
    assert [f.percent for f in women] == [33, 50, 17]  # of the 6 assessed women
    (_italians, italians), (_foreigners, foreigners) = figures.by_origin
    assert [f.value for f in italians] == [2, 1, 1]
    assert [f.value for f in foreigners] == [2, 3, 1]


@pytest.mark.django_db
def test_every_dashboard_figure_links_to_a_list_of_that_many_interviews(login, staff, tranche):
    client = login(staff)
    figures = _figures(client, tranche)
    linked = [figures.planned, figures.done, figures.no_show, *figures.classes, *figures.obstacles]
    linked += [f for _label, row in figures.by_sex + figures.by_origin for f in row]
    for figure in linked:
        listed = client.get(figure.url).context["page"].paginator.count
        if figure is figures.planned:
            listed -= 1  # the list shows the cancelled interview too; "planned" leaves it out
        assert listed == figure.value, figure.url


@pytest.mark.django_db
def test_only_staff_and_admin_see_the_dashboard(login, personas, tranche):
    for role, status in [("admin", 200), ("staff", 200), ("caseworker", 403), ("company_hr", 403)]:
        response = login(personas[role]).get(reverse("interviews:tranche_list"))
        assert response.status_code == status, role


@pytest.mark.django_db
@pytest.mark.parametrize("more", [2, 30])
def test_tranche_list_pins_its_queries(
    login, staff, recruiter, tranche, more, django_assert_num_queries
):
    for _ in range(more):
        InterviewFactory(tranche=TrancheFactory(), recruiter=recruiter)
    client = login(staff)
    # session, user with organisation, their second factor's device, the count for the
    # paginator, the page of tranches; then for the page's at once: interviews, classes and
    # splits by tranche (interviews.selectors.tranche_counts), obstacles by tranche
    with django_assert_num_queries(7):
        response = client.get(reverse("interviews:tranche_list"), {"q": "tranche"})
    assert response.context["page"].paginator.count == 1 + more
    assert len(response.context["figures"]) == min(1 + more, 10)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 60])
def test_tranche_page_pins_its_queries(login, staff, recruiter, size, django_assert_num_queries):
    tranche = TrancheFactory()
    InterviewFactory.create_batch(size, tranche=tranche, recruiter=recruiter)
    client = login(staff)
    # session, user with organisation, their second factor's device, the tranche, its
    # interviews by status with their classes and splits (interviews.selectors.
    # tranche_counts), its obstacles, the count of its interviews for the paginator, the page
    # of them with candidate, recruiter and assessment, then the assign form's recruiters
    # with their agencies (its candidates are asked for as staff type: none is rendered)
    with django_assert_num_queries(9):
        response = client.get(tranche.get_absolute_url(), {"sort": "candidate"})
    assert (response.context["page"].paginator.count, len(response.context["page"])) == (
        size,
        min(size, 50),
    )
