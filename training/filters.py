"""What the training app adds to the candidate list's filters (see candidates.filters).

The period of the list restricts the hire, as the matching app's "hired" does: shortlist
entries by the day they were added.
"""

import datetime

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from candidates.filters import Stage, between
from matching.models import Entry
from training.models import Enrolment, SupportAction

Day = datetime.date | None


def _hired_after(finished: QuerySet, date_from: Day, date_to: Day) -> Q:
    """Hired through an entry added within the period, after one of the `finished` rows
    (support actions or enrolments of the candidate, filtered to how they ended), whose
    `finished_on` is on or before the day of the hire (the day the entry moved to "hired"; a
    hire with no such step recorded has no date, and does not count).

    The conditions sit in one `filter()`, so the row, the entry and its step are joined
    once: the row finished before this very hire."""
    entries = "candidate__shortlist_entries"
    rows = finished.filter(
        between(f"{entries}__added_at__date", date_from, date_to),
        **{
            f"{entries}__status": Entry.Status.HIRED,
            f"{entries}__events__to_status": Entry.Status.HIRED,
        },
        finished_on__lte=F(f"{entries}__events__at__date"),
    )
    return Q(pk__in=rows.values("candidate_id"))


def hired_after_support(date_from: Day = None, date_to: Day = None) -> Q:
    """Hired through an entry added within the period, with a support action done on or
    before the day of the hire."""
    done = SupportAction.objects.filter(status=SupportAction.Status.DONE)
    return _hired_after(done, date_from, date_to)


def hired_after_course(date_from: Day = None, date_to: Day = None) -> Q:
    """Hired through an entry added within the period, having completed a course on or
    before the day of the hire."""
    completed = Enrolment.objects.filter(status=Enrolment.Status.COMPLETED)
    return _hired_after(completed, date_from, date_to)


CANDIDATE_FILTERS = (
    Stage("hired_after_support", _("Hired after a support action"), hired_after_support, order=55),
    Stage("hired_after_course", _("Hired after a course"), hired_after_course, order=56),
)
