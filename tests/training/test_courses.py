"""Courses: enrolment checks, attendance, completion by the threshold, what completion grants,
and the what-if that counts, by the ranking itself, who a course would lift."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from candidates.models import CandidateCertification, Consent
from candidates.services import consents_apply
from catalog.models import Comune, JobProfile
from companies.models import Need, NeedCertification
from matching.ranking import rank
from tests.factories import CandidateFactory, NeedFactory
from training.models import Course, Enrolment, FundingChannel
from training.planning import course_what_if
from training.services import (
    attendance_record,
    course_move,
    course_save,
    course_session_add,
    enrolment_confirm,
    enrolment_drop,
    enrolment_propose,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DAYS = [datetime.date(2027, 2, day) for day in (1, 2, 3, 4, 5)]


@pytest.fixture
def warehouse():
    return JobProfile.objects.get(code="carrellista")


@pytest.fixture
def need(warehouse, forklift):
    """A forklift driver's job that asks the licence as a must."""
    need = NeedFactory(profile=warehouse, start_date=datetime.date(2027, 3, 1), headcount=3)
    NeedCertification.objects.create(need=need, certification=forklift, mandatory=True)
    return need


@pytest.fixture
def course(staff, company, warehouse, forklift):
    course = course_save(
        course=Course(
            title="Carrellisti",
            host=company,
            teacher="Capo magazzino",
            lab="Magazzino di Dalmine",
            comune=Comune.objects.get(istat_code="016091"),
            seats=3,
            attendance_threshold=70,
        ),
        actor=staff,
        profiles=[warehouse],
        certifications=[forklift],
    )
    for day in DAYS:
        course_session_add(
            course=course, date=day, starts_at=datetime.time(9), ends_at=datetime.time(13)
        )
    return course


def _enrol(course, candidate, staff) -> Enrolment:
    return enrolment_confirm(
        enrolment=enrolment_propose(course=course, candidate=candidate, actor=staff), actor=staff
    )


def _run(course, staff, attended: dict[Enrolment, int]) -> Course:
    """Start the course, record attendance (each enrolment present on its first n days)
    and complete it."""
    course_move(course=course, to=Course.Status.OPEN, actor=staff)
    course_move(course=course, to=Course.Status.RUNNING, actor=staff)
    for index, session in enumerate(course.sessions.all()):
        present = [enrolment for enrolment, days in attended.items() if index < days]
        attendance_record(session=session, present=present, actor=staff)
    return course_move(course=course, to=Course.Status.COMPLETED, actor=staff)


def _ranked(need) -> list:
    return [row.candidate for row in rank(need).rows]


def test_a_candidate_knocked_out_by_the_mandatory_licence_is_ranked_after_the_course(
    need, course, staff, forklift
):
    learner = CandidateFactory()
    assert learner not in _ranked(need)
    assert "lacks the mandatory certification" in rank(need, candidate=learner).why_not[0]

    enrolment = _enrol(course, learner, staff)
    _run(course, staff, {enrolment: 4})  # 16 of 20 hours: 80%

    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.attended_percent) == ("completed", 80)
    link = CandidateCertification.objects.get(candidate=learner, certification=forklift)
    assert (link.verified, link.obtained_on, link.expires_on) == (
        True,
        DAYS[-1],
        datetime.date(2032, 2, 5),  # the licence lasts five years
    )
    assert learner in _ranked(need)


def test_attendance_below_the_threshold_grants_nothing(need, course, staff, forklift):
    absent = CandidateFactory()
    enrolment = _enrol(course, absent, staff)
    _run(course, staff, {enrolment: 3})  # 12 of 20 hours: 60% < 70%

    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.attended_percent) == ("not_completed", 60)
    assert not CandidateCertification.objects.filter(candidate=absent).exists()
    assert absent not in _ranked(need)


def test_the_threshold_is_the_courses_own(need, course, staff):
    course.attendance_threshold = 60
    course.save()
    candidate = CandidateFactory()
    enrolment = _enrol(course, candidate, staff)
    _run(course, staff, {enrolment: 3})
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"


def test_a_withdrawn_consent_stops_the_enrolment_and_the_course_grants_nothing(
    need, course, staff, caseworker
):
    candidate = CandidateFactory()
    enrolment = _enrol(course, candidate, staff)
    course_move(course=course, to=Course.Status.OPEN, actor=staff)
    course_move(course=course, to=Course.Status.RUNNING, actor=staff)
    attendance_record(session=course.sessions.first(), present=[enrolment], actor=staff)

    consents_apply(candidate=candidate, consents={Consent.PROGRAMME: False}, actor=caseworker)

    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.drop_reason) == ("dropped", "consent_withdrawn")
    with pytest.raises(ValidationError, match="Only those enrolled"):
        attendance_record(session=course.sessions.last(), present=[enrolment], actor=staff)
    course_move(course=course, to=Course.Status.COMPLETED, actor=staff)
    assert not CandidateCertification.objects.filter(candidate=candidate).exists()


