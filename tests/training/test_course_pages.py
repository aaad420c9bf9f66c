"""The course pages as their users meet them: staff run a course from creation to completion,
caseworkers see their own candidates on it, company HR see codes and never a person."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import CandidateCertification
from catalog.models import Comune
from tests.factories import CandidateFactory
from tests.planted import NEVER_SHOWN, PLANTED
from training.models import (
    Course,
    CourseOffer,
    Enrolment,
    GapAnalysis,
    GapCandidate,
    GraduateInterest,
)
from training.services import (
    course_move,
    course_offer_make,
    course_save,
    course_session_add,
    enrolment_confirm,
    enrolment_propose,
)

pytestmark = pytest.mark.django_db


def _course(staff, company, profile, forklift, sessions=2, **fields) -> Course:
    course = course_save(
        course=Course(title="Carrellisti", host=company, seats=20, **fields),
        actor=staff,
        profiles=[profile],
        certifications=[forklift],
    )
    start = timezone.localdate()
    for day in range(sessions):
        course_session_add(
            course=course,
            date=start + datetime.timedelta(days=day),
            starts_at=datetime.time(9),
            ends_at=datetime.time(13),
        )
    return course


def test_staff_run_a_course_from_the_form_to_its_completion(
    login, staff, company, profile, forklift
):
    client = login(staff)
    learner = CandidateFactory(first_name="Amina", last_name="Benali")
    response = client.post(
        reverse("training:course_create"),
        {
            "title": "Carrellisti in sicurezza",
            "profiles": [profile.pk],
            "certifications": [forklift.pk],
            "host": company.pk,
            "seats": 8,
            "attendance_threshold": 70,
        },
    )
    course = Course.objects.get(title="Carrellisti in sicurezza")
    assert response.url == course.get_absolute_url()
    day = timezone.localdate().isoformat()
    client.post(
        reverse("training:session_add", args=[course.pk]),
        {"date": day, "starts_at": "09:00", "ends_at": "13:00", "topic": "Teoria"},
    )
    client.post(
        reverse("training:enrolment_propose"),
        {"course": course.pk, "candidate": learner.pk},
    )
    enrolment = course.enrolments.get()
    client.post(reverse("training:enrolment_confirm", args=[enrolment.pk]))
    for step in ("open", "running"):
        client.post(reverse("training:course_move", args=[course.pk]), {"to": step})
    session = course.sessions.get()
    page = client.get(reverse("training:attendance", args=[course.pk, session.pk]))
    assert "Amina" in page.content.decode()
    client.post(
        reverse("training:attendance", args=[course.pk, session.pk]), {"present": [enrolment.pk]}
    )
    response = client.post(
        reverse("training:course_move", args=[course.pk]), {"to": "completed"}, follow=True
    )

    assert "Corso concluso: 1 candidati" in response.content.decode()
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.attended_percent) == ("completed", 100)
    assert CandidateCertification.objects.get(candidate=learner).verified


def test_a_form_with_a_mistake_keeps_what_was_typed(login, staff, profile):
    response = login(staff).post(
        reverse("training:course_create"),
        {"title": "Saldatura TIG", "profiles": [profile.pk], "seats": 0},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Saldatura TIG"' in page
    assert not Course.objects.exists()


def test_a_session_that_ends_before_it_starts_is_refused_with_a_message(
    login, staff, company, profile, forklift
):
    course = _course(staff, company, profile, forklift, sessions=0)
    response = login(staff).post(
        reverse("training:session_add", args=[course.pk]),
        {"date": timezone.localdate().isoformat(), "starts_at": "13:00", "ends_at": "09:00"},
        follow=True,
    )
    assert "Una lezione deve finire dopo l&#x27;inizio." in response.content.decode()
    assert not course.sessions.exists()


def test_a_caseworker_sees_only_their_centres_candidates_on_a_course(
    login, staff, caseworker, centre, other_centre, company, profile, forklift
):
    course = _course(staff, company, profile, forklift)
    mine = CandidateFactory(centre=centre, last_name="Rossetti")
    theirs = CandidateFactory(centre=other_centre, last_name="Bianchetti")
    for candidate in (mine, theirs):
        enrolment_propose(course=course, candidate=candidate, actor=staff)
    page = login(caseworker).get(course.get_absolute_url()).content.decode()
    assert "Rossetti" in page
    assert "Bianchetti" not in page


def test_a_caseworker_proposes_their_candidate_but_not_another_centres(
    login, staff, caseworker, centre, other_centre, company, profile, forklift
):
    course = _course(staff, company, profile, forklift)
    mine = CandidateFactory(centre=centre)
    theirs = CandidateFactory(centre=other_centre)
    client = login(caseworker)
    for candidate in (mine, theirs):
        client.post(
            reverse("training:enrolment_propose"), {"course": course.pk, "candidate": candidate.pk}
        )
    assert list(course.enrolments.values_list("candidate", flat=True)) == [mine.pk]


def test_company_hr_see_their_hosted_course_with_codes_and_never_a_person(
    login, staff, company_hr, company, centre, caseworker, profile, forklift
):
    course = _course(staff, company, profile, forklift)
    zenobia = CandidateFactory(centre=centre, caseworker=caseworker, **PLANTED)
    enrolment = enrolment_propose(
        course=course, candidate=zenobia, actor=staff, note="Nota dello staff"
    )
    enrolment_confirm(enrolment=enrolment, actor=staff)
    client = login(company_hr)
    pages = [
        client.get(course.get_absolute_url()),
        client.get(reverse("training:course_list")),
        client.get(reverse("training:offer_list")),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        for value in NEVER_SHOWN:
            assert value not in html, value
    assert enrolment.code in pages[0].content.decode()
    assert client.get(reverse("training:enrolment_drop", args=[enrolment.pk])).status_code == 403


def test_company_hr_offer_a_lab_and_mark_interest_in_graduates(
    login, staff, company_hr, company, profile, forklift
):
    from tests.factories import NeedFactory

    course = _course(staff, company, profile, forklift)
    need = NeedFactory(company=company, profile=profile)
    client = login(company_hr)
    response = client.post(
        reverse("training:offer_create"),
        {"kind": "lab", "course": course.pk, "description": "Il nostro magazzino, il sabato"},
    )
    assert response.url == reverse("training:offer_list")
    offer = CourseOffer.objects.get()
    assert (offer.company, offer.course, offer.offered_by) == (company, course, company_hr)

    assert client.post(reverse("training:interest_mark", args=[course.pk]), {"need": need.pk})
    assert not GraduateInterest.objects.exists()  # a planned course has no graduates yet
    for step in ("open", "running"):
        course_move(course=course, to=step, actor=staff)
    page = client.get(course.get_absolute_url()).content.decode()
    assert "Vi interessano le persone che completano questo corso?" in page
    client.post(reverse("training:interest_mark", args=[course.pk]), {"need": need.pk})
    assert GraduateInterest.objects.get().need == need
    staff_page = login(staff).get(course.get_absolute_url()).content.decode()
    assert str(company) in staff_page


def test_company_hr_cannot_offer_for_another_companys_running_course(
    login, staff, company_hr, other_company, profile, forklift
):
    course = _course(staff, other_company, profile, forklift)
    for step in ("open", "running"):
        course_move(course=course, to=step, actor=staff)
    response = login(company_hr).post(
        reverse("training:offer_create"), {"kind": "lab", "course": course.pk, "description": "x"}
    )
    assert response.status_code == 200  # the course is not among those offered
    assert not CourseOffer.objects.exists()


@pytest.mark.parametrize("size", [2, 8])
def test_the_course_page_reads_a_fixed_number_of_queries(
    login, staff, company, profile, forklift, django_assert_num_queries, size
):
    course = _course(staff, company, profile, forklift, sessions=size)
    for candidate in CandidateFactory.create_batch(size):
        enrolment_confirm(
            enrolment=enrolment_propose(course=course, candidate=candidate, actor=staff),
            actor=staff,
        )
    analysis = GapAnalysis.objects.create(
        status="done", computed_at=timezone.now(), ready_score=60, needs=1
    )
    near = CandidateFactory.create_batch(size)
    GapCandidate.objects.bulk_create(
        GapCandidate(
            analysis=analysis,
            profile=profile,
            candidate=candidate,
            closer="certification",
            certification=forklift,
            needs=1,
        )
        for candidate in near
    )
    client = login(staff)
    # session, user, their second factor's device, the course with host, comune and funding, its
    # profiles, skills and certifications, the sessions with their attendance, the newest gap
    # analysis, the near-ready candidates it suggests with their profile, the user's organisation
    # (the page's header), enrolments with candidate and centre, offers, interested needs
    with django_assert_num_queries(14):
        response = client.get(course.get_absolute_url())
    assert len(response.context["enrolments"]) == size
    assert {entry.candidate for entry in response.context["suggestions"]} == set(near)


@pytest.mark.parametrize("size", [3, 30])
def test_the_course_list_reads_a_fixed_number_of_queries(
    login, staff, company, profile, forklift, django_assert_num_queries, size
):
    for _ in range(size):
        _course(staff, company, profile, forklift, sessions=1)
    client = login(staff)
    # session, user, their second factor's device, count for the paginator, the page of courses with
    # host, funding, comune and their counts (searched, sorted by seats taken), their profiles,
    # the filter form's profiles
    with django_assert_num_queries(7):
        response = client.get(
            reverse("training:course_list"), {"q": company.name, "sort": "-taken"}
        )
    assert len(response.context["page"]) == min(size, 25)
    assert Enrolment.objects.count() == 0


@pytest.mark.parametrize("size", [3, 32])
def test_the_enrolment_list_reads_a_fixed_number_of_queries(
    login, staff, company, centre, profile, forklift, django_assert_num_queries, size
):
    for _ in range(size):
        enrolment_propose(
            course=_course(staff, company, profile, forklift, sessions=0),
            candidate=CandidateFactory(centre=centre),
            actor=staff,
        )
    client = login(staff)
    # session, user, their second factor's device, count for the paginator, the page of
    # enrolments with course, host and its organisation (sorted by course), the page's
    # candidates with their centres (by key)
    with django_assert_num_queries(6):
        response = client.get(reverse("training:enrolment_list"), {"sort": "course"})
    assert response.text.count('data-testid="enrolment"') == min(size, 30)


@pytest.mark.parametrize("size", [3, 30])
def test_the_offer_list_reads_a_fixed_number_of_queries(
    login, staff, company_hr, company, profile, forklift, django_assert_num_queries, size
):
    treviglio = Comune.objects.get(istat_code="016219")
    for _ in range(size):
        course_offer_make(
            company=company,
            actor=company_hr,
            kind=CourseOffer.Kind.LAB,
            course=_course(staff, company, profile, forklift, sessions=0),
            comune=treviglio,
            description="Il nostro magazzino, il sabato",
        )
        course_offer_make(
            company=company,
            actor=company_hr,
            kind=CourseOffer.Kind.PLACEMENTS,
            places=2,
            profile=profile,
            description="Tirocini",
        )
    client = login(staff)
    # session, user, their second factor's device, count for the paginator, the page of
    # offers with company, organisation, course, profile and comune (searched, by kind)
    with django_assert_num_queries(5):
        response = client.get(reverse("training:offer_list"), {"q": "sabato", "sort": "kind"})
    assert len(response.context["page"]) == min(size, 25)
