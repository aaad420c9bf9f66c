"""The ranking engine: for one need, the candidates in order, each with the components of
its score and the gaps that keep it from the top, and what would close them.

One public entry point, `rank()`, used by the pages, the `rank` command and the benchmark.
Knock-outs filter in the database: consent and status, then the gates agencies screen on
first (shifts, nights, weekends, hours, start date, care duties against nights and early
shifts, a permit valid on the start or being renewed, the licence category and the car),
then the mandatory skills and certifications. The six components and the 0-100 score are
database expressions (PostgreSQL and SQLite alike), so the database orders the whole pool
and only the top rows are read and explained, with their gaps, their notes (a certificate
to verify or expiring during the contract, a severe obstacle, a renewal under way) and,
beside them, the near misses. The number of queries does not depend on the size of the
pool. The employability class, its open severe obstacles and the verified Italian level are
read from columns of the candidate, which `interviews.services` keeps, not from
assessments. The rules are explained in plain Italian at matching:rules.

The order of a plain ranking (the top rows' ids, components and scores, the count, the near
misses) is kept in the shared cache (focus.cache) until a table it is worked out from
changes; the candidates and the explanations are read again at every call.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import (
    Cast,
    Coalesce,
    Cos,
    Greatest,
    Least,
    NullIf,
    Sqrt,
)
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from candidates.models import (
    LOOKING,
    Candidate,
    CandidateCertification,
    CandidateSkill,
    Experience,
    TravelArrangement,
)
from catalog.languages import ItalianLevel
from catalog.licences import holding, satisfies
from catalog.models import months_after
from companies.models import Need
from focus.cache import kept
from focus.durations import years_text
from interviews.models import Obstacle, SuitableProfile
from interviews.selectors import open_severe_obstacles
from matching.models import MatchingWeights

LEVELS = {level: rank for rank, level in enumerate(ItalianLevel.values, 1)}
CLASS_SCORES = {"A": 1.0, "B": 0.6, "C": 0.2}
UNASSESSED = 0.5  # between B and C: not yet interviewed is neither good nor bad news
SEVERE = 0.5  # a severe obstacle of the latest assessment, still open, halves the class's
DECLARED = 0.6  # a declared skill counts this much of a verified one
EARTH_KM = 6371.0
# Roads wind: a commute by road is about 1.3 times the straight line between comune centres
# (the detour index of a hilly province). Every distance the ranking shows or compares is
# this estimate of road km.
ROAD_FACTOR = 1.3
# How far people go without a car or a motorbike (road km), and how fast each means goes
# door to door (km per minute), to read "up to 40 minutes" as a distance.
BICYCLE_KM = 10
WALK_KM = 2
SPEED = {"motor": 0.7, "public_transport": 0.33, "bicycle": 0.25, "walk": 0.08}
# Experience in the need's profile: the share of a year each year counts, by how long ago the
# job ended (ended_in; empty: still doing it), and the score of each depth.
RECENCY = ((2, 1.0), (5, 0.7))  # within 2 years: whole; within 5: 0.7; older: OLD_WORK
OLD_WORK = 0.4
PROFILE_SCORES = {"full": 1.0, "half": 0.85, "some": 0.7, "suitable": 0.55, "related": 0.3}
# A start this many days after the need's is a near miss; later, a plain conflict.
NEAR_START_DAYS = 30
# The horizon a permit or a certificate is checked over for a permanent contract (or one
# whose length is not stated): its first year.
HORIZON_MONTHS = 12
NEAR_MISSES = 10
# The figures above, for the page that explains the ranking (matching:rules).
RULES = {
    "road_factor": ROAD_FACTOR,
    "bicycle_km": BICYCLE_KM,
    "walk_km": WALK_KM,
    "declared": round(100 * DECLARED),
    "severe": round(100 * SEVERE),
    "near_start_days": NEAR_START_DAYS,
    "horizon_months": HORIZON_MONTHS,
    "recency": [(within, round(100 * share)) for within, share in RECENCY],
    "old_work": round(100 * OLD_WORK),
    "profile": {name: round(100 * score) for name, score in PROFILE_SCORES.items()},
    "classes": {name: round(100 * score) for name, score in CLASS_SCORES.items()},
    "unassessed": round(100 * UNASSESSED),
}
NOT_ASSESSED = "none"  # Filters.employability: candidates with no assessment yet
# The order of the ranking: the score; on a tie, who can start first (no date: at once),
# then who registered first. Written on the ranking page, so that staff can read it.
ORDER = ("-score", F("available_from").asc(nulls_first=True), "pk")


_FLOAT = FloatField()


class _Float(Value):
    """A float constant written into the SQL as a typed literal. PostgreSQL reads a bare 1.0
    as NUMERIC, and the whole score would then be computed in (slow) arbitrary-precision
    arithmetic; and the score holds some sixty of them, so each is one light node for the
    compiler, not a cast of a parameter. The text is Python's own rendering of a float."""

    def __init__(self, value: float):
        super().__init__(float(value), output_field=_FLOAT)

    def resolve_expression(self, *args, **kwargs) -> "_Float":
        return self

    def as_sql(self, compiler, connection):
        return repr(self.value), []

    def as_postgresql(self, compiler, connection):
        return f"{self.value!r}::double precision", []


_f = _Float


@dataclass(frozen=True)
class Gap:
    what: str
    closes_it: str


@dataclass
class RankedRow:
    candidate: Candidate
    position: int
    score: float
    components: dict[str, float]
    distance_km: float | None
    employability: str
    gaps: list[Gap] = field(default_factory=list)
    # What staff must see beside the score: a severe obstacle, a renewal under way.
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class NearMiss:
    """A candidate one quick fix away from the ranking: what keeps them out, and the fix."""

    candidate: Candidate
    score: float
    what: str
    fix: str


@dataclass(frozen=True)
class Closer:
    """One gap a course or a support action can close: a certification or a skill (`pk`),
    the Italian level the need asks (`level`), or a way to reach the workplace (`pk`, its
    comune)."""

    kind: str  # one of CLOSERS
    pk: int | None = None
    level: str = ""


CLOSERS = ("certification", "skill", "italian", "transport")


@dataclass
class Ranking:
    need: Need
    weights: MatchingWeights
    rows: list[RankedRow]
    eligible: int
    why_not: list[str] = field(default_factory=list)  # when asked about one candidate
    # With `readiness`: who reaches the weights' ready score now, and who would with one gap
    # closed (each closer, the candidates it lifts).
    ready: list[int] = field(default_factory=list)
    near: dict[Closer, list[int]] = field(default_factory=dict)
    near_misses: list[NearMiss] = field(default_factory=list)


