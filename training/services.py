"""Writes on support actions, courses, enrolments, funding channels, the gap analysis and
the follow-up checks after a placement."""

import datetime
from calendar import monthrange
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from candidates.models import Candidate, Consent, Experience
from candidates.services import qualifications_grant, travel_arrangement_add
from catalog.models import Certification, JobProfile, Skill
from companies.models import Need, SurveyCampaign
from interviews.models import Assessment, Obstacle, RecommendedAction, SuitableProfile
from interviews.services import obstacle_resolve
from matching.models import Entry, MatchingWeights
from matching.ranking import Closer, rank
from matching.services import placement_end
from training import reference
from training.models import (
    Attendance,
    Course,
    CourseOffer,
    CourseSession,
    Enrolment,
    FollowUp,
    FundingChannel,
    GapAnalysis,
    GapCandidate,
    GapProfile,
    GraduateInterest,
    SupportAction,
    SupportActionEvent,
)


@transaction.atomic
def funding_channels_load() -> int:
    """Create the funding channels that are missing; what exists is left as it was edited."""
    created = 0
    for code, (name_it, name_en, requires_did, eligibility) in reference.FUNDING_CHANNELS.items():
        created += FundingChannel.objects.get_or_create(
            code=code,
            defaults={
                "name_it": name_it,
                "name_en": name_en,
                "requires_did": requires_did,
                "eligibility": eligibility,
            },
        )[1]
    return created


@transaction.atomic
def support_action_propose(
    *,
    candidate: Candidate,
    kind: str,
    actor: User,
    obstacles: Iterable[Obstacle] = (),
    owner: User | None = None,
    partner: Organisation | None = None,
    provider: str = "",
    starts_on: datetime.date | None = None,
    due_on: datetime.date | None = None,
    cost=None,
    funding: FundingChannel | None = None,
    note: str = "",
    **targets,
) -> SupportAction:
    """Propose a support action for `candidate`, addressing some of their obstacles.

    Without an owner the action is the candidate's caseworker's (or, with no caseworker,
    their centre's). `targets` are the profile and certification a training action leads to.
    """
    obstacles = list(obstacles)
    _check_obstacles(candidate, obstacles)
    if owner is None and partner is None:
        owner = candidate.caseworker
        partner = None if owner else candidate.centre
    action = SupportAction(
        candidate=candidate,
        kind=kind,
        owner=owner,
        partner=partner,
        provider=provider,
        starts_on=starts_on,
        due_on=due_on,
        cost=cost,
        funding=funding,
        note=note,
        created_by=actor,
        **targets,
    )
    action.full_clean()
    action.save()
    action.obstacles.set(obstacles)
    SupportActionEvent.objects.create(
        action=action, from_status="", to_status=action.status, actor=actor
    )
    return action


UPDATABLE = frozenset(
    {
        "kind", "owner", "partner", "provider", "destination", "reach_km", "level_reached",
        "starts_on", "due_on", "cost", "funding", "note",
    }
)  # fmt: skip


def _check_obstacles(candidate: Candidate, obstacles: list[Obstacle]) -> None:
    theirs = Obstacle.objects.filter(
        pk__in=[o.pk for o in obstacles], assessment__interview__candidate=candidate
    )
    if obstacles and theirs.count() != len({o.pk for o in obstacles}):
        raise ValidationError(_("An action addresses obstacles of its own candidate only."))


@transaction.atomic
def support_action_update(
    *, action: SupportAction, actor: User, obstacles: Iterable[Obstacle] | None = None, **changes
) -> SupportAction:
    """Change the details of an open action (what exactly, for which obstacles, who, where,
    when, how much), as they are settled with the candidate. A finished action is history:
    it changes no more."""
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise ValueError(f"support_action_update cannot change {sorted(unknown)}")
    stored = SupportAction.objects.select_for_update().get(pk=action.pk)
    if not stored.is_open:
        raise ValidationError(_("A finished action can no longer be changed."), code="final")
    for name, value in changes.items():
        setattr(stored, name, value)
    stored.full_clean()
    stored.save(update_fields=[*changes, "updated_at"])
    if obstacles is not None:
        obstacles = list(obstacles)
        _check_obstacles(stored.candidate, obstacles)
        stored.obstacles.set(obstacles)
    return stored


