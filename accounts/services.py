"""Writes on users and organisations."""

import datetime
import hashlib
import hmac
import logging
import math
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp import verify_token as otp_verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import PasswordResetForm
from accounts.models import LinkRequest, Organisation, User

logger = logging.getLogger(__name__)


def _apply_role(user: User, *, role: str, organisation: Organisation) -> None:
    user.role = role
    user.organisation = organisation
    user.organisation_kind = organisation.kind
    # Administrators of the programme also manage the raw tables in Django's admin site.
    user.is_staff = user.is_superuser = role == User.Role.ADMIN


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    organisation: Organisation,
    portal_url: str,
    language: str,
) -> User:
    """Create a user without a password and e-mail them, once the user is committed, a link
    to choose one: on `portal_url` (the portal's address, scheme and host), in `language`.

    The administrator never types or sees the new user's password.
    """
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    _apply_role(user, role=role, organisation=organisation)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    _invitation_enqueue(user=user, portal_url=portal_url, language=language)
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    organisation: Organisation,
) -> User:
    user.email, user.first_name, user.last_name = email, first_name, last_name
    _apply_role(user, role=role, organisation=organisation)
    user.full_clean()
    user.save(
        update_fields=[
            "email",
            "first_name",
            "last_name",
            "role",
            "organisation",
            "organisation_kind",
            "is_staff",
            "is_superuser",
        ]
    )
    return user


def user_set_active(*, user: User, active: bool) -> User:
    """Deactivate or reactivate an account. A deactivated user is logged out at their next
    request (Django's authentication backend refuses inactive users)."""
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def organisation_create(*, name: str, code: str, kind: str, is_active: bool = True) -> Organisation:
    """A programme office, an agency or a charity centre. A company's organisation comes with
    the company (`companies.services.company_register`), its partita IVA with it. Raises
    ValidationError keyed by field, writing nothing."""
    if kind == Organisation.Kind.COMPANY:
        raise ValidationError(
            {"kind": _("A company is registered from the companies' pages, with its partita IVA.")},
            code="company_kind",
        )
    organisation = Organisation(name=name, code=code, kind=kind, is_active=is_active)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, name: str, code: str, is_active: bool, kind: str | None = None
) -> Organisation:
    """Rename, recode, deactivate or reactivate an organisation. Its kind never changes: its
    users' roles were checked against it (`kind`, when given, must be the one it has).
    Raises ValidationError keyed by field, writing nothing."""
    if kind is not None and kind != organisation.kind:
        raise ValidationError(
            {"kind": _("An organisation's kind cannot change: its users' roles depend on it.")},
            code="kind_changed",
        )
    organisation.name, organisation.code, organisation.is_active = name, code, is_active
    organisation.full_clean()
    organisation.save(update_fields=["name", "code", "is_active"])
    return organisation


class TooManyLinkRequests(Exception):
    """More password links were asked than the limits allow; nothing was sent."""


LINK_WINDOW = datetime.timedelta(hours=1)
LINK_KEPT = datetime.timedelta(days=1)


