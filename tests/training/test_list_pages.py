"""The training lists (support actions, courses, enrolments, offers, follow-up checks) as
they page, sort and search, within the user's scope. Their query pins at two sizes are beside
the other tests of each page (test_action_pages.py, test_course_pages.py, test_follow_ups.py)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import CandidateFactory, CompanyFactory, NeedFactory
from tests.training.test_course_pages import _course
from tests.training.test_follow_ups import days_ago, hire
from training.models import Course, CourseOffer
from training.services import (
    course_offer_make,
    course_save,
    enrolment_propose,
    support_action_propose,
)

ACTIONS = reverse("training:action_list")
COURSES = reverse("training:course_list")
ENROLMENTS = reverse("training:enrolment_list")
OFFERS = reverse("training:offer_list")
FOLLOW_UPS = reverse("training:follow_up_list")

pytestmark = pytest.mark.django_db


def _shown(response) -> list:
    return list(response.context["page"])


def _action(caseworker, centre, last_name, cost=None, kind="transport"):
    candidate = CandidateFactory(centre=centre, caseworker=caseworker, last_name=last_name)
    return support_action_propose(candidate=candidate, kind=kind, actor=caseworker, cost=cost)


def test_support_actions_sort_by_cost_the_dearest_first_and_by_candidate(login, caseworker, centre):
    cheap = _action(caseworker, centre, "Zanchi", cost=Decimal("20"))
    unknown = _action(caseworker, centre, "Brambilla")
    dear = _action(caseworker, centre, "Locatelli", cost=Decimal("300"))
    client = login(caseworker)
    assert _shown(client.get(ACTIONS, {"sort": "-cost"})) == [dear, cheap, unknown]
    assert _shown(client.get(ACTIONS, {"sort": "candidate"})) == [unknown, dear, cheap]
    html = client.get(ACTIONS, {"sort": "-cost"}).text
    assert 'aria-sort="descending"' in html
    assert "3 azioni" in html


def test_the_action_search_finds_no_one_of_another_centre(
    login, caseworker, centre, other_caseworker, other_centre
):
    mine = _action(caseworker, centre, "Pesenti")
    _action(other_caseworker, other_centre, "Pesenti")
    assert _shown(login(caseworker).get(ACTIONS, {"q": "pesenti"})) == [mine]


def test_support_actions_page_by_number_and_the_filters_keep_the_sort(login, caseworker, centre):
    actions = [_action(caseworker, centre, f"Cognome{n:02d}") for n in range(32)]
    client = login(caseworker)
    second = client.get(ACTIONS, {"sort": "-candidate", "page": "2"})
    assert _shown(second) == [actions[1], actions[0]]
    assert '<input type="hidden" name="sort" value="-candidate">' in second.text


def test_courses_sort_by_seats_taken_and_the_search_finds_the_title(
    login, staff, company, centre, profile, forklift
):
    full = _course(staff, company, profile, forklift, sessions=0)
    empty = course_save(
        course=Course(title="Saldatura", host=company, seats=10), actor=staff, profiles=[profile]
    )
    for _ in range(2):
        enrolment_propose(course=full, candidate=CandidateFactory(centre=centre), actor=staff)
    client = login(staff)
    assert _shown(client.get(COURSES, {"sort": "-taken"})) == [full, empty]
    assert _shown(client.get(COURSES, {"sort": "title"})) == [full, empty]  # Carrellisti
    assert _shown(client.get(COURSES, {"q": "saldatura"})) == [empty]


def test_enrolments_sort_by_candidate_and_a_caseworker_searches_only_their_own(
    login, staff, caseworker, company, centre, other_centre, profile, forklift
):
    course = _course(staff, company, profile, forklift, sessions=0)
    people = [
        CandidateFactory(centre=centre, last_name=name) for name in ("Rota", "Agazzi", "Cattaneo")
    ]
    for person in people:
        enrolment_propose(course=course, candidate=person, actor=staff)
    enrolment_propose(
        course=course,
        candidate=CandidateFactory(centre=other_centre, last_name="Rota"),
        actor=staff,
    )
    client = login(caseworker)
    shown = [e.candidate.last_name for e in _shown(client.get(ENROLMENTS, {"sort": "candidate"}))]
    assert shown == ["Agazzi", "Cattaneo", "Rota"]
    assert [e.candidate for e in _shown(client.get(ENROLMENTS, {"q": "rota"}))] == [people[0]]


def test_offers_sort_by_company_and_company_hr_search_only_their_own(
    login, staff, company, company_hr, profile
):
    other = CompanyFactory(organisation__name="Acciaierie Lombarde S.p.A.")

    def offer(company, description):
        return course_offer_make(
            company=company,
            actor=company_hr,
            kind=CourseOffer.Kind.PLACEMENTS,
            places=1,
            profile=profile,
            description=description,
        )

    ours, theirs = offer(company, "Tirocini in magazzino"), offer(other, "Tirocini in acciaieria")
    assert _shown(login(staff).get(OFFERS)) == [theirs, ours]  # the latest first
    assert _shown(login(staff).get(OFFERS, {"sort": "company"})) == [theirs, ours]
    assert _shown(login(staff).get(OFFERS, {"sort": "-company"})) == [ours, theirs]
    assert _shown(login(staff).get(OFFERS, {"q": "magazzino"})) == [ours]
    assert _shown(login(company_hr).get(OFFERS, {"q": "tirocini"})) == [ours]


def test_offers_page_by_number(login, staff, company, company_hr, profile):
    for n in range(27):
        course_offer_make(
            company=company,
            actor=company_hr,
            kind=CourseOffer.Kind.TEACHER,
            profile=profile,
            description=f"Docente {n}",
        )
    second = login(staff).get(OFFERS, {"page": "2"})
    assert [offer.description for offer in _shown(second)] == ["Docente 1", "Docente 0"]


def test_follow_ups_sort_by_candidate_and_the_search_keeps_to_the_centre(
    login, caseworker, centre, other_centre, company, staff, company_hr
):
    for name, where in [("Vitali", centre), ("Bonfanti", centre), ("Vitali", other_centre)]:
        hire(
            NeedFactory(company=company),
            CandidateFactory(centre=where, caseworker=caseworker, last_name=name),
            staff=staff,
            company_hr=company_hr,
            start=days_ago(20),
        )
    client = login(caseworker)
    shown = [
        c.entry.candidate.last_name for c in _shown(client.get(FOLLOW_UPS, {"sort": "candidate"}))
    ]
    assert shown == ["Bonfanti"] * 3 + ["Vitali"] * 3  # 1, 3 and 6 months each
    found = _shown(client.get(FOLLOW_UPS, {"q": "vitali"}))
    assert {check.entry.candidate.centre for check in found} == {centre}
    assert len(found) == 3
