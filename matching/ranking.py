"""The ranking engine: for one need, the candidates in order, each with the components of
its score and the gaps that keep it from the top, and what would close them.

One public entry point, `rank()`, used by the pages, the `rank` command and the benchmark.
Knock-outs filter in the database; the six components and the 0-100 score are database
expressions (PostgreSQL and SQLite alike), so the database orders the whole pool and only
the top rows are read and explained. The number of queries does not depend on the size of
the pool. The employability class and the verified Italian level are read from columns of
the candidate, which `interviews.services.assessment_record` keeps, not from assessments.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    Cos,
    Greatest,
    Least,
    NullIf,
    Sqrt,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.models import (
    Candidate,
    CandidateCertification,
    CandidateSkill,
    Experience,
    TravelArrangement,
)
from companies.models import Need
from interviews.models import SuitableProfile
from matching.models import MatchingWeights

LEVELS = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6, "native": 7}
CLASS_SCORES = {"A": 1.0, "B": 0.6, "C": 0.2}
UNASSESSED = 0.5  # between B and C: not yet interviewed is neither good nor bad news
DECLARED = 0.6  # a declared skill counts this much of a verified one
EARTH_KM = 6371.0
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
    """The knock-outs no course or support closes: consenting, still looking, with a permit
    valid on the need's start, with the driving licence and the car the need demands."""
    pool = Candidate.objects.matchable().exclude(permit_expiry__lt=_reference_date(need))
    if need.driving_licence_required:
        pool = pool.exclude(driving_licences="")
    if need.own_car_required:
        pool = pool.filter(own_car=True)
    return pool


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
    if candidate.permit_expiry and candidate.permit_expiry < _reference_date(need):
        reasons.append(_("residence permit expires before the start date"))
    has_skills = set(candidate.skill_links.values_list("skill_id", flat=True))
    # The requirements are the lists rank() read (and cached on the need) with their names.
    for skill in need.skill_requirements.all():
        if skill.mandatory and skill.skill_id not in has_skills:
            reasons.append(_("lacks the mandatory skill “%(name)s”") % {"name": skill.skill})
    valid = set(
        _valid_certificates(need)
        .filter(candidate=candidate)
        .values_list("certification_id", flat=True)
    )
    for cert in need.certification_requirements.all():
        if cert.mandatory and cert.certification_id not in valid:
            reasons.append(
                _("lacks the mandatory certification “%(name)s”") % {"name": cert.certification}
            )
    if need.driving_licence_required and not candidate.driving_licences:
        reasons.append(_("no driving licence, which the need requires"))
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


def _profile(need: Need, only: list[int] | None):
    exact = Experience.objects.filter(profile=need.profile_id)
    exact_suitable = SuitableProfile.objects.filter(profile=need.profile_id)
    mine = _among(exact, only) | _among(exact_suitable, only)
    family = need.profile.family_id
    related = _among(Experience.objects.filter(profile__family=family), only) | _among(
        SuitableProfile.objects.filter(profile__family=family), only
    )
    # `related` includes `mine` (the need's profile is of its family) and most candidates
    # have neither: asking it first spares them the other two lookups.
    return Case(When(related, then=Case(When(mine, then=_f(1)), default=_f(0.5))), default=_f(0))


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


def _language(need: Need):
    """1 at the wanted level or above, 0.6 one below, 0.3 two below, else 0; as tests of the
    level code against short lists (a number per code cost ~20 comparisons per candidate)."""
    wanted = LEVELS.get(need.italian_level, 0)
    if not wanted:
        return _f(1)
    steps = [
        ([code for code, n in LEVELS.items() if n >= wanted], 1),
        ([code for code, n in LEVELS.items() if n == wanted - 1], 0.6),
        ([code for code, n in LEVELS.items() if n == wanted - 2], 0.3),
    ]
    return Case(
        *[When(_level__in=codes, then=_f(score)) for codes, score in steps if codes],
        default=_f(0),
    )


def _employability():
    """The class of the latest assessment, denormalised onto the candidate by
    `interviews.services.assessment_record` (blank: not assessed yet)."""
    return Case(
        *[When(employability=cls, then=_f(score)) for cls, score in CLASS_SCORES.items()],
        default=_f(UNASSESSED),
    )


