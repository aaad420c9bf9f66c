"""Who is acting, for the events recorded while a request (or a command) runs: the request's
user and address, set by `AuditContextMiddleware`, so that services and the model signals
need not be handed the request."""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from accounts.network import client_ip


@dataclass(frozen=True)
class Actor:
    user: object | None = None
    ip: str | None = None


NOBODY = Actor()
_current: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("audit_actor", default=None)


def current() -> Actor:
    return _current.get() or NOBODY


@contextmanager
def acting(user=None, ip: str | None = None) -> Iterator[None]:
    """Record the events inside the block as done by `user` from `ip` (commands, tasks)."""
    token = _current.set(Actor(user, ip))
    try:
        yield
    finally:
        _current.reset(token)


class AuditContextMiddleware:
    """Sets the acting user and address for the rest of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        token = _current.set(
            Actor(user if user is not None and user.is_authenticated else None, client_ip(request))
        )
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