@dataclass(frozen=True)
class Assumption:
    """What some candidates would have once a course or a support action is done, counted by
    the ranking exactly as the real thing will be: the skills and certifications verified (a
    certification valid until `certifications[pk]`, None: for ever), the Italian level verified
    unless theirs is already higher, a way to reach workplaces within `reach_km` of
    `destination` from `since`. The training plan's what-if ranks with it."""

    candidates: tuple[int, ...]
    skills: frozenset[int] = frozenset()
    certifications: tuple[tuple[int, datetime.date | None], ...] = ()
    italian_level: str = ""
    destination: object = None  # a catalog Comune
    reach_km: int = 5
    since: datetime.date | None = None
    mode: str = ""  # a TravelArrangement.Mode; a bus pass does not serve nights, early shifts

    def certification_ids(self, need: "Need") -> set[int]:
        """The assumed certifications still valid on the need's start."""
        when = _reference_date(need)
        return {pk for pk, until in self.certifications if until is None or until >= when}

    def reaches(self, need: "Need") -> bool:
        """Whether the assumed way of travelling takes the candidates to the need's
        workplace, by the same test as `_reaches` reads from a travel arrangement."""
        place, workplace = self.destination, need.workplace
        if place is None or (self.since and self.since > _reference_date(need)):
            return False
        if self.mode == TravelArrangement.Mode.TRANSPORT_PASS and _off_hours(need):
            return False
        if place.pk == workplace.pk:
            return True
        if not (place.has_coordinates and workplace.has_coordinates):
            return False
        return _km_between(place, workplace) <= self.reach_km


def _assumed(assume: "Assumption | None") -> Q:
    return Q(pk__in=list(assume.candidates)) if assume else Q(pk__in=[])


@dataclass(frozen=True)
class Filters:
    employability: str = ""
    max_km: float | None = None
    has_car: bool | None = None
    available_by: datetime.date | None = None


# Knock-outs ---------------------------------------------------------------------------------


def _reference_date(need: Need) -> datetime.date:
    return need.start_date or timezone.localdate()


def contract_end(need: Need) -> datetime.date:
    """The last day a permit or a certificate must cover: the contract's expected end, or
    the first year of a permanent contract (or of one whose length is not stated)."""
    return months_after(_reference_date(need), need.duration_months or HORIZON_MONTHS)


def _off_hours(need: Need) -> bool:
    """Night work, or shifts that start early or end late: no bus runs for them."""
    return need.nights or need.shifts != Need.Shifts.DAY


ACCEPTED_SHIFTS = {
    Need.Shifts.DAY: ["day", "two", "three"],
    Need.Shifts.TWO: ["two", "three"],
    Need.Shifts.THREE: ["three"],
}


def _availability_gate(need: Need) -> Q:
    """Who can work the need's shifts, nights, weekends, hours and start: agencies screen on
    these first, pass or fail. Care duties rule out nights and early shifts as a "no" to
    them does."""
    return _availability_gate_without_start(need) & _starts_in_time(need)


def _availability_gate_without_start(need: Need) -> Q:
    gate = Q(shifts__in=ACCEPTED_SHIFTS[need.shifts]) & Q(hours__in=["either", need.hours])
    if need.nights:
        gate &= Q(nights=True)
    if need.weekends:
        gate &= Q(weekends=True)
    if _off_hours(need):
        gate &= Q(care_duties=False)
    return gate


def _starts_in_time(need: Need, late_days: int = 0) -> Q:
    if not need.start_date:
        return Q()
    by = need.start_date + datetime.timedelta(days=late_days)
    return Q(available_from__isnull=True) | Q(available_from__lte=by)


def _permit_valid(need: Need) -> Q:
    """A permit valid on the start, or one whose renewal was requested: the receipt lets
    the person keep working."""
    return (
        Q(permit_expiry__isnull=True)
        | Q(permit_expiry__gte=_reference_date(need))
        | Q(permit_renewal_requested_on__isnull=False)
    )


def _licence_gate(need: Need) -> Q:
    gate = Q()
    if need.driving_licence:
        gate &= holding(need.driving_licence)
    if need.own_car_required:
        gate &= Q(own_car=True)
    return gate


def _valid_certificates(need: Need):
    when = _reference_date(need)
    return CandidateCertification.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=when)
    )


def _eligible(
    need: Need,
    mandatory_skills: list[int],
    mandatory_certs: list[int],
    assume: Assumption | None = None,
) -> QuerySet:
    """Candidates who may be ranked at all: the `_pool`, with every mandatory requirement (or,
    with `assume`, about to have it)."""
    pool = _pool(need)
    skills = assume.skills if assume else frozenset()
    certs = assume.certification_ids(need) if assume else set()
    for skill in mandatory_skills:
        has = Q(Exists(CandidateSkill.objects.filter(candidate=OuterRef("pk"), skill_id=skill)))
        pool = pool.filter(has | _assumed(assume) if skill in skills else has)
    for certification in mandatory_certs:
        valid = _valid_certificates(need).filter(candidate=OuterRef("pk"))
        has = Q(Exists(valid.filter(certification_id=certification)))
        pool = pool.filter(has | _assumed(assume) if certification in certs else has)
    return pool


def _pool(need: Need) -> QuerySet:
    """The knock-outs no course or support closes: consenting, still looking, able to work
    the need's shifts, hours and start, with a permit valid on the need's start (or being
    renewed), with the licence category and the car the need demands."""
    return Candidate.objects.matchable().filter(
        _availability_gate(need) & _permit_valid(need) & _licence_gate(need)
    )


def availability_conflicts(need: Need, candidate: Candidate) -> list[str]:
    """What of the need's shifts, nights, weekends, hours and start the candidate cannot
    work, in words: `_availability_gate` read for one person."""
    conflicts = []
    if candidate.shifts not in ACCEPTED_SHIFTS[need.shifts]:
        conflicts.append(
            _("%(theirs)s, the need has %(shifts)s")
            % {
                "theirs": candidate.get_shifts_display().lower(),
                "shifts": need.get_shifts_display().lower(),
            }
        )
    if need.nights and not candidate.nights:
        conflicts.append(_("not available at night"))
    if need.weekends and not candidate.weekends:
        conflicts.append(_("not available at weekends"))
    if candidate.hours == Candidate.Hours.PART_TIME and need.hours != candidate.hours:
        conflicts.append(_("looks for part-time work"))
    elif candidate.hours == Candidate.Hours.FULL_TIME and need.hours != candidate.hours:
        conflicts.append(_("looks for full-time work"))
    if _off_hours(need) and candidate.care_duties:
        conflicts.append(_("care duties, against night or early shifts"))
    late = _days_late(need, candidate.available_from)
    if late:
        conflicts.append(
            ngettext(
                "available from %(date)s, %(days)s day after the start",
                "available from %(date)s, %(days)s days after the start",
                late,
            )
            % {"date": candidate.available_from.strftime("%d/%m"), "days": late}
        )
    return conflicts


def _days_late(need: Need, available_from: datetime.date | None) -> int:
    if not (need.start_date and available_from and available_from > need.start_date):
        return 0
    return (available_from - need.start_date).days


