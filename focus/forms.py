"""What the portal's forms share: a service's refusal shown where the user typed."""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

T = TypeVar("T")


def refusal_show(form: forms.BaseForm, refused: ValidationError) -> None:
    """Show a service's refusal on the form whose data it was given: each problem keyed by a
    field of the form on that field, the others (keyed by no field, or by one the form does
    not show) above the fields. What was typed stays."""
    if not hasattr(refused, "error_dict"):
        form.add_error(None, refused)
        return
    for name, problems in refused.error_dict.items():
        shown = name != NON_FIELD_ERRORS and name in form.fields
        form.add_error(name if shown else None, problems)


def form_submit(form: forms.BaseForm, service: Callable[..., T], **values) -> T | None:
    """What `service(**values)` returns for the posted, valid `form`; None when the service
    refuses, its reasons then shown on the form (`refusal_show`)."""
    try:
        return service(**values)
    except ValidationError as refused:
        refusal_show(form, refused)
        return None