def _km_between(place, workplace) -> float:
    """`_km_to` in Python, for two comuni with coordinates: the same formula, so that a
    what-if and the database agree on what is within reach."""
    latitude, workplace_latitude = float(place.latitude), float(workplace.latitude)
    north = latitude - workplace_latitude
    east = (float(place.longitude) - float(workplace.longitude)) * math.cos(
        (latitude + workplace_latitude) * (math.pi / 360)
    )
    return math.pi / 180 * EARTH_KM * math.sqrt(north * north + east * east)


def _km_to(workplace, latitude, longitude):
    """Straight-line km from the point (`latitude`, `longitude`: expressions) to the
    workplace: the equirectangular approximation at the two points' mean latitude, which
    differs from the great-circle distance by well under 0.1% at commuting distances, for a
    cosine and a square root per row instead of the haversine's six trigonometric calls."""
    north = latitude - _f(workplace.latitude)
    east = (longitude - _f(workplace.longitude)) * Cos(
        (latitude + _f(workplace.latitude)) * _f(math.pi / 360)
    )
    return _f(math.pi / 180 * EARTH_KM) * Sqrt(north * north + east * east)


def _distance(need: Need):
    """From the candidate's comune to the workplace; unknown (NULL) without coordinates."""
    workplace = need.workplace
    if not workplace.has_coordinates:
        return Value(None, output_field=FloatField())
    return _km_to(workplace, F("residence_comune__latitude"), F("residence_comune__longitude"))


def _reaches(need: Need, only: list[int] | None) -> Q:
    """The candidates with a travel arrangement, valid on the need's start, that takes them
    to the workplace: its comune, or one within the arrangement's reach of it."""
    when = _reference_date(need)
    valid = TravelArrangement.objects.filter(since__lte=when).exclude(until__lt=when)
    workplace = need.workplace
    if workplace.has_coordinates:
        near = valid.alias(
            _km=_km_to(workplace, F("destination__latitude"), F("destination__longitude"))
        ).filter(Q(destination=workplace) | Q(_km__lte=F("within_km")))
    else:
        near = valid.filter(destination=workplace)
    return _among(near, only)


def _limit(
    need: Need, weights: MatchingWeights, only: list[int] | None, assume: Assumption | None = None
):
    """How far the candidate can go: by car or not, within what they declared they accept.
    A way to this very workplace that was arranged with them (a shuttle, a bus pass to its
    zone: a travel arrangement) counts as a car would, whatever they declared before it."""
    car = _f(weights.max_km_with_car)
    by_car = Case(When(own_car=True, then=car), default=_f(weights.max_km_without_car))
    # At least 1 km: "0 km" (accepted at intake and in imports) means "only in my comune",
    # and the commute divides by this limit.
    declared = Greatest(Least(by_car, Coalesce(F("max_commute_km") * _f(1), by_car)), _f(1))
    reaches = _reaches(need, only)
    if assume and assume.reaches(need):
        reaches |= _assumed(assume)
    return Case(When(reaches, then=car), default=declared)


def _commute():
    # An unknown distance (NULL) makes the difference NULL too, which counts as neutral: one
    # expression, so that the distance is computed once per candidate rather than twice.
    return Greatest(_f(0), Coalesce(_f(1) - F("_distance") / F("_limit"), _f(UNASSESSED)))


def _availability(need: Need):
    accepted = {
        Need.Shifts.DAY: ["day", "two", "three"],
        Need.Shifts.TWO: ["two", "three"],
        Need.Shifts.THREE: ["three"],
    }[need.shifts]
    shifts = Case(When(shifts__in=accepted, then=_f(1)), default=_f(0))
    hours_ok = ["either", need.hours]
    hours = Case(When(hours__in=hours_ok, then=_f(1)), default=_f(0))
    nights = Case(When(nights=True, then=_f(1)), default=_f(0)) if need.nights else _f(1)
    weekends = Case(When(weekends=True, then=_f(1)), default=_f(0)) if need.weekends else _f(1)
    start = _f(1)
    if need.start_date:
        start = Case(
            When(
                Q(available_from__isnull=True) | Q(available_from__lte=need.start_date), then=_f(1)
            ),
            default=_f(0.3),
        )
    return (shifts + hours + (nights + weekends) / _f(2) + start) / _f(4)


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
            c_language=_language(need),
            c_employability=_employability(),
            c_commute=_commute(),
            c_availability=_availability(need),
        )
    )
    return scored.annotate(score=_score(weights))


def _score(weights: MatchingWeights):
    """The 0-100 score from the annotated components: the ranking's and the readiness's."""
    total = weights.total or 1
    score = sum(
        (F(f"c_{name}") * _f(getattr(weights, name)) for name in MatchingWeights.COMPONENTS),
        start=_f(0),
    )
    return _f(100) * score / _f(total)


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


