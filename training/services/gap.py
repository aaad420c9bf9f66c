"""The gap analysis: every open need ranked for readiness, kept per profile (background work,
`training.tasks`)."""

from collections import Counter, defaultdict
from itertools import groupby

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from candidates.models import Candidate, Experience
from catalog.models import JobProfile
from companies.models import Need, SurveyCampaign
from interviews.models import SuitableProfile
from matching.models import Entry, MatchingWeights
from matching.ranking import Closer, rank
from training.models import (
    GapAnalysis,
    GapCandidate,
    GapProfile,
)

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
