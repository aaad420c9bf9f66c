"""What the training app adds to the candidate list's filters (see candidates.filters).

The period of the list restricts the hire, as the matching app's "hired" does: shortlist
entries by the day they were added.
"""

import datetime

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from candidates.filters import Stage, between
from matching.models import Entry
from training.models import Enrolment, SupportAction

Day = datetime.date | None


def hired_after_support(date_from: Day = None, date_to: Day = None) -> Q:
    """Hired through an entry added within the period, with a support action done on or
    before the day of the hire (the day the entry moved to "hired"; a hire with no such
    step recorded has no date, and does not count).

    The conditions sit in one `filter()`, so the action, the entry and its step are joined
    once: the action finished before this very hire."""
    entries = "candidate__shortlist_entries"
    actions = SupportAction.objects.filter(
        between(f"{entries}__added_at__date", date_from, date_to),
        **{
            f"{entries}__status": Entry.Status.HIRED,
            f"{entries}__events__to_status": Entry.Status.HIRED,
        },
        status=SupportAction.Status.DONE,
        finished_on__lte=F(f"{entries}__events__at__date"),
    )
    return Q(pk__in=actions.values("candidate_id"))


def hired_after_course(date_from: Day = None, date_to: Day = None) -> Q:
    """Hired through an entry added within the period, having completed a course on or
    before the day of the hire (the day the entry moved to "hired", as for a support
    action): the course came before this very hire, in one `filter()` as above."""
    entries = "candidate__shortlist_entries"
    enrolments = Enrolment.objects.filter(
        between(f"{entries}__added_at__date", date_from, date_to),
        **{
            f"{entries}__status": Entry.Status.HIRED,
            f"{entries}__events__to_status": Entry.Status.HIRED,
        },
        status=Enrolment.Status.COMPLETED,
        finished_on__lte=F(f"{entries}__events__at__date"),
    )
    return Q(pk__in=enrolments.values("candidate_id"))


CANDIDATE_FILTERS = (
    Stage("hired_after_support", _("Hired after a support action"), hired_after_support, order=55),
    Stage("hired_after_course", _("Hired after a course"), hired_after_course, order=56),
)
