"""Writes on training courses: their sessions, enrolments and attendance, their completion
(which grants what the course grants), and what member companies offer them."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from candidates.models import Candidate, Consent
from candidates.services import qualifications_grant
from catalog.models import Certification, JobProfile, Skill
from training.models import (
    Attendance,
    Course,
    CourseOffer,
    CourseSession,
    Enrolment,
    GraduateInterest,
)
from training.services.gap import gap_analyses_refresh


@transaction.atomic
def course_save(
    *,
    course: Course,
    actor: User,
    profiles: Iterable[JobProfile],
    skills: Iterable[Skill] = (),
    certifications: Iterable[Certification] = (),
) -> Course:
    """Create or change a course with its target profiles and what it grants. What a course
    grants is fixed once it has been completed: those who completed it got that."""
    if course.pk is None:
        course.created_by = actor
    elif Course.objects.filter(pk=course.pk, status=Course.Status.COMPLETED).exists():
        raise ValidationError(_("A completed course can no longer be changed."), code="final")
    profiles = list(profiles)
    if not profiles:
        raise ValidationError({"profiles": _("Say which job profiles the course prepares for.")})
    course.full_clean()
    course.save()
    course.profiles.set(profiles)
    course.skills.set(skills)
    course.certifications.set(certifications)
    return course


@transaction.atomic
def course_session_add(
    *,
    course: Course,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    topic: str = "",
) -> CourseSession:
    if course.status not in {Course.Status.PLANNED, Course.Status.OPEN, Course.Status.RUNNING}:
        raise ValidationError(_("A finished course takes no more sessions."), code="final")
    session = CourseSession(course=course, date=date, starts_at=starts_at, ends_at=ends_at)
    session.topic = topic
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def course_session_remove(*, session: CourseSession) -> None:
    if session.attendance.exists():
        raise ValidationError(
            _("Attendance was recorded for this session: it can no longer be removed."),
            code="attended",
        )
    session.delete()


def _locked_course(course: Course) -> Course:
    return Course.objects.select_for_update().get(pk=course.pk)


@transaction.atomic
def course_move(*, course: Course, to: str, actor: User) -> Course:
    """Move a course one step on, checked against the course as stored. Starting it needs its
    sessions; completing it completes each enrolment by its attendance (`course_complete`);
    cancelling it ends the enrolments still open, as not completed."""
    stored = _locked_course(course)
    stored.check_move_to(to, _("A course that is %(now)s cannot become %(next)s."))
    if to in {Course.Status.RUNNING, Course.Status.COMPLETED} and not stored.sessions.exists():
        raise ValidationError(_("Give the course its sessions first."), code="no_sessions")
    if to == Course.Status.COMPLETED:
        completed = _complete(stored, actor)
        gap_analyses_refresh(actor=actor)  # who is ready has changed
        return completed
    if to == Course.Status.CANCELLED:
        stored.enrolments.filter(status__in=Enrolment.ACTIVE).update(
            status=Enrolment.Status.NOT_COMPLETED,
            finished_on=timezone.localdate(),
            updated_at=timezone.now(),
        )
    stored.status = to
    stored.save(update_fields=["status", "updated_at"])
    return stored


def course_end(course: Course) -> datetime.date:
    """The day the course's certificates are obtained: its last session's."""
    last = course.sessions.order_by("-date").values_list("date", flat=True).first()
    return last or timezone.localdate()


def _attendance_percent(enrolments: list[Enrolment], sessions: list[CourseSession]) -> dict:
    """Attended share of the course's hours, per enrolment, from the recorded attendance."""
    total = sum(session.minutes for session in sessions) or 1
    minutes = {session.pk: session.minutes for session in sessions}
    attended = dict.fromkeys((e.pk for e in enrolments), 0)
    for enrolment_id, session_id in Attendance.objects.filter(
        enrolment__in=enrolments, present=True
    ).values_list("enrolment_id", "session_id"):
        attended[enrolment_id] += minutes.get(session_id, 0)
    return {pk: round(100 * value / total) for pk, value in attended.items()}


