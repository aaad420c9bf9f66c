"""The programme's figures: one source for the dashboard and the workbook's summary sheet.

Contract
--------
`programme_figures(user, period=Period()) -> ProgrammeFigures` counts, within what `user`
may see (every query starts from `accounts.access.scope`), in a fixed number of queries
however much data there is (8 for admin and staff, 2 for a caseworker; 2 and none while its
counts are kept: see below):

`funnel` (list of `Figure`, each with a stable `key`, in this order):

- `companies`: companies with at least one need that is not cancelled (in the campaign);
- `needs`: needs not cancelled (in the campaign);
- `headcount`: people those needs ask for (sum of their headcount);
- `registered`: candidates registered (any status but draft), registration date in the period;
- `interviewed`: candidates with at least one assessment recorded in the period;
- `class_a`, `class_b`, `class_c`: of the interviewed, those whose current employability
  class (the class of their latest assessment) is A, B or C: the three add up to `interviewed`;
- `shortlisted`: candidates with at least one shortlist entry (any status) added in the period;
- `company_interview`: candidates with an entry added in the period that reached "interview
  agreed" (then hired or not, or withdrawn after it was agreed);
- `hired`: candidates with an entry added in the period that ended in a hire (the hire is
  what places a candidate: `matching.services.entry_move`).

`demand` (list of `DemandRow`, most people needed first): per job profile with needs not
cancelled (in the campaign): its needs, their headcount, and the candidates suitable for it:
current class A or B, and the profile named among the suitable ones by an assessment
recorded in the period.

`obstacles` (list of `Figure`, most frequent first, only kinds found): per kind, the
candidates with that obstacle in an assessment recorded in the period.

`tranches` (list of `TrancheRow`, newest first): per tranche overlapping the period, its
interviews planned (not cancelled), done and no-show, and its assessments by class. These
are whole-tranche figures, as on the tranche's own dashboard.

The `Period`: `campaign` restricts the demand side (companies, needs, headcount, demand rows);
`date_from` and `date_to` (inclusive, either may be missing) restrict the supply side by the
dates named above (registration, assessment recorded, shortlist entry added) and the
tranches to those overlapping it.

The counts are kept in the shared cache (`focus.cache`, namespace `focus.figures.KEPT`),
by the user's scope (role and organisation) and the period, as numbers and ids only: labels,
links and the names of profiles and tranches are made at each visit. A save or a delete of
a table they are read from (declared in `reports.apps`) retires them all; a bulk write
touches the namespace itself. The candidates are read once for the funnel and the
pathway's hires (`_candidate_counts`).

Every figure carries `url`, the list that counts exactly it (same condition, same scope), so
the dashboard links it and a reader can check it. Sections a role may not open are empty:
a caseworker gets the candidate side of the funnel and the obstacles, restricted to their
own centre, and no demand or tranches (see `_sees_demand`).

`retention_figures(user)` counts, apart from the period, how many placements are still in
the job at 3 and 6 months (see its docstring), in three grouped queries (two for a caseworker).
The pathway after the assessment (support actions, their cost, training courses and their
outcomes, who moved from near-ready to ready, the hires that followed) is `pathway_figures`,
with its own contract.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.access import can, scope
from accounts.models import User
from candidates.filters import between, registered
from candidates.models import Candidate
from catalog.models import JobProfile
from companies.models import Need, SurveyCampaign
from companies.selectors import ACTIVE_STATUS, demand_figures
from focus.cache import kept
from focus.figures import KEPT, MEANINGS, Figure, Meaning, meanings, viewer_key
from interviews import filters as interview_filters
from interviews.models import (
    CLASS_TONES,
    EmployabilityClass,
    Interview,
    Obstacle,
    SuitableProfile,
    Tranche,
)
from interviews.selectors import TRANCHE_MEANINGS, tranche_counts
from matching import filters as matching_filters
from matching.models import Entry
from matching.selectors import shortlist_list
from reports.selectors import list_url
from training.filters import hired_after_course, hired_after_support
from training.models import (
    Course,
    Enrolment,
    FollowUp,
    FundingChannel,
    GapAnalysis,
    SupportAction,
)
from training.planning import MOVED, moved_to_ready
from training.selectors import NO_FUNDING, enrolments, support_actions

CANDIDATE_PATH = ("registered", "interviewed", "shortlisted", "company_interview", "hired")
# The classes whose candidates count as suitable supply for a profile's demand.
SUITABLE_CLASSES = (EmployabilityClass.A, EmployabilityClass.B)


@dataclass(frozen=True)
class Period:
    """What the figures are restricted to; the default is the whole programme."""

    campaign: SurveyCampaign | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def dates(self) -> tuple[datetime.date | None, datetime.date | None]:
        return self.date_from, self.date_to

    def key(self) -> tuple:
        """The period as part of a kept result's key."""
        return (self.campaign.pk if self.campaign else None, self.date_from, self.date_to)

    def query(self) -> dict:
        """The period as the candidate list's GET parameters."""
        return {
            name: value.isoformat()
            for name, value in (("date_from", self.date_from), ("date_to", self.date_to))
            if value
        }


