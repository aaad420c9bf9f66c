import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext

from accounts.access import scope
from accounts.models import User
from candidates.models import Candidate
from focus.cache import kept
from focus.figures import KEPT, Figure, Meaning, meanings
from focus.lists import search
from interviews.models import (
    CLASS_TONES,
    Assessment,
    EmployabilityClass,
    Interview,
    Obstacle,
    Tranche,
    outcome_missing,
)


def open_severe_obstacles(candidates: list[int] | None = None) -> QuerySet:
    """The severe obstacles still open of each candidate's latest assessment (by interview
    date, then the latest recorded): those of an assessment with no later one of the same
    candidate. What `Candidate.severe_obstacle` says of each, and what the ranking lists
    beside a candidate's score."""
    later = Assessment.objects.filter(
        interview__candidate=OuterRef("assessment__interview__candidate")
    ).filter(
        Q(interview__scheduled_at__gt=OuterRef("assessment__interview__scheduled_at"))
        | Q(
            interview__scheduled_at=OuterRef("assessment__interview__scheduled_at"),
            pk__gt=OuterRef("assessment"),
        )
    )
    found = Obstacle.objects.filter(
        severity=Obstacle.Severity.HIGH, resolved_on__isnull=True
    ).exclude(Exists(later))
    if candidates is not None:
        found = found.filter(assessment__interview__candidate__in=candidates)
    return found


class AgendaShow:
    """What the agenda shows (`?when=`): the interviews from today on (the default), today's,
    this week's (today to Sunday), those before today, and those whose time has passed with
    no outcome recorded."""

    UPCOMING, TODAY, WEEK, PAST, MISSING = "", "today", "week", "past", "missing"
    CHOICES = (UPCOMING, TODAY, WEEK, PAST, MISSING)


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def agenda(*, actor: User, when: str = AgendaShow.UPCOMING) -> QuerySet:
    """The actor's interviews as `when` asks (AgendaShow), with who and where: those from
    today on, today's and this week's (cancelled ones left out) the soonest first; those
    before today and those still "scheduled" once their time has passed
    (`interviews.models.outcome_missing`) the latest first. The recruiter's home counts
    these very lists."""
    now = timezone.localtime()
    today = now.date()
    interviews = scope(actor, Interview).with_people()
    if when == AgendaShow.PAST:
        return interviews.filter(scheduled_at__lt=_midnight(today)).order_by("-scheduled_at", "-pk")
    if when == AgendaShow.MISSING:
        return interviews.filter(outcome_missing(now)).order_by("-scheduled_at", "-pk")
    interviews = interviews.filter(scheduled_at__gte=_midnight(today))
    if when in (AgendaShow.TODAY, AgendaShow.WEEK):
        days = 1 if when == AgendaShow.TODAY else 7 - today.weekday()
        interviews = interviews.filter(
            scheduled_at__lt=_midnight(today + datetime.timedelta(days=days))
        ).exclude(status=Interview.Status.CANCELLED)
    return interviews.order_by("scheduled_at", "pk")


# The interview list's status filter for "not cancelled": the interviews a tranche plans.
PLANNED_STATUS = "planned"


def interview_list(
    *,
    actor: User,
    tranche: Tranche | None = None,
    status: str = "",
    employability: str = "",
    obstacle: str = "",
    sex: str = "",
    origin: str = "",
    q: str = "",
) -> QuerySet:
    """Interviews the actor may see, filtered as the tranche dashboard's links ask; with `q`,
    those whose candidate's name has its words.

    `status=PLANNED_STATUS` leaves out cancelled interviews, as a tranche's planned figure does.
    """
    interviews = search(
        scope(actor, Interview).with_people(), q, ("candidate__first_name", "candidate__last_name")
    )
    if tranche is not None:
        interviews = interviews.filter(tranche=tranche)
    if status == PLANNED_STATUS:
        interviews = interviews.exclude(status=Interview.Status.CANCELLED)
    elif status:
        interviews = interviews.filter(status=status)
    if employability:
        interviews = interviews.filter(assessment__employability=employability)
    if obstacle:
        interviews = interviews.filter(assessment__obstacles__kind=obstacle)
    if sex:
        interviews = interviews.filter(candidate__sex=sex)
    if origin == "italian":
        interviews = interviews.filter(candidate__nationality="IT")
    elif origin == "foreign":
        interviews = interviews.exclude(candidate__nationality="IT")
    return interviews.order_by("scheduled_at", "pk")