def _complete(course: Course, actor: User) -> Course:
    """Those enrolled who attended at least the course's threshold complete it and get what it
    grants, verified, obtained on its last day; the others did not complete it. Proposals
    never confirmed lapse; a candidate who withdrew the consent gets nothing."""
    today = timezone.localdate()
    ended = course_end(course)
    skills = list(course.skills.all())
    certifications = list(course.certifications.all())
    enrolments = list(
        course.enrolments.filter(status__in=Enrolment.ACTIVE).select_related("candidate")
    )
    percent = _attendance_percent(enrolments, list(course.sessions.all()))
    for enrolment in enrolments:
        enrolment.attended_percent = percent[enrolment.pk]
        enrolment.finished_on = today
        if not enrolment.candidate.consent_programme:
            enrolment.status, enrolment.drop_reason = (
                Enrolment.Status.DROPPED,
                Enrolment.DropReason.CONSENT_WITHDRAWN,
            )
        elif (
            enrolment.status == Enrolment.Status.ENROLLED
            and enrolment.attended_percent >= course.attendance_threshold
        ):
            enrolment.status = Enrolment.Status.COMPLETED
            qualifications_grant(
                candidate=enrolment.candidate,
                on=ended,
                skills=skills,
                certifications=certifications,
                italian_level=course.italian_level,
            )
        else:
            enrolment.status = Enrolment.Status.NOT_COMPLETED
    Enrolment.objects.bulk_update(
        enrolments, ["status", "drop_reason", "attended_percent", "finished_on", "updated_at"]
    )
    course.status, course.completed_on = Course.Status.COMPLETED, today
    course.save(update_fields=["status", "completed_on", "updated_at"])
    return course


# Enrolments -----------------------------------------------------------------------------------


def enrolment_problems(*, course: Course, candidate: Candidate) -> list[str]:
    """Why the candidate cannot be put on the course, in words (none: they can): consent,
    whether they are still looking for work, when they are available, the DID that the
    course's funding needs, a clash with another course's sessions, the seats."""
    problems = []
    if not candidate.consent_programme:
        problems.append(_("has not consented to the programme (or withdrew the consent)"))
    if candidate.status not in ENROLLABLE:
        problems.append(_("status “%(status)s”") % {"status": candidate.get_status_display()})
    first = course.sessions.order_by("date").values_list("date", flat=True).first()
    if first and candidate.available_from and candidate.available_from > first:
        problems.append(
            _("available from %(date)s, after the course starts")
            % {"date": candidate.available_from.strftime("%d/%m/%Y")}
        )
    if course.funding_id and course.funding.requires_did and not candidate.did_on:
        problems.append(
            _("no DID at a job centre, which %(channel)s requires") % {"channel": course.funding}
        )
    clash = _clashing_session(course, candidate)
    if clash is not None:
        problems.append(
            _("already on “%(course)s” on %(date)s at the same time")
            % {"course": clash.course, "date": clash.date.strftime("%d/%m/%Y")}
        )
    return problems


# The candidates a course may take: registered, interviewed or shortlisted, not placed.
ENROLLABLE = frozenset(
    {Candidate.Status.REGISTERED, Candidate.Status.INTERVIEWED, Candidate.Status.SHORTLISTED}
)


def _clashing_session(course: Course, candidate: Candidate) -> CourseSession | None:
    """A session of another course the candidate is on that overlaps one of this course's."""
    sessions = list(course.sessions.all())
    theirs = (
        CourseSession.objects.filter(
            course__enrolments__candidate=candidate,
            course__enrolments__status__in=Enrolment.ACTIVE,
            course__status__in=Course.ENROLLING,
            date__in={session.date for session in sessions},
        )
        .exclude(course=course)
        .select_related("course")
        .order_by("date", "starts_at")
    )
    for other in theirs:  # the other courses' sessions on this course's days, in one query
        for session in sessions:
            same_day = other.date == session.date
            if same_day and other.starts_at < session.ends_at and other.ends_at > session.starts_at:
                return other
    return None


@transaction.atomic
def enrolment_propose(
    *, course: Course, candidate: Candidate, actor: User, note: str = ""
) -> Enrolment:
    """Propose the candidate for the course, once their consent and availability are
    checked, while seats remain. Staff then confirm the enrolment with the candidate."""
    course = _locked_course(course)
    if not course.is_enrolling:
        raise ValidationError(_("The course no longer takes enrolments."), code="closed")
    if course.enrolments.filter(candidate=candidate).exists():
        raise ValidationError(_("The candidate is already on this course."), code="already")
    problems = enrolment_problems(course=course, candidate=candidate)
    if problems:
        raise ValidationError(
            _("The candidate cannot join the course: %(problems)s.")
            % {"problems": "; ".join(problems)},
            code="not_eligible",
        )
    if course.enrolments.filter(status__in=Enrolment.ACTIVE).count() >= course.seats:
        raise ValidationError(_("The course has no seats left."), code="full")
    enrolment = Enrolment(course=course, candidate=candidate, proposed_by=actor, note=note)
    enrolment.full_clean()
    enrolment.save()
    return enrolment


@transaction.atomic
def enrolment_confirm(*, enrolment: Enrolment, actor: User) -> Enrolment:
    """The candidate agreed: the proposal becomes an enrolment (consent checked again)."""
    stored = Enrolment.objects.select_for_update().select_related("candidate").get(pk=enrolment.pk)
    if stored.status != Enrolment.Status.PROPOSED:
        raise ValidationError(_("This enrolment has already been dealt with."), code="stale")
    if not stored.candidate.consent_programme:
        raise ValidationError(
            _("The candidate withdrew the consent to the programme."), code="no_consent"
        )
    stored.status = Enrolment.Status.ENROLLED
    stored.save(update_fields=["status", "updated_at"])
    return stored