@dataclass(frozen=True)
class DemandRow:
    """One job profile: needs and people needed, against candidates suitable for it."""

    profile_id: int
    profile: str
    needs: int
    headcount: int
    suitable: int
    needs_url: str
    suitable_url: str

    @property
    def headcount_url(self) -> str:
        return self.needs_url  # the people needed are the needs' headcount: the same list


@dataclass(frozen=True)
class TrancheRow:
    tranche_id: int
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    target: int
    planned: int
    done: int
    no_show: int
    class_a: int
    class_b: int
    class_c: int
    url: str  # the tranche's dashboard; the figures below link its interview list
    links: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class ProgrammeFigures:
    period: Period
    funnel: list[Figure]
    demand: list[DemandRow]
    obstacles: list[Figure]
    tranches: list[TrancheRow]

    def figure(self, key: str) -> Figure:
        return next(figure for figure in self.funnel if figure.key == key)

    def _keyed(self, keys: tuple[str, ...]) -> list[Figure]:
        return [figure for figure in self.funnel if figure.key in keys]

    @property
    def demand_totals(self) -> list[Figure]:
        """Companies, needs and people needed; empty for those who see no demand."""
        return self._keyed(("companies", "needs", "headcount"))

    @property
    def path(self) -> list[Figure]:
        """The candidates' steps, from registration to hire."""
        return self._keyed(CANDIDATE_PATH)

    @property
    def classes(self) -> list[Figure]:
        return self._keyed(("class_a", "class_b", "class_c"))

    @property
    def interviewed(self) -> int:
        return self.figure("interviewed").value

    @property
    def max_path(self) -> int:
        return max((figure.value for figure in self.path), default=0)

    @property
    def max_demand(self) -> int:
        """The longest bar of the demand chart: people needed or suitable candidates."""
        return max((max(row.headcount, row.suitable) for row in self.demand), default=0)

    @property
    def max_obstacle(self) -> int:
        return max((row.value for row in self.obstacles), default=0)

    @property
    def demand_columns(self) -> list[Meaning]:
        """What the columns of the demand by profile count."""
        return meanings("needs", "headcount", "suitable")

    @property
    def obstacles_meaning(self) -> Meaning:
        return MEANINGS["obstacles"]

    @property
    def tranche_columns(self) -> list[Meaning]:
        """What the columns of the tranches' table count, as the tranche's page says."""
        return meanings(*(key for key in TRANCHE_MEANINGS if key != "assessed"))


def _kept(name: str, user: User, period: Period, compute):
    """The counts `compute()` returns (numbers and ids only), kept in the shared cache for
    `user`'s scope and `period` until a table they are counted from changes (focus.cache;
    the tables are declared in reports.apps)."""
    return kept(KEPT, (name, *viewer_key(user), *period.key()), compute)


def _sees_demand(user: User) -> bool:
    """Needs belong to companies: the policy shows them to the programme's staff (and to each
    company its own), never to charity centres, so a caseworker's dashboard has no demand side
    and no link to a needs list they could not open."""
    return can(user, "demand", Need)


def _demand_funnel(user: User, period: Period) -> list[Figure]:
    """Companies with needs, needs and people needed (one query), as every page counts them
    (`companies.selectors.demand_figures`)."""
    return demand_figures(actor=user, campaign=period.campaign)


def _needs(user: User, period: Period) -> QuerySet:
    needs = scope(user, Need).active()
    if period.campaign is not None:
        needs = needs.filter(campaign=period.campaign)
    return needs


def _candidate_counts(user: User, period: Period) -> dict[str, int]:
    """Every count of candidates the dashboards show, in one pass over the candidates in
    scope (one query, kept): the funnel's stages and classes and the hires after a support
    action or a course, each with the very condition the candidate list applies for it."""
    dates = period.dates()

    def compute() -> dict[str, int]:
        stages = {
            "registered": registered(*dates),
            "interviewed": interview_filters.interviewed(*dates),
            "shortlisted": matching_filters.shortlisted(*dates),
            "company_interview": matching_filters.interviewed_by_company(*dates),
            "hired": matching_filters.hired(*dates),
            "hired_after_support": hired_after_support(*dates),
            "hired_after_course": hired_after_course(*dates),
        }
        # The class first: of every candidate counted, only those of the class are looked
        # up among the interviewed.
        classes = {
            f"class_{cls.value.lower()}": Q(employability=cls.value) & stages["interviewed"]
            for cls in EmployabilityClass
        }
        conditions = {**stages, **classes}
        return scope(user, Candidate).aggregate(
            **{key: Count("pk", filter=condition) for key, condition in conditions.items()}
        )

    return _kept("candidates", user, period, compute)


def _candidate_funnel(user: User, period: Period) -> list[Figure]:
    """The candidate side of the funnel (`_candidate_counts`), each figure linked to the
    candidate list of the same condition."""
    counts = _candidate_counts(user, period)

    def link(stage: str, **extra) -> str:
        return list_url("candidates:list", {"stage": stage, **extra, **period.query()})

    figures = [Figure.of(key, counts[key], link(key)) for key in ("registered", "interviewed")]
    figures += [
        Figure.of(
            f"class_{cls.value.lower()}",
            counts[f"class_{cls.value.lower()}"],
            link("interviewed", employability=cls.value),
            label=cls.label,
            tone=CLASS_TONES[cls],
        )
        for cls in EmployabilityClass
    ]
    figures += [
        Figure.of(key, counts[key], link(key))
        for key in ("shortlisted", "company_interview", "hired")
    ]
    return figures


