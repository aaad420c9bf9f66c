"""Demo interviews: the first tranche of 46 assessed people (18 A, 21 B, 7 C: the pilot's
39/46/15%) and a second tranche of 50, partly done. Deterministic for a random generator.

What a recruiter concludes follows the person's file: the class from their work history
(recent work in a catalogue profile counts most), their Italian, their health, housing, care
and travel, and what the interview adds (`_prospects`); the obstacles from the same facts,
as severe as the class says; the suitable profiles from the jobs they did, the training
they had and the skills they declared. As the pilot found, class A is mostly foreign women:
most of them have worked until recently, while the Italians the centres follow have often
been out of work for years, with health or housing troubles."""

import datetime
import random

from django.utils import timezone

from accounts.models import User
from candidates.models import Candidate
from catalog.models import Certification, JobProfile
from interviews.models import EmployabilityClass, Interview, Obstacle, RecommendedAction, Tranche
from interviews.services import ActionInput, ObstacleInput, assessment_record, tranche_assign

FIRST_TRANCHE_CLASSES = {"A": 18, "B": 21, "C": 7}
SECOND_TRANCHE_SIZE = 50
SECOND_TRANCHE_DONE = 16
SECOND_TRANCHE_NO_SHOW = 3
REFERRED_FIRST = 3  # how much likelier the centres sent to the first tranche who worked lately

# Jobs outside the catalogue (demo.candidates), and the profile each leads towards.
JOB_PROFILES = {
    "colf": "operatore-pulizie",
    "addetta alle pulizie domestiche": "operatore-pulizie",
    "addetta mensa": "operatore-pulizie",
    "lavapiatti": "operatore-pulizie",
    "badante": "operatore-pulizie",
    "giardiniere": "operatore-pulizie",
    "imbianchino": "operatore-pulizie",
    "fattorino": "addetto-magazzino",
    "autista consegne": "addetto-magazzino",
    "commessa": "addetto-magazzino",
    "bracciante agricolo": "addetto-magazzino",
    "manovale edile": "addetto-magazzino",
    "raccolta in agricoltura": "addetto-magazzino",
    "muratore": "addetto-assemblaggio",
    "sarta": "addetto-assemblaggio",
    "operaio tessile": "operatore-materie-plastiche",
}
# Titles of study that point to a profile.
TITLE_PROFILES = {
    "meccanic": "operatore-cnc",
    "elettric": "elettricista",
    "elettrotecnic": "elettricista",
}
# What the Italian level adds: the jobs on offer need little of it, A1 is too little.
LEVEL_POINTS = {"native": 0.3, "C2": 0.3, "C1": 0.3, "B2": 0.3, "B1": 0.3, "A2": 0, "A1": -1.5}
LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2"]
SOCIAL_TROUBLE = ("Sfratto", "SAI", "servizi sociali")


def _recent(experience, year: int) -> bool:
    return experience.ended_in is None or experience.ended_in >= year - 2


def _expired_permit(candidate: Candidate, today: datetime.date) -> bool:
    expiry = candidate.permit_expiry
    return bool(expiry and expiry < today and not candidate.permit_renewal_requested_on)


def _prospects(rng: random.Random, candidate: Candidate, today: datetime.date) -> float:
    """How employable the recruiter finds the candidate: the higher, the nearer a job. The
    file, and a draw for what only the interview shows (motivation, how they present)."""
    jobs = list(candidate.experiences.all())
    recent = [e for e in jobs if _recent(e, today.year)]
    # The best job of their history: one of the catalogue's counts double, one abroad half
    # one here, an old one less than a recent one; recent work in Italy most of all.
    score = max(
        (
            (2 if e.profile_id else 1)
            * (1 if e.country == "IT" else 0.5)
            * (1 if _recent(e, today.year) else 0.4)
            for e in jobs
        ),
        default=0,
    )
    score += min(sum(float(e.years) for e in jobs), 10) / 20
    if any(e.country == "IT" for e in recent):  # knows an Italian workplace, and is known
        score += 1.5
    elif jobs and not recent:  # out of work for years: the longer, the harder
        score -= 1
    score += LEVEL_POINTS.get(candidate.italian_level, -1.5)
    if candidate.health_notes:
        score -= 3
    if any(word in candidate.social_service_notes for word in SOCIAL_TROUBLE):
        score -= 2
    if candidate.care_duties:  # a constraint on the hours more than on the job
        score -= 0.5
    if not (candidate.own_car or candidate.motorbike):
        ways = candidate.public_transport or candidate.bicycle or candidate.lift
        score -= 0.25 if ways else 1
    age = (today - candidate.birth_date).days // 365
    score -= 1.5 if age >= 55 else 0.5 if age >= 50 else 0
    if _expired_permit(candidate, today) or candidate.permit_type == "asylum_request":
        score -= 1
    return score + rng.gauss(0, 0.4)


