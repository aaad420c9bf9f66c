"""What the portal tells people of interviews (notifications.services.notify): a recruiter
of the interviews assigned to them and of one moved to another time; and the reminder of a
candidate's next review, which their latest assessment dates (the `reminders_due` hook)."""

import datetime
from collections.abc import Iterator, Sequence

from django.db.models import Exists, OuterRef
from django.urls import reverse

from accounts.models import User
from interviews.models import Assessment, Interview
from notifications.kinds import Person
from notifications.models import Notification
from notifications.reminders import Due
from notifications.selectors import matching_officers
from notifications.services import notify

Kind = Notification.Kind
# How long before a candidate's next review the office is told, and how long after it a
# review nobody made is still listed and told (a day the reminders did not run, say).
REVIEW_NOTICE_DAYS = 14
OVERDUE_DAYS = 30


def _person(candidate) -> Person:
    return Person(name=str(candidate), number=candidate.pk)


def interviews_assigned(*, interviews: Sequence[Interview], actor: User | None = None) -> None:
    """A batch of interviews was given to one recruiter: they are told once, with how many
    and the first one's time."""
    if not interviews:
        return
    first = min(interviews, key=lambda interview: (interview.scheduled_at, interview.pk))
    notify(
        kind=Kind.INTERVIEWS_ASSIGNED,
        recipients=[first.recruiter],
        key=f"interviews_assigned:{first.pk}",
        link=first.get_absolute_url() if len(interviews) == 1 else reverse("interviews:agenda"),
        params={"count": len(interviews), "tranche": first.tranche, "when": first.scheduled_at},
        candidate=first.candidate if len(interviews) == 1 else None,
        actor=actor,
    )


def interview_moved(*, interview: Interview, actor: User | None = None) -> None:
    """The interview is now at `interview.scheduled_at`: its recruiter is told, once for each
    new time."""
    notify(
        kind=Kind.INTERVIEW_MOVED,
        recipients=[interview.recruiter],
        key=f"interview_moved:{interview.pk}:{interview.scheduled_at.isoformat()}",
        link=interview.get_absolute_url(),
        params={"who": _person(interview.candidate), "when": interview.scheduled_at},
        candidate=interview.candidate,
        actor=actor,
        invitation=("interview", interview.pk),
    )


def reviews_due(*, today: datetime.date) -> Iterator[Due]:
    """The candidates whose latest assessment sets a next review within REVIEW_NOTICE_DAYS
    (or up to OVERDUE_DAYS ago): one reminder per candidate and date, to the matching
    officers. A later assessment sets the date anew; withdrawn and erased candidates have
    none."""
    later = Assessment.objects.filter(
        interview__candidate=OuterRef("interview__candidate"),
        interview__scheduled_at__gt=OuterRef("interview__scheduled_at"),
    )
    assessments = (
        Assessment.objects.filter(
            next_review_on__gte=today - datetime.timedelta(days=OVERDUE_DAYS),
            next_review_on__lte=today + datetime.timedelta(days=REVIEW_NOTICE_DAYS),
            interview__candidate__erased_at__isnull=True,
        )
        .exclude(interview__candidate__status="withdrawn")
        .exclude(Exists(later))
        .select_related("interview__candidate")
        .order_by("next_review_on", "pk")
    )
    for assessment in assessments:
        candidate = assessment.interview.candidate
        yield Due(
            kind=Kind.REVIEW_DUE,
            on=assessment.next_review_on,
            key=f"review_due:{candidate.pk}:{assessment.next_review_on.isoformat()}",
            link=candidate.get_absolute_url(),
            params={"who": _person(candidate), "date": assessment.next_review_on},
            recipients=matching_officers,
            candidate=candidate,
        )