def _demand_counts(user: User, period: Period) -> tuple[list[dict], dict[int, int]]:
    """Needs and headcount by profile (one query) and candidates suitable for each (one
    query), kept."""

    def compute() -> tuple[list[dict], dict[int, int]]:
        groups = list(
            _needs(user, period)
            .values("profile")
            .annotate(needs=Count("pk"), headcount=Sum("headcount"))
            .order_by("-headcount", "profile__name_it")
        )
        if not groups:
            return [], {}
        supply = scope(user, Candidate).filter(employability__in=SUITABLE_CLASSES)
        suitable = dict(
            SuitableProfile.objects.filter(
                between("assessment__recorded_at__date", *period.dates()),
                profile__in=[group["profile"] for group in groups],
                candidate__in=supply,
            )
            .values_list("profile")
            .annotate(n=Count("candidate", distinct=True))
            .order_by()
        )
        return groups, suitable

    return _kept("demand", user, period, compute)


def _demand(user: User, period: Period) -> list[DemandRow]:
    """Needs, headcount and suitable candidates by profile (`_demand_counts`), and the
    profiles' names (one query)."""
    groups, suitable = _demand_counts(user, period)
    if not groups:
        return []
    profile_ids = [group["profile"] for group in groups]
    names = JobProfile.objects.in_bulk(profile_ids)
    campaign = {"campaign": period.campaign.pk} if period.campaign else {}
    classes = [("employability", cls.value) for cls in SUITABLE_CLASSES]
    return [
        DemandRow(
            profile_id=group["profile"],
            profile=str(names[group["profile"]]),
            needs=group["needs"],
            headcount=group["headcount"] or 0,
            suitable=suitable.get(group["profile"], 0),
            needs_url=list_url(
                "companies:need_list",
                {"status": ACTIVE_STATUS, "profile": group["profile"], **campaign},
            ),
            suitable_url=list_url(
                "candidates:list",
                [
                    *classes,
                    ("suitable_profile", group["profile"]),
                    *period.query().items(),
                ],
            ),
        )
        for group in groups
    ]


def _obstacles(user: User, period: Period) -> list[Figure]:
    """Candidates with each obstacle (one query, kept)."""

    def compute() -> dict[str, int]:
        return dict(
            Obstacle.objects.filter(
                between("assessment__recorded_at__date", *period.dates()),
                assessment__interview__candidate__in=scope(user, Candidate),
            )
            .values_list("kind")
            .annotate(n=Count("assessment__interview__candidate", distinct=True))
            .order_by()
        )

    counts = _kept("obstacles", user, period, compute)
    rows = [
        Figure(
            kind.label,
            counts[kind.value],
            list_url("candidates:list", {"obstacle": kind.value, **period.query()}),
            kind.value,
        )
        for kind in Obstacle.Kind
        if counts.get(kind.value)
    ]
    return sorted(rows, key=lambda row: -row.value)


def _tranches(user: User, period: Period) -> list[TrancheRow]:
    """Each tranche's interviews and assessed classes (one query, kept), counted as the
    tranche's own page counts them (`interviews.selectors.tranche_counts`), and the
    tranches themselves (one query)."""

    def compute() -> list[dict]:
        tranches = scope(user, Tranche)
        if period.date_from:
            tranches = tranches.filter(ends_on__gte=period.date_from)
        if period.date_to:
            tranches = tranches.filter(starts_on__lte=period.date_to)
        counted = tranches.values("pk").annotate(**tranche_counts())
        return list(counted.order_by("-starts_on", "name"))

    counts = _kept("tranches", user, period, compute)
    tranches = Tranche.objects.in_bulk([row["pk"] for row in counts])

    def link(tranche: Tranche, **query) -> str:
        return list_url("interviews:interview_list", {"tranche": tranche.pk, **query})

    return [
        TrancheRow(
            tranche_id=tranche.pk,
            name=tranche.name,
            starts_on=tranche.starts_on,
            ends_on=tranche.ends_on,
            target=tranche.target,
            planned=row["planned"],
            done=row["done"],
            no_show=row["no_show"],
            class_a=row["class_a"],
            class_b=row["class_b"],
            class_c=row["class_c"],
            url=tranche.get_absolute_url(),
            links={
                "planned": link(tranche, status="planned"),
                "done": link(tranche, status=Interview.Status.DONE),
                "no_show": link(tranche, status=Interview.Status.NO_SHOW),
                **{
                    f"class_{cls.value.lower()}": link(tranche, employability=cls.value)
                    for cls in EmployabilityClass
                },
            },
        )
        for row in counts
        if (tranche := tranches.get(row["pk"])) is not None
    ]


# Pathway: support actions and the hires that followed them -----------------------------------

# The statuses whose cost a funding channel bears: committed for the open actions, spent for
# those that ran (done, or not achieved: the money went all the same). A cancelled action
# costs nothing, and counts in no cost figure.
COMMITTED = tuple(status for status in SupportAction.Status if status not in SupportAction.FINAL)
SPENT = (SupportAction.Status.DONE, SupportAction.Status.NOT_ACHIEVED)


