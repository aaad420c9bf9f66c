"""What the matching app adds to the candidate list's filters (see candidates.filters) and to
the needs list's (see companies.filters).

The period of the candidate list restricts shortlist entries by the day they were added.
"""

import datetime

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candidates.filters import Stage, between
from companies.filters import NeedFilter
from matching.models import Entry

Day = datetime.date | None

# The pipeline steps at which an interview with the company was agreed or had taken place;
# an entry withdrawn after its interview was agreed still counts (its event says so).
COMPANY_INTERVIEW = (
    Entry.Status.INTERVIEW_AGREED,
    Entry.Status.HIRED,
    Entry.Status.NOT_HIRED,
)


def _entries(date_from: Day, date_to: Day, condition: Q) -> Q:
    """The candidates with an entry added within the period meeting `condition`, as an
    uncorrelated `pk IN (...)`: hashed once in a dashboard's `Count(filter=...)` over every
    candidate, where a correlated EXISTS runs once a candidate (see interviews.filters)."""
    entries = Entry.objects.filter(condition, between("added_at__date", date_from, date_to))
    return Q(pk__in=entries.values("candidate"))


def shortlisted(date_from: Day = None, date_to: Day = None) -> Q:
    """On at least one shortlist, whatever the entry's status, added within the period."""
    return _entries(date_from, date_to, Q())


def interviewed_by_company(date_from: Day = None, date_to: Day = None) -> Q:
    """An entry added within the period reached "interview agreed" (or hired / not hired)."""
    reached = Q(status__in=COMPANY_INTERVIEW) | Q(events__to_status=Entry.Status.INTERVIEW_AGREED)
    return _entries(date_from, date_to, reached)


def hired(date_from: Day = None, date_to: Day = None) -> Q:
    """An entry added within the period ended in a hire."""
    return _entries(date_from, date_to, Q(status=Entry.Status.HIRED))


CANDIDATE_FILTERS = (
    Stage("shortlisted", _("Shortlisted"), shortlisted, order=30),
    Stage("company_interview", _("Interviewed by a company"), interviewed_by_company, order=40),
    Stage("hired", _("Hired"), hired, order=50),
)


# The needs list's `shortlist` values: nobody on the need's shortlist yet, or somebody.
NOBODY_SHORTLISTED, SOMEBODY_SHORTLISTED = "none", "some"


def need_shortlisted(value: str) -> Q:
    """NOBODY_SHORTLISTED: the needs with no candidate on their shortlist (none built yet, or
    everyone on it withdrawn), the matching officers' next work (their home counts the open
    ones); SOMEBODY_SHORTLISTED: the others."""
    shortlisted = Q(
        pk__in=Entry.objects.exclude(status=Entry.Status.WITHDRAWN).values("shortlist__need")
    )
    return ~shortlisted if value == NOBODY_SHORTLISTED else shortlisted


NEED_FILTERS = (
    NeedFilter(
        "shortlist",
        lambda: forms.ChoiceField(
            label=_("Shortlist"),
            required=False,
            choices=[
                ("", _("Any")),
                (NOBODY_SHORTLISTED, _("Nobody shortlisted yet")),
                (SOMEBODY_SHORTLISTED, _("Somebody shortlisted")),
            ],
        ),
        need_shortlisted,
    ),
)
