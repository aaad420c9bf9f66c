"""How often a user may do what the portal limits: actions that answer whether a person is
known (the intake form's duplicate check) or that carry a whole file (an import). The limits
are per user and per hour, from settings.RATE_LIMITS; the count is kept in the database, so
that every worker process reads the same one."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from accounts.models import RateEvent, User

WINDOW = datetime.timedelta(hours=1)
KEPT = datetime.timedelta(days=1)


def rate_limited(user: User, action: str) -> bool:
    """Count one `action` by `user` and say whether it is one too many this hour: then it is
    not counted, and the caller refuses it (429). An action without a limit is never one."""
    limit = settings.RATE_LIMITS.get(action)
    if not limit:
        return False
    now = timezone.now()
    with transaction.atomic():
        done = RateEvent.objects.filter(action=action, user=user, at__gt=now - WINDOW).count()
        if done >= limit:
            return True
        RateEvent.objects.create(action=action, user=user)
        if done == 0:  # the first of an hour clears the user's old ones
            RateEvent.objects.filter(user=user, at__lt=now - KEPT).delete()
    return False


def minutes_to_wait(user: User, action: str) -> int:
    """Minutes until the oldest action of the hour leaves the window."""
    oldest = (
        RateEvent.objects.filter(action=action, user=user, at__gt=timezone.now() - WINDOW)
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )
    if oldest is None:
        return 0
    left = oldest + WINDOW - timezone.now()
    return max(1, -(-int(left.total_seconds()) // 60))


def rate_refusal(user: User, action: str) -> str | None:
    """Count one `action` by `user` (`rate_limited`) and, when it is one too many this hour,
    say so: nothing was saved, and in how many minutes they may try again. None otherwise."""
    if not rate_limited(user, action):
        return None
    minutes = minutes_to_wait(user, action)
    return ngettext(
        "Too many attempts in the last hour: nothing was saved. Try again in %(minutes)s "
        "minute; what you typed is still here.",
        "Too many attempts in the last hour: nothing was saved. Try again in %(minutes)s "
        "minutes; what you typed is still here.",
        minutes,
    ) % {"minutes": minutes}