@dataclass(frozen=True)
class SupportKindRow:
    """One kind of support: its actions in each status (in `SupportAction.Status`'s order)."""

    kind: str
    label: str
    cells: list[Figure]
    total: Figure


@dataclass(frozen=True)
class FundingRow:
    """One funding channel (`funding_id` its pk, NO_FUNDING for the actions whose channel is
    not decided yet, None for the total of them all): its actions not cancelled and their
    cost, committed (open actions) and spent (finished ones)."""

    funding_id: int | str | None
    name: str
    requires_did: bool
    actions: int
    committed: Decimal
    spent: Decimal
    actions_url: str
    committed_url: str
    spent_url: str

    @property
    def cost(self) -> Decimal:
        return self.committed + self.spent

    @property
    def cost_url(self) -> str:
        return self.actions_url  # the same actions: the list sums their whole cost


@dataclass(frozen=True)
class CourseStatusRow:
    """The courses in one status (`status` empty for all of them): how many, their seats and
    the seats filled (enrolments proposed, enrolled or completed), all three linked to the
    course list of that status, whose "seats taken" and "completed" add up to `filled`."""

    status: str
    courses: Figure
    seats: int
    filled: int

    @property
    def url(self) -> str:
        return self.courses.url


@dataclass(frozen=True)
class MovedFigures:
    """Who moved from near-ready to ready between the analyses of one campaign (None: the
    analyses of all campaigns), in all and per profile."""

    campaign: str
    total: Figure
    profiles: list[Figure]


@dataclass(frozen=True)
class CourseFigures:
    statuses: list[CourseStatusRow]
    total: CourseStatusRow
    finished: Figure
    completed: Figure
    not_completed: Figure
    dropped: Figure
    drop_reasons: list[Figure]
    hired_after_course: Figure
    moved: MovedFigures | None

    @property
    def completion_rate(self) -> int | None:
        """Completed, in percent of the enrolments finished (None when none is)."""
        finished = self.finished.value
        return round(100 * self.completed.value / finished) if finished else None

    @property
    def max_drop_reason(self) -> int:
        return max((figure.value for figure in self.drop_reasons), default=0)

    @property
    def completion(self) -> Meaning:
        return MEANINGS["completion_rate"]


@dataclass(frozen=True)
class PathwayFigures:
    period: Period
    statuses: list[tuple[str, str]]
    kinds: list[SupportKindRow]
    status_totals: list[Figure]
    total: Figure
    funding: list[FundingRow]
    funding_total: FundingRow
    hired_after_support: Figure
    hired: int
    courses: CourseFigures


def _action_list(period: Period, *query: tuple[str, str | int]) -> str:
    return list_url("training:action_list", [*query, *period.query().items()])


def _support_by_kind(
    user: User, period: Period
) -> tuple[list[SupportKindRow], list[Figure], Figure]:
    """Actions by kind and status (one query): the rows of the kinds that have any, the
    totals of each status, and the grand total, each linked to the actions it counts."""

    def compute() -> dict[tuple[str, str], int]:
        actions = support_actions(actor=user, date_from=period.date_from, date_to=period.date_to)
        groups = actions.values_list("kind", "status").annotate(n=Count("pk")).order_by()
        return {(kind, status): n for kind, status, n in groups}

    counts = _kept("support", user, period, compute)
    statuses = list(SupportAction.Status)
    rows = []
    for kind in SupportAction.Kind:
        cells = [
            Figure(
                status.label,
                counts.get((kind.value, status.value), 0),
                _action_list(period, ("show", "all"), ("kind", kind.value), ("status", status)),
            )
            for status in statuses
        ]
        total = sum(cell.value for cell in cells)
        if total:
            link = _action_list(period, ("show", "all"), ("kind", kind.value))
            total_figure = Figure(kind.label, total, link)
            rows.append(SupportKindRow(kind.value, kind.label, cells, total_figure))
    status_totals = [
        Figure(
            status.label,
            sum(n for (_kind, value), n in counts.items() if value == status.value),
            _action_list(period, ("show", "all"), ("status", status)),
        )
        for status in statuses
    ]
    grand = Figure.of(
        "support_actions", sum(counts.values()), _action_list(period, ("show", "all"))
    )
    return rows, status_totals, grand


def _funding_row(period: Period, funding_id, name: str, requires_did: bool, totals: dict):
    channel = [("funding", funding_id)] if funding_id is not None else []

    def link(statuses) -> str:
        statuses = [("status", status) for status in statuses]
        return _action_list(period, ("show", "all"), *channel, *statuses)

    return FundingRow(
        funding_id=funding_id,
        name=name,
        requires_did=requires_did,
        actions=totals["actions"],
        committed=totals["committed"] or Decimal(0),
        spent=totals["spent"] or Decimal(0),
        actions_url=link((*COMMITTED, *SPENT)),
        committed_url=link(COMMITTED),
        spent_url=link(SPENT),
    )


