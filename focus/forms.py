"""What the portal's forms share: a service's refusal shown where the user typed, and
selects whose empty choice says what it means."""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

T = TypeVar("T")

# The empty choice Django gives a select it builds (a model's choices, a foreign key).
DJANGO_EMPTY_CHOICE = "---------"


class ChoicePrompts:
    """For a form with selects that Django builds: their empty choice reads "— choose —"
    (`empty_choice`) instead of Django's "---------". An empty choice the form names itself
    ("Not decided yet", "Any status") stays as it is."""

    empty_choice = _("— choose —")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            choice_prompt_set(field, self.empty_choice)


def choice_prompt_set(field: forms.Field, prompt: str) -> None:
    """Give `field`'s empty choice the text `prompt` where it is Django's "---------"."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_EMPTY_CHOICE:
            field.empty_label = prompt
    elif isinstance(field, forms.ChoiceField):
        choices = list(field.choices)
        if any(label == DJANGO_EMPTY_CHOICE for _value, label in choices):
            field.choices = [
                (value, prompt if label == DJANGO_EMPTY_CHOICE else label)
                for value, label in choices
            ]


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
