import datetime

from django.db.models import F, QuerySet
from django.utils import timezone

from accounts.access import scope
from accounts.models import User
from training.models import SupportAction


def support_action_list(*, actor: User, show: str = "open", kind: str = "") -> QuerySet:
    """The actions `actor` may see, the next due first: open ones (by default), those due by
    the end of this week (overdue included), or all."""
    actions = scope(actor, SupportAction).select_related("candidate__centre", "owner", "partner")
    if show != "all":
        actions = actions.exclude(status__in=SupportAction.FINAL)
    if show == "due":
        today = timezone.localdate()
        sunday = today + datetime.timedelta(days=6 - today.weekday())
        actions = actions.filter(due_on__lte=sunday)
    if kind:
        actions = actions.filter(kind=kind)
    return actions.order_by(F("due_on").asc(nulls_last=True), "-created_at", "-pk")