def support_costs(user: User, period: Period = Period()) -> tuple[list[FundingRow], FundingRow]:
    """The actions not cancelled and their cost per funding channel (one query), the most
    expensive first and those with no channel decided last, and their total. The dashboard
    and the workbook's Finanziamenti sheet show these very rows."""
    actions = support_actions(actor=user, date_from=period.date_from, date_to=period.date_to)
    sums = {
        "actions": Count("pk"),
        "committed": Sum("cost", filter=Q(status__in=COMMITTED)),
        "spent": Sum("cost", filter=Q(status__in=SPENT)),
    }
    groups = (
        actions.filter(status__in=(*COMMITTED, *SPENT))
        .values("funding", "funding__name_it", "funding__name_en", "funding__requires_did")
        .annotate(**sums)
        .order_by()
    )
    rows = []
    for group in groups:
        if group["funding"] is None:
            rows.append(_funding_row(period, NO_FUNDING, str(_("Not decided yet")), False, group))
            continue
        # The channel's name in the active language, as FundingChannel itself picks it.
        name = FundingChannel(name_it=group["funding__name_it"], name_en=group["funding__name_en"])
        rows.append(
            _funding_row(period, group["funding"], name.name, group["funding__requires_did"], group)
        )
    rows.sort(key=lambda row: (row.funding_id == NO_FUNDING, -row.cost, row.name))
    total = {
        "actions": sum(row.actions for row in rows),
        "committed": sum((row.committed for row in rows), Decimal(0)),
        "spent": sum((row.spent for row in rows), Decimal(0)),
    }
    return rows, _funding_row(period, None, str(_("Total")), False, total)


# The enrolments that take a seat, and those that are over.
FILLED = (*Enrolment.ACTIVE, Enrolment.Status.COMPLETED)
FINISHED = (
    Enrolment.Status.COMPLETED,
    Enrolment.Status.NOT_COMPLETED,
    Enrolment.Status.DROPPED,
)


@dataclass(frozen=True)
class CourseCostRow:
    """One funding channel (`funding_id` as in FundingRow): the seats filled on its courses
    by enrolments proposed in the period, and what they cost (seats x cost per seat)."""

    funding_id: int | str
    name: str
    requires_did: bool
    seats: int
    cost: Decimal


def course_costs(user: User, period: Period = Period()) -> list[CourseCostRow]:
    """The seats filled (enrolments proposed, enrolled or completed, proposed in the period)
    and their cost per funding channel of the course (one query); a course with no cost per
    seat costs nothing yet. The workbook's Finanziamenti sheet shows them beside the actions'."""
    groups = (
        enrolments(actor=user, date_from=period.date_from, date_to=period.date_to)
        .filter(status__in=FILLED)
        .values(
            "course__funding",
            "course__funding__name_it",
            "course__funding__name_en",
            "course__funding__requires_did",
        )
        .annotate(seats=Count("pk"), cost=Sum("course__cost_per_seat"))
        .order_by()
    )
    rows = []
    for group in groups:
        if group["course__funding"] is None:
            name, funding_id, did = str(_("Not decided yet")), NO_FUNDING, False
        else:
            channel = FundingChannel(
                name_it=group["course__funding__name_it"], name_en=group["course__funding__name_en"]
            )
            name, funding_id = channel.name, group["course__funding"]
            did = group["course__funding__requires_did"]
        rows.append(
            CourseCostRow(funding_id, name, did, group["seats"], group["cost"] or Decimal(0))
        )
    return rows


def _hires(user: User, period: Period) -> tuple[Figure, Figure, int]:
    """Candidates hired after a support action, after a course, and all those hired
    (`_candidate_counts`, read once with the funnel): the same hires as the funnel's
    "Hired", of which the first two are parts."""
    counts = _candidate_counts(user, period)

    def link(stage: str) -> str:
        return list_url("candidates:list", {"stage": stage, **period.query()})

    support = Figure.of(
        "hired_after_support", counts["hired_after_support"], link("hired_after_support")
    )
    course = Figure.of(
        "hired_after_course", counts["hired_after_course"], link("hired_after_course")
    )
    return support, course, counts["hired"]


def _course_list(status: str = "") -> str:
    return list_url("training:course_list", {"status": status} if status else None)


def _enrolment_list(period: Period, *query: tuple[str, str]) -> str:
    return list_url("training:enrolment_list", [*query, *period.query().items()])


def _course_counts(user: User, period: Period) -> tuple[dict[str, dict], list[dict]]:
    """The courses by status with their seats, and the enrolments by the course's status,
    their own and why they dropped out, every one and those counted (two queries, kept)."""

    def compute() -> tuple[dict[str, dict], list[dict]]:
        courses = scope(user, Course)
        by_status = {
            row["status"]: row
            for row in courses.values("status")
            .annotate(n=Count("pk"), seats=Sum("seats"))
            .order_by()
        }
        counted = enrolments(actor=user, date_from=period.date_from, date_to=period.date_to)
        in_period = Q(pk__in=counted.values("pk"))
        groups = list(
            Enrolment.objects.filter(course__in=courses.values("pk"))
            .values("course__status", "status", "drop_reason")
            .annotate(every=Count("pk"), counted=Count("pk", filter=in_period))
            .order_by()
        )
        return by_status, groups

    return _kept("courses", user, period, compute)