def _why_not(need: Need, candidate: Candidate, mandatory_skills, mandatory_certs) -> list[str]:
    """The knock-outs that keep one candidate out, in words."""
    reasons = []
    if not candidate.consent_matching:
        reasons.append(_("has not consented to matching (or withdrew the consent)"))
    if candidate.status not in {
        Candidate.Status.REGISTERED,
        Candidate.Status.INTERVIEWED,
        Candidate.Status.SHORTLISTED,
    }:
        reasons.append(_("status “%(status)s”") % {"status": candidate.get_status_display()})
    reasons += availability_conflicts(need, candidate)
    if not Candidate.objects.filter(_permit_valid(need), pk=candidate.pk).exists():
        reasons.append(
            _("residence permit expires on %(date)s, before the start, and no renewal requested")
            % {"date": date_format(candidate.permit_expiry, "SHORT_DATE_FORMAT")}
        )
    has_skills = set(candidate.skill_links.values_list("skill_id", flat=True))
    # The requirements are the lists rank() read (and cached on the need) with their names.
    for skill in need.skill_requirements.all():
        if skill.mandatory and skill.skill_id not in has_skills:
            reasons.append(_("lacks the mandatory skill “%(name)s”") % {"name": skill.skill})
    held = {
        link.certification_id: link.expires_on
        for link in CandidateCertification.objects.filter(candidate=candidate)
    }
    when = _reference_date(need)
    for cert in need.certification_requirements.all():
        if not cert.mandatory:
            continue
        if cert.certification_id not in held:
            reasons.append(
                _("lacks the mandatory certification “%(name)s”") % {"name": cert.certification}
            )
        elif held[cert.certification_id] and held[cert.certification_id] < when:
            reasons.append(
                _("the mandatory certification “%(name)s” expired on %(date)s")
                % {
                    "name": cert.certification,
                    "date": date_format(held[cert.certification_id], "SHORT_DATE_FORMAT"),
                }
            )
    if need.driving_licence and not satisfies(candidate.driving_licences, need.driving_licence):
        reasons.append(
            _("driving licence %(needed)s needed; holds %(held)s")
            % {"needed": need.driving_licence, "held": candidate.driving_licences or _("none")}
        )
    if need.own_car_required and not candidate.own_car:
        reasons.append(_("no car, which the need requires"))
    return reasons


# Components ---------------------------------------------------------------------------------


def _among(rows: QuerySet, only: list[int] | None) -> Q:
    """The candidates found in `rows`, as an uncorrelated `pk IN (subquery)`; with `only`
    (the few candidates being explained), the subquery reads just their rows.

    PostgreSQL runs such a test as a hashed subplan, once per query, and costs it so. A
    correlated test (EXISTS on OuterRef, a counting subquery) is costed, and for a count run,
    once per candidate: at 100 000 candidates the estimate alone triggers JIT compilation,
    which took seconds (see bench/rank.py)."""
    if only is not None:
        rows = rows.filter(candidate__in=only)
    return Q(pk__in=rows.values("candidate"))


def _recency() -> Case:
    """The share of a year of experience that counts, by how long ago the job ended."""
    year = timezone.localdate().year
    return Case(
        When(ended_in__isnull=True, then=_f(1)),
        *[When(ended_in__gte=year - within, then=_f(share)) for within, share in RECENCY],
        default=_f(OLD_WORK),
    )


def _experienced(need: Need, only: list[int] | None, years: float) -> Q:
    """The candidates with at least `years` of experience in the need's profile, recent work
    counting whole and older work less (`RECENCY`): an uncorrelated grouped subquery."""
    rows = Experience.objects.filter(profile=need.profile_id)
    if only is not None:
        rows = rows.filter(candidate__in=only)
    enough = (
        rows.values("candidate")
        .annotate(_years=Sum(F("years") * _recency(), output_field=FloatField()))
        .filter(_years__gte=years)
        .values("candidate")
    )
    return Q(pk__in=enough)


def _asked_years(need: Need) -> int:
    """The years the depth of experience is measured against: those asked, at least one."""
    return max(need.min_experience_years or 0, 1)


def _profile(need: Need, only: list[int] | None):
    """Experience in the need's profile, by depth: the years asked (recent work counting
    more) 1, half of them 0.85, less 0.7; a recruiter's "suitable for" without the experience
    0.55; experience or suitability in a related profile (the same family) 0.3."""
    exact = Experience.objects.filter(profile=need.profile_id)
    exact_suitable = SuitableProfile.objects.filter(profile=need.profile_id)
    family = need.profile.family_id
    # "Anything in the family" first: most candidates have nothing in it, and stop there. Two
    # tests: a union of the two is one lookup, but merging the two lists cost more than it.
    in_family = Experience.objects.filter(profile__family=family)
    suitable_in_family = SuitableProfile.objects.filter(profile__family=family)
    related = _among(in_family, only) | _among(suitable_in_family, only)
    asked = _asked_years(need)
    scores = PROFILE_SCORES
    depth = Case(
        When(
            _experienced(need, only, asked / 2),
            then=Case(
                When(_experienced(need, only, asked), then=_f(scores["full"])),
                default=_f(scores["half"]),
            ),
        ),
        default=_f(scores["some"]),
    )
    mine = Case(
        When(_among(exact, only), then=depth),
        When(_among(exact_suitable, only), then=_f(scores["suitable"])),
        default=_f(scores["related"]),
    )
    # `related` includes the exact profile (it is of its family) and most candidates have
    # neither: asking it first spares them the other lookups.
    return Case(When(related, then=mine), default=_f(0))


def _held(links: QuerySet, only: list[int] | None, assumed: Q | None = None) -> Case:
    """1 when the candidate's link is verified, DECLARED when only declared, else 0. Most
    candidates have no link: "any link" first spares them the "verified link" lookup. The
    `assumed` candidates hold it verified."""
    verified = Case(
        When(_among(links.filter(verified=True), only), then=_f(1)), default=_f(DECLARED)
    )
    held = Case(When(_among(links, only), then=verified), default=_f(0))
    return held if assumed is None else Case(When(assumed, then=_f(1)), default=held)


def _skills(
    need: Need,
    skills: list[int],
    certs: list[int],
    only: list[int] | None,
    assume: Assumption | None = None,
):
    total = len(skills) + len(certs)
    if not total:
        return _f(1)
    granted_skills = assume.skills if assume else frozenset()
    granted_certs = assume.certification_ids(need) if assume else set()
    held = [
        _held(
            CandidateSkill.objects.filter(skill_id=skill),
            only,
            _assumed(assume) if skill in granted_skills else None,
        )
        for skill in skills
    ] + [
        _held(
            _valid_certificates(need).filter(certification_id=certification),
            only,
            _assumed(assume) if certification in granted_certs else None,
        )
        for certification in certs
    ]
    return sum(held[1:], start=held[0]) / _f(total)


def _effective_level(assume: Assumption | None = None):
    """The verified Italian level where there is one, else the declared one; the `assume`d
    candidates have the assumed level verified, unless their verified level is higher."""
    effective = Coalesce(NullIf(F("italian_level_verified"), Value("")), F("italian_level"))
    if not (assume and assume.italian_level):
        return effective
    at_least = [code for code, n in LEVELS.items() if n >= LEVELS[assume.italian_level]]
    return Case(
        When(
            _assumed(assume) & ~Q(italian_level_verified__in=at_least),
            then=Value(assume.italian_level),
        ),
        default=effective,
    )