# Explaining the top rows --------------------------------------------------------------------


def _gaps(row, need: Need, weights: MatchingWeights, have_skills, have_certs, wanted) -> list[Gap]:
    gaps = []
    for skill in wanted["skills"]:
        if skill.pk not in have_skills:
            gaps.append(
                Gap(_("skill: %(name)s") % {"name": skill}, _("training or coaching on the job"))
            )
    for cert in wanted["certifications"]:
        if cert.pk not in have_certs:
            gaps.append(
                Gap(_("certification: %(name)s") % {"name": cert}, _("a course leading to it"))
            )
    if row.c_profile < 1:
        gaps.append(
            Gap(
                _("no experience as %(profile)s") % {"profile": need.profile},
                _("induction training for the profile"),
            )
        )
    if row.c_language < 1:
        gaps.append(
            Gap(
                _("Italian below %(level)s") % {"level": need.italian_level},
                _("an Italian course"),
            )
        )
    if row._distance is None:
        gaps.append(Gap(_("distance unknown"), _("check where the candidate lives")))
    elif row._distance > row._limit:
        if not row.own_car and row._distance <= weights.max_km_with_car:
            gaps.append(
                Gap(
                    _("%(km).0f km without a car") % {"km": row._distance},
                    _("transport support (car sharing, company shuttle, bus pass)"),
                )
            )
        else:
            gaps.append(
                Gap(_("%(km).0f km away") % {"km": row._distance}, _("a workplace nearer home"))
            )
    if row.c_availability < 1:
        gaps.append(
            Gap(_("availability (shifts, hours, start date)"), _("talk it over with the candidate"))
        )
    return gaps


def _explain(rows: list, need: Need, weights: MatchingWeights, start: int) -> list[RankedRow]:
    ids = [row.pk for row in rows]
    wanted = {
        "skills": [r.skill for r in need.skill_requirements.all()],
        "certifications": [r.certification for r in need.certification_requirements.all()],
    }
    # Only the requirements of the need matter to its gaps; grouped by candidate.
    have_skills, have_certs = defaultdict(set), defaultdict(set)
    for candidate, skill in CandidateSkill.objects.filter(
        candidate_id__in=ids, skill_id__in=[skill.pk for skill in wanted["skills"]]
    ).values_list("candidate_id", "skill_id"):
        have_skills[candidate].add(skill)
    for candidate, certification in (
        _valid_certificates(need)
        .filter(
            candidate_id__in=ids,
            certification_id__in=[cert.pk for cert in wanted["certifications"]],
        )
        .values_list("candidate_id", "certification_id")
    ):
        have_certs[candidate].add(certification)
    explained = []
    for position, row in enumerate(rows, start=start):
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
                gaps=_gaps(row, need, weights, have_skills[row.pk], have_certs[row.pk], wanted),
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
) -> Ranking:
    """Rank the candidates for `need` and explain the `top` ones.

    With `candidate`, explain that one: its row and position, or why it is not ranked. With
    `among`, rank only those candidates (the few a course or an action concerns), and with
    `assume` as if what it grants them were theirs already. With `readiness`, say who is
    ready for the need and who is one closable gap from it (`Ranking.ready`, `.near`),
    explaining nobody.
    """
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

    ranked = scored().order_by(*ORDER)
    if among is not None:
        # A handful of candidates: their components are read with the ordering, in one query.
        rows = list(ranked[:top])
        return Ranking(need, weights, _explain(rows, need, weights, start=1), eligible=len(rows))
    if candidate is not None:
        alone = scored([candidate.pk])
        return _rank_one(need, weights, ranked, alone, candidate, mandatory_skills, mandatory_certs)
    # The pool is ordered by the score alone; the components of the top rows are then read for
    # those rows only: selected beside the score, they doubled the work on the whole pool.
    ids = list(ranked.values_list("pk", flat=True)[:top])
    found = {row.pk: row for row in scored(ids)}
    rows = [found[pk] for pk in ids if pk in found]
    # Counted without the components: only the distance filter needs a computed value.
    filters = filters or Filters()
    counted = pool if filters.max_km is None else pool.annotate(_distance=_distance(need))
    eligible = _filtered(counted, filters).count()
    return Ranking(need, weights, _explain(rows, need, weights, start=1), eligible=eligible)


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
