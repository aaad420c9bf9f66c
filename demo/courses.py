"""Demo training: three courses with member companies, run through the training services.

- forklift drivers (carrellisti), hosted by the second HR company's warehouse, paid by GOL:
  finished last week; most of those enrolled completed it, got the licence and were
  then shortlisted for forklift needs; one found a job before the end, one attended too
  little;
- MIG/MAG welding, hosted by the first HR company's workshop: running, attendance recorded
  for the lessons so far;
- Italian for work (B1), run by the adult-education centre with the charity's funds: open
  for enrolment.

The candidates are those the ranking finds one certification (or the Italian level) away
from the ready score, as staff would pick them from the gap. Afterwards the gap of the open
campaign is analysed, so that the gap page and the plan have something to show.
Deterministic for a given random generator.
"""

import contextlib
import datetime
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from candidates.models import Candidate
from catalog.models import Certification, Comune, JobProfile, Skill
from companies.models import Company, Need, SurveyCampaign
from matching.ranking import Closer, rank
from matching.services import shortlist_add
from training.models import Course, Enrolment, FundingChannel, GapAnalysis
from training.services import (
    attendance_record,
    course_move,
    course_save,
    course_session_add,
    enrolment_confirm,
    enrolment_drop,
    enrolment_propose,
    gap_analyse,
)

NINE, ONE, TWO, SIX = (datetime.time(h) for h in (9, 13, 14, 18))
# The profiles whose needs the Italian course prepares for.
ITALIAN_PROFILES = ["operatore-pulizie", "addetto-assemblaggio", "addetto-magazzino"]


def _sessions(course: Course, first: datetime.date, days: int, afternoon=False) -> None:
    starts, ends = (TWO, SIX) if afternoon else (NINE, ONE)
    for week in range(days):
        course_session_add(
            course=course,
            date=first + datetime.timedelta(days=7 * week),
            starts_at=starts,
            ends_at=ends,
            topic="",
        )


def _near(profile_codes: list[str], closer: Closer, limit: int) -> list[Candidate]:
    """Candidates one `closer` from the ready score for the open needs of the profiles."""
    found: dict[int, None] = {}
    needs = Need.objects.filter(status=Need.Status.OPEN, profile__code__in=profile_codes)
    if closer.kind == "italian":  # the needs that ask for the level the course teaches
        needs = needs.filter(italian_level=closer.level)
    elif closer.kind == "certification":
        needs = needs.filter(certifications=closer.pk)
    for need in needs.select_related("profile__family", "workplace").order_by("pk")[:12]:
        for pk in rank(need, readiness=True).near.get(closer, []):
            found.setdefault(pk)
    enrollable = Candidate.objects.filter(
        pk__in=list(found), status__in=["registered", "interviewed"], consent_programme=True
    )
    return list(enrollable.order_by("pk")[:limit])


def _enrol(
    course: Course, candidates: list[Candidate], staff: User, confirmed: int | None = None
) -> list[Enrolment]:
    """Propose the candidates for the course and confirm the first `confirmed` (all)."""
    first = course.sessions.order_by("date").values_list("date", flat=True).first()
    enrolments = []
    for candidate in candidates:
        if candidate.available_from and candidate.available_from > first:
            # The course is why they could start earlier than they first said.
            candidate.available_from = first
            candidate.save(update_fields=["available_from"])
        if course.funding and course.funding.requires_did and not candidate.did_on:
            # Registered at the job centre when the course was planned.
            candidate.did_on = timezone.localdate() - datetime.timedelta(days=120)
            candidate.did_cpi = "CPI di Bergamo"
            candidate.save(update_fields=["did_on", "did_cpi"])
        enrolment = enrolment_propose(course=course, candidate=candidate, actor=staff)
        if confirmed is None or len(enrolments) < confirmed:
            enrolment = enrolment_confirm(enrolment=enrolment, actor=staff)
        enrolments.append(enrolment)
    return enrolments


def _attend(course: Course, enrolments: list[Enrolment], staff, rng, absent: dict) -> None:
    """Record the lessons held so far; `absent` says on how many each one missed."""
    today = timezone.localdate()
    held = [session for session in course.sessions.all() if session.date <= today]
    for index, session in enumerate(held):
        present = [
            enrolment
            for enrolment in enrolments
            if enrolment.status == Enrolment.Status.ENROLLED
            and index >= absent.get(enrolment.pk, rng.choice([0, 0, 0, 1]))
        ]
        attendance_record(session=session, present=present, actor=staff)


