"""Writes on tranches, interviews and assessments."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.hooks import hooked
from accounts.models import User
from candidates.models import Candidate, CandidateCertification, CandidateSkill
from candidates.services import candidate_set_status, certificate_expiry, italian_level_higher
from catalog.models import Certification, JobProfile, Skill
from catalog.versions import RecordGone, version_check
from focus.cache import touch
from focus.figures import KEPT
from focus.records import fields_save
from interviews import notices
from interviews.clashes import Slot, appointment_lock, appointment_move, clash_check
from interviews.models import (
    Assessment,
    Interview,
    Obstacle,
    RecommendedAction,
    SuitableProfile,
    Tranche,
)
from interviews.selectors import open_severe_obstacles

TRANCHE_FIELDS = ("name", "starts_on", "ends_on", "target")


@transaction.atomic
def tranche_create(
    *, name: str, starts_on: datetime.date, ends_on: datetime.date, target: int
) -> Tranche:
    """Plan a round of interviews: its dates and how many people it means to interview.
    Raises ValidationError keyed by field (a name already taken, an end before the start),
    writing nothing."""
    values = {"name": name, "starts_on": starts_on, "ends_on": ends_on, "target": target}
    return fields_save(Tranche(), values, allowed=TRANCHE_FIELDS)


@transaction.atomic
def tranche_update(*, tranche: Tranche, **changes) -> Tranche:
    """Change a tranche's name, dates or target (TRANCHE_FIELDS; the others keep their
    value). Raises ValidationError keyed by field, writing nothing."""
    return fields_save(tranche, changes, allowed=TRANCHE_FIELDS)


@transaction.atomic
def tranche_assign(
    *,
    tranche: Tranche,
    candidates: Sequence[Candidate],
    recruiter: User,
    first_at: datetime.datetime,
    minutes_each: int = 45,
    mode: str = Interview.Mode.IN_PERSON,
    place: str = "",
) -> list[Interview]:
    """Give `recruiter` an interview with each candidate, one after the other from
    `first_at`. A candidate already in the tranche is refused (all or nothing)."""
    if recruiter.role != User.Role.RECRUITER:
        raise ValidationError(_("Interviews are assigned to recruiters."))
    already = set(
        tranche.interviews.filter(candidate__in=candidates).values_list("candidate", flat=True)
    )
    if already:
        names = ", ".join(str(c) for c in candidates if c.pk in already)
        raise ValidationError(
            _("Already in this tranche: %(names)s.") % {"names": names}, code="already_assigned"
        )
    interviews = []
    for index, candidate in enumerate(candidates):
        interview = Interview(
            tranche=tranche,
            candidate=candidate,
            recruiter=recruiter,
            agency_id=recruiter.organisation_id,
            scheduled_at=first_at + datetime.timedelta(minutes=minutes_each * index),
            duration=minutes_each,
            mode=mode,
            place=place,
        )
        interview.full_clean()
        interviews.append(interview)
    # Nobody in two places at once: the recruiter's and the candidates' rows are locked
    # before their other appointments are read (interviews.clashes).
    appointment_lock(candidates=candidates, recruiter=recruiter)
    clash_check(
        [Slot(i.candidate, i.scheduled_at, i.duration, recruiter=recruiter) for i in interviews]
    )
    created = Interview.objects.bulk_create(interviews)
    touch(KEPT)  # bulk_create sends no signal
    # The recruiter is told of the new interviews once they are committed.
    notices.interviews_assigned(interviews=created)
    return created


@transaction.atomic
def interview_set_status(*, interview: Interview, status: str) -> Interview:
    """No-show, cancelled or back to scheduled. "Done" comes with an assessment. Back to
    scheduled, the interview takes its time again: refused if it is taken meanwhile."""
    if status == Interview.Status.DONE:
        raise ValidationError(_("An interview is done when its assessment is recorded."))
    if status == Interview.Status.SCHEDULED and interview.status != status:
        appointment_lock(candidates=[interview.candidate], recruiter=interview.recruiter)
        clash_check(
            [_slot(interview, interview.scheduled_at, interview.duration)],
            ignore=("interview", interview.pk),
        )
    interview.status = status
    interview.save(update_fields=["status", "updated_at"])
    return interview


def _slot(interview: Interview, starts_at: datetime.datetime, minutes: int) -> Slot:
    return Slot(interview.candidate, starts_at, minutes, recruiter=interview.recruiter)


@transaction.atomic
def interview_reschedule(
    *,
    interview: Interview,
    starts_at: datetime.datetime,
    duration: int,
    actor: User,
    reason: str = "",
    mode: str | None = None,
    place: str | None = None,
) -> Interview:
    """Move a scheduled interview to `starts_at` for `duration` minutes (and, given, another
    way or place), recording who moved it, from when to when and why. Refused (writing
    nothing) when the new time clashes with another appointment of the recruiter or of the
    candidate. The recruiter is told of a new time; the invitation's sequence goes up."""
    if interview.status != Interview.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled interview can be moved."))
    appointment_lock(candidates=[interview.candidate], recruiter=interview.recruiter)
    clash_check([_slot(interview, starts_at, duration)], ignore=("interview", interview.pk))
    moved = appointment_move(
        interview,
        time_field="scheduled_at",
        starts_at=starts_at,
        duration=duration,
        actor=actor,
        reason=reason,
        mode=mode,
        place=place,
    )
    interview.full_clean(validate_unique=False, validate_constraints=False)
    interview.save(
        update_fields=["scheduled_at", "duration", "mode", "place", "sequence", "updated_at"]
    )
    if moved:
        notices.interview_moved(interview=interview, actor=actor)
    return interview


