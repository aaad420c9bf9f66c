"""Filters other apps add to the needs list, without this app importing them.

A need's shortlist belongs to the matching app, to the right of this one: "the open needs
nobody has shortlisted anyone for yet" is a question about its records. As the candidate list
does (see candidates.filters), an app names a sequence on its AppConfig as
`need_filters = "app.module.NAME"` holding `NeedFilter` objects; the needs page's filter form
offers them and `companies.selectors.need_list` applies them, each as a `Q` condition on Need,
so that a figure counting the same condition always equals the list's length.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.apps import apps
from django.db.models import Q
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class NeedFilter:
    """One more field of the needs page's filter form: `condition(value)` for a value given."""

    name: str
    field: Callable[[], forms.Field]
    condition: Callable[[Any], Q]


def extra_filters() -> list[NeedFilter]:
    found = []
    for config in apps.get_app_configs():
        path = getattr(config, "need_filters", None)
        if path:
            found.extend(import_string(path))
    return found
