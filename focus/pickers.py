"""Searchable pickers for the portal's forms: a `<select>` the browser turns into a search box
with the chosen items shown as removable tags (Tom Select, served from our own origin by
static/js/pickers.js). Without JavaScript the plain `<select>` still works.

Two kinds:

- `Picker` / `MultiPicker` render every option and search them in the page: for lists a
  person can scroll (skills, certifications, the programme's comuni).
- Given `source` (the name of an options URL), only the chosen options are rendered and the
  others are asked for as the user types (`options_response`): for lists that grow with the
  programme (companies, organisations, candidates), so that no page ships thousands of
  options. The form field still validates against its whole queryset.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# How many options an on-demand picker offers at once: enough to choose from, while the user
# types on to narrow them.
OPTIONS_LIMIT = 20


class _PickerMixin:
    """What both pickers add to Django's select widgets: the data attributes pickers.js
    reads, with the texts the person reads in the portal's language."""

    def __init__(self, attrs=None, choices=(), *, source: str | None = None):
        """`source`: the name of the options URL, or its path when it takes arguments (a
        form sets it in `__init__`, e.g. the candidates a tranche may still take)."""
        super().__init__(attrs, choices)
        self.source = source

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        picker = {
            "data-picker": "multiple" if self.allow_multiple_selected else "single",
            "data-picker-no-results": str(_("No match")),
            "data-picker-remove": str(_("Remove")),
            "data-picker-placeholder": str(
                _("Type to search") if self.source else _("Type to search or choose")
            ),
        }
        if self.source:
            url = self.source if self.source.startswith("/") else reverse(self.source)
            picker["data-picker-source"] = url
            picker["data-picker-type-more"] = str(_("Type at least two letters"))
        context["widget"]["attrs"].update(picker)
        return context

    def optgroups(self, name, value, attrs=None):
        """On demand, only the chosen options (and the empty one) are rendered."""
        if not self.source:
            return super().optgroups(name, value, attrs)
        chosen = [str(v) for v in value if v not in ("", None)]
        groups = []
        if not self.allow_multiple_selected and not self.is_required:
            groups.append((None, [self.create_option(name, "", "", not chosen, 0)], 0))
        for index, (option_value, label) in enumerate(self._chosen_choices(chosen), start=1):
            option = self.create_option(name, option_value, label, True, index, attrs=attrs)
            groups.append((None, [option], index))
        return groups

    def _chosen_choices(self, chosen: list[str]) -> Iterable[tuple[Any, str]]:
        if not chosen:
            return []
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:
            return [(v, label) for v, label in self.choices if str(v) in chosen]
        field = self.choices.field
        valid = [v for v in chosen if v.isdigit()] if _integer_pk(queryset) else chosen
        return [
            (field.prepare_value(obj), field.label_from_instance(obj))
            for obj in queryset.filter(pk__in=valid)
        ]


def _integer_pk(queryset: QuerySet) -> bool:
    return queryset.model._meta.pk.get_internal_type() in {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
    }


class Picker(_PickerMixin, forms.Select):
    """A searchable single choice."""


class MultiPicker(_PickerMixin, forms.SelectMultiple):
    """A searchable multiple choice: the chosen items stay visible as tags."""


def options_response(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    search: Iterable[str],
    label: Callable[[Any], str] = str,
    limit: int = OPTIONS_LIMIT,
) -> JsonResponse:
    """The options an on-demand picker offers for what was typed (`?q=`), at most `limit`,
    in the queryset's order: `{"results": [{"value": ..., "text": ...}]}`. The caller gives
    a queryset already narrowed to what the user may see (`scope()`). Fewer than two
    characters answer nothing: a one-letter search would only list the first rows."""
    typed = request.GET.get("q", "").strip()
    if len(typed) < 2:
        return JsonResponse({"results": []})
    condition = Q()
    for word in typed.split()[:4]:
        condition &= _any_field(search, word)
    rows = queryset.filter(condition)[:limit]
    return JsonResponse({"results": [{"value": row.pk, "text": label(row)} for row in rows]})


def _any_field(fields: Iterable[str], word: str) -> Q:
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": word})
    return condition
