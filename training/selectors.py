import datetime

from django.db.models import Count, F, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.access import scope
from accounts.models import User
from candidates.filters import between
from candidates.models import Candidate
from focus.lists import search
from training.models import Course, CourseOffer, Enrolment, FollowUp, SupportAction

# What a list's search looks in to find a person by name.
CANDIDATE_NAME = ("candidate__first_name", "candidate__last_name")


def end_of_week() -> datetime.date:
    """The Sunday of the current week: "due this week" means due by then (overdue included)."""
    today = timezone.localdate()
    return today + datetime.timedelta(days=6 - today.weekday())


# The action list's `funding` value for actions nobody has decided who pays yet.
NO_FUNDING = "none"


def _with_candidates(lookup: str = "candidate") -> Prefetch:
    """A list's candidates (with their centres) fetched by key for the page's rows only: joined
    to every row in scope, they made PostgreSQL read all the candidates to sort the rows."""
    return Prefetch(lookup, queryset=Candidate.objects.select_related("centre"))


def support_actions(
    *,
    actor: User,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet:
    """The actions `actor` may see, proposed within the period (both ends inclusive, either
    may be missing). The dashboard's support figures and the workbook's sheets count these,
    and the action list filters them further, so a figure and its list always agree."""
    return scope(actor, SupportAction).filter(between("created_at__date", date_from, date_to))


def support_action_list(
    *,
    actor: User,
    show: str = "open",
    kind: str = "",
    status: list[str] | tuple[str, ...] = (),
    funding: int | str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    q: str = "",
) -> QuerySet:
    """The actions `actor` may see, the next due first: open ones (by default), those due by
    the end of this week (overdue included), or all; of one kind, paid by a funding channel
    (its pk, or NO_FUNDING for those not decided yet), proposed within the period; with `q`,
    those whose candidate's name has its words.

    Statuses, when given, say which actions to list in place of "open" (a form sends "open"
    with them unless told otherwise, and a finished status among the open ones would list
    nothing); "due" still restricts them to those due by the end of the week."""
    actions = (
        support_actions(actor=actor, date_from=date_from, date_to=date_to)
        .select_related("owner", "partner", "funding")
        .prefetch_related(_with_candidates())
    )
    if status:
        actions = actions.filter(status__in=status)
    elif show != "all":
        actions = actions.exclude(status__in=SupportAction.FINAL)
    if show == "due":
        actions = actions.filter(due_on__lte=end_of_week())
    if kind:
        actions = actions.filter(kind=kind)
    if funding == NO_FUNDING:
        actions = actions.filter(funding__isnull=True)
    elif funding:
        actions = actions.filter(funding_id=funding)
    actions = search(actions, q, CANDIDATE_NAME)
    return actions.order_by(F("due_on").asc(nulls_last=True), "-created_at", "-pk")


def course_list(*, actor: User, status: str = "", profile=None, q: str = "") -> QuerySet:
    """The courses `actor` may see, the ones still to come first, with their seats taken;
    with `q`, those whose title or host has its words."""
    courses = (
        search(scope(actor, Course), q, ("title", "host__organisation__name"))
        .select_related("host__organisation", "funding", "comune")
        .prefetch_related("profiles")
        .annotate(
            taken=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.ACTIVE)),
            completed=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.COMPLETED)),
            starts_on=Min("sessions__date"),
        )
    )
    if status:
        courses = courses.filter(status=status)
    if profile is not None:
        courses = courses.filter(profiles=profile)
    return courses.order_by(F("starts_on").desc(nulls_first=True), "-pk")


def offer_list(*, actor: User, q: str = "") -> QuerySet:
    """What member companies offered for training that `actor` may see, the latest first;
    with `q`, the offers whose company, course, profile or details have its words."""
    offers = scope(actor, CourseOffer).select_related(
        "company__organisation", "course", "profile", "comune"
    )
    offers = search(
        offers,
        q,
        (
            "company__organisation__name",
            "course__title",
            "profile__name_it",
            "profile__name_en",
            "description",
        ),
    )
    return offers.order_by("-created_at", "-pk")


