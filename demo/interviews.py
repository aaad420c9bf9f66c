"""Demo interviews: the first tranche of 46 assessed people (18 A, 21 B, 7 C: the pilot's
39/46/15%) and a second tranche of 50, partly done. Deterministic for a random generator."""

import datetime
import random

from django.utils import timezone

from accounts.models import User
from candidates.models import Candidate
from catalog.models import Certification, JobProfile
from interviews.models import EmployabilityClass, Interview, Obstacle, RecommendedAction, Tranche
from interviews.services import ActionInput, ObstacleInput, assessment_record, tranche_assign

FIRST_TRANCHE_CLASSES = ["A"] * 18 + ["B"] * 21 + ["C"] * 7
SECOND_TRANCHE_SIZE = 50
SECOND_TRANCHE_DONE = 16
SECOND_TRANCHE_NO_SHOW = 3


def _obstacles(rng: random.Random, candidate: Candidate, cls: str) -> list[ObstacleInput]:
    """Obstacles consistent with the class: few for A, practical ones for B (most often
    transport or care), several and severe for C."""
    kinds: dict[str, int] = {}
    if cls == "A":
        if not candidate.own_car and rng.random() < 0.3:
            kinds[Obstacle.Kind.TRANSPORT] = Obstacle.Severity.LOW
    elif cls == "B":
        if candidate.care_duties:
            kinds[Obstacle.Kind.CARE] = rng.choice([2, 3])
        if not candidate.own_car or not kinds:
            kinds[Obstacle.Kind.TRANSPORT] = rng.choice([2, 3])
        if candidate.italian_level in {"A1", "A2"}:
            kinds[Obstacle.Kind.LANGUAGE] = 2
        if rng.random() < 0.3:
            kinds[Obstacle.Kind.SKILLS_GAP] = 2
    else:
        kinds[rng.choice([Obstacle.Kind.HEALTH, Obstacle.Kind.HOUSING])] = 3
        if candidate.italian_level in {"", "A1", "A2"}:
            kinds[Obstacle.Kind.LANGUAGE] = 3
        if candidate.needs_permit:
            kinds[Obstacle.Kind.DOCUMENTS] = rng.choice([2, 3])
        kinds.setdefault(Obstacle.Kind.DIGITAL, 2)
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
        elif obstacle.kind == Obstacle.Kind.SKILLS_GAP and profile is not None:
            cert = certs.get(profile.code)
            actions.append(ActionInput(RecommendedAction.Kind.TRAINING, profile, cert))
        elif obstacle.kind in {Obstacle.Kind.HEALTH, Obstacle.Kind.HOUSING}:
            actions.append(ActionInput(RecommendedAction.Kind.SOCIAL))
    return actions


def _assess(rng: random.Random, interview: Interview, cls: str, recruiter: User) -> None:
    candidate = interview.candidate
    profiles = [e.profile for e in candidate.experiences.all() if e.profile_id]
    profile = profiles[0] if profiles else rng.choice(list(JobProfile.objects.order_by("code")))
    certs = {
        "carrellista": Certification.objects.get(code="abilitazione-carrelli-elevatori"),
        "addetto-saldatura": Certification.objects.get(code="saldatore-en-iso-9606-1"),
    }
    obstacles = _obstacles(rng, candidate, cls)
    assessment_record(
        interview=interview,
        actor=recruiter,
        employability=cls,
        obstacles=obstacles,
        suitable_profiles=[profile],
        actions=_actions(obstacles, profile if cls != EmployabilityClass.A else None, certs),
        verified_skills=[link.skill for link in candidate.skill_links.all()][: rng.randint(0, 2)],
        verified_italian_level=candidate.italian_level,
        next_review_on=interview.scheduled_at.date() + datetime.timedelta(days=90),
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
        .prefetch_related("experiences__profile", "skill_links__skill")
        .order_by("pk")
    )
    chosen = rng.sample(pool, len(FIRST_TRANCHE_CLASSES) + SECOND_TRANCHE_SIZE)
    tz = timezone.get_current_timezone()

    def nine(day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=tz)

    first_people = chosen[: len(FIRST_TRANCHE_CLASSES)]
    classes = FIRST_TRANCHE_CLASSES[:]
    rng.shuffle(classes)
    for day, start in enumerate(range(0, len(first_people), 6)):
        tranche_assign(
            tranche=first,
            candidates=first_people[start : start + 6],
            recruiter=recruiter,
            first_at=nine(first.starts_on + datetime.timedelta(days=2 * day)),
            place="Confindustria Bergamo, via Camozzi 70",
        )
    for interview, cls in zip(
        first.interviews.select_related("candidate").order_by("scheduled_at"), classes, strict=True
    ):
        _assess(rng, interview, cls, recruiter)

    second_people = chosen[len(FIRST_TRANCHE_CLASSES) :]
    for day, start in enumerate(range(0, len(second_people), 5)):
        tranche_assign(
            tranche=second,
            candidates=second_people[start : start + 5],
            recruiter=recruiter,
            first_at=nine(second.starts_on + datetime.timedelta(days=2 * day)),
            mode=Interview.Mode.IN_PERSON if day % 3 else Interview.Mode.VIDEO,
            place="Gi Group, via Paglia 1, Bergamo",
        )
    interviews = list(second.interviews.select_related("candidate").order_by("scheduled_at"))
    for interview in interviews[:SECOND_TRANCHE_DONE]:
        _assess(rng, interview, rng.choices("ABC", [39, 46, 15])[0], recruiter)
    for interview in interviews[SECOND_TRANCHE_DONE : SECOND_TRANCHE_DONE + SECOND_TRANCHE_NO_SHOW]:
        interview.status = Interview.Status.NO_SHOW
        interview.save(update_fields=["status"])
    return first, second