def _obstacles(
    rng: random.Random, candidate: Candidate, cls: str, level: str, today: datetime.date
) -> list[ObstacleInput]:
    """The obstacles the file and the interview show (`level`: the Italian the recruiter
    found), as severe as the class says: low or medium for A, medium for the practical ones
    of B (transport, care), at least one severe for C."""
    kinds: dict[str, int] = {}
    if not (candidate.own_car or candidate.motorbike):
        ways = candidate.public_transport or candidate.bicycle or candidate.lift
        if cls != "A" or rng.random() < 0.3:
            kinds[Obstacle.Kind.TRANSPORT] = 2 if ways else 3
    if candidate.care_duties:
        heavy = "disabilità" in candidate.care_notes or "tre figli" in candidate.care_notes
        kinds[Obstacle.Kind.CARE] = 3 if heavy else 2
    if level in {"A1", "A2"}:
        kinds[Obstacle.Kind.LANGUAGE] = 3 if level == "A1" else 2
    if candidate.health_notes:
        kinds[Obstacle.Kind.HEALTH] = 3 if cls == "C" else 2
    notes = candidate.social_service_notes
    if "Sfratto" in notes or "SAI" in notes:
        kinds[Obstacle.Kind.HOUSING] = 3 if "Sfratto" in notes else 2
    elif "servizi sociali" in notes:
        kinds[Obstacle.Kind.OTHER] = 2
    if candidate.needs_permit:
        if _expired_permit(candidate, today):
            kinds[Obstacle.Kind.DOCUMENTS] = 3
        elif candidate.permit_type == "asylum_request":
            kinds[Obstacle.Kind.DOCUMENTS] = 2
    if not any(e.profile_id for e in candidate.experiences.all()):
        kinds[Obstacle.Kind.SKILLS_GAP] = 2
    age = (today - candidate.birth_date).days // 365
    if age >= 50 and candidate.education in {"none", "primary", "lower_secondary"}:
        kinds[Obstacle.Kind.DIGITAL] = 2
    if cls == "A":  # nothing that keeps them from a job now
        low = {Obstacle.Kind.TRANSPORT: 1}
        kinds = {kind: min(severity, low.get(kind, 2)) for kind, severity in kinds.items()}
    elif cls == "B" and not kinds:
        kinds[Obstacle.Kind.SKILLS_GAP] = 2
    elif cls == "C":
        if not kinds:
            kinds[Obstacle.Kind.DIGITAL] = 2
        if max(kinds.values()) < 3:
            worst = max(kinds, key=lambda kind: (kinds[kind], kind))
            kinds[worst] = 3
    return [ObstacleInput(kind, severity) for kind, severity in kinds.items()]


def _actions(
    obstacles: list[ObstacleInput], profile: JobProfile | None, certs
) -> list[ActionInput]:
    actions = []
    for obstacle in obstacles:
        if obstacle.kind == Obstacle.Kind.TRANSPORT:
            actions.append(ActionInput(RecommendedAction.Kind.TRANSPORT))
        elif obstacle.kind == Obstacle.Kind.CARE:
            actions.append(ActionInput(RecommendedAction.Kind.CARE))
        elif obstacle.kind == Obstacle.Kind.LANGUAGE:
            actions.append(ActionInput(RecommendedAction.Kind.LANGUAGE))
        elif obstacle.kind == Obstacle.Kind.DOCUMENTS:
            actions.append(ActionInput(RecommendedAction.Kind.DOCUMENTS))
        elif obstacle.kind == Obstacle.Kind.SKILLS_GAP and profile is not None:
            cert = certs.get(profile.code)
            actions.append(ActionInput(RecommendedAction.Kind.TRAINING, profile, cert))
        elif obstacle.kind in {Obstacle.Kind.HEALTH, Obstacle.Kind.HOUSING, Obstacle.Kind.OTHER}:
            actions.append(ActionInput(RecommendedAction.Kind.SOCIAL))
    return actions