# A recruiter's recommendation at assessment -> the support action it proposes.
FROM_RECOMMENDATION = {
    RecommendedAction.Kind.TRAINING: SupportAction.Kind.TRAINING,
    RecommendedAction.Kind.LANGUAGE: SupportAction.Kind.ITALIAN_COURSE,
    RecommendedAction.Kind.TRANSPORT: SupportAction.Kind.TRANSPORT,
    RecommendedAction.Kind.CARE: SupportAction.Kind.CARE,
    RecommendedAction.Kind.DOCUMENTS: SupportAction.Kind.DOCUMENTS,
    RecommendedAction.Kind.SOCIAL: SupportAction.Kind.SOCIAL_REFERRAL,
    RecommendedAction.Kind.OTHER: SupportAction.Kind.OTHER,
}


def support_actions_from_assessment(*, assessment: Assessment, actor: User) -> list[SupportAction]:
    """Each recommendation of the assessment without an action becomes a proposed one, for
    the obstacles of the assessment its kind addresses. A proposal whose recommendation a
    correction removed, and that nobody has taken up, is cancelled. Returns the new actions.

    Called by `interviews.services.assessment_record`, inside its transaction.
    """
    withdrawn = assessment.support_actions.filter(
        recommendation__isnull=True, status=SupportAction.Status.PROPOSED
    )
    for action in withdrawn:
        support_action_move(
            action=action,
            to=SupportAction.Status.CANCELLED,
            actor=actor,
            note=_("No longer recommended when the assessment was corrected."),
        )
    candidate = assessment.interview.candidate
    obstacles = list(assessment.obstacles.all())
    created = []
    for recommendation in assessment.actions.filter(support_action__isnull=True):
        kind = FROM_RECOMMENDATION[recommendation.kind]
        created.append(
            support_action_propose(
                candidate=candidate,
                kind=kind,
                actor=actor,
                obstacles=[o for o in obstacles if o.kind in SupportAction.ADDRESSES[kind]],
                note=recommendation.note,
                profile=recommendation.profile,
                certification=recommendation.certification,
                assessment=assessment,
                recommendation=recommendation,
            )
        )
    return created


@transaction.atomic
def support_action_move(
    *,
    action: SupportAction,
    to: str,
    actor: User,
    outcome: str = "",
    on: datetime.date | None = None,
    note: str = "",
) -> SupportAction:
    """Move an action one step on, checked against the action as stored (a stale page or a
    form sent twice cannot move it out of a state it has left). Done, not achieved and
    cancelled are final and need an outcome or a reason. Done resolves the obstacles the
    action addresses on the day it finished, and a transport support with a destination
    gives the candidate a travel arrangement there, which the ranking reads."""
    stored = SupportAction.objects.select_for_update().get(pk=action.pk)
    if not stored.can_move_to(to):
        raise ValidationError(
            _("An action that is %(now)s cannot become %(next)s.")
            % {
                "now": stored.get_status_display().lower(),
                "next": SupportAction.Status(to).label.lower(),
            },
            code="invalid_move",
        )
    if to in SupportAction.FINAL and not (outcome or note).strip():
        raise ValidationError(
            _("Say how it ended: the outcome, or why it stopped."), code="outcome_needed"
        )
    finished_on = on or timezone.localdate()
    previous = stored.status
    stored.status = to
    changed = ["status", "updated_at"]
    if to in SupportAction.FINAL:
        stored.finished_on = finished_on
        stored.outcome = outcome or stored.outcome
        changed += ["finished_on", "outcome"]
    stored.full_clean()
    stored.save(update_fields=changed)
    SupportActionEvent.objects.create(
        action=stored, from_status=previous, to_status=to, actor=actor, note=note
    )
    if to == SupportAction.Status.DONE:
        obstacle_resolve(obstacles=stored.obstacles.all(), on=finished_on)
        if stored.level_reached:
            qualifications_grant(
                candidate=stored.candidate, on=finished_on, italian_level=stored.level_reached
            )
        if stored.level_reached or stored.destination_id:
            gap_analyses_refresh(actor=actor)  # who is ready may have changed
        if stored.destination_id and stored.kind in SupportAction.TRAVEL_MODES:
            travel_arrangement_add(
                candidate=stored.candidate,
                mode=SupportAction.TRAVEL_MODES[stored.kind],
                destination=stored.destination,
                within_km=5 if stored.reach_km is None else stored.reach_km,
                since=finished_on,
                note=stored.outcome[:200],
            )
    return stored