def _language(need: Need, assume: Assumption | None = None):
    """1 at the wanted level or above, 0.6 one below, 0.3 two below, else 0; as tests of the
    level code against short lists (a number per code cost ~20 comparisons per candidate).
    Without an assumed level, the verified level's column or else the declared one's is
    tested directly: the effective level, an expression, was computed at every test."""
    wanted = LEVELS.get(need.italian_level, 0)
    if not wanted:
        return _f(1)
    steps = [
        ([code for code, n in LEVELS.items() if n >= wanted], 1),
        ([code for code, n in LEVELS.items() if n == wanted - 1], 0.6),
        ([code for code, n in LEVELS.items() if n == wanted - 2], 0.3),
    ]

    def on(level: str) -> Case:
        tests = [When(**{f"{level}__in": codes}, then=_f(score)) for codes, score in steps if codes]
        return Case(*tests, default=_f(0))

    if assume and assume.italian_level:
        return on("_level")
    return Case(
        When(italian_level_verified="", then=on("italian_level")),
        default=on("italian_level_verified"),
    )


def _employability():
    """The class of the latest assessment, denormalised onto the candidate by
    `interviews.services.candidate_facts_refresh` (blank: not assessed yet); halved while a
    severe obstacle recorded at that assessment is open (`Candidate.severe_obstacle`, kept
    by the same function)."""
    base = Case(
        *[When(employability=cls, then=_f(score)) for cls, score in CLASS_SCORES.items()],
        default=_f(UNASSESSED),
    )
    return Case(When(severe_obstacle=True, then=base * _f(SEVERE)), default=base)


def road_km(origin, destination) -> float | None:
    """The estimated road km between two comuni (None when a point is unknown): what the
    ranking compares and what every page shows."""
    if not (origin and destination and origin.has_coordinates and destination.has_coordinates):
        return None
    return _km_between(origin, destination)


def _km_between(place, workplace) -> float:
    """`_km_to` in Python, for two comuni with coordinates: the same formula, so that a
    what-if and the database agree on what is within reach."""
    latitude, workplace_latitude = float(place.latitude), float(workplace.latitude)
    north = latitude - workplace_latitude
    east = (float(place.longitude) - float(workplace.longitude)) * math.cos(
        (latitude + workplace_latitude) * (math.pi / 360)
    )
    return ROAD_FACTOR * math.pi / 180 * EARTH_KM * math.sqrt(north * north + east * east)


def _km_to(workplace, latitude, longitude):
    """Estimated road km from the point (`latitude`, `longitude`: expressions) to the
    workplace: ROAD_FACTOR times the straight line, by the equirectangular approximation at
    the two points' mean latitude, which differs from the great-circle distance by well
    under 0.1% at commuting distances, for a cosine and a square root per row instead of the
    haversine's six trigonometric calls."""
    north = latitude - _f(workplace.latitude)
    east = (longitude - _f(workplace.longitude)) * Cos(
        (latitude + _f(workplace.latitude)) * _f(math.pi / 360)
    )
    return _f(ROAD_FACTOR * math.pi / 180 * EARTH_KM) * Sqrt(north * north + east * east)


def _distance(need: Need):
    """From the candidate's comune to the workplace; unknown (NULL) without coordinates."""
    workplace = need.workplace
    if not workplace.has_coordinates:  # a typed NULL: the commute divides it
        return Cast(Value(None), output_field=_FLOAT)
    return _km_to(workplace, F("residence_comune__latitude"), F("residence_comune__longitude"))


def _reaches(need: Need, only: list[int] | None) -> Q:
    """The candidates with a travel arrangement, valid on the need's start, that takes them
    to the workplace: its comune, or one within the arrangement's reach of it."""
    when = _reference_date(need)
    valid = TravelArrangement.objects.filter(since__lte=when).exclude(until__lt=when)
    if _off_hours(need):  # buses and trains do not run for nights and early shifts
        valid = valid.exclude(mode=TravelArrangement.Mode.TRANSPORT_PASS)
    workplace = need.workplace
    if workplace.has_coordinates:
        near = valid.alias(
            _km=_km_to(workplace, F("destination__latitude"), F("destination__longitude"))
        ).filter(Q(destination=workplace) | Q(_km__lte=F("within_km")))
    else:
        near = valid.filter(destination=workplace)
    return _among(near, only)


class _SmallerStated(Least):
    """The smaller of two values, either of which may be missing (NULL): PostgreSQL's LEAST
    ignores NULLs; SQLite's MIN does not, so there it is spelled out."""

    def as_sqlite(self, compiler, connection, **extra_context):
        first, second = self.get_source_expressions()
        spelled = Coalesce(Least(first, second), first, second)
        return compiler.compile(spelled)


def _limit(
    need: Need, weights: MatchingWeights, only: list[int] | None, assume: Assumption | None = None
):
    """How far (road km) the candidate can go to this need's workplace: as far or as long as
    they declared they accept (minutes read at the speed of their fastest means), or else
    as far as their means go (a car or a motorbike the weights' distance with a car; a
    bus, a train or a lift the distance without; a bicycle BICYCLE_KM). Nights and early
    shifts need a car, a motorbike or a bicycle: without one, only a walk. A way to this
    very workplace that was arranged with them (a shuttle, a bus pass to its zone: a travel
    arrangement) counts as a car would, whatever they declared before it."""
    car = _f(weights.max_km_with_car)
    no_car = _f(weights.max_km_without_car)
    motor, bicycle = Q(own_car=True) | Q(motorbike=True), Q(bicycle=True)
    if _off_hours(need):
        by_means = Case(
            When(motor, then=car), When(bicycle, then=_f(BICYCLE_KM)), default=_f(WALK_KM)
        )
        fastest = Case(
            When(motor, then=_f(SPEED["motor"])),
            When(bicycle, then=_f(SPEED["bicycle"])),
            default=_f(SPEED["walk"]),
        )
    else:
        by_means = Case(
            When(motor, then=car),
            When(Q(public_transport=True) | Q(lift=True), then=no_car),
            When(bicycle, then=_f(BICYCLE_KM)),
            default=no_car,  # nothing stated: as without a car
        )
        fastest = Case(
            When(motor | Q(lift=True), then=_f(SPEED["motor"])),
            When(public_transport=True, then=_f(SPEED["public_transport"])),
            When(bicycle, then=_f(SPEED["bicycle"])),
            default=_f(SPEED["public_transport"]),
        )
    km = F("max_commute_km") * _f(1)
    minutes = F("max_commute_minutes") * fastest
    declared = Coalesce(_SmallerStated(km, minutes), by_means)
    if _off_hours(need):
        # What they accept, but no farther than their means go at those hours.
        declared = Least(declared, by_means)
    # At least 1 km: "0 km" (accepted at intake and in imports) means "only in my comune",
    # and the commute divides by this limit.
    declared = Greatest(declared, _f(1))
    reaches = _reaches(need, only)
    if assume and assume.reaches(need):
        reaches |= _assumed(assume)
    return Case(When(reaches, then=car), default=declared)


def _commute(value=F):
    """1 at home, 0 at the limit or beyond, from the annotations `_distance` and `_limit`
    (or, with `value`, what reads them: the columns `_top_values` orders over)."""
    # An unknown distance (NULL) makes the difference NULL too, which counts as neutral: one
    # expression, so that the distance is computed once per candidate rather than twice.
    distance, limit = value("_distance"), value("_limit")
    return Greatest(_f(0), Coalesce(_f(1) - distance / limit, _f(UNASSESSED)))