@transaction.atomic
def enrolment_drop(*, enrolment: Enrolment, reason: str, actor: User, note: str = "") -> Enrolment:
    """The candidate leaves the course (or the proposal is withdrawn), with the reason."""
    stored = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if not stored.is_active:
        raise ValidationError(_("This enrolment has already ended."), code="stale")
    if reason not in Enrolment.DropReason.values:
        raise ValidationError({"drop_reason": _("Choose a reason.")})
    stored.status, stored.drop_reason = Enrolment.Status.DROPPED, reason
    stored.finished_on = timezone.localdate()
    stored.note = note or stored.note
    stored.save(update_fields=["status", "drop_reason", "finished_on", "note", "updated_at"])
    return stored


def enrolments_stop(*, candidate: Candidate, purpose: str, actor: User) -> int:
    """A withdrawn consent to the programme ends the candidate's open enrolments at once.
    Called by `candidates.services.consent_set`, inside its transaction."""
    if purpose != Consent.PROGRAMME:
        return 0
    return candidate.enrolments.filter(status__in=Enrolment.ACTIVE).update(
        status=Enrolment.Status.DROPPED,
        drop_reason=Enrolment.DropReason.CONSENT_WITHDRAWN,
        finished_on=timezone.localdate(),
        updated_at=timezone.now(),
    )


@transaction.atomic
def attendance_record(
    *, session: CourseSession, present: Iterable[Enrolment], actor: User
) -> dict[int, int]:
    """Who attended the session, among those enrolled (the others were absent); recording it
    again corrects it. Returns each enrolment's attendance so far, in percent of the hours."""
    course = _locked_course(session.course)
    if course.status != Course.Status.RUNNING:
        raise ValidationError(_("Attendance is recorded while the course runs."), code="closed")
    enrolled = list(course.enrolments.filter(status=Enrolment.Status.ENROLLED))
    here = {enrolment.pk for enrolment in present}
    if here - {e.pk for e in enrolled}:
        raise ValidationError(_("Only those enrolled on the course attend it."), code="foreign")
    # Recorded again: the session's rows are corrected in place, the missing ones added.
    recorded = {row.enrolment_id: row for row in session.attendance.all()}
    now = timezone.now()  # bulk_update leaves auto_now fields alone
    for enrolment in enrolled:
        row = recorded.get(enrolment.pk) or Attendance(enrolment=enrolment, session=session)
        row.present, row.recorded_by, row.recorded_at = enrolment.pk in here, actor, now
        recorded[enrolment.pk] = row
    rows = [recorded[enrolment.pk] for enrolment in enrolled]
    Attendance.objects.bulk_update(
        [row for row in rows if row.pk], ["present", "recorded_by", "recorded_at"]
    )
    Attendance.objects.bulk_create([row for row in rows if not row.pk])
    percent = _attendance_percent(enrolled, list(course.sessions.all()))
    for enrolment in enrolled:
        enrolment.attended_percent = percent[enrolment.pk]
    Enrolment.objects.bulk_update(enrolled, ["attended_percent"])
    return percent


# What member companies offer ------------------------------------------------------------------


@transaction.atomic
def course_offer_make(*, company, actor: User, **details) -> CourseOffer:
    """A member company offers a teacher, a lab or placements, for a course or a profile."""
    course = details.get("course")
    if course is not None and not course.is_enrolling:
        raise ValidationError(_("That course is over: offer for a profile instead."))
    offer = CourseOffer(company=company, offered_by=actor, **details)
    offer.full_clean()
    offer.save()
    return offer


@transaction.atomic
def course_offer_decide(*, offer: CourseOffer, status: str, actor: User) -> CourseOffer:
    """The programme office accepts or declines an offer (once)."""
    stored = CourseOffer.objects.select_for_update().get(pk=offer.pk)
    if status not in {CourseOffer.Status.ACCEPTED, CourseOffer.Status.DECLINED}:
        raise ValidationError(_("Accept or decline the offer."))
    if stored.status != CourseOffer.Status.NEW:
        raise ValidationError(_("This offer has already been answered."), code="stale")
    stored.status = status
    stored.save(update_fields=["status"])
    return stored


@transaction.atomic
def graduate_interest_mark(*, course: Course, need, actor: User) -> GraduateInterest:
    """A company's interest in the course's graduates for one of its open needs of the
    course's profiles; a second mark for the same need changes nothing."""
    if need.status != need.Status.OPEN or not course.profiles.filter(pk=need.profile_id).exists():
        raise ValidationError(_("Choose an open need of a profile the course prepares for."))
    interest, _created = GraduateInterest.objects.get_or_create(
        course=course, need=need, defaults={"marked_by": actor}
    )
    return interest