@dataclass(frozen=True)
class ObstacleInput:
    kind: str
    severity: int
    note: str = ""


@dataclass(frozen=True)
class ActionInput:
    kind: str
    profile: JobProfile | None = None
    certification: Certification | None = None
    note: str = ""


def _verify_skills(candidate: Candidate, skills: Iterable[Skill]) -> None:
    for skill in skills:
        CandidateSkill.objects.update_or_create(
            candidate=candidate, skill=skill, defaults={"verified": True}
        )


def _verify_certifications(candidate: Candidate, certifications: Iterable[Certification]) -> None:
    """Verified as declared: the dates stay the candidate's, the expiry as the rule says
    (one without a date of obtaining is left for the candidate's page to ask about)."""
    for certification in certifications:
        link, _created = CandidateCertification.objects.get_or_create(
            candidate=candidate, certification=certification
        )
        link.verified = True
        link.expires_on = certificate_expiry(certification, link.obtained_on, link.expires_on)
        link.save(update_fields=["verified", "expires_on"])


def _obstacles_set(assessment: Assessment, obstacles: Iterable[ObstacleInput]) -> None:
    """The assessment's obstacles become `obstacles`, one per kind. An obstacle kept by a
    correction stays the same row, so the support actions that address it and the date it
    was resolved are kept; one no longer found is removed."""
    wanted = {o.kind: o for o in obstacles}
    assessment.obstacles.exclude(kind__in=wanted).delete()
    existing = {o.kind: o for o in assessment.obstacles.all()}
    kept, added = [], []
    for kind, given in wanted.items():
        obstacle = existing.get(kind)
        if obstacle is None:
            obstacle = Obstacle(assessment=assessment, kind=kind)
            added.append(obstacle)
        else:
            kept.append(obstacle)
        obstacle.severity, obstacle.note = given.severity, given.note
        obstacle.full_clean(exclude=["assessment"], validate_unique=False)
    Obstacle.objects.bulk_update(kept, ["severity", "note"])
    Obstacle.objects.bulk_create(added)
    touch("ranking", KEPT)  # bulk writes send no signal