def _availability(need: Need):
    """The shifts, hours and start are a gate (`_availability_gate`); what is left is how
    soon a need without a start date can have the person: now 1, within a month 0.7, later
    0.3."""
    if need.start_date:
        return _f(1)
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=NEAR_START_DAYS)
    return Case(
        When(Q(available_from__isnull=True) | Q(available_from__lte=today), then=_f(1)),
        When(available_from__lte=soon, then=_f(0.7)),
        default=_f(0.3),
    )


def _scored(
    pool: QuerySet,
    need: Need,
    weights: MatchingWeights,
    skills: list[int],
    certs: list[int],
    only: list[int] | None = None,
    assume: Assumption | None = None,
) -> QuerySet:
    """The pool with its components and score; with `only`, just those candidates."""
    if only is not None:
        pool = pool.filter(pk__in=only)
    scored = (
        pool.alias(_level=_effective_level(assume))
        .annotate(
            _distance=_distance(need),
            _limit=_limit(need, weights, only, assume),
        )
        .annotate(
            c_profile=_profile(need, only),
            c_skills=_skills(need, skills, certs, only, assume),
            c_language=_language(need, assume),
            c_employability=_employability(),
            c_commute=_commute(),
            c_availability=_availability(need),
        )
    )
    return scored.annotate(score=_score(weights))


def _score(weights: MatchingWeights, component=F):
    """The 0-100 score from the annotated components: the ranking's and the readiness's.
    `component` turns a component's name into the expression that reads it: an annotation
    (F), or a column of the subquery `_top_values` orders."""
    total = weights.total or 1
    score = sum(
        (
            component(f"c_{name}") * _f(getattr(weights, name))
            for name in MatchingWeights.COMPONENTS
        ),
        start=_f(0),
    )
    return _f(100) * score / _f(total)


# What a ranked row carries beside the candidate: the distance, the limit it is compared with,
# the components (their score is worked out from them). `_top_values` selects all but the commute,
# which it works out from the distance and the limit: selected beside them, it would compute
# both again.
ROW_VALUES = ("_distance", "_limit", *(f"c_{name}" for name in MatchingWeights.COMPONENTS))


