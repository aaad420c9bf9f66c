import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import User

# The roles a calendar shows something to: their own interviews (recruiters), their centre's
# candidates' (caseworkers), their company's (company HR), every one (the programme office).
CALENDAR_ROLES = frozenset(
    {
        User.Role.ADMIN,
        User.Role.STAFF,
        User.Role.RECRUITER,
        User.Role.CASEWORKER,
        User.Role.COMPANY_HR,
    }
)


class CalendarPage:
    """The calendar page, which has no model of its own: the interviews on it are each
    read through its own rule (accounts.access.scope)."""

    ACTIONS = frozenset({"view"})

    @classmethod
    def permits(cls, user: User, action: str, obj=None) -> bool:
        return action == "view" and user.role in CALENDAR_ROLES


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeedQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "CalendarFeedQuerySet":
        return self.filter(user=user)


class CalendarFeed(models.Model):
    """A user's secret calendar address. Only the token's SHA-256 is kept: the address is
    shown once, when it is made; a new one replaces it, and a revoked one answers 404."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_read_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

    ACTIONS = frozenset({"change", "view"})

    @classmethod
    def permits(cls, user: User, action: str, obj: "CalendarFeed | None" = None) -> bool:
        own = obj is None or obj.user_id == user.pk
        return user.role in CALENDAR_ROLES and own and action in {"view", "change"}
