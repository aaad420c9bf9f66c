"""The access mechanism every view goes through.

Two questions, answered the same way for every app:

- `scope(user, Model)`: the queryset of `Model` that `user` may see. The model's QuerySet
  declares the rule as `visible_to(user)`; a model without one is invisible to everybody.
- `can(user, action, obj)`: may `user` do `action` on `obj` (an instance) or on the model
  class (actions such as "list" or "create")? The model declares the rule as a classmethod
  `permits(user, action, obj)`; a model without one permits nothing.
- Each model declares the actions its rule answers for (`ACTIONS`); asking for any other
  raises UnknownAction, so a misspelt action fails the tests instead of denying quietly.
- `get_for(user, Model, pk, action=...)`: the one way a view reaches a record: 404 when it is
  outside the user's scope (as if it did not exist), 403 when it is in it but the action is
  not allowed.

Rules live next to their models, so this module imports no domain app. Anonymous and
deactivated users see nothing and may do nothing.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404


def _is_active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def scope(user, model: type[models.Model]) -> models.QuerySet:
    queryset = model._default_manager.all()
    if not _is_active(user) or not hasattr(queryset, "visible_to"):
        return queryset.none()
    return queryset.visible_to(user)


class UnknownAction(LookupError):
    """An action the model does not declare: a typo would otherwise silently deny."""


def _declared(model: type[models.Model], action: str) -> None:
    actions = getattr(model, "ACTIONS", None)
    if actions is not None and action not in actions:
        raise UnknownAction(
            f"{model.__name__} has no action {action!r} (it declares {', '.join(sorted(actions))})"
        )


def can(user, action: str, obj) -> bool:
    model = obj if isinstance(obj, type) else type(obj)
    instance = None if isinstance(obj, type) else obj
    permits = getattr(model, "permits", None)
    _declared(model, action)
    if not _is_active(user) or permits is None:
        return False
    return bool(permits(user, action, instance))


def require(user, action: str, obj) -> None:
    """Raise PermissionDenied (403) unless `can(user, action, obj)`."""
    if not can(user, action, obj):
        raise PermissionDenied


def get_for(
    user,
    model: type[models.Model],
    pk,
    *,
    action: str = "view",
    queryset: models.QuerySet | None = None,
) -> models.Model:
    """The record `pk` of `model` for `user` to do `action` on: Http404 when it is not in
    their scope (or does not exist), PermissionDenied (403) when it is but the action is not
    allowed. `queryset` (of `model`) brings what the page reads with it (select_related,
    prefetch_related, annotations); the user's scope is applied to it all the same."""
    scoped = scope(user, model)
    if queryset is not None:
        if queryset.model is not model:
            raise TypeError(f"a queryset of {queryset.model.__name__} for {model.__name__}")
        scoped = queryset & scoped
    try:
        obj = scoped.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No {model._meta.verbose_name} here.") from None
    require(user, action, obj)
    return obj


def permission_required(action: str, model: type[models.Model]):
    """View decorator: the class-level check (`can(user, action, Model)`) before the view runs."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, action, model)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