def _top_values(
    scored: QuerySet, weights: MatchingWeights, top: int, extra: tuple = ()
) -> tuple[list[tuple], int]:
    """The first `top` candidates of `scored` in ORDER, as (pk, values, score) with the values
    of `_value_names(extra)`, and how many candidates `scored` holds: one query for the
    order, the values and the count. Numbers and ids only: what the kept ranking holds.

    The components are selected in a subquery, and the score, the order and the count are
    worked out over its rows. In one query, the score would repeat the expression of every
    component it is made of, and the database would compute each of them twice for every
    candidate of the pool (no database shares a common subexpression). OFFSET 0 keeps
    PostgreSQL from folding the subquery back into the outer query."""
    selected = ("_pk", "_from", *(name for name in ROW_VALUES if name != "c_commute"), *extra)
    # The count is a window of the subquery: the database keeps its rows before it works out
    # the components, narrow; over the outer query's rows it cost more.
    inner = scored.annotate(
        _pk=F("pk"), _from=F("available_from"), _count=Window(Count("pk"))
    ).order_by()
    inner = inner.values_list(*selected, "_count")
    connection = connections[inner.db]
    quote = connection.ops.quote_name
    compiler = inner.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    # Every name written into the SQL is one of ours (ROW_VALUES, the annotations above);
    # the values travel as parameters.
    column = lambda name: RawSQL(quote(name), (), output_field=_FLOAT)  # noqa: E731, S611 # nosec B611
    commute = _commute(column)
    score, score_params = compiler.compile(
        _score(weights, lambda name: commute if name == "c_commute" else column(name))
    )
    commute_sql, commute_params = compiler.compile(commute)
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    # Names quoted by the backend, values as parameters (bandit's B608 below).
    query = (
        f"SELECT {', '.join(quote(name) for name in selected)}, {commute_sql} AS c_commute, "  # noqa: S608 # nosec B608
        f"{score} AS score, {quote('_count')} FROM ({sql}{fence}) AS scored "
        f"ORDER BY score DESC, {quote('_from')} ASC NULLS FIRST, {quote('_pk')} ASC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, (*commute_params, *score_params, *params, max(top, 1)))
        found = cursor.fetchall()
    count = found[0][-1] if found else 0
    return [(pk, tuple(values), score) for pk, _from, *values, score, _count in found[:top]], count


def _value_names(extra: tuple = ()) -> tuple[str, ...]:
    """The names of the values `_top_values` reads of each row, in their order."""
    return (*(name for name in ROW_VALUES if name != "c_commute"), *extra, "c_commute")


def _rows_of(found: list[tuple], candidates: dict, extra: tuple = ()) -> list:
    """The candidates of `found` (`_top_values`' rows), in its order, each with its values and
    score as attributes; a row whose candidate is not in `candidates` (by pk) is left out."""
    names, rows = _value_names(extra), []
    for pk, values, score in found:
        row = candidates.get(pk)
        if row is None:
            continue
        for name, value in zip(names, values, strict=True):
            setattr(row, name, value)
        row.score = score
        rows.append(row)
    return rows


def _read(ids: list[int], candidates: QuerySet | None = None) -> dict:
    """The candidates `ids`, by pk, with their comune: of `candidates` only (all of them by
    default)."""
    readable = Candidate.objects.all() if candidates is None else candidates
    return readable.select_related("residence_comune").order_by().in_bulk(ids)


def _filtered(scored: QuerySet, filters: Filters) -> QuerySet:
    if filters.employability == NOT_ASSESSED:
        scored = scored.filter(employability="")
    elif filters.employability:
        scored = scored.filter(employability=filters.employability)
    if filters.max_km is not None:
        scored = scored.filter(_distance__lte=filters.max_km)
    if filters.has_car is not None:
        scored = scored.filter(own_car=filters.has_car)
    if filters.available_by is not None:
        scored = scored.filter(
            Q(available_from__isnull=True) | Q(available_from__lte=filters.available_by)
        )
    return scored


# Who is ready, who is one gap away ---------------------------------------------------------


def _readiness(need: Need, weights: MatchingWeights, requirements, cert_requirements) -> tuple:
    """The candidates at or above the ready score, and those one closable gap below it.

    One query: the pool without the knock-outs a course closes (a mandatory skill or
    certification: at most one may be missing), each candidate's hold on every requirement,
    Italian and commute components and score, kept only where closing every gap at once
    could reach the ready score. Closing one gap changes one component by a known amount: a
    requirement held verified, the Italian level the need asks, the commute with a way to the
    workplace (the limit of a car). The same amounts `Assumption` gives, applied in Python.
    """
    pool = _pool(need)
    wanted = [("skill", r.skill_id, r.mandatory) for r in requirements] + [
        ("certification", r.certification_id, r.mandatory) for r in cert_requirements
    ]
    links = {
        "skill": lambda pk: CandidateSkill.objects.filter(skill_id=pk),
        "certification": lambda pk: _valid_certificates(need).filter(certification_id=pk),
    }
    held = {f"h{i}": _held(links[kind](pk), None) for i, (kind, pk, _m) in enumerate(wanted)}
    total = weights.total or 1
    share = {name: 100 * getattr(weights, name) / total for name in MatchingWeights.COMPONENTS}
    n = len(wanted)
    c_skills = sum((F(name) for name in held), start=_f(0)) / _f(n) if n else _f(1)
    car = _f(weights.max_km_with_car)
    scored = (
        pool.alias(_level=_effective_level())
        .annotate(**held)
        .annotate(
            _distance=_distance(need),
            _limit=_limit(need, weights, None),
            c_profile=_profile(need, None),
            c_skills=c_skills,
            c_language=_language(need),
            c_employability=_employability(),
            c_availability=_availability(need),
        )
        .annotate(
            c_commute=_commute(),
            reach=Greatest(_f(0), Coalesce(_f(1) - F("_distance") / car, _f(UNASSESSED))),
        )
    )
    best = (
        F("score")
        + _f(share["skills"]) * (_f(1) - F("c_skills"))
        + _f(share["language"]) * (_f(1) - F("c_language"))
        + _f(share["commute"]) * Greatest(_f(0), F("reach") - F("c_commute"))
    )
    missing = [
        Case(When(**{name: 0}, then=_f(1)), default=_f(0))
        for name, (_k, _pk, mandatory) in zip(held, wanted, strict=True)
        if mandatory
    ]
    scored = scored.annotate(score=_score(weights)).annotate(_best=best)
    if missing:
        scored = scored.annotate(_missing=sum(missing[1:], start=missing[0])).filter(
            _missing__lte=1
        )
    rows = scored.filter(_best__gte=weights.ready_score).values_list(
        "pk", "score", "c_language", "c_commute", "reach", *held
    )
    return _classified(need, weights, wanted, share, rows)


def _classified(need: Need, weights: MatchingWeights, wanted, share, rows) -> tuple:
    ready, near = [], defaultdict(list)
    threshold, n = weights.ready_score, len(wanted)
    for pk, score, language, commute, reach, *holds in rows:
        missing = [i for i, (_k, _pk, must) in enumerate(wanted) if must and not holds[i]]
        if not missing and score >= threshold:
            ready.append(pk)
            continue
        for i, (kind, requirement, _must) in enumerate(wanted):
            lifts = score + share["skills"] * (1 - holds[i]) / n >= threshold
            if missing in ([], [i]) and holds[i] < 1 and lifts:
                near[Closer(kind, requirement)].append(pk)
        if missing:
            continue
        if need.italian_level and score + share["language"] * (1 - language) >= threshold:
            near[Closer("italian", level=need.italian_level)].append(pk)
        if reach > commute and score + share["commute"] * (reach - commute) >= threshold:
            near[Closer("transport", need.workplace_id)].append(pk)
    return ready, dict(near)


# One quick fix away ------------------------------------------------------------------------


def _near_miss_values(
    need: Need, weights: MatchingWeights, requirements, cert_requirements
) -> tuple[list[tuple], tuple[str, ...]]:
    """The best NEAR_MISSES candidates kept out by exactly one knock-out that a quick fix
    lifts: a permit to renew, a mandatory certificate they hold but let lapse, a start at
    most NEAR_START_DAYS after the need's, a consent to matching to ask again. Everything
    else about them passes. One query; `_near_misses_of` says the fix of each in words.
    As `_top_values` rows, with the names of the knock-out flags among their values."""
    hard = LOOKING & _availability_gate_without_start(need) & _licence_gate(need)
    hard &= _starts_in_time(need, NEAR_START_DAYS)
    pool = Candidate.objects.filter(hard)
    for requirement in requirements:
        if requirement.mandatory:
            pool = pool.filter(
                Exists(
                    CandidateSkill.objects.filter(
                        candidate=OuterRef("pk"), skill_id=requirement.skill_id
                    )
                )
            )
    flags = {
        "f_consent": ~Q(consent_matching=True),
        "f_permit": ~_permit_valid(need),
    }
    if need.start_date:
        flags["f_start"] = ~_starts_in_time(need)
    mandatory = [r for r in cert_requirements if r.mandatory]
    for requirement in mandatory:
        links = CandidateCertification.objects.filter(
            candidate=OuterRef("pk"), certification_id=requirement.certification_id
        )
        pool = pool.filter(Exists(links))  # held, valid or not
        flags[f"f_cert{requirement.certification_id}"] = ~Q(
            Exists(
                _valid_certificates(need).filter(
                    candidate=OuterRef("pk"), certification_id=requirement.certification_id
                )
            )
        )
    counted = {name: Case(When(q, then=1), default=0) for name, q in flags.items()}
    pool = (
        pool.annotate(**counted)
        .annotate(_fails=sum(F(name) for name in list(counted)[1:]) + F(next(iter(counted))))
        .filter(_fails=1)
    )
    skills = [r.skill_id for r in requirements]
    certs = [r.certification_id for r in cert_requirements]
    scored = _scored(pool, need, weights, skills, certs)
    found, _count = _top_values(scored, weights, NEAR_MISSES, extra=tuple(counted))
    return found, tuple(counted)


def _near_misses_of(
    found: list[tuple], flags: tuple, candidates: dict, need: Need, cert_requirements
) -> list[NearMiss]:
    """The near misses of `found` (`_near_miss_values`), those in `candidates`, in words."""
    rows = _rows_of(found, candidates, flags)
    names = {r.certification_id: r.certification for r in cert_requirements if r.mandatory}
    return [_near_miss(row, need, names) for row in rows]


def _near_miss(row, need: Need, names) -> NearMiss:
    score = round(row.score, 1)
    if row.f_consent:
        what, fix = _("no consent to matching"), _("ask the consent again")
    elif row.f_permit:
        what = _("residence permit expired on %(date)s") % {
            "date": date_format(row.permit_expiry, "SHORT_DATE_FORMAT")
        }
        fix = _("ask for the renewal: its receipt lets them work")
    elif getattr(row, "f_start", 0):
        late = _days_late(need, row.available_from)
        what = ngettext(
            "available from %(date)s, %(days)s day after the start",
            "available from %(date)s, %(days)s days after the start",
            late,
        ) % {"date": row.available_from.strftime("%d/%m"), "days": late}
        fix = _("ask the company to start them on %(date)s, or the candidate to start earlier") % {
            "date": date_format(row.available_from, "SHORT_DATE_FORMAT")
        }
    else:
        pk = next(pk for pk in names if getattr(row, f"f_cert{pk}"))
        what = _("“%(name)s” has expired") % {"name": names[pk]}
        fix = _("the refresher course for “%(name)s”") % {"name": names[pk]}
    return NearMiss(candidate=row, score=score, what=what, fix=fix)


# Explaining the top rows --------------------------------------------------------------------


def _profile_gap(row, need: Need, experience: tuple) -> Gap | None:
    """The experience gap in words: not as many years as asked, or not recent enough to
    count them all, or no experience in the job itself."""
    scores = PROFILE_SCORES
    years, last = experience
    asked = _asked_years(need)
    if row.c_profile >= scores["full"]:
        return None
    if row.c_profile >= scores["some"]:  # experience in the profile, not as much as asked
        if years >= asked and last:
            what = _("%(years)s of experience, the last in %(year)s: older work counts less") % {
                "years": years_text(years),
                "year": last,
            }
        elif need.min_experience_years:
            what = _("%(years)s of experience, %(asked)s asked") % {
                "years": years_text(years),
                "asked": years_text(asked),
            }
        else:
            what = _("little experience as %(profile)s (%(years)s)") % {
                "profile": need.profile,
                "years": years_text(years),
            }
        return Gap(what, _("coaching on the job"))
    if row.c_profile >= scores["suitable"]:
        what = _("no experience as %(profile)s: the recruiter judged them suitable")
    elif row.c_profile > 0:
        what = _("experience only in jobs related to %(profile)s")
    else:
        what = _("no experience as %(profile)s")
    return Gap(what % {"profile": need.profile}, _("induction training for the profile"))


def _commute_gap(row, need: Need, weights: MatchingWeights) -> Gap | None:
    if row._distance is None:
        return Gap(_("distance unknown"), _("check where the candidate lives"))
    if row._distance <= row._limit:
        return None
    km = {"km": row._distance}
    motor = row.own_car or row.motorbike
    if _off_hours(need) and not motor and row._distance <= weights.max_km_with_car:
        return Gap(
            _("%(km).0f km by road, without a car or a motorbike for night or early shifts") % km,
            _("transport support (company shuttle, car-pooling)"),
        )
    if not motor and row._distance <= weights.max_km_with_car:
        return Gap(
            _("%(km).0f km by road without a car") % km,
            _("transport support (car sharing, company shuttle, bus pass)"),
        )
    return Gap(
        _("%(km).0f km by road, farther than they accept") % km, _("a workplace nearer home")
    )


def _gaps(row, need: Need, weights: MatchingWeights, facts: dict) -> list[Gap]:
    gaps = []
    held_skills, links = facts["skills"], facts["certifications"]
    when, until = _reference_date(need), contract_end(need)
    for requirement in need.skill_requirements.all():
        if requirement.skill_id not in held_skills:
            gaps.append(
                Gap(
                    _("skill: %(name)s") % {"name": requirement.skill},
                    _("training or coaching on the job"),
                )
            )
    for requirement in need.certification_requirements.all():
        cert, link = requirement.certification, links.get(requirement.certification_id)
        name = {"name": cert}
        if link is None or (link.expires_on and link.expires_on < when):
            gaps.append(Gap(_("certification: %(name)s") % name, _("a course leading to it")))
            continue
        if requirement.mandatory and not link.verified:
            gaps.append(
                Gap(
                    _("%(name)s declared: to verify before proposing") % name,
                    _("see the original certificate"),
                )
            )
        if link.expires_on and link.expires_on < until:
            gaps.append(
                Gap(
                    _("%(name)s expires on %(date)s, during the contract")
                    % {**name, "date": date_format(link.expires_on, "SHORT_DATE_FORMAT")},
                    _("the refresher course before it lapses"),
                )
            )
    profile = _profile_gap(row, need, facts["years"])
    if profile:
        gaps.append(profile)
    if row.c_language < 1:
        gaps.append(
            Gap(
                _("Italian below %(level)s") % {"level": need.italian_level},
                _("an Italian course"),
            )
        )
    commute = _commute_gap(row, need, weights)
    if commute:
        gaps.append(commute)
    if row.c_availability < 1:
        gaps.append(
            Gap(
                _("available from %(date)s")
                % {"date": date_format(row.available_from, "SHORT_DATE_FORMAT")},
                _("agree the start with the company"),
            )
        )
    permit = row.permit_expiry
    if permit and permit < until and not row.permit_renewal_requested_on:
        gaps.append(
            Gap(
                _("residence permit expires on %(date)s, during the contract")
                % {"date": date_format(permit, "SHORT_DATE_FORMAT")},
                _("ask for the renewal: its receipt lets them keep working"),
            )
        )
    return gaps


def _notes(row, severe: list[str]) -> list[str]:
    notes = [_("severe obstacle: %(kind)s") % {"kind": kind} for kind in severe]
    if row.permit_renewal_requested_on:
        notes.append(
            _("permit renewal requested on %(date)s")
            % {"date": date_format(row.permit_renewal_requested_on, "SHORT_DATE_FORMAT")}
        )
    return notes


def _facts(rows: list, need: Need) -> dict[int, dict]:
    """What the gaps of the rows are made of, in at most four queries: their links to the
    need's skills and certifications (when it asks for some), their years in its profile,
    their severe obstacles. Always the same queries, whoever the rows are: how many a
    ranking makes depends on the need, not on the candidates."""
    ids = [row.pk for row in rows]
    facts = {pk: {"skills": set(), "certifications": {}, "years": (0.0, None)} for pk in ids}
    skills = [r.skill_id for r in need.skill_requirements.all()]
    certifications = [r.certification_id for r in need.certification_requirements.all()]
    held = CandidateSkill.objects.filter(candidate_id__in=ids, skill_id__in=skills)
    for candidate, skill in held.values_list("candidate_id", "skill_id") if skills else ():
        facts[candidate]["skills"].add(skill)
    links = CandidateCertification.objects.filter(
        candidate_id__in=ids, certification_id__in=certifications
    ).only("candidate_id", "certification_id", "verified", "expires_on")
    for link in links if certifications else ():
        facts[link.candidate_id]["certifications"][link.certification_id] = link
    for candidate, years, last, ongoing in (
        Experience.objects.filter(candidate_id__in=ids, profile=need.profile_id)
        .values("candidate")
        .annotate(
            total=Sum("years", output_field=FloatField()),
            last=Max("ended_in"),
            ongoing=Count("pk", filter=Q(ended_in__isnull=True)),
        )
        .values_list("candidate", "total", "last", "ongoing")
    ):
        # The year the latest of these jobs ended; None while one is still held.
        facts[candidate]["years"] = (years or 0.0, None if ongoing else last)
    severe = defaultdict(list)
    kinds = dict(Obstacle.Kind.choices)
    for candidate, kind in open_severe_obstacles(ids).values_list(
        "assessment__interview__candidate", "kind"
    ):
        severe[candidate].append(kinds[kind])
    for pk in ids:
        facts[pk]["severe"] = severe[pk]
    return facts


def _explain(
    rows: list, need: Need, weights: MatchingWeights, start: int, positions: list | None = None
) -> list[RankedRow]:
    """The rows explained, numbered from `start` or else by `positions` (their places in the
    whole ranking, when some rows above them are not shown)."""
    facts = _facts(rows, need) if rows else {}
    explained = []
    numbers = positions if positions is not None else range(start, start + len(rows))
    for position, row in zip(numbers, rows, strict=True):
        explained.append(
            RankedRow(
                candidate=row,
                position=position,
                score=round(row.score, 1),
                components={
                    name: round(getattr(row, f"c_{name}"), 2) for name in MatchingWeights.COMPONENTS
                },
                distance_km=None if row._distance is None else round(row._distance, 1),
                employability=row.employability,
                gaps=_gaps(row, need, weights, facts[row.pk]),
                notes=_notes(row, facts[row.pk]["severe"]),
            )
        )
    return explained


def rank(
    need: Need,
    *,
    weights: MatchingWeights | None = None,
    top: int = 50,
    filters: Filters | None = None,
    candidate: Candidate | None = None,
    among: list[int] | None = None,
    assume: Assumption | None = None,
    readiness: bool = False,
    near_misses: bool = False,
    visible: QuerySet | None = None,
) -> Ranking:
    """Rank the candidates for `need` and explain the `top` ones.

    With `candidate`, explain that one: its row and position, or why it is not ranked. With
    `among`, rank only those candidates (the few a course or an action concerns), and with
    `assume` as if what it grants them were theirs already. With `readiness`, say who is
    ready for the need and who is one closable gap from it (`Ranking.ready`, `.near`),
    explaining nobody. With `near_misses`, also the best of those one quick fix away
    (`Ranking.near_misses`).

    The plain ranking (no `candidate`, `among`, `assume`, `readiness` or `weights` given: the
    current weights) is kept in the shared cache (namespace RANKING, an `_Order`: ids and
    numbers) until one of the tables it reads changes (declared in matching.apps); what-if
    calls are worked out afresh. The top rows and the near misses are then read of
    `visible` (the viewer's scope of candidates; all by default): someone outside it is left
    out, and the others keep their positions in the whole ranking.
    """
    plain = weights is None and candidate is None and among is None and assume is None
    weights = weights or MatchingWeights.objects.current()
    cached = getattr(need, "_prefetched_objects_cache", {})
    for name in ("skill_requirements", "certification_requirements"):
        cached.pop(name, None)  # an earlier call leaves plain lists there; read them afresh
    requirements = list(need.skill_requirements.select_related("skill"))
    cert_requirements = list(need.certification_requirements.select_related("certification"))
    need._prefetched_objects_cache = {
        "skill_requirements": requirements,
        "certification_requirements": cert_requirements,
    }
    if readiness:
        ready, near = _readiness(need, weights, requirements, cert_requirements)
        return Ranking(need, weights, [], eligible=len(ready), ready=ready, near=near)
    mandatory_skills = [r.skill_id for r in requirements if r.mandatory]
    mandatory_certs = [r.certification_id for r in cert_requirements if r.mandatory]
    pool = _eligible(need, mandatory_skills, mandatory_certs, assume)
    if among is not None:
        pool = pool.filter(pk__in=among)
    skills = [r.skill_id for r in requirements]
    certs = [r.certification_id for r in cert_requirements]

    def scored(only: list[int] | None = among) -> QuerySet:
        found = _scored(pool, need, weights, skills, certs, only, assume)
        return _filtered(found, filters or Filters()).select_related("residence_comune")

    if among is not None:
        # A handful of candidates: their components are read with the ordering, in one query.
        rows = list(scored().order_by(*ORDER)[:top])
        return Ranking(need, weights, _explain(rows, need, weights, start=1), eligible=len(rows))
    if candidate is not None:
        ranked, alone = scored().order_by(*ORDER), scored([candidate.pk])
        return _rank_one(need, weights, ranked, alone, candidate, mandatory_skills, mandatory_certs)

    def compute() -> _Order:
        found, eligible = _top_values(scored(), weights, top)
        missed, flags = (
            _near_miss_values(need, weights, requirements, cert_requirements)
            if near_misses
            else ([], ())
        )
        return _Order(tuple(found), eligible, tuple(missed), flags)

    if plain:
        key = _order_key(need, weights, requirements, cert_requirements, top, filters, near_misses)
        order = kept(RANKING, key, compute)
    else:
        order = compute()
    return _ranking_of(order, need, weights, cert_requirements, visible)


# The kept ranking ----------------------------------------------------------------------------

RANKING = "ranking"  # the namespace of focus.cache; its tables are declared in matching.apps
ORDER_FORMAT = 1  # of `_Order`: a change of its fields retires what older code kept


@dataclass(frozen=True)
class _Order:
    """What the shared cache keeps of a plain ranking: candidates' ids and numbers, never
    their data (the explanations are worked out again from the rows read by id). The top rows
    and the near misses as `_top_values` rows, with the names of the near misses' flags."""

    rows: tuple
    eligible: int
    near_misses: tuple = ()
    flags: tuple = ()


def _order_key(need, weights, requirements, cert_requirements, top, filters, near_misses):
    """Everything a plain ranking depends on besides the tables of the namespace: the need as
    it is now (every column, its version and updated_at among them) and its requirements,
    the weights (every column: their version, or the defaults), the day (ages of work,
    starts and expiries are counted to it), and the call's own arguments."""
    return (
        "order",
        ORDER_FORMAT,
        tuple(getattr(need, field.attname) for field in Need._meta.concrete_fields),
        tuple((r.skill_id, r.mandatory) for r in requirements),
        tuple((r.certification_id, r.mandatory) for r in cert_requirements),
        tuple(getattr(weights, f.attname) for f in MatchingWeights._meta.concrete_fields),
        timezone.localdate(),
        top,
        filters or Filters(),
        near_misses,
    )


def _ranking_of(
    order: _Order, need: Need, weights: MatchingWeights, cert_requirements, visible
) -> Ranking:
    """The kept `order` read as a Ranking: its candidates (of `visible`) in one query, then
    the explanation of the top rows."""
    # The gaps name the need's profile: read once here (a query unless the caller selected
    # it), so that the queries do not depend on who the rows are.
    need.profile  # noqa: B018
    ids = [pk for pk, _values, _score in order.rows + order.near_misses]
    candidates = _read(ids, visible) if ids else {}
    rows = _rows_of(list(order.rows), candidates)
    places = {pk: place for place, (pk, _values, _score) in enumerate(order.rows, start=1)}
    explained = _explain(rows, need, weights, start=1, positions=[places[r.pk] for r in rows])
    ranking = Ranking(need, weights, explained, eligible=order.eligible)
    ranking.near_misses = _near_misses_of(
        list(order.near_misses), order.flags, candidates, need, cert_requirements
    )
    return ranking


def _ahead_of(row) -> Q:
    """The rows ORDER puts before `row`: a higher score; the same score and available earlier
    (no date: available now); the same score and day, registered earlier."""
    if row.available_from is None:
        earlier, same_day = Q(pk__in=[]), Q(available_from__isnull=True)
    else:
        earlier = Q(available_from__isnull=True) | Q(available_from__lt=row.available_from)
        same_day = Q(available_from=row.available_from)
    tie = Q(score=row.score) & (earlier | (same_day & Q(pk__lt=row.pk)))
    return Q(score__gt=row.score) | tie


def _rank_one(
    need, weights, ranked, alone, candidate, mandatory_skills, mandatory_certs
) -> Ranking:
    row = alone.first()
    if row is None:
        reasons = _why_not(need, candidate, mandatory_skills, mandatory_certs)
        return Ranking(
            need, weights, [], eligible=0, why_not=reasons or [_("excluded by the filters")]
        )
    ahead = ranked.filter(_ahead_of(row)).count()
    return Ranking(need, weights, _explain([row], need, weights, start=ahead + 1), eligible=1)