def _courses(user: User, period: Period, hired_after_course: Figure) -> CourseFigures:
    """Courses by status with their seats, the enrolments filled and finished
    (`_course_counts`), and who moved to ready (`_moved`).

    The courses and the seats filled are the catalogue as the course list shows it to
    `user` (every course's enrolments, whoever the candidate: the list's "seats taken"), so
    the period does not restrict them; the outcomes count the enrolments `user` may see
    (their centre's for a caseworker) proposed in the period, as the enrolment list does."""
    by_status, groups = _course_counts(user, period)
    filled = {}
    for group in groups:
        if group["status"] in FILLED:
            filled[group["course__status"]] = (
                filled.get(group["course__status"], 0) + group["every"]
            )
    rows = [
        CourseStatusRow(
            status.value,
            Figure(status.label, by_status.get(status.value, {}).get("n", 0), _course_list(status)),
            by_status.get(status.value, {}).get("seats") or 0,
            filled.get(status.value, 0),
        )
        for status in Course.Status
    ]
    total = CourseStatusRow(
        "",
        Figure.of("courses", sum(row.courses.value for row in rows), _course_list()),
        sum(row.seats for row in rows),
        sum(row.filled for row in rows),
    )

    def outcome(label, statuses) -> Figure:
        value = sum(group["counted"] for group in groups if group["status"] in statuses)
        return Figure(label, value, _enrolment_list(period, *(("status", s) for s in statuses)))

    reasons = {}
    for group in groups:
        if group["status"] == Enrolment.Status.DROPPED:
            reasons[group["drop_reason"]] = reasons.get(group["drop_reason"], 0) + group["counted"]
    dropped = (("status", Enrolment.Status.DROPPED),)
    return CourseFigures(
        statuses=rows,
        total=total,
        finished=outcome(_("Enrolments finished"), FINISHED),
        completed=outcome(Enrolment.Status.COMPLETED.label, (Enrolment.Status.COMPLETED,)),
        not_completed=outcome(
            Enrolment.Status.NOT_COMPLETED.label, (Enrolment.Status.NOT_COMPLETED,)
        ),
        dropped=outcome(Enrolment.Status.DROPPED.label, (Enrolment.Status.DROPPED,)),
        drop_reasons=sorted(
            (
                Figure(
                    reason.label,
                    reasons[reason.value],
                    _enrolment_list(period, *dropped, ("drop_reason", reason.value)),
                )
                for reason in Enrolment.DropReason
                if reasons.get(reason.value)
            ),
            key=lambda figure: -figure.value,
        ),
        hired_after_course=hired_after_course,
        moved=_moved(user, period),
    )


def _moved(user: User, period: Period) -> MovedFigures | None:
    """The candidates `user` may see who were near-ready for a profile in an earlier analysis
    of the period's campaign (none: of the analyses of all campaigns, as the gap page reads
    "all campaigns") and are ready for it in the newest one (`training.planning.
    moved_to_ready`): per profile (one grouped query) and in all, each candidate once (one
    query). None for those who may not read the gap (it is the programme staff's)."""
    if not can(user, "view", GapAnalysis):
        return None
    campaign = period.campaign
    moved = moved_to_ready(campaign=campaign).filter(
        candidate__in=scope(user, Candidate).values("pk")
    )
    groups = (
        moved.values("profile", "profile__name_it", "profile__name_en")
        .annotate(n=Count("candidate"))
        .order_by("-n", "profile__name_it")
    )
    english = (get_language() or "it").startswith("en")
    query = {"campaign": campaign.pk if campaign else "", "closer": MOVED}

    def link(**extra) -> str:
        return list_url("training:gap_candidates", {**query, **extra})

    profiles = [
        Figure(
            group["profile__name_en"] if english else group["profile__name_it"],
            group["n"],
            link(profile=group["profile"]),
        )
        for group in groups
    ]
    total = moved.aggregate(n=Count("candidate", distinct=True))["n"]
    return MovedFigures(
        campaign=campaign.name if campaign else str(_("All campaigns")),
        total=Figure.of("moved_to_ready", total, link()),
        profiles=profiles,
    )


def pathway_figures(user: User, period: Period = Period()) -> PathwayFigures | None:
    """The pathway after the assessment as `user` may see it, in seven queries (five for a
    caseworker); None for those who may not list support actions (company HR: nothing of
    anybody's support or training).

    - `kinds`, `status_totals`, `total`: the support actions proposed in the period
      (`training.selectors.support_actions`), by kind and status;
    - `funding`, `funding_total`: those not cancelled and their cost per funding channel
      (`support_costs`);
    - `hired_after_support`: candidates hired through an entry added in the period after a
      support action was done (`training.filters.hired_after_support`), and `hired`, all
      those hired (the funnel's figure);
    - `courses`: the courses by status with their seats and seats filled, the enrolments
      proposed in the period that finished (completed, not completed, dropped out, and why),
      the candidates hired after completing a course (`training.filters.hired_after_course`)
      and, for the programme staff, who moved from near-ready to ready (`_courses`).

    Every figure links to the list of what it counts, with the same conditions: the action
    list for the actions and their cost, the course list for the courses and their seats,
    the enrolment list for the outcomes, the gap's candidates for those who moved, the
    candidate list for the hires.
    """
    if not can(user, "list", SupportAction):
        return None
    kinds, status_totals, total = _support_by_kind(user, period)
    funding, funding_total = support_costs(user, period)
    after_support, after_course, hired = _hires(user, period)
    return PathwayFigures(
        period=period,
        statuses=list(SupportAction.Status.choices),
        kinds=kinds,
        status_totals=status_totals,
        total=total,
        funding=funding,
        funding_total=funding_total,
        hired_after_support=after_support,
        hired=hired,
        courses=_courses(user, period, after_course),
    )