# Courses --------------------------------------------------------------------------------------


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
    if not stored.can_move_to(to):
        raise ValidationError(
            _("A course that is %(now)s cannot become %(next)s.")
            % {
                "now": stored.get_status_display().lower(),
                "next": Course.Status(to).label.lower(),
            },
            code="invalid_move",
        )
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
    theirs = CourseSession.objects.filter(
        course__enrolments__candidate=candidate,
        course__enrolments__status__in=Enrolment.ACTIVE,
        course__status__in=Course.ENROLLING,
    ).exclude(course=course)
    for session in course.sessions.all():
        overlapping = theirs.filter(
            date=session.date, starts_at__lt=session.ends_at, ends_at__gt=session.starts_at
        )
        found = overlapping.select_related("course").first()
        if found:
            return found
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
    for enrolment in enrolled:
        Attendance.objects.update_or_create(
            enrolment=enrolment,
            session=session,
            defaults={"present": enrolment.pk in here, "recorded_by": actor},
        )
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


# The gap analysis -----------------------------------------------------------------------------

# How many analyses of a campaign are kept: enough to see who moved from near-ready to ready.
ANALYSES_KEPT = 12


def _closer_fields(closer: Closer) -> dict:
    if closer.kind == "certification":
        return {"closer": GapCandidate.Closer.CERTIFICATION, "certification_id": closer.pk}
    if closer.kind == "skill":
        return {"closer": GapCandidate.Closer.SKILL, "skill_id": closer.pk}
    if closer.kind == "italian":
        return {"closer": GapCandidate.Closer.ITALIAN, "italian_level": closer.level}
    return {"closer": GapCandidate.Closer.TRANSPORT, "destination_id": closer.pk}


def _population(profile: JobProfile) -> set[int]:
    """The candidates matching may rank who did, or were judged suitable for, a job of the
    profile's family: those the gap is about, beyond the ready and near-ready."""
    family = profile.family_id
    return set(
        Candidate.objects.matchable()
        .filter(
            Q(pk__in=Experience.objects.filter(profile__family=family).values("candidate"))
            | Q(pk__in=SuitableProfile.objects.filter(profile__family=family).values("candidate"))
        )
        .values_list("pk", flat=True)
    )


@transaction.atomic
def gap_analysis_request(*, campaign: SurveyCampaign | None, actor: User | None) -> GapAnalysis:
    """Ask for a fresh analysis of `campaign` (None: all campaigns), computed in the
    background once this transaction commits. While one is waiting or running, asking
    again returns it: a double click queues nothing twice (the asker's row is locked; two
    people asking at the same instant may queue two, both computed, which is harmless)."""
    if actor is not None:
        User.objects.select_for_update().filter(pk=actor.pk).first()
    pending = GapAnalysis.objects.filter(campaign=campaign, status=GapAnalysis.Status.PENDING)
    analysis = pending.first()
    if analysis is None:
        analysis = GapAnalysis.objects.create(campaign=campaign, requested_by=actor)
        from training.tasks import gap_analyse_task

        transaction.on_commit(lambda: gap_analyse_task.enqueue(analysis_id=analysis.pk))
    return analysis