def _address_digest(email: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def _link_request_record(*, kind: str, email: str, ip: str | None) -> tuple[int, int]:
    """Record a request for a link; return how many the address and the network made in the
    last LINK_WINDOW, this one included. Requests older than LINK_KEPT are forgotten."""
    now = timezone.now()
    LinkRequest.objects.filter(requested_at__lt=now - LINK_KEPT).delete()
    digest = _address_digest(email)
    LinkRequest.objects.create(kind=kind, address_digest=digest, client_ip=ip)
    recent = LinkRequest.objects.filter(kind=kind, requested_at__gte=now - LINK_WINDOW)
    by_ip = recent.filter(client_ip=ip).count() if ip else 0
    return recent.filter(address_digest=digest).count(), by_ip


@transaction.atomic
def password_reset_request(
    *, email: str, client_ip: str | None, portal_url: str, language: str
) -> None:
    """Queue a reset link for the active users with `email`, if any, within the limits: on
    `portal_url` (the portal's address, scheme and host), in `language`. `client_ip`: the
    address that asked (accounts.network.client_ip), None if unknown.

    The answer is the same whether the address belongs to someone or not: the users are looked
    up and the e-mail written by the background worker, after the request has answered. Past
    PASSWORD_LINKS_PER_ADDRESS an hour for one address nothing more is sent, silently. Past
    PASSWORD_LINKS_PER_NETWORK an hour from one address, TooManyLinkRequests is raised (the
    page says so, whichever address was typed).
    """
    by_address, by_ip = _link_request_record(kind=LinkRequest.Kind.RESET, email=email, ip=client_ip)
    if by_ip > settings.PASSWORD_LINKS_PER_NETWORK:
        raise TooManyLinkRequests
    if by_address <= settings.PASSWORD_LINKS_PER_ADDRESS:
        _link_enqueue(
            kind=LinkRequest.Kind.RESET, email=email, portal_url=portal_url, language=language
        )


@transaction.atomic
def user_send_invitation(
    *, user: User, client_ip: str | None, portal_url: str, language: str
) -> None:
    """Queue an e-mail to `user` with a one-time link to choose their password (valid
    PASSWORD_RESET_TIMEOUT), on `portal_url`, in `language`; `client_ip`: the administrator's
    address. Raises TooManyLinkRequests past PASSWORD_LINKS_PER_ADDRESS invitations an hour
    for the same user."""
    by_address, _by_ip = _link_request_record(
        kind=LinkRequest.Kind.INVITATION, email=user.email, ip=client_ip
    )
    if by_address > settings.PASSWORD_LINKS_PER_ADDRESS:
        raise TooManyLinkRequests
    _invitation_enqueue(user=user, portal_url=portal_url, language=language)


def _invitation_enqueue(*, user: User, portal_url: str, language: str) -> None:
    _link_enqueue(
        kind=LinkRequest.Kind.INVITATION, email=user.email, portal_url=portal_url, language=language
    )


def _link_enqueue(*, kind: str, email: str, portal_url: str, language: str) -> None:
    """Queue the link's e-mail for when the transaction commits (nothing for work rolled
    back). Its own task, not `tasks.mail_send_on_commit`: the worker looks the users up and
    makes the one-time link itself, so that the task's stored record never holds a working
    link, and a reset for an unknown address costs the request the same as for a known one."""
    from accounts.tasks import password_link_send_task

    address = urlsplit(portal_url)
    arguments = {
        "kind": kind,
        "email": email,
        "domain": address.netloc,
        "use_https": address.scheme == "https",
        "language": language,
    }
    transaction.on_commit(lambda: password_link_send_task.enqueue(**arguments))


def password_link_send(
    *, kind: str, email: str, domain: str, use_https: bool, language: str | None = None
) -> None:
    """E-mail the active users with `email` a one-time link to choose a password: the reset
    message, or the invitation of a new account, in `language` (the portal's own when not
    given)."""
    templates = {
        LinkRequest.Kind.RESET: (
            "accounts/email/password_reset_subject.txt",
            "accounts/email/password_reset.txt",
        ),
        LinkRequest.Kind.INVITATION: (
            "accounts/email/invitation_subject.txt",
            "accounts/email/invitation.txt",
        ),
    }
    subject, body = templates[LinkRequest.Kind(kind)]
    form = PasswordResetForm(data={"email": email})
    if form.is_valid():
        with translation.override(language or settings.LANGUAGE_CODE):
            form.save(
                domain_override=domain,
                use_https=use_https,
                subject_template_name=subject,
                email_template_name=body,
                extra_email_context={"hours": settings.PASSWORD_LINK_HOURS},
            )


def lockout_lift(*, attempt, actor: User) -> None:
    """Let a locked-out username try again from that address, now; logged with who did it."""
    from axes.utils import reset

    reset(ip=attempt.ip_address, username=attempt.username)
    logger.info(
        "Lockout of %s from %s lifted by %s", attempt.username, attempt.ip_address, actor.username
    )


def lockout_log(sender, request, username: str, ip_address: str, **kwargs) -> None:
    """django-axes locked a username out from an address (its user_locked_out signal)."""
    logger.warning(
        "Login locked out: %s from %s after %s failed attempts",
        username,
        ip_address,
        settings.AXES_FAILURE_LIMIT,
    )


# The second factor --------------------------------------------------------------------------

BACKUP_CODES = 10
APP_DEVICE_NAME = "authenticator app"
BACKUP_DEVICE_NAME = "backup codes"


class CodeRefused(Exception):
    """A second-factor code was wrong or already used; or it came too soon after wrong ones
    (`wait_seconds` above 0), when the device's throttling refuses any code, even a right one."""

    def __init__(self, wait_seconds: int = 0):
        super().__init__(wait_seconds)
        self.wait_seconds = wait_seconds


def second_factor_enrol_start(*, user: User) -> TOTPDevice:
    """The authenticator app `user` is setting up: the one started before, so that a QR code
    already scanned stays good when the page is opened again, or a new one with a new secret."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def second_factor_confirm(*, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the app being set up with a first code from it, and return its owner's new
    backup codes, to be shown once. Raises CodeRefused."""
    _code_check(device, _code_normalise(token))
    return _second_factor_activate(device=device)


@transaction.atomic
def _second_factor_activate(*, device: TOTPDevice) -> list[str]:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return backup_codes_regenerate(user=device.user)


def second_factor_verify(*, user: User, token: str) -> Device:
    """The confirmed device of `user` that accepts `token`: the app for a code of digits, the
    backup codes otherwise. Raises CodeRefused.

    Every code works once: the app's device keeps the time step of the last code it accepted
    (`last_t`) and refuses that step and those before; a backup code is deleted once used.
    Not one transaction on purpose: the device's own check commits the count of wrong codes,
    which makes the next attempt wait longer (django-otp's throttling), even when this raises.
    """
    token = _code_normalise(token)
    model = TOTPDevice if token.isdigit() else StaticDevice
    device = model.objects.devices_for_user(user, confirmed=True).first()
    if device is None:
        raise CodeRefused
    return _code_check(device, token)


def _code_normalise(token: str) -> str:
    return "".join(token.split()).replace("-", "").lower()


def _code_check(device: Device, token: str) -> Device:
    allowed, refusal = device.verify_is_allowed()
    if not allowed:
        locked_until = (refusal or {}).get("locked_until") or timezone.now()
        raise CodeRefused(max(1, math.ceil((locked_until - timezone.now()).total_seconds())))
    verified = otp_verify_token(device.user, device.persistent_id, token)
    if verified is None:
        raise CodeRefused
    return verified


@transaction.atomic
def backup_codes_regenerate(*, user: User) -> list[str]:
    """Give `user` BACKUP_CODES new backup codes, returned to be shown once; the earlier ones
    stop working."""
    device = StaticDevice.objects.filter(user=user).first() or StaticDevice(user=user)
    device.name, device.confirmed = BACKUP_DEVICE_NAME, True
    device.save()
    device.token_set.all().delete()
    codes = set()
    while len(codes) < BACKUP_CODES:
        code = StaticToken.random_token()
        if not code.isdigit():  # a code of digits alone would be taken for the app's
            codes.add(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return sorted(codes)


@transaction.atomic
def second_factor_reset(*, user: User, actor: User) -> None:
    """Forget `user`'s authenticator app and backup codes (a lost or replaced phone). Their
    open sessions stop counting as verified at once; they set up an app again at their next
    request if their role requires one, else when they choose to."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    logger.info(
        "Second factor of user %s (pk %s) reset by %s", user.username, user.pk, actor.username
    )
