"""Writes on support actions and the funding channels that pay for them."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from candidates.models import Candidate, TravelArrangement
from candidates.services import (
    qualifications_grant,
    travel_arrangement_add,
    travel_arrangement_end,
)
from interviews.models import Assessment, Obstacle, RecommendedAction
from interviews.services import obstacle_resolve
from training import reference
from training.models import (
    FundingChannel,
    SupportAction,
    SupportActionEvent,
)
from training.services.gap import gap_analyses_refresh


@transaction.atomic
def funding_channels_load() -> int:
    """Create the funding channels that are missing; what exists is left as it was edited."""
    created = 0
    for code, (name_it, name_en, requires_did, eligibility) in reference.FUNDING_CHANNELS.items():
        created += FundingChannel.objects.add_missing(
            code, (name_it, name_en), requires_did=requires_did, eligibility=eligibility
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
    action addresses on the day it finished. A transport support with a destination gives
    the candidate a travel arrangement there, which the ranking reads, once agreed (the
    company or the pass is arranged: the person can count on it) or done; one that then ends
    without being done ends the arrangement on that day."""
    stored = SupportAction.objects.select_for_update().get(pk=action.pk)
    stored.check_move_to(to, _("An action that is %(now)s cannot become %(next)s."))
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
    travels = stored.destination_id and stored.kind in SupportAction.TRAVEL_MODES
    if travels and _travel_follow(stored, to, on=finished_on) and to != SupportAction.Status.DONE:
        gap_analyses_refresh(actor=actor)  # who can reach the workplace changed
    if to == SupportAction.Status.DONE:
        obstacle_resolve(obstacles=stored.obstacles.all(), on=finished_on)
        if stored.level_reached:
            qualifications_grant(
                candidate=stored.candidate, on=finished_on, italian_level=stored.level_reached
            )
        if stored.level_reached or stored.destination_id:
            gap_analyses_refresh(actor=actor)  # who is ready may have changed
    return stored


def _travel_follow(action: SupportAction, to: str, on: datetime.date) -> bool:
    """The travel arrangement a transport support gives: from the day it is agreed (or done,
    when it skipped nothing), until the day it ends undone."""
    mode = SupportAction.TRAVEL_MODES[action.kind]
    existing = TravelArrangement.objects.filter(
        candidate=action.candidate, mode=mode, destination=action.destination, until=None
    )
    if to in {SupportAction.Status.AGREED, SupportAction.Status.DONE}:
        if existing.exists():
            return False
        travel_arrangement_add(
            candidate=action.candidate,
            mode=mode,
            destination=action.destination,
            within_km=5 if action.reach_km is None else action.reach_km,
            since=on,
            note=(action.outcome or str(action.get_kind_display()))[:200],
        )
        return True
    ended = False
    if to in {SupportAction.Status.NOT_ACHIEVED, SupportAction.Status.CANCELLED}:
        for arrangement in existing:
            travel_arrangement_end(arrangement=arrangement, on=max(on, arrangement.since))
            ended = True
    return ended