def gap_analyses_refresh(*, actor: User | None) -> None:
    """Ask again for the analyses people read (each campaign analysed before), after
    something changed who is ready: a course completed, a support action done."""
    analysed = GapAnalysis.objects.values_list("campaign", flat=True).distinct()
    campaigns = dict.fromkeys(analysed)
    for campaign in SurveyCampaign.objects.filter(pk__in=[pk for pk in campaigns if pk]):
        campaigns[campaign.pk] = campaign
    for campaign in campaigns.values():
        gap_analysis_request(campaign=campaign, actor=actor)


@transaction.atomic
def gap_analyse(*, analysis: GapAnalysis) -> GapAnalysis:
    """Rank every open need (of the analysis's campaign, or of all) for readiness and keep,
    per profile, who is ready, who is near-ready and by which gap, and how many are far.

    A candidate ready for any open need of the profile is ready for it; near-ready means
    one gap (for some need) from the ready score and ready for none. Analyses of the same
    campaign older than the last ANALYSES_KEPT are deleted.
    """
    analysis = GapAnalysis.objects.select_for_update().get(pk=analysis.pk)
    if analysis.status != GapAnalysis.Status.PENDING:
        return analysis  # already computed (a task run twice)
    campaign = analysis.campaign
    weights = MatchingWeights.objects.current()
    needs = list(
        Need.objects.filter(status=Need.Status.OPEN, **({"campaign": campaign} if campaign else {}))
        .select_related("profile__family", "workplace")
        .order_by("profile_id", "pk")
    )
    hired = dict(
        Entry.objects.filter(status=Entry.Status.HIRED, shortlist__need__in=needs)
        .values_list("shortlist__need")
        .annotate(n=Count("pk"))
    )
    lines, entries = [], []
    for profile, group in groupby(needs, key=lambda need: need.profile):
        line, found = _profile_gap(analysis, profile, list(group), weights, hired)
        lines.append(line)
        entries += found
    GapProfile.objects.bulk_create(lines)
    GapCandidate.objects.bulk_create(entries, batch_size=2000)
    analysis.status, analysis.computed_at = GapAnalysis.Status.DONE, timezone.now()
    analysis.ready_score, analysis.weights_version = weights.ready_score, weights.version
    analysis.needs = len(needs)
    analysis.save()
    done = GapAnalysis.objects.filter(campaign=campaign).exclude(status=GapAnalysis.Status.PENDING)
    stale = done.order_by("-computed_at", "-pk").values_list("pk", flat=True)[ANALYSES_KEPT:]
    GapAnalysis.objects.filter(pk__in=list(stale)).delete()
    return analysis


