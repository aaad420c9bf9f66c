from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.access import scope
from accounts.models import Organisation, User
from focus.lists import search


def user_list(
    *, actor: User, q: str = "", role: str = "", organisation=None, active: str = ""
) -> QuerySet:
    """Users `actor` may see, filtered as on the users page, with their organisation."""
    users = search(
        scope(actor, User).with_organisation(),
        q,
        ("username", "first_name", "last_name", "email"),
    )
    if role:
        users = users.filter(role=role)
    if organisation is not None:
        users = users.filter(organisation=organisation)
    if active in {"0", "1"}:
        users = users.filter(is_active=active == "1")
    return users


def organisation_list(*, actor: User, q: str = "") -> QuerySet:
    """Organisations `actor` may see, each with its number of active users; with `q`, those
    whose name or code has its words."""
    organisations = search(scope(actor, Organisation), q, ("name", "code"))
    # Meta.ordering does not apply to aggregated queries: order explicitly.
    return organisations.annotate_members().order_by("kind", "name", "pk")


def lockout_list() -> QuerySet:
    """The username and address pairs locked out now by repeated failed logins, latest first."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time", "pk")


def second_factor_required(user: User) -> bool:
    """Whether `user`'s role must log in with a second factor (settings.MFA_REQUIRED_ROLES)."""
    return user.role in settings.MFA_REQUIRED_ROLES


def second_factor_device(user: User) -> TOTPDevice | None:
    """The authenticator app `user` confirmed, or None."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def second_factor_expected(user: User) -> bool:
    """Whether `user` is asked for a second factor after the password: their role requires
    it, or they set one up of their own accord."""
    return second_factor_required(user) or user_has_device(user, confirmed=True)


def backup_codes_left(user: User) -> int:
    """How many of `user`'s backup codes are still unused."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def addresses(roles: Iterable[str]) -> list[str]:
    """The e-mail addresses of the active users of `roles`, for what the portal tells them."""
    return list(
        User.objects.filter(role__in=list(roles), is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