def _suitable(candidate: Candidate, cls: str, profiles: dict[str, JobProfile]) -> list[JobProfile]:
    """The profiles the recruiter finds the candidate suitable for: those they worked as,
    the latest first; then those their other jobs, their title of study or their declared
    skills lead to. Two at most; one for class C."""
    jobs = sorted(
        candidate.experiences.all(),
        key=lambda e: (e.ended_in is not None, -(e.ended_in or 0), -e.years, e.pk),
    )
    found = [e.profile.code for e in jobs if e.profile_id]
    found += [JOB_PROFILES[e.description] for e in jobs if e.description in JOB_PROFILES]
    title = candidate.education_title.lower()
    found += [code for word, code in TITLE_PROFILES.items() if word in title]
    for link in candidate.skill_links.all():
        found += sorted(profile.code for profile in link.skill.profiles.all())
    found = list(dict.fromkeys(found)) or ["addetto-assemblaggio"]
    return [profiles[code] for code in found[: 1 if cls == "C" else 2]]


def _verified_level(rng: random.Random, candidate: Candidate) -> str:
    """The Italian level the recruiter found: mostly the declared one; some declared one
    level more than they showed, a few one less."""
    level = candidate.italian_level
    if level not in LEVELS:
        return level
    roll, at = rng.random(), LEVELS.index(level)
    if roll < 0.2 and at > 0:
        return LEVELS[at - 1]
    if roll > 0.92 and at < 3:
        return LEVELS[at + 1]
    return level


class _Assessor:
    def __init__(self, rng: random.Random, recruiter: User):
        self.rng, self.recruiter = rng, recruiter
        self.today = timezone.localdate()
        self.profiles = {p.code: p for p in JobProfile.objects.order_by("code")}
        self.certs = {
            "carrellista": Certification.objects.get(code="abilitazione-carrelli-elevatori"),
            "addetto-saldatura": Certification.objects.get(code="saldatore-en-iso-9606-1"),
        }

    def prospects(self, candidate: Candidate) -> float:
        return _prospects(self.rng, candidate, self.today)

    def assess(self, interview: Interview, cls: str) -> None:
        rng, candidate = self.rng, interview.candidate
        suitable = _suitable(candidate, cls, self.profiles)
        level = _verified_level(rng, candidate)
        obstacles = _obstacles(rng, candidate, cls, level, self.today)
        worked_as = {e.profile_id for e in candidate.experiences.all() if e.profile_id}
        verified = [
            link.skill
            for link in candidate.skill_links.all()
            if any(profile.pk in worked_as for profile in link.skill.profiles.all())
        ]
        assessment_record(
            interview=interview,
            actor=self.recruiter,
            employability=cls,
            obstacles=obstacles,
            suitable_profiles=suitable,
            actions=_actions(
                obstacles, suitable[0] if cls != EmployabilityClass.A else None, self.certs
            ),
            verified_skills=verified[: rng.randint(1, 2)],
            verified_italian_level=level,
            next_review_on=interview.scheduled_at.date() + datetime.timedelta(days=90),
        )


def _referred(
    rng: random.Random, pool: list[Candidate], size: int, today: datetime.date
) -> list[Candidate]:
    """The `size` people the centres sent to the first interviews: drawn from `pool`, those
    who worked in Italy lately three times as likely as the others (the centres sent first
    those nearest to a job). A weighted draw without replacement, key u ** (1 / weight)."""

    def worked_lately(candidate: Candidate) -> bool:
        return any(
            e.country == "IT" and _recent(e, today.year) for e in candidate.experiences.all()
        )

    keys = [rng.random() ** (1 / (REFERRED_FIRST if worked_lately(c) else 1)) for c in pool]
    order = sorted(range(len(pool)), key=lambda i: -keys[i])
    return [pool[i] for i in order[:size]]


