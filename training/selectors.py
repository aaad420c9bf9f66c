import datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from accounts.access import scope
from accounts.models import User
from training.models import SupportAction


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


def support_action_list(*, actor: User, show: str = "open", kind: str = "") -> QuerySet:
    """The actions `actor` may see, the next due first: open ones (by default), those due by
    the end of this week (overdue included), or all."""
    actions = scope(actor, SupportAction).select_related("candidate__centre", "owner", "partner")
    if show != "all":
        actions = actions.exclude(status__in=SupportAction.FINAL)
    if show == "due":
        actions = actions.filter(due_on__lte=end_of_week())
    if kind:
        actions = actions.filter(kind=kind)
    return actions.order_by(F("due_on").asc(nulls_last=True), "-created_at", "-pk")
