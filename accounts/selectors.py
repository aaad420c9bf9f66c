from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.access import scope
from accounts.models import Organisation, User


def user_list(
    *, actor: User, q: str = "", role: str = "", organisation=None, active: str = ""
) -> QuerySet:
    """Users `actor` may see, filtered as on the users page, with their organisation."""
    users = scope(actor, User).with_organisation()
    if q:
        users = users.filter(
            Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(email__icontains=q)
        )
    if role:
        users = users.filter(role=role)
    if organisation is not None:
        users = users.filter(organisation=organisation)
    if active in {"0", "1"}:
        users = users.filter(is_active=active == "1")
    return users


def organisation_list(*, actor: User) -> QuerySet:
    """Organisations `actor` may see, each with its number of active users."""
    # Meta.ordering does not apply to aggregated queries: order explicitly.
    return scope(actor, Organisation).annotate_members().order_by("kind", "name")


def lockout_list() -> QuerySet:
    """The username and address pairs locked out now by repeated failed logins, latest first."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time", "pk")