def _classes(scores: list[float]) -> list[str]:
    """FIRST_TRANCHE_CLASSES given by the scores: the best A, the worst C."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    classes = [cls for cls, count in FIRST_TRANCHE_CLASSES.items() for _ in range(count)]
    by_person = [""] * len(scores)
    for position, person in enumerate(order):
        by_person[person] = classes[position]
    return by_person


def _schedule(
    tranche: Tranche,
    people: list[Candidate],
    recruiter: User,
    *,
    per_day: int,
    place: str,
    video_every: int = 0,
) -> None:
    """Interviews of `tranche` for `people`, `per_day` of them every other day from its
    first, from nine in the morning; every `video_every`-th day's by video, from the first."""
    tz = timezone.get_current_timezone()
    for day, start in enumerate(range(0, len(people), per_day)):
        by_video = video_every and day % video_every == 0
        tranche_assign(
            tranche=tranche,
            candidates=people[start : start + per_day],
            recruiter=recruiter,
            first_at=datetime.datetime.combine(
                tranche.starts_on + datetime.timedelta(days=2 * day), datetime.time(9), tzinfo=tz
            ),
            mode=Interview.Mode.VIDEO if by_video else Interview.Mode.IN_PERSON,
            place=place,
        )


def seed_interviews(*, rng: random.Random, recruiter: User) -> tuple[Tranche, Tranche]:
    today = timezone.localdate()
    first = Tranche.objects.create(
        name="Prima tranche",
        starts_on=today - datetime.timedelta(days=120),
        ends_on=today - datetime.timedelta(days=75),
        target=46,
    )
    second = Tranche.objects.create(
        name="Seconda tranche",
        starts_on=today - datetime.timedelta(days=14),
        ends_on=today + datetime.timedelta(days=45),
        target=SECOND_TRANCHE_SIZE,
    )
    pool = list(
        Candidate.objects.filter(status=Candidate.Status.REGISTERED)
        .prefetch_related("experiences__profile", "skill_links__skill__profiles")
        .order_by("pk")
    )
    size = sum(FIRST_TRANCHE_CLASSES.values())
    chosen = _referred(rng, pool, size, today)
    referred = {candidate.pk for candidate in chosen}
    rest = [candidate for candidate in pool if candidate.pk not in referred]
    chosen += rng.sample(rest, SECOND_TRANCHE_SIZE)
    assessor = _Assessor(rng, recruiter)
    _schedule(
        first, chosen[:size], recruiter, per_day=6, place="Confindustria Bergamo, via Camozzi 70"
    )
    interviews = list(first.interviews.order_by("scheduled_at", "pk"))
    people = {candidate.pk: candidate for candidate in chosen}
    scores = [assessor.prospects(people[interview.candidate_id]) for interview in interviews]
    classes = _classes(scores)
    # The second tranche's recruiter reads the file as the first's did: the same bars.
    ranked = sorted(scores, reverse=True)
    bar_a, bar_c = ranked[FIRST_TRANCHE_CLASSES["A"] - 1], ranked[-FIRST_TRANCHE_CLASSES["C"]]
    for interview, cls in zip(interviews, classes, strict=True):
        interview.candidate = people[interview.candidate_id]
        assessor.assess(interview, cls)

    _schedule(
        second,
        chosen[size:],
        recruiter,
        per_day=5,
        place="Gi Group, via Paglia 1, Bergamo",
        video_every=3,
    )
    interviews = list(second.interviews.order_by("scheduled_at", "pk"))
    for interview in interviews[:SECOND_TRANCHE_DONE]:
        interview.candidate = people[interview.candidate_id]
        score = assessor.prospects(interview.candidate)
        assessor.assess(interview, "A" if score >= bar_a else "C" if score <= bar_c else "B")
    for interview in interviews[SECOND_TRANCHE_DONE : SECOND_TRANCHE_DONE + SECOND_TRANCHE_NO_SHOW]:
        interview.status = Interview.Status.NO_SHOW
        interview.save(update_fields=["status"])
    return first, second
