"""The access mechanism every view goes through.

Two questions, answered the same way for every app:

- `scope(user, Model)`: the queryset of `Model` that `user` may see. The model's QuerySet
  declares the rule as `visible_to(user)`; a model without one is invisible to everybody.
- `can(user, action, obj)`: may `user` do `action` on `obj` (an instance) or on the model
  class (actions such as "list" or "create")? The model declares the rule as a classmethod
  `permits(user, action, obj)`; a model without one permits nothing.

Rules live next to their models, so this module imports no domain app. Anonymous and
deactivated users see nothing and may do nothing.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models


def _is_active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def scope(user, model: type[models.Model]) -> models.QuerySet:
    queryset = model._default_manager.all()
    if not _is_active(user) or not hasattr(queryset, "visible_to"):
        return queryset.none()
    return queryset.visible_to(user)


def can(user, action: str, obj) -> bool:
    model = obj if isinstance(obj, type) else type(obj)
    instance = None if isinstance(obj, type) else obj
    permits = getattr(model, "permits", None)
    if not _is_active(user) or permits is None:
        return False
    return bool(permits(user, action, instance))


def require(user, action: str, obj) -> None:
    """Raise PermissionDenied (403) unless `can(user, action, obj)`."""
    if not can(user, action, obj):
        raise PermissionDenied


def permission_required(action: str, model: type[models.Model]):
    """View decorator: the class-level check (`can(user, action, Model)`) before the view runs."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, action, model)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