def funnel_figures(user: User, period: Period = Period()) -> list[Figure]:
    """The `funnel` of `programme_figures` alone: two queries (one without the demand side),
    for the programme office's home."""
    demand = _demand_funnel(user, period) if _sees_demand(user) else []
    return [*demand, *_candidate_funnel(user, period)]


def programme_figures(user: User, period: Period = Period()) -> ProgrammeFigures:
    """The programme's figures as `user` may see them, restricted to `period` (see the
    module's docstring for what each one counts)."""
    sees_demand = _sees_demand(user)
    return ProgrammeFigures(
        period=period,
        funnel=funnel_figures(user, period),
        demand=_demand(user, period) if sees_demand else [],
        obstacles=_obstacles(user, period),
        tranches=_tranches(user, period),
    )


RETENTION_MONTHS = (FollowUp.Months.THREE, FollowUp.Months.SIX)


@dataclass(frozen=True)
class RetentionCell:
    """At one horizon (3 or 6 months): the placements whose check there is closed, and how
    many of them were still in the job at that date."""

    known: int
    kept: int
    url: str = ""

    @property
    def percent(self) -> int | None:
        return round(100 * self.kept / self.known) if self.known else None


@dataclass(frozen=True)
class RetentionRow:
    label: str
    at_3: RetentionCell
    at_6: RetentionCell

    @property
    def cells(self) -> tuple[RetentionCell, RetentionCell]:
        return self.at_3, self.at_6


@dataclass(frozen=True)
class RetentionFigures:
    total: RetentionRow
    profiles: list[RetentionRow]
    companies: list[RetentionRow]
    classes: list[RetentionRow]

    @property
    def known(self) -> bool:
        """Whether any check at 3 or 6 months is closed yet."""
        return bool(self.total.at_3.known or self.total.at_6.known)

    @property
    def totals(self) -> list[tuple[Meaning, RetentionCell]]:
        """Retention over all placements at 3 and at 6 months, each with what it counts."""
        return list(zip(meanings("retention_3", "retention_6"), self.total.cells, strict=True))

    @property
    def tables(self) -> list[tuple[str, str, str, list[RetentionRow]]]:
        """(caption, heading of the groups, key, rows) of each grouping that has rows."""
        tables = [
            (_("Retention by profile"), _("Profile"), "profiles", self.profiles),
            (_("Retention by company"), _("Company"), "companies", self.companies),
            (_("Retention by employability class"), _("Class"), "classes", self.classes),
        ]
        return [table for table in tables if table[3]]


def retention_figures(user: User) -> RetentionFigures:
    """Retention at 3 and at 6 months after the start of a job, over every placement `user`
    may see (all of them for the programme's people, their centre's candidates' for a
    caseworker), whatever the dashboard's period: per job profile, per company (for those who
    see the demand side) and per employability class, in one grouped query each.

    At each horizon it counts the placements whose check there is closed: recorded, or no
    longer needed because an earlier check found the job ended (left out, a job lost in the
    first month would raise the 3-month retention instead of lowering it). Of those, the
    placements still in the job on the date the check was due count as kept: the job has not
    ended, or it ended on that date or later (a check made late may find a job that ended
    after it). Each count of closed checks links the follow-up list that shows them.
    """
    checks = (
        scope(user, FollowUp)
        .filter(months__in=RETENTION_MONTHS)
        .exclude(status=FollowUp.Status.PENDING)
    )
    need = "entry__shortlist__need"
    classes = _retention_rows(
        checks,
        "entry__candidate__employability",
        label=lambda group: (
            EmployabilityClass(group["entry__candidate__employability"]).label
            if group["entry__candidate__employability"]
            else _("Not assessed")
        ),
        query=lambda group: (
            {"employability": group["entry__candidate__employability"]}
            if group["entry__candidate__employability"]
            else None
        ),
    )
    return RetentionFigures(
        total=RetentionRow(
            _("All placements"),
            *(
                RetentionCell(
                    known=sum(getattr(row, at).known for row in classes),
                    kept=sum(getattr(row, at).kept for row in classes),
                    url=_follow_ups_url(months),
                )
                for at, months in (("at_3", 3), ("at_6", 6))
            ),
        ),
        profiles=_retention_rows(
            checks,
            f"{need}__profile",
            f"{need}__profile__name_it",
            f"{need}__profile__name_en",
            label=lambda group: (
                group[f"{need}__profile__name_en"]
                if (get_language() or "it").startswith("en")
                else group[f"{need}__profile__name_it"]
            ),
            query=lambda group: {"profile": group[f"{need}__profile"]},
        ),
        companies=(
            _retention_rows(
                checks,
                f"{need}__company",
                f"{need}__company__organisation__name",
                label=lambda group: group[f"{need}__company__organisation__name"],
                query=lambda group: {"company": group[f"{need}__company"]},
            )
            if _sees_demand(user)
            else []
        ),
        classes=classes,
    )