def _forklift(staff, companies, rng) -> Course:
    host = companies[1]
    course = course_save(
        course=Course(
            title="Carrellisti: abilitazione alla conduzione di carrelli elevatori",
            host=host,
            teacher="Responsabile del magazzino",
            lab="Magazzino e piazzale di carico",
            comune=host.comune,
            providers="Ente di formazione accreditato da Regione Lombardia",
            seats=10,
            cost_per_seat=Decimal("280.00"),
            funding=FundingChannel.objects.get(code="gol-3"),
            attendance_threshold=70,
        ),
        actor=staff,
        profiles=JobProfile.objects.filter(code__in=["carrellista", "addetto-magazzino"]),
        skills=Skill.objects.filter(code="conduzione-carrello"),
        certifications=Certification.objects.filter(code="abilitazione-carrelli-elevatori"),
    )
    forklift = Certification.objects.get(code="abilitazione-carrelli-elevatori")
    first = timezone.localdate() - datetime.timedelta(days=30)
    _sessions(course, first, 4)
    # Warehouse needs ask for the licence too, without requiring it.
    learners = _near(["carrellista", "addetto-magazzino"], Closer("certification", forklift.pk), 8)
    enrolments = _enrol(course, learners, staff)
    for step in (Course.Status.OPEN, Course.Status.RUNNING):
        course_move(course=course, to=step, actor=staff)
    if len(enrolments) > 2:
        enrolment_drop(enrolment=enrolments[0], reason="found_work", actor=staff)
        enrolments[0].status = Enrolment.Status.DROPPED
    absent = {enrolments[1].pk: 2} if len(enrolments) > 1 else {}  # attends half of it
    _attend(course, enrolments, staff, rng, absent)
    course_move(course=course, to=Course.Status.COMPLETED, actor=staff)
    return course


def _welding(staff, companies, rng) -> Course:
    host = companies[0]
    course = course_save(
        course=Course(
            title="Saldatura MIG/MAG con qualifica EN ISO 9606-1",
            host=host,
            teacher="Capo reparto carpenteria",
            lab="Officina di saldatura",
            comune=host.comune,
            providers="Istituto di certificazione della saldatura",
            seats=6,
            cost_per_seat=Decimal("950.00"),
            funding=FundingChannel.objects.get(code="fondimpresa"),
            attendance_threshold=80,
        ),
        actor=staff,
        profiles=JobProfile.objects.filter(code="addetto-saldatura"),
        skills=Skill.objects.filter(code="saldatura-mig-mag"),
        certifications=Certification.objects.filter(code="saldatore-en-iso-9606-1"),
    )
    welder = Certification.objects.get(code="saldatore-en-iso-9606-1")
    first = timezone.localdate() - datetime.timedelta(days=21)
    _sessions(course, first, 8, afternoon=True)
    near = _near(["addetto-saldatura"], Closer("certification", welder.pk), 5)
    enrolments = _enrol(course, near, staff)
    for step in (Course.Status.OPEN, Course.Status.RUNNING):
        course_move(course=course, to=step, actor=staff)
    _attend(course, enrolments, staff, rng, {})
    return course


def _italian(staff) -> Course:
    course = course_save(
        course=Course(
            title="Italiano per il lavoro (livello B1)",
            providers="CPIA Bergamo",
            comune=Comune.objects.get(name="Bergamo", province="BG"),
            seats=15,
            cost_per_seat=Decimal("60.00"),
            funding=FundingChannel.objects.get(code="charity"),
            italian_level="B1",
            attendance_threshold=70,
            note="Due pomeriggi a settimana, con il lessico della sicurezza sul lavoro.",
        ),
        actor=staff,
        profiles=JobProfile.objects.filter(code__in=ITALIAN_PROFILES),
    )
    first = timezone.localdate() + datetime.timedelta(days=10)
    _sessions(course, first, 10, afternoon=True)
    course_move(course=course, to=Course.Status.OPEN, actor=staff)
    learners = _near(ITALIAN_PROFILES, Closer("italian", level="B1"), 4)
    _enrol(course, learners, staff, confirmed=2)
    return course


def _best_needs(candidates: list[Candidate], needs: list[Need]) -> dict[int, Need]:
    """For each of `candidates`, the need among `needs` they score highest for (none when
    ranked for none): one ranking of them all per need."""
    best: dict[int, tuple[float, Need]] = {}
    for need in needs:
        for row in rank(need, among=[c.pk for c in candidates], top=len(candidates)).rows:
            if row.candidate.pk not in best or row.score > best[row.candidate.pk][0]:
                best[row.candidate.pk] = (row.score, need)
    return {pk: need for pk, (_score, need) in best.items()}


def seed_courses(*, rng: random.Random, staff: User, companies: list[Company]) -> list[Course]:
    """The three courses; the first three who completed the forklift course are shortlisted
    for the open forklift need they now score best for; then the open campaign's gap is
    analysed."""
    forklift = _forklift(staff, companies, rng)
    courses = [forklift, _welding(staff, companies, rng), _italian(staff)]
    completed = forklift.enrolments.filter(status=Enrolment.Status.COMPLETED)
    needs = list(
        Need.objects.filter(status=Need.Status.OPEN, profile__code="carrellista")
        .select_related("profile__family", "workplace")
        .order_by("pk")
    )
    graduates = [e.candidate for e in completed.select_related("candidate").order_by("pk")[:3]]
    best = _best_needs(graduates, needs) if graduates else {}
    for graduate in graduates:
        if graduate.pk in best:
            with contextlib.suppress(ValidationError):  # already on its shortlist
                shortlist_add(
                    need=best[graduate.pk],
                    candidate=graduate,
                    actor=staff,
                    note="Ha completato il corso carrellisti.",
                )
    campaign = SurveyCampaign.objects.filter(status="open").order_by("-opens_on").first()
    gap_analyse(analysis=GapAnalysis.objects.create(campaign=campaign, requested_by=staff))
    return courses
