import datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from accounts.access import scope
from accounts.models import User
from candidates.filters import between
from training.models import SupportAction

# The action list's `funding` value for actions nobody has decided who pays yet.
NO_FUNDING = "none"


def end_of_week() -> datetime.date:
    """The Sunday of the current week: "due this week" means due by then (overdue included)."""
    today = timezone.localdate()
    return today + datetime.timedelta(days=6 - today.weekday())


def support_action_counts(*, actor: User) -> dict[str, int]:
    """How many of the actions `actor` may see are open, and how many of those are due by the
    end of this week: what `support_action_list` lists with show="open" and show="due"."""
    return (
        scope(actor, SupportAction)
        .exclude(status__in=SupportAction.FINAL)
        .aggregate(open=Count("pk"), due=Count("pk", filter=Q(due_on__lte=end_of_week())))
    )


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
) -> QuerySet:
    """The actions `actor` may see, the next due first: open ones (by default), those due by
    the end of this week (overdue included), or all; of one kind, paid by a funding channel
    (its pk, or NO_FUNDING for those not decided yet), proposed within the period.

    Statuses, when given, say which actions to list in place of "open" (a form sends "open"
    with them unless told otherwise, and a finished status among the open ones would list
    nothing); "due" still restricts them to those due by the end of the week."""
    actions = support_actions(actor=actor, date_from=date_from, date_to=date_to).select_related(
        "candidate__centre", "owner", "partner", "funding"
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
    return actions.order_by(F("due_on").asc(nulls_last=True), "-created_at", "-pk")