def _actions_set(assessment: Assessment, actions: Iterable[ActionInput]) -> None:
    """The assessment's recommendations become `actions`. One kept by a correction (the same
    kind, profile and certification) stays the same row, so what was made of it is kept."""
    wanted = {(a.kind, a.profile, a.certification): a for a in actions}
    for existing in list(assessment.actions.all()):
        given = wanted.pop((existing.kind, existing.profile, existing.certification), None)
        if given is None:
            existing.delete()
        elif existing.note != given.note:
            existing.note = given.note
            existing.save(update_fields=["note"])
    RecommendedAction.objects.bulk_create(
        RecommendedAction(
            assessment=assessment,
            kind=a.kind,
            profile=a.profile,
            certification=a.certification,
            note=a.note,
        )
        for a in wanted.values()
    )


@transaction.atomic
def obstacle_resolve(*, obstacles: Iterable[Obstacle], on: datetime.date) -> int:
    """Mark `obstacles` resolved on `on` (those already resolved keep their date); what
    their candidates carry from their assessments is refreshed."""
    pks = [o.pk for o in obstacles]
    open_ones = Obstacle.objects.filter(pk__in=pks, resolved_on__isnull=True)
    candidates = set(open_ones.values_list("assessment__interview__candidate", flat=True))
    resolved = open_ones.update(resolved_on=on)
    touch("ranking")  # update() sends no signal
    for candidate in Candidate.objects.filter(pk__in=candidates):
        candidate_facts_refresh(candidate)
    return resolved


def _suitable_profiles_set(assessment: Assessment, profiles: Sequence[JobProfile]) -> None:
    """The assessment's suitable profiles become `profiles`, ranked in their order. Each
    carries the assessment's candidate: the ranking asks "who is suitable for this profile?"
    of one index instead of three tables."""
    assessment.suitable_profiles.all().delete()
    SuitableProfile.objects.bulk_create(
        SuitableProfile(
            assessment=assessment,
            profile=profile,
            rank=rank,
            candidate_id=assessment.interview.candidate_id,
        )
        for rank, profile in enumerate(dict.fromkeys(profiles), start=1)
    )
    touch("ranking", KEPT)  # bulk_create sends no signal


def candidate_facts(candidate: Candidate) -> dict[str, object]:
    """What the candidate carries from their assessments, worked out again from them (and
    from what training certified since), without saving anything:

    - `employability`: the class of the latest assessment, by interview date then the latest
      recorded (blank: never assessed); the ranking reads it;
    - `severe_obstacle`: whether that assessment records a severe obstacle still open;
    - `italian_level_verified`: the level the latest assessment that verifies one found,
      raised by any level a course or support action certified on or after that interview's
      day (`italian_levels_certified` hooks); with no verified level from an assessment,
      the highest certified one (blank: none).

    `candidate_facts_refresh` stores these; a candidate whose stored values differ is stale.
    """
    assessments = Assessment.objects.filter(interview__candidate=candidate).order_by(
        "-interview__scheduled_at", "-pk"
    )
    latest = assessments.values_list("employability", flat=True).first()
    verified = (
        assessments.exclude(verified_italian_level="")
        .values_list("verified_italian_level", "interview__scheduled_at")
        .first()
    )
    level, since = ("", None) if verified is None else verified
    since_day = since and timezone.localdate(since)
    for _label, certified in hooked("italian_levels_certified"):
        for day, certified_level in certified(candidate):
            counts = since_day is None or day >= since_day
            if counts and italian_level_higher(certified_level, level):
                level = certified_level
    return {
        "employability": latest or "",
        "severe_obstacle": open_severe_obstacles([candidate.pk]).exists(),
        "italian_level_verified": level,
    }


