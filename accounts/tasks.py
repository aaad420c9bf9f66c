"""Background work of the accounts app, run by the task worker after the request commits."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def password_link_send_task(*, kind: str, email: str, domain: str, use_https: bool) -> None:
    """Send a password link (reset or invitation) away from the request that asked for it, so
    that how long the request took says nothing of whether the address has an account."""
    from accounts.services import password_link_send

    try:
        password_link_send(kind=kind, email=email, domain=domain, use_https=use_https)
    except Exception:
        # The address stays out of the log: the task's own record holds it.
        logger.exception("A password link (%s) could not be sent", kind)
        raise
