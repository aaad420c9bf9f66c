"""Writes on users and organisations."""

import datetime
import hashlib
import hmac
import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.forms import PasswordResetForm
from accounts.models import LinkRequest, Organisation, User
from accounts.network import client_ip

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
    request: HttpRequest,
) -> User:
    """Create a user without a password and e-mail them a link to choose one.

    The administrator never types or sees the new user's password.
    """
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    _apply_role(user, role=role, organisation=organisation)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    transaction.on_commit(lambda: _invitation_enqueue(user=user, request=request))
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
def password_reset_request(*, email: str, request: HttpRequest) -> bool:
    """Queue a reset link for the active users with `email`, if any, within the limits.

    The answer is the same whether the address belongs to someone or not: the users are looked
    up and the e-mail written by the background worker, after the request has answered. Past
    PASSWORD_LINKS_PER_ADDRESS an hour for one address nothing more is sent, silently. Past
    PASSWORD_LINKS_PER_NETWORK an hour from one address, TooManyLinkRequests is raised (the
    page says so, whichever address was typed).
    """
    ip = client_ip(request)
    by_address, by_ip = _link_request_record(kind=LinkRequest.Kind.RESET, email=email, ip=ip)
    if by_ip > settings.PASSWORD_LINKS_PER_NETWORK:
        raise TooManyLinkRequests
    if by_address <= settings.PASSWORD_LINKS_PER_ADDRESS:
        _link_enqueue(kind=LinkRequest.Kind.RESET, email=email, request=request)
    return True


@transaction.atomic
def user_send_invitation(*, user: User, request: HttpRequest) -> None:
    """Queue an e-mail to `user` with a one-time link to choose their password (valid
    PASSWORD_RESET_TIMEOUT). Raises TooManyLinkRequests past PASSWORD_LINKS_PER_ADDRESS
    invitations an hour for the same user."""
    by_address, _by_ip = _link_request_record(
        kind=LinkRequest.Kind.INVITATION, email=user.email, ip=client_ip(request)
    )
    if by_address > settings.PASSWORD_LINKS_PER_ADDRESS:
        raise TooManyLinkRequests
    _invitation_enqueue(user=user, request=request)


def _invitation_enqueue(*, user: User, request: HttpRequest) -> None:
    _link_enqueue(kind=LinkRequest.Kind.INVITATION, email=user.email, request=request)


def _link_enqueue(*, kind: str, email: str, request: HttpRequest) -> None:
    from accounts.tasks import password_link_send_task

    arguments = {
        "kind": kind,
        "email": email,
        "domain": request.get_host(),
        "use_https": request.is_secure(),
    }
    transaction.on_commit(lambda: password_link_send_task.enqueue(**arguments))


def password_link_send(*, kind: str, email: str, domain: str, use_https: bool) -> None:
    """E-mail the active users with `email` a one-time link to choose a password: the reset
    message, or the invitation of a new account."""
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
