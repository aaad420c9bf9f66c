"""Reads of the notifications app: a user's notifications, the menu's count, and whom the
apps' notices go to."""

from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from accounts.access import scope
from accounts.models import User
from notifications.models import Notification

# The orders the list offers: the newest first, or those not yet read first (each newest
# first among them).
ORDERS = {
    "newest": ("-created_at", "-pk"),
    "unread": (
        Case(
            When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        "-created_at",
        "-pk",
    ),
}


def notification_list(*, actor: User, order: str = "newest") -> QuerySet:
    """`actor`'s notifications, in `order` (one of ORDERS; the newest first otherwise)."""
    return scope(actor, Notification).order_by(*ORDERS.get(order, ORDERS["newest"]))


def unread_count(user: User) -> int:
    """How many of `user`'s notifications are not read yet: one query (a partial index)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_annotation() -> dict:
    """The same count as an annotation of the query that loads the user on every request
    (`user_annotations`, accounts.backends): the menu's bell costs no query of its own."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return {"notifications_unread": Coalesce(Subquery(unread, output_field=IntegerField()), 0)}


def matching_officers() -> list[User]:
    """The programme office's matching officers, whom the companies' moves and the
    shortlisted candidates' due dates concern."""
    return list(User.objects.filter(role=User.Role.STAFF, is_active=True))


def caseworkers_of(candidate) -> list[User]:
    """Who follows `candidate` at their centre: their own caseworker while they are one of
    the centre's active caseworkers, else every active caseworker of the centre. Nobody of
    another centre."""
    centre = list(
        User.objects.filter(
            role=User.Role.CASEWORKER, organisation_id=candidate.centre_id, is_active=True
        )
    )
    own = [user for user in centre if user.pk == candidate.caseworker_id]
    return own or centre


def company_hr_of(organisation_id: int) -> list[User]:
    """The active HR users of a company (by its organisation)."""
    return list(
        User.objects.filter(
            role=User.Role.COMPANY_HR, organisation_id=organisation_id, is_active=True
        )
    )