@transaction.atomic
def candidate_facts_refresh(candidate: Candidate) -> list[str]:
    """Store on the candidate what `candidate_facts` works out from their assessments, so
    that what the ranking, the lists and the reports read of the candidate agrees with them.
    Every path that records, corrects or deletes an assessment, its obstacles or their
    resolution calls it (the admin site's included). Returns the fields that changed."""
    facts = candidate_facts(candidate)
    changed = [name for name, value in facts.items() if getattr(candidate, name) != value]
    for name in changed:
        setattr(candidate, name, facts[name])
    if changed:
        candidate.save(update_fields=[*changed, "updated_at"])
    return changed


@transaction.atomic
def assessments_delete(assessments: Iterable[Assessment]) -> int:
    """Delete `assessments` with their obstacles, suitable profiles and recommendations; what
    each of their candidates carries from their assessments is worked out again from those
    left (an earlier interview's class, or none). Returns how many were deleted."""
    pks = [a.pk for a in assessments]
    doomed = Assessment.objects.filter(pk__in=pks)
    candidates = set(doomed.values_list("interview__candidate", flat=True))
    deleted = doomed.count()
    doomed.delete()
    for candidate in Candidate.objects.filter(pk__in=candidates):
        candidate_facts_refresh(candidate)
    return deleted


@transaction.atomic
def assessment_record(
    *,
    interview: Interview,
    actor: User,
    employability: str,
    obstacles: Iterable[ObstacleInput] = (),
    suitable_profiles: Sequence[JobProfile] = (),
    actions: Iterable[ActionInput] = (),
    verified_skills: Iterable[Skill] = (),
    verified_certifications: Iterable[Certification] = (),
    verified_italian_level: str = "",
    confidential_notes: str = "",
    next_review_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Assessment:
    """Record (or correct) the assessment of an interview, in one transaction: the
    interview is done, the candidate's verified data and status are updated, and the
    status change goes into their history. A failure anywhere leaves everything as it was.

    Given `expected_version`, the version of the assessment its form was opened with (0:
    there was none yet), raises StaleEdit, writing nothing, when the assessment changed
    since or somebody else recorded it meanwhile.
    """
    if expected_version is not None:
        # The interview's row is locked first, so that of two first assessments of the same
        # interview the second waits and then finds the first one.
        Interview.objects.select_for_update().filter(pk=interview.pk).values_list(
            "pk", flat=True
        ).first()
    assessment = Assessment.objects.filter(interview=interview).first()
    if expected_version is not None:
        if assessment is not None:
            version_check(assessment, expected_version)
        elif expected_version != 0:
            raise RecordGone
    if assessment is None:
        assessment = Assessment(interview=interview, recorded_by=actor)
    assessment.employability = employability
    assessment.verified_italian_level = verified_italian_level
    assessment.confidential_notes = confidential_notes
    assessment.next_review_on = next_review_on
    assessment.full_clean()
    assessment.save()

    _obstacles_set(assessment, obstacles)
    _suitable_profiles_set(assessment, suitable_profiles)
    _actions_set(assessment, actions)

    candidate = interview.candidate
    _verify_skills(candidate, verified_skills)
    _verify_certifications(candidate, verified_certifications)
    # The class, open severe obstacles and verified level the ranking reads from the
    # candidate: usually the assessment just recorded, but a correction of an earlier
    # interview's leaves the later one's.
    candidate_facts_refresh(candidate)
    if interview.status != Interview.Status.DONE:
        interview.status = Interview.Status.DONE
        interview.save(update_fields=["status", "updated_at"])
    if candidate.status in {Candidate.Status.DRAFT, Candidate.Status.REGISTERED}:
        candidate_set_status(
            candidate=candidate,
            status=Candidate.Status.INTERVIEWED,
            actor=actor,
            reason=_("%(tranche)s: class %(class)s")
            % {"tranche": interview.tranche, "class": employability},
        )
    # What apps to the right do once an assessment is recorded, in the same transaction
    # (training turns recommendations into proposed support actions).
    for _label, follow_up in hooked("assessment_recorded"):
        follow_up(assessment=assessment, actor=actor)
    return assessment
