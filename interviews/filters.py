"""What the interviews app adds to the candidate list's filters (see candidates.filters).

The period of the list restricts assessments by the day they were recorded.
"""

import datetime

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candidates.filters import CandidateFilter, Stage, between
from catalog.models import JobProfile
from interviews.models import Assessment, Obstacle

Day = datetime.date | None


def _assessed(date_from: Day, date_to: Day, **conditions) -> Q:
    """The candidates with an assessment recorded within the period meeting `conditions`.

    An uncorrelated `pk IN (...)` rather than a correlated EXISTS: in a list's WHERE the two
    plan alike (a semi-join), but in a dashboard's `Count(filter=...)` over every candidate
    PostgreSQL evaluates the IN once and hashes it, where EXISTS runs once a candidate (an
    interview is never without its candidate, so the two mean the same)."""
    assessments = Assessment.objects.filter(
        between("recorded_at__date", date_from, date_to), **conditions
    )
    return Q(pk__in=assessments.values("interview__candidate"))


def interviewed(date_from: Day = None, date_to: Day = None) -> Q:
    """Interviewed: at least one assessment recorded within the period."""
    return _assessed(date_from, date_to)


def with_obstacle(kind: str, date_from: Day = None, date_to: Day = None) -> Q:
    """An assessment recorded within the period found this obstacle."""
    return _assessed(date_from, date_to, obstacles__kind=kind)


def suitable_for(profile, date_from: Day = None, date_to: Day = None) -> Q:
    """An assessment recorded within the period named this profile among the suitable ones."""
    return _assessed(date_from, date_to, suitable_profiles__profile=profile)


CANDIDATE_FILTERS = (
    Stage("interviewed", _("Interviewed"), interviewed, order=20),
    CandidateFilter(
        "obstacle",
        lambda: forms.ChoiceField(
            label=_("Obstacle"),
            required=False,
            choices=[("", _("Any obstacle")), *Obstacle.Kind.choices],
        ),
        with_obstacle,
    ),
    CandidateFilter(
        "suitable_profile",
        lambda: forms.ModelChoiceField(
            label=_("Suitable for"),
            required=False,
            queryset=JobProfile.objects.all(),
            empty_label=_("Any profile"),
        ),
        suitable_for,
    ),
)
