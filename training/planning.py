"""What a course or a support action would change, asked of the ranking engine itself.

"If course X completes, N candidates reach the ready score for M open needs": each open need
of the course's profiles is ranked twice among the course's candidates, as they are and with
what the course grants assumed (`matching.ranking.Assumption`), which the ranking counts
exactly as it will count the real qualifications once the course completes.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q, QuerySet, Subquery

from accounts.access import scope
from candidates.models import Candidate, TravelArrangement
from candidates.services import LEVEL_ORDER, certificate_expiry
from catalog.models import Certification, Comune, JobProfile, Skill
from companies.models import Need, SurveyCampaign
from matching.models import MatchingWeights
from matching.ranking import Assumption, rank
from training.models import (
    Course,
    Enrolment,
    FundingChannel,
    GapAnalysis,
    GapCandidate,
    GapProfile,
)
from training.services import course_end


@dataclass
class NeedLine:
    need: Need
    ready_before: list[Candidate]
    lifted: list[Candidate]


@dataclass
class WhatIf:
    """Who would reach the ready score, for which open needs, if the course or support
    were done; `needs` lists every open need it was asked for."""

    ready_score: int
    needs: list[NeedLine] = field(default_factory=list)

    @property
    def lifted(self) -> list[Candidate]:
        seen = {}
        for line in self.needs:
            for candidate in line.lifted:
                seen.setdefault(candidate.pk, candidate)
        return list(seen.values())

    @property
    def candidates_lifted(self) -> int:
        return len(self.lifted)

    @property
    def needs_reached(self) -> int:
        return sum(1 for line in self.needs if line.lifted)


def open_needs(**lookups) -> QuerySet:
    """The open needs the what-if asks about, with what the ranking reads of them."""
    return (
        Need.objects.filter(status=Need.Status.OPEN, **lookups)
        .select_related("company__organisation", "profile__family", "workplace", "campaign")
        .order_by("workplace__name", "company__organisation__name", "pk")
    )


def course_assumption(course: Course, candidates: list[int]) -> Assumption:
    """What the course grants those who complete it: its skills and certifications verified,
    obtained on its last day, and the Italian level it certifies."""
    ended = course_end(course)
    return Assumption(
        candidates=tuple(candidates),
        skills=frozenset(course.skills.values_list("pk", flat=True)),
        certifications=tuple(
            (certification.pk, certificate_expiry(certification, ended, None))
            for certification in course.certifications.all()
        ),
        italian_level=course.italian_level,
    )


def _what_if(needs, candidates: list[int], assume: Assumption) -> WhatIf:
    weights = MatchingWeights.objects.current()
    result = WhatIf(ready_score=weights.ready_score)
    if not candidates:
        return result
    top = len(candidates)
    for need in needs:
        before = rank(need, weights=weights, top=top, among=candidates)
        after = rank(need, weights=weights, top=top, among=candidates, assume=assume)
        ready = [row.candidate for row in before.rows if row.score >= weights.ready_score]
        ready_ids = {candidate.pk for candidate in ready}
        lifted = [
            row.candidate
            for row in after.rows
            if row.score >= weights.ready_score and row.candidate.pk not in ready_ids
        ]
        result.needs.append(NeedLine(need=need, ready_before=ready, lifted=lifted))
    return result


def course_what_if(*, course: Course, candidates: list[int] | None = None) -> WhatIf:
    """If the course completed for `candidates` (by default those proposed or enrolled),
    who of them would reach the ready score for which open needs of its profiles."""
    if candidates is None:
        candidates = list(
            course.enrolments.filter(status__in=Enrolment.ACTIVE).values_list(
                "candidate_id", flat=True
            )
        )
    needs = open_needs(profile__in=course.profiles.all())
    return _what_if(needs, candidates, course_assumption(course, candidates))


def transport_what_if(
    *,
    destination: Comune,
    candidates: list[int],
    reach_km: int = 5,
    since: datetime.date | None = None,
) -> WhatIf:
    """With a bus pass to `destination` (workplaces within `reach_km` of it), who of
    `candidates` would reach the ready score for the open needs it serves: buses do not run
    for nights and early shifts, so the needs with them are not among those."""
    assume = Assumption(
        candidates=tuple(candidates),
        destination=destination,
        reach_km=reach_km,
        since=since,
        mode=TravelArrangement.Mode.TRANSPORT_PASS,
    )
    needs = [need for need in open_needs() if assume.reaches(need)]
    return _what_if(needs, candidates, assume)


# The gap and the training plan, read from the latest analysis ---------------------------------


def latest_analysis(*, campaign: SurveyCampaign | None) -> tuple[GapAnalysis | None, bool]:
    """The newest computed analysis of `campaign` (None: all campaigns), and whether a newer
    one is being computed."""
    analyses = GapAnalysis.objects.filter(campaign=campaign)
    done = newest_analysis(campaign=campaign)
    pending = analyses.filter(status=GapAnalysis.Status.PENDING)
    if done is not None:
        pending = pending.filter(requested_at__gte=done.requested_at)
    return done, pending.exists()


def newest_analysis(*, campaign: SurveyCampaign | None) -> GapAnalysis | None:
    """The newest computed analysis of `campaign` (None: all campaigns)."""
    done = GapAnalysis.objects.filter(campaign=campaign, status=GapAnalysis.Status.DONE)
    return done.order_by("-computed_at", "-pk").first()


@dataclass
class GapLine:
    line: GapProfile
    near_by: dict[str, int]  # closer kind -> candidates near-ready that way


def gap_lines(*, analysis: GapAnalysis) -> list[GapLine]:
    """Per profile: open needs and places, ready, near-ready (and by which kind of gap), far."""
    counts = defaultdict(dict)
    for profile, closer, n in (
        analysis.entries.exclude(closer=GapCandidate.Closer.READY)
        .values_list("profile", "closer")
        .annotate(n=Count("candidate", distinct=True))
    ):
        counts[profile][closer] = n
    lines = analysis.lines.select_related("profile")
    return [GapLine(line, counts.get(line.profile_id, {})) for line in lines]


@dataclass
class PlanLine:
    """One item of the training plan: what closes a gap for near-ready candidates of a
    profile, how many it would lift, a course that does it (if any), its funding and cost."""

    profile: JobProfile
    closer: str
    target: object  # the certification, skill, Italian level or comune
    candidates: int
    with_did: int
    course: Course | None = None
    seats: int = 0
    channels: list = field(default_factory=list)  # (channel, how many may use it)

    @property
    def cost(self):
        if self.course is None or self.course.cost_per_seat is None:
            return None
        return self.course.cost_per_seat * self.seats

    @property
    def label(self) -> str:
        return str(self.target)


def _course_for(line: PlanLine, courses: list[Course]) -> Course | None:
    for course in courses:
        if line.profile not in course.profiles.all():
            continue
        grants = {
            "certification": lambda c: line.target in c.certifications.all(),
            "skill": lambda c: line.target in c.skills.all(),
            "italian": lambda c: (
                bool(c.italian_level)
                and LEVEL_ORDER.index(c.italian_level) >= LEVEL_ORDER.index(line.target)
            ),
        }.get(line.closer)
        if grants and grants(course):
            return course
    return None


# The column of a GapCandidate row that names what closes the gap, by kind of gap.
TARGET_FIELD = {"certification": "certification", "skill": "skill", "transport": "destination"}


def _target(row: dict, objects: dict):
    if row["closer"] == "italian":
        return row["italian_level"]
    name = TARGET_FIELD[row["closer"]]
    return objects[name][row[name]]


def _with_did() -> QuerySet:
    return Candidate.objects.filter(did_on__isnull=False).values("pk")


def training_plan(*, analysis: GapAnalysis) -> list[PlanLine]:
    """The training plan the analysis proposes, the lines lifting most candidates first: for
    each profile and gap, the near-ready candidates, the course still enrolling that closes
    it (with its free seats, funding and cost), and the channels that could pay."""
    rows = list(
        analysis.entries.exclude(closer=GapCandidate.Closer.READY)
        .values("profile", "closer", "certification", "skill", "italian_level", "destination")
        .annotate(
            # A candidate has one row per profile and gap: counting rows counts people.
            n=Count("pk"),
            did=Count("pk", filter=Q(candidate__in=_with_did())),
        )
        .order_by("-n", "profile", "closer")
    )
    ids = defaultdict(set)
    for row in rows:
        ids["profile"].add(row["profile"])
        for name in ("certification", "skill", "destination"):
            if row[name]:
                ids[name].add(row[name])
    objects = {
        "profile": JobProfile.objects.in_bulk(ids["profile"]),
        "certification": Certification.objects.in_bulk(ids["certification"]),
        "skill": Skill.objects.in_bulk(ids["skill"]),
        "destination": Comune.objects.in_bulk(ids["destination"]),
    }
    courses = list(
        Course.objects.filter(status__in=Course.ENROLLING)
        .select_related("funding")
        .prefetch_related("profiles", "certifications", "skills")
        .annotate(taken=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.ACTIVE)))
        .order_by("pk")
    )
    channels = list(FundingChannel.objects.filter(is_active=True))
    plan = []
    for row in rows:
        closer = row["closer"]
        target = _target(row, objects)
        line = PlanLine(
            profile=objects["profile"][row["profile"]],
            closer=closer,
            target=target,
            candidates=row["n"],
            with_did=row["did"],
        )
        line.course = _course_for(line, courses)
        free = line.course.seats - line.course.taken if line.course else line.candidates
        line.seats = max(min(line.candidates, free), 0)
        line.channels = [
            (channel, may_use)
            for channel in channels
            if (may_use := line.with_did if channel.requires_did else line.candidates)
        ]
        plan.append(line)
    return plan


# The gap candidates list's `closer` for those ready now who were near-ready before, and for
# the near-ready whatever the gap.
MOVED = "moved"
NEAR = "near"


def near_ready(*, actor, campaign: SurveyCampaign | None) -> QuerySet:
    """The candidates `actor` may see whom the newest analysis of `campaign` (None: of all
    campaigns) finds near-ready for some profile, each once (at their first line): what the
    gap's candidates list shows with `closer` NEAR and no profile, and the matching officers'
    home counts. Nobody while no analysis was computed."""
    analysis = newest_analysis(campaign=campaign)
    if analysis is None:
        return GapCandidate.objects.none()
    return in_scope(actor, gap_candidates(analysis=analysis, closer=NEAR))


def in_scope(actor, entries: QuerySet) -> QuerySet:
    """The lines of `entries` whose candidate `actor` may see."""
    return entries.filter(candidate__in=scope(actor, Candidate).values("pk"))


def _analyses_done(campaign: SurveyCampaign | None) -> QuerySet:
    return GapAnalysis.objects.filter(campaign=campaign, status=GapAnalysis.Status.DONE)


def moved_to_ready(*, campaign: SurveyCampaign | None) -> QuerySet:
    """The "ready" lines of the newest analysis of `campaign` (None: of all campaigns; the
    newest as `latest_analysis` picks it) whose candidate was near-ready for the same profile
    in an earlier analysis of it: one line per candidate and profile that moved.

    A database query, not a list: the pairs (candidate, profile) are grouped over the kept
    analyses of the campaign, and the lines picked as `pk IN` that grouped subquery."""
    newest = Subquery(_analyses_done(campaign).order_by("-computed_at", "-pk").values("pk")[:1])
    ready = Q(closer=GapCandidate.Closer.READY)
    pairs = (
        GapCandidate.objects.filter(analysis__in=_analyses_done(campaign).values("pk"))
        .values("candidate", "profile")
        .annotate(
            line=Max("pk", filter=ready & Q(analysis=newest)),
            before=Count("pk", filter=~ready & ~Q(analysis=newest)),
        )
        .filter(before__gt=0, line__isnull=False)
        .values("line")
    )
    return GapCandidate.objects.filter(pk__in=pairs)


def gap_candidates(*, analysis: GapAnalysis, profile=None, closer: str = "", target=None):
    """The candidates behind a figure of the analysis: ready or near-ready for a profile,
    near-ready by one kind of gap, or by one certification, skill, level or destination;
    or (`closer` MOVED) ready now after being near-ready before (`moved_to_ready`), for one
    profile, or for any with each candidate listed once (at their first line); likewise
    (`closer` NEAR without a profile) the near-ready for any profile, each once."""
    entries = analysis.entries.select_related("candidate__centre", "profile", "certification")
    entries = entries.select_related("skill", "destination")
    if closer == MOVED:
        moved = moved_to_ready(campaign=analysis.campaign).filter(analysis=analysis)
        if profile is None:
            moved = moved.values("candidate").annotate(first=Min("pk")).values("first")
        entries = entries.filter(pk__in=moved.values("pk") if profile is not None else moved)
        closer = ""
    if profile is not None:
        entries = entries.filter(profile=profile)
    if closer == NEAR and profile is None:
        near = analysis.entries.exclude(closer=GapCandidate.Closer.READY)
        first = near.values("candidate").annotate(first=Min("pk")).values("first")
        entries = entries.filter(pk__in=first)
    elif closer == NEAR:
        entries = entries.exclude(closer=GapCandidate.Closer.READY)
    elif closer:
        entries = entries.filter(closer=closer)
    if target is not None and closer in TARGET_FIELD:
        entries = entries.filter(**{TARGET_FIELD[closer]: target})
    elif target is not None and closer == "italian":
        entries = entries.filter(italian_level=target)
    return entries.order_by("candidate__last_name", "candidate__first_name", "pk")


def course_suggestions(*, course: Course, limit: int = 10) -> list[GapCandidate]:
    """Near-ready candidates of the course's profiles whose gap it closes (a certification or
    skill it grants, an Italian level it reaches), from the newest analysis; those already on
    the course left out. What "propose from the gaps" offers staff on the course's page."""
    analysis = (
        GapAnalysis.objects.filter(status=GapAnalysis.Status.DONE)
        .order_by("-computed_at", "-pk")
        .first()
    )
    if analysis is None:
        return []
    closes = Q(certification__in=course.certifications.all()) | Q(skill__in=course.skills.all())
    if course.italian_level:
        reached = LEVEL_ORDER[: LEVEL_ORDER.index(course.italian_level) + 1]
        closes |= Q(closer=GapCandidate.Closer.ITALIAN, italian_level__in=reached)
    entries = (
        analysis.entries.filter(closes, profile__in=course.profiles.all())
        .exclude(candidate__in=course.enrolments.values("candidate"))
        .filter(candidate__in=Candidate.objects.matchable().values("pk"))
        .select_related("candidate", "profile")
        .order_by("-needs", "pk")[: limit * 4]
    )
    unique = {}
    for entry in entries:
        unique.setdefault(entry.candidate_id, entry)
    return list(unique.values())[:limit]
