"""Filters other apps add to the candidate list, without this app importing them.

The candidate list answers "which people does this figure count?" for the dashboards, and
many of those questions are about other apps' records (interviews, shortlists). An app names
a sequence on its AppConfig as `candidate_filters = "app.module.NAME"` holding `Stage` and
`CandidateFilter` objects; the list's filter form offers them and the list selector applies
them. Each one is a `Q` condition on Candidate, so a dashboard can count with the very same
condition (`Count("pk", filter=...)`) and its figure always equals the list's length.

The list's period (`date_from`, `date_to`, both inclusive and optional) qualifies the date of
the chosen stage and of the filters that say they use it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.db.models import Q
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate

Dates = tuple[datetime.date | None, datetime.date | None]


def between(lookup: str, date_from: datetime.date | None, date_to: datetime.date | None) -> Q:
    """`lookup` (a date lookup such as "created_at__date") within the inclusive period."""
    condition = Q()
    if date_from:
        condition &= Q(**{f"{lookup}__gte": date_from})
    if date_to:
        condition &= Q(**{f"{lookup}__lte": date_to})
    return condition


@dataclass(frozen=True)
class Stage:
    """A step of the programme a candidate has reached, as of a date in the period."""

    value: str
    label: str
    condition: Callable[[datetime.date | None, datetime.date | None], Q]
    order: int = 50


@dataclass(frozen=True)
class CandidateFilter:
    """One more field of the list's filter form: `condition(value, date_from, date_to)`."""

    name: str
    field: Callable[[], forms.Field]
    condition: Callable[..., Q]


def registered(date_from: datetime.date | None = None, date_to: datetime.date | None = None) -> Q:
    """Registered (any status but draft), registration date within the period."""
    return ~Q(status=Candidate.Status.DRAFT) & between("created_at__date", date_from, date_to)


STAGES = (Stage("registered", _("Registered"), registered, order=10),)


def _declared() -> list:
    found = []
    for config in apps.get_app_configs():
        path = getattr(config, "candidate_filters", None)
        if path:
            found.extend(import_string(path))
    return found


def stages() -> list[Stage]:
    """Every stage, the candidates app's own first, then those other apps declare."""
    declared = [item for item in _declared() if isinstance(item, Stage)]
    return sorted([*STAGES, *declared], key=lambda stage: stage.order)


def extra_filters() -> list[CandidateFilter]:
    return [item for item in _declared() if isinstance(item, CandidateFilter)]