def _profile_gap(analysis, profile, needs, weights, hired) -> tuple[GapProfile, list]:
    ready, near = Counter(), defaultdict(Counter)
    for need in needs:
        ranking = rank(need, weights=weights, readiness=True)
        ready.update(ranking.ready)
        for closer, candidates in ranking.near.items():
            near[closer].update(candidates)
    near_ids = {pk for counter in near.values() for pk in counter} - set(ready)
    entries = [
        GapCandidate(analysis=analysis, profile=profile, candidate_id=pk, closer="ready", needs=n)
        for pk, n in ready.items()
    ]
    for closer, counter in near.items():
        entries += [
            GapCandidate(
                analysis=analysis, profile=profile, candidate_id=pk, needs=n,
                **_closer_fields(closer),
            )
            for pk, n in counter.items()
            if pk in near_ids
        ]  # fmt: skip
    line = GapProfile(
        analysis=analysis,
        profile=profile,
        open_needs=len(needs),
        open_places=sum(max(need.headcount - hired.get(need.pk, 0), 0) for need in needs),
        ready=len(ready),
        near=len(near_ids),
        far=len(_population(profile) - set(ready) - near_ids),
    )
    return line, entries


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it is shorter (31 January + 1
    month = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def follow_ups_schedule(*, entry: Entry, actor: User) -> list[FollowUp]:
    """Schedule the checks of a hire at 1, 3 and 6 months after its start date (those it has
    not yet got). The candidate's charity centre makes them.

    Called by `matching.services.entry_move` when it records a hire, inside its transaction.
    """
    if entry.start_date is None:
        return []
    have = set(entry.follow_ups.values_list("months", flat=True))
    return FollowUp.objects.bulk_create(
        [
            FollowUp(entry=entry, months=months, due_on=months_after(entry.start_date, months))
            for months in FollowUp.Months.values
            if months not in have
        ]
    )


CLOSED = frozenset({"already_recorded", "not_needed"})  # the codes of a check no longer to make


def follow_up_check_pending(*, follow_up: FollowUp) -> None:
    """Raise a ValidationError saying why, unless the check is still to be made."""
    if follow_up.status == FollowUp.Status.DONE:
        raise ValidationError(
            _("This check was already recorded on %(date)s.")
            % {"date": date_format(follow_up.done_on, "SHORT_DATE_FORMAT")},
            code="already_recorded",
        )
    if follow_up.status == FollowUp.Status.NOT_NEEDED:
        raise ValidationError(
            _("This check is no longer needed: the job ended on %(date)s.")
            % {"date": date_format(follow_up.entry.ended_on, "SHORT_DATE_FORMAT")},
            code="not_needed",
        )


RECORDED = ("status", "done_on", "outcome", "ended_on", "difficulties", "note", "recorded_by")


@transaction.atomic
def follow_up_record(
    *,
    follow_up: FollowUp,
    actor: User,
    outcome: str,
    done_on: datetime.date | None = None,
    ended_on: datetime.date | None = None,
    difficulties: str = "",
    note: str = "",
) -> FollowUp:
    """Record what a check found: still employed (on the same contract, extended, made
    permanent), or the job ended on `ended_on`.

    Checked against the check as stored, locked until it is recorded: a form sent twice, or
    a check someone else recorded meanwhile, is refused and keeps what was recorded first.
    A job that ended is the placement's end (`matching.services.placement_end`: the candidate
    looks for work again, the need may reopen), and the placement's other checks still to
    be made are closed as not needed.
    """
    stored = FollowUp.objects.select_for_update().select_related("entry").get(pk=follow_up.pk)
    follow_up_check_pending(follow_up=stored)
    done_on = done_on or timezone.localdate()
    _check_dates(stored.entry, outcome=outcome, done_on=done_on, ended_on=ended_on)
    stored.status = FollowUp.Status.DONE
    stored.done_on, stored.outcome, stored.ended_on = done_on, outcome, ended_on
    stored.difficulties, stored.note, stored.recorded_by = difficulties, note, actor
    stored.full_clean()
    stored.save(update_fields=[*RECORDED, "updated_at"])
    if outcome == FollowUp.Outcome.ENDED:
        placement_end(entry=stored.entry, on=ended_on, actor=actor)
        stored.entry.follow_ups.pending().update(
            status=FollowUp.Status.NOT_NEEDED,
            done_on=done_on,
            recorded_by=actor,
            updated_at=timezone.now(),
        )
    return stored


def _check_dates(
    entry: Entry, *, outcome: str, done_on: datetime.date, ended_on: datetime.date | None
) -> None:
    today = timezone.localdate()
    if done_on > today:
        raise ValidationError({"done_on": _("A check cannot be recorded ahead of time.")})
    if done_on < entry.start_date:
        raise ValidationError({"done_on": _("The check cannot come before the job started.")})
    if outcome == FollowUp.Outcome.ENDED:
        if ended_on is None:
            raise ValidationError({"ended_on": _("Give the date the job ended.")})
        if ended_on < entry.start_date:
            raise ValidationError({"ended_on": _("A job cannot end before it starts.")})
        if ended_on > done_on:
            raise ValidationError(
                {"ended_on": _("The job cannot end after the check that found it.")}
            )
    elif ended_on is not None:
        raise ValidationError({"ended_on": _("Only a job that ended has an end date.")})