def tranche_list(*, actor: User, q: str = "") -> QuerySet:
    """The tranches `actor` may see, the latest first; with `q`, those whose name has its
    words."""
    return search(scope(actor, Tranche), q, ("name",)).order_by("-starts_on", "name", "pk")


@dataclass
class TrancheFigures:
    tranche: Tranche
    planned: Figure
    done: Figure
    no_show: Figure
    assessed: int
    classes: list[Figure] = field(default_factory=list)
    obstacles: list[Figure] = field(default_factory=list)
    by_sex: list[tuple[str, list[Figure]]] = field(default_factory=list)
    by_origin: list[tuple[str, list[Figure]]] = field(default_factory=list)

    @property
    def definitions(self) -> list[Meaning]:
        """What each figure of the tranche's dashboard counts, in the order it shows them."""
        return meanings(*TRANCHE_MEANINGS, "tranche_groups", "tranche_obstacles")


def tranche_figures(*, tranche: Tranche) -> TrancheFigures:
    """The dashboard of one tranche (see `tranches_figures`)."""
    return tranches_figures([tranche])[0]


# The figures of a tranche in `focus.figures.MEANINGS`, as its dashboard and the programme's
# dashboard show them.
TRANCHE_MEANINGS = (
    "target",
    "planned",
    "done",
    "no_show",
    "assessed",
    "tranche_class_a",
    "tranche_class_b",
    "tranche_class_c",
)


def tranche_counts() -> dict[str, Count]:
    """What the figures of a tranche count, as annotations of Tranche: its interviews
    `planned` (not cancelled), `done` and `no_show`, those `assessed` (an assessment recorded)
    and the assessments of each class (`class_a`, `class_b`, `class_c`). The one count of
    these meanings: the tranche's page, the tranches' page and the programme's dashboard
    annotate with these very expressions. Each row joined is one interview (an interview has
    one assessment and one candidate), so the counts need no DISTINCT."""
    status = "interviews__status"
    return {
        "planned": Count("interviews", filter=~Q(**{status: Interview.Status.CANCELLED})),
        "done": Count("interviews", filter=Q(**{status: Interview.Status.DONE})),
        "no_show": Count("interviews", filter=Q(**{status: Interview.Status.NO_SHOW})),
        "assessed": Count("interviews__assessment"),
        **{
            f"class_{cls.value.lower()}": Count(
                "interviews__assessment", filter=Q(interviews__assessment__employability=cls)
            )
            for cls in EmployabilityClass
        },
    }


# What the assessments of a tranche are split by on its dashboard.
_SPLITS = {
    "F": Q(interviews__candidate__sex="F"),
    "M": Q(interviews__candidate__sex="M"),
    "italian": Q(interviews__candidate__nationality="IT"),
    "foreign": ~Q(interviews__candidate__nationality="IT"),
}


def _split_counts() -> dict[str, Count]:
    """The assessments of each split (`split_F`...), and of each class in it (`class_a_F`...)."""
    assessment = "interviews__assessment"
    counts = {}
    for split, condition in _SPLITS.items():
        counts[f"split_{split}"] = Count(assessment, filter=condition)
        for cls in EmployabilityClass:
            counts[f"class_{cls.value.lower()}_{split}"] = Count(
                assessment, filter=Q(interviews__assessment__employability=cls) & condition
            )
    return counts