def test_enrolment_checks_consent_availability_the_did_and_the_seats(course, staff):
    gol = FundingChannel.objects.get(code="gol-2")
    course.funding = gol
    course.save()
    cases = {
        "has not consented": CandidateFactory(consent_programme=False, consent_matching=False),
        "status “Placed”": CandidateFactory(status="placed", did_on=DAYS[0]),
        "available from 01/03/2027": CandidateFactory(
            available_from=datetime.date(2027, 3, 1), did_on=DAYS[0]
        ),
        "no DID": CandidateFactory(),
    }
    for message, candidate in cases.items():
        with pytest.raises(ValidationError, match=message):
            enrolment_propose(course=course, candidate=candidate, actor=staff)
    assert not course.enrolments.exists()

    ready = CandidateFactory.create_batch(3, did_on=DAYS[0])
    for candidate in ready:
        enrolment_propose(course=course, candidate=candidate, actor=staff)
    with pytest.raises(ValidationError, match="no seats left"):
        enrolment_propose(course=course, candidate=CandidateFactory(did_on=DAYS[0]), actor=staff)
    with pytest.raises(ValidationError, match="already on this course"):
        enrolment_propose(course=course, candidate=ready[0], actor=staff)


def test_a_clash_with_another_courses_session_is_refused(course, staff, warehouse):
    other = course_save(
        course=Course(title="Sicurezza", seats=10), actor=staff, profiles=[warehouse]
    )
    course_session_add(
        course=other, date=DAYS[2], starts_at=datetime.time(11), ends_at=datetime.time(15)
    )
    candidate = CandidateFactory()
    enrolment_propose(course=other, candidate=candidate, actor=staff)
    with pytest.raises(ValidationError, match="already on “Sicurezza” on 03/02/2027"):
        enrolment_propose(course=course, candidate=candidate, actor=staff)


def test_a_drop_out_keeps_its_reason_and_frees_the_seat(course, staff):
    first, second, third, fourth = CandidateFactory.create_batch(4)
    enrolments = [
        enrolment_propose(course=course, candidate=c, actor=staff) for c in (first, second, third)
    ]
    enrolment_drop(enrolment=enrolments[0], reason="found_work", actor=staff)
    enrolments[0].refresh_from_db()
    assert (enrolments[0].status, enrolments[0].get_drop_reason_display()) == (
        "dropped",
        "Found a job",
    )
    enrolment_propose(course=course, candidate=fourth, actor=staff)
    with pytest.raises(ValidationError, match="already ended"):
        enrolment_drop(enrolment=enrolments[0], reason="other", actor=staff)


def test_a_course_cannot_start_without_sessions_nor_skip_a_step(staff, warehouse):
    course = course_save(course=Course(title="Vuoto", seats=5), actor=staff, profiles=[warehouse])
    course_move(course=course, to=Course.Status.OPEN, actor=staff)
    with pytest.raises(ValidationError, match="sessions first"):
        course_move(course=course, to=Course.Status.RUNNING, actor=staff)
    with pytest.raises(ValidationError, match="cannot become completed"):
        course_move(course=course, to=Course.Status.COMPLETED, actor=staff)


def test_an_italian_course_raises_the_verified_level_and_the_language_component(staff, warehouse):
    need = NeedFactory(profile=warehouse, italian_level="B1")
    learner = CandidateFactory(italian_level="A2")
    before = next(row for row in rank(need).rows if row.candidate == learner)
    course = course_save(
        course=Course(title="Italiano per il lavoro", seats=12, italian_level="B1"),
        actor=staff,
        profiles=[warehouse],
    )
    course_session_add(
        course=course, date=DAYS[0], starts_at=datetime.time(9), ends_at=datetime.time(12)
    )
    enrolment = _enrol(course, learner, staff)
    _run(course, staff, {enrolment: 1})
    learner.refresh_from_db()
    after = next(row for row in rank(need).rows if row.candidate == learner)
    assert learner.italian_level_verified == "B1"
    assert (before.components["language"], after.components["language"]) == (0.6, 1.0)


def test_the_what_if_count_equals_the_count_after_the_real_completion(
    need, course, staff, warehouse, forklift
):
    """Five candidates lack the licence the need demands; three of them are on the course.
    The what-if, computed by the ranking with the licence assumed, says how many would reach
    the ready score for how many open needs; after the real completion the ranking agrees."""
    other = NeedFactory(profile=warehouse, headcount=1)  # no licence asked: not lifted by it
    unrelated = NeedFactory(profile=JobProfile.objects.get(code="operatore-pulizie"))
    NeedCertification.objects.create(need=unrelated, certification=forklift, mandatory=True)
    learners = [
        CandidateFactory(own_car=True, italian_level="B2", employability="A"),
        CandidateFactory(own_car=True, italian_level="B2", employability="A"),
        CandidateFactory(own_car=False, italian_level="A1", employability="C"),  # stays low
    ]
    CandidateFactory.create_batch(2)  # not on the course
    enrolments = [_enrol(course, learner, staff) for learner in learners]

    what_if = course_what_if(course=course)

    ready_score = what_if.ready_score
    lifted = {learner.pk for learner in learners[:2]}
    assert {c.pk for c in what_if.lifted} == lifted
    assert [line.need for line in what_if.needs if line.lifted] == [need]
    assert (what_if.candidates_lifted, what_if.needs_reached) == (2, 1)
    assert unrelated not in [line.need for line in what_if.needs]
    assert other in [line.need for line in what_if.needs]

    _run(course, staff, dict.fromkeys(enrolments, 5))

    now_ready = {row.candidate.pk for row in rank(need, top=100).rows if row.score >= ready_score}
    assert now_ready & {learner.pk for learner in learners} == lifted
    assert course_what_if(course=course).candidates_lifted == 0  # they have it now
    assert Need.objects.get(pk=need.pk).status == "open"
