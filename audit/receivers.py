"""The events of logging in and out, from Django's signals (the portal's login page and the
admin site's alike). A failed login records the address only: nothing of what was typed, not
even the username, and so no account either."""

from accounts.network import client_ip
from audit.context import acting
from audit.models import AuditEvent
from audit.services import audit_record


def _ip(request) -> str | None:
    return client_ip(request) if request is not None else None


def logged_in(sender, request, user, **kwargs) -> None:
    audit_record(AuditEvent.Action.LOGIN, user, actor=user, ip=_ip(request))


def logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(AuditEvent.Action.LOGOUT, user, actor=user, ip=_ip(request))


def login_failed(sender, credentials, request=None, **kwargs) -> None:
    with acting(None, _ip(request)):  # nobody: not even the user of the session, if any
        audit_record(AuditEvent.Action.LOGIN_FAILED)