def _follow_ups_url(months: int, query: dict | None = None) -> str:
    return list_url("training:follow_up_list", {"show": "done", "months": months, **(query or {})})


def _retention_rows(checks: QuerySet, *group: str, label, query) -> list[RetentionRow]:
    """One row per group (`group` are the fields grouped by, the first one its key), most
    placements known first; `label` and `query` (the list filter, None for no link) are
    computed from each group."""
    kept = Q(entry__ended_on__isnull=True) | Q(entry__ended_on__gte=F("due_on"))
    counts = {}
    for months in RETENTION_MONTHS:
        counts[f"known_{months}"] = Count("pk", filter=Q(months=months))
        counts[f"kept_{months}"] = Count("pk", filter=Q(months=months) & kept)
    groups = (
        checks.values(*group)
        .annotate(**counts)
        .order_by(F("known_3").desc(), F("known_6").desc(), group[0])
    )

    def cell(values: dict, months: int) -> RetentionCell:
        filters = query(values)
        return RetentionCell(
            known=values[f"known_{months}"],
            kept=values[f"kept_{months}"],
            url="" if filters is None else _follow_ups_url(months, filters),
        )

    return [RetentionRow(str(label(values)), cell(values, 3), cell(values, 6)) for values in groups]


@dataclass(frozen=True)
class CompanyNeedRow:
    """One of the company's needs: people needed and people hired through the programme."""

    profile: str
    workplace: str
    campaign: str
    status: str
    headcount: int
    hired: int
    url: str
    hired_url: str = ""


@dataclass(frozen=True)
class CompanyShortlistRow:
    """A shortlist shared with the company, its candidates counted by pipeline step: counts
    only, never who they are."""

    profile: str
    workplace: str
    shared_at: datetime.datetime
    url: str
    steps: list[Figure]

    @property
    def total(self) -> int:
        return sum(step.value for step in self.steps)


@dataclass(frozen=True)
class CompanyFigures:
    needs: list[CompanyNeedRow]
    shortlists: list[CompanyShortlistRow]

    @property
    def headcount(self) -> int:
        return sum(row.headcount for row in self.needs)

    @property
    def hired(self) -> int:
        return sum(row.hired for row in self.needs)

    @property
    def definitions(self) -> list[Meaning]:
        """What the company's figures count: its needs' people needed and hired, then the
        candidates of its shortlists by step."""
        return meanings("headcount", "company_hired", "company_steps")


# The pipeline steps a company sees, in the order candidates go through them (withdrawn
# entries are the programme's business and never shown to the company).
COMPANY_STEPS = (
    Entry.Status.PROPOSED,
    Entry.Status.INTERESTED,
    Entry.Status.INTERVIEW_REQUESTED,
    Entry.Status.INTERVIEW_AGREED,
    Entry.Status.HIRED,
    Entry.Status.NOT_HIRED,
    Entry.Status.NOT_INTERESTED,
)


def company_figures(user: User, period: Period = Period()) -> CompanyFigures:
    """Company HR's dashboard: their company's needs not cancelled (in the campaign), with
    people needed and people hired, and the shortlists shared with them, with their
    candidates counted by step. Two queries; everything starts from the user's scope."""
    needs = (
        _needs(user, period)
        .select_related("profile", "workplace", "campaign", "shortlist")
        .annotate(
            hired=Count(
                "shortlist__entries", filter=Q(shortlist__entries__status=Entry.Status.HIRED)
            )
        )
        .order_by("-campaign__opens_on", "profile__name_it", "pk")
    )
    shortlists = shortlist_list(actor=user)
    if period.campaign is not None:
        shortlists = shortlists.filter(need__campaign=period.campaign)
    return CompanyFigures(
        needs=[_company_need(need) for need in needs],
        shortlists=[_company_shortlist(shortlist) for shortlist in shortlists],
    )


def _cards_url(shortlist_id: int, status: str = "") -> str:
    url = reverse("matching:shortlist_cards", args=[shortlist_id])
    return f"{url}?{urlencode({'status': status})}" if status else url


def _company_need(need: Need) -> CompanyNeedRow:
    shortlist = getattr(need, "shortlist", None)
    shared = shortlist is not None and shortlist.shared_at is not None
    return CompanyNeedRow(
        profile=str(need.profile),
        workplace=need.workplace.name,
        campaign=need.campaign.name,
        status=need.get_status_display(),
        headcount=need.headcount,
        hired=need.hired,
        url=need.get_absolute_url(),
        hired_url=_cards_url(shortlist.pk, Entry.Status.HIRED) if shared else "",
    )


def _company_shortlist(shortlist) -> CompanyShortlistRow:
    return CompanyShortlistRow(
        profile=str(shortlist.need.profile),
        workplace=shortlist.need.workplace.name,
        shared_at=shortlist.shared_at,
        url=_cards_url(shortlist.pk),
        steps=[
            Figure(
                step.label, getattr(shortlist, f"n_{step.value}"), _cards_url(shortlist.pk, step)
            )
            for step in COMPANY_STEPS
        ],
    )