def enrolments(
    *,
    actor: User,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet:
    """The enrolments `actor` may see, proposed within the period (both ends inclusive,
    either may be missing): what the dashboard's course outcomes and the workbook's
    Formazione sheet count, and what the enrolment list filters further."""
    return scope(actor, Enrolment).filter(between("created_at__date", date_from, date_to))


def enrolment_list(
    *,
    actor: User,
    status: list[str] | tuple[str, ...] = (),
    drop_reason: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    q: str = "",
) -> QuerySet:
    """The enrolments `actor` may see, in some statuses, dropped for a reason, proposed within
    the period, and with `q` those whose candidate's name or course's title has its words;
    the latest finished first, then those still open."""
    rows = (
        enrolments(actor=actor, date_from=date_from, date_to=date_to)
        .select_related("course__host__organisation")
        .prefetch_related(_with_candidates())
    )
    if status:
        rows = rows.filter(status__in=status)
    if drop_reason:
        rows = rows.filter(drop_reason=drop_reason)
    rows = search(rows, q, (*CANDIDATE_NAME, "course__title"))
    return rows.order_by(F("finished_on").desc(nulls_last=True), "-created_at", "-pk")


def course_enrolments(*, actor: User, course: Course) -> QuerySet:
    """The course's enrolments `actor` may see, with their candidate (never for company HR:
    their view reads codes only, `course_enrolment_codes`)."""
    return (
        scope(actor, Enrolment)
        .filter(course=course)
        .select_related("candidate__centre")
        .order_by("status", "candidate__last_name", "candidate__first_name", "pk")
    )


def course_enrolment_codes(*, actor: User, course: Course) -> list[dict]:
    """What company HR see of a hosted course's enrolments: a code, the status, attendance."""
    rows = (
        scope(actor, Enrolment)
        .filter(course=course)
        .order_by("code")
        .values("code", "status", "attended_percent")
    )
    return [{**row, "status": Enrolment.Status(row["status"]).label} for row in rows]


def course_sessions(*, course: Course) -> list:
    """The course's sessions, each with how many attended it."""
    return list(
        course.sessions.annotate(present=Count("attendance", filter=Q(attendance__present=True)))
    )


class FollowUpShow:
    """What the follow-up list shows: the checks due this week, those overdue, both (due by
    the end of the week), all those still to be made, or those made (or closed as no longer
    needed)."""

    WEEK, OVERDUE, DUE, PENDING, DONE, ALL = "week", "overdue", "due", "pending", "done", "all"


def _follow_up_filter(show: str) -> Q:
    today = timezone.localdate()
    pending = Q(status=FollowUp.Status.PENDING)
    return {
        FollowUpShow.WEEK: pending & Q(due_on__gte=today, due_on__lte=end_of_week()),
        FollowUpShow.OVERDUE: pending & Q(due_on__lt=today),
        FollowUpShow.DUE: pending & Q(due_on__lte=end_of_week()),
        FollowUpShow.PENDING: pending,
        FollowUpShow.DONE: ~pending,
        FollowUpShow.ALL: Q(),
    }[show]


def follow_up_counts(*, actor: User) -> dict[str, int]:
    """How many checks `actor` may see are due this week (from today to Sunday) and how many
    are overdue (one query): what `follow_up_list` lists with show="week" and "overdue"."""
    return scope(actor, FollowUp).aggregate(
        week=Count("pk", filter=_follow_up_filter(FollowUpShow.WEEK)),
        overdue=Count("pk", filter=_follow_up_filter(FollowUpShow.OVERDUE)),
    )


def follow_up_list(
    *,
    actor: User,
    show: str = FollowUpShow.PENDING,
    months: int | None = None,
    profile=None,
    company=None,
    employability: str = "",
    q: str = "",
) -> QuerySet:
    """The checks `actor` may see, each with its placement (candidate, company, profile):
    those to make the next due first, those made the latest first. `profile`, `company` and
    `employability` (the candidate's class) narrow it as the dashboard's retention rows do,
    `q` to the checks whose candidate's name or company has its words."""
    checks = (
        scope(actor, FollowUp)
        .filter(_follow_up_filter(show))
        .select_related(
            "entry__shortlist__need__company__organisation",
            "entry__shortlist__need__profile",
        )
        .prefetch_related(_with_candidates("entry__candidate"))
    )
    if months:
        checks = checks.filter(months=months)
    if profile is not None:
        checks = checks.filter(entry__shortlist__need__profile=profile)
    if company is not None:
        checks = checks.filter(entry__shortlist__need__company=company)
    if employability:
        checks = checks.filter(entry__candidate__employability=employability)
    checks = search(
        checks,
        q,
        (
            "entry__candidate__first_name",
            "entry__candidate__last_name",
            "entry__shortlist__need__company__organisation__name",
        ),
    )
    if show == FollowUpShow.DONE:
        return checks.order_by("-done_on", "-pk")
    return checks.order_by("due_on", "pk")


def italian_levels_certified(candidate: Candidate) -> list[tuple[datetime.date, str]]:
    """(day, level) of every Italian level training certified for the candidate: the Italian
    courses they completed and the Italian-course support actions done with a level reached
    (`candidates.services.qualifications_grant` gave it to them then). What
    `interviews.services.candidate_facts` raises the verified level with."""
    courses = Enrolment.objects.filter(
        candidate=candidate, status=Enrolment.Status.COMPLETED, finished_on__isnull=False
    ).exclude(course__italian_level="")
    actions = SupportAction.objects.filter(
        candidate=candidate, status=SupportAction.Status.DONE, finished_on__isnull=False
    ).exclude(level_reached="")
    return [
        *courses.values_list("finished_on", "course__italian_level"),
        *actions.values_list("finished_on", "level_reached"),
    ]