def tranches_figures(tranches: Iterable[Tranche]) -> list[TrancheFigures]:
    """The dashboard of each tranche, in the given order: interviews, classes (share of the
    assessed), obstacles (share of the assessed with each), and classes by sex and by
    nationality. Two grouped queries however many tranches there are (`_tranche_numbers`),
    none while their numbers are kept."""
    tranches = list(tranches)
    counts, obstacle_counts = _tranche_numbers(sorted(tranche.pk for tranche in tranches))
    interviews = reverse("interviews:interview_list")  # once: each tranche links it 25 times
    return [
        _figures(
            tranche, counts.get(tranche.pk, {}), obstacle_counts.get(tranche.pk, {}), interviews
        )
        for tranche in tranches
    ]


def _tranche_numbers(pks: list[int]) -> tuple[dict[int, dict], dict[int, dict[str, int]]]:
    """The counts of `tranche_counts` with the splits of each tranche (one query), and its
    assessments with each obstacle (one query), by the tranche's key. Whole-tranche figures,
    the same for everyone who may open the tranche: kept in the shared cache by the tranches
    alone until an interview, an assessment or a candidate changes (focus.cache)."""

    def compute() -> tuple[dict[int, dict], dict[int, dict[str, int]]]:
        counts = {
            row.pop("pk"): row
            for row in Tranche.objects.filter(pk__in=pks)
            .values("pk")
            .annotate(**tranche_counts(), **_split_counts())
            .order_by()
        }
        obstacle_counts: dict[int, dict[str, int]] = {}
        for tranche_pk, kind, n in (
            Obstacle.objects.filter(assessment__interview__tranche__in=pks)
            .values_list("assessment__interview__tranche", "kind")
            .annotate(n=Count("assessment", distinct=True))
            .order_by()
        ):
            obstacle_counts.setdefault(tranche_pk, {})[kind] = n
        return counts, obstacle_counts

    return kept(KEPT, ("tranche_figures", *pks), compute)


def _figures(
    tranche: Tranche, counts: dict, obstacle_counts: dict, interviews: str
) -> TrancheFigures:
    """The figures of `tranche` from its counts, each linking the interview list (at
    `interviews`) filtered to what it counts."""
    total = counts.get("assessed", 0)
    planned = counts.get("planned", 0)

    def _link(tranche: Tranche, **query) -> str:
        return f"{interviews}?{urlencode({'tranche': tranche.pk, **query})}"

    def class_figures(split: str, extra: dict, of: int) -> list[Figure]:
        suffix = f"_{split}" if split else ""
        return [
            Figure.of(
                f"tranche_class_{cls.value.lower()}",
                counts.get(f"class_{cls.value.lower()}{suffix}", 0),
                _link(tranche, employability=cls.value, **extra),
                label=cls.label,
                total=of,
                tone=CLASS_TONES[cls],
            )
            for cls in EmployabilityClass
        ]

    return TrancheFigures(
        tranche=tranche,
        planned=Figure.of("planned", planned, _link(tranche), total=tranche.target),
        done=Figure.of(
            "done",
            counts.get("done", 0),
            _link(tranche, status=Interview.Status.DONE),
            total=planned,
        ),
        no_show=Figure.of(
            "no_show",
            counts.get("no_show", 0),
            _link(tranche, status=Interview.Status.NO_SHOW),
            total=planned,
        ),
        assessed=total,
        classes=class_figures("", {}, total),
        obstacles=sorted(
            (
                Figure(
                    kind.label,
                    obstacle_counts.get(kind.value, 0),
                    _link(tranche, obstacle=kind.value),
                    total=total,
                )
                for kind in Obstacle.Kind
                if obstacle_counts.get(kind.value)
            ),
            key=lambda figure: -figure.value,
        ),
        by_sex=[
            (label, class_figures(code, {"sex": code}, counts.get(f"split_{code}", 0)))
            for code, label in (("F", _sex_label("F")), ("M", _sex_label("M")))
        ],
        by_origin=[
            (label, class_figures(code, {"origin": code}, counts.get(f"split_{code}", 0)))
            for code, label in (
                ("italian", _origin_label("italian")),
                ("foreign", _origin_label("foreign")),
            )
        ],
    )


def _sex_label(code: str) -> str:
    return str(Candidate.Sex(code).label)


def _origin_label(code: str) -> str:
    return gettext("Italian") if code == "italian" else gettext("Foreign")
