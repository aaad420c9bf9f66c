"""Writes on support actions, funding channels and follow-up checks after a placement."""

import datetime
from calendar import monthrange
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from candidates.models import Candidate
from candidates.services import travel_arrangement_add
from interviews.models import Assessment, Obstacle, RecommendedAction
from interviews.services import obstacle_resolve
from matching.models import Entry
from matching.services import placement_end
from training import reference
from training.models import FollowUp, FundingChannel, SupportAction, SupportActionEvent


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
        "kind", "owner", "partner", "provider", "destination", "reach_km", "starts_on",
        "due_on", "cost", "funding", "note",
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
