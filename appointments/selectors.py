"""What a user's calendar shows: their role's programme interviews and company interviews
in a stretch of time, as plain `Appointment`s, in two queries whatever their number.

An appointment carries two titles: `title` for the portal's pages, which names the candidate
to those who may read the name (a company only when the disclosure rule releases it), and
`feed_title` for the feed and its calendar apps, outside the portal, which names nobody (a
candidate's number or their code on the shortlist)."""

import datetime
from dataclasses import dataclass, field, replace

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import scope
from accounts.models import User
from interviews.models import Interview
from matching.disclosure import OUTCOMES, contacts_disclosed
from matching.models import CompanyInterview, PipelineEvent


@dataclass(frozen=True)
class Appointment:
    kind: str  # "interview" (programme) or "company"
    pk: int
    starts_at: datetime.datetime  # local time
    ends_at: datetime.datetime
    title: str
    feed_title: str
    place: str
    mode: str
    status: str
    status_label: str
    url: str
    ics_url: str
    sequence: int
    # E-mail addresses of the participants who are users (the invitation's attendees).
    attendees: tuple[str, ...] = field(default=())

    @property
    def uid(self) -> str:
        """Stable for the appointment's life, whatever it becomes: calendars update the
        event they have instead of adding another."""
        return f"focus-{self.kind}-{self.pk}@focus"

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


def interview_appointment(interview: Interview) -> Appointment:
    return Appointment(
        kind="interview",
        pk=interview.pk,
        starts_at=timezone.localtime(interview.scheduled_at),
        ends_at=timezone.localtime(interview.ends_at),
        title=_("Interview: %(name)s") % {"name": interview.candidate},
        feed_title=_("Interview — candidate no. %(number)s") % {"number": interview.candidate_id},
        place=interview.place,
        mode=interview.get_mode_display(),
        status=interview.status,
        status_label=interview.get_status_display(),
        url=interview.get_absolute_url(),
        ics_url=reverse("appointments:interview_ics", args=[interview.pk]),
        sequence=interview.sequence,
        attendees=tuple(e for e in [interview.recruiter.email] if e),
    )


def _company(interview: CompanyInterview, user: User | None, *, attendees=()) -> Appointment:
    """`user` None: for no reader in particular (an e-mail), the candidate by their code."""
    entry = interview.entry
    need = entry.shortlist.need
    if user is None:
        who = entry.code
    elif user.role == User.Role.COMPANY_HR:
        who = str(entry.candidate) if contacts_disclosed(entry) else entry.code
    else:
        who = str(entry.candidate)
    about = {"company": need.company.name, "who": who, "code": entry.code}
    return Appointment(
        kind="company",
        pk=interview.pk,
        starts_at=timezone.localtime(interview.starts_at),
        ends_at=timezone.localtime(interview.ends_at),
        title=_("%(company)s: %(who)s") % about,
        feed_title=_("Interview at %(company)s — %(code)s") % about,
        place=interview.place,
        mode=interview.get_mode_display(),
        status=interview.status,
        status_label=interview.get_status_display(),
        url=interview.get_absolute_url(),
        ics_url=reverse("appointments:company_interview_ics", args=[interview.pk]),
        sequence=interview.sequence,
        attendees=tuple(attendees),
    )


def _outcome_at():
    return Subquery(
        PipelineEvent.objects.filter(entry=OuterRef("entry"), to_status__in=OUTCOMES)
        .order_by("-at")
        .values("at")[:1]
    )


def company_interviews(user: User):
    """The company interviews `user` may see, with what their appointments read."""
    return (
        scope(user, CompanyInterview)
        .with_people()
        .annotate(outcome_at=_outcome_at())
        .prefetch_related("attendees")
    )


def company_appointment(interview: CompanyInterview, user: User) -> Appointment:
    """One company interview (read through `company_interviews`) as `user` reads it."""
    # The disclosure rule reads when the outcome was recorded from the entry.
    interview.entry.outcome_at = interview.outcome_at
    emails = [u.email for u in interview.attendees.all() if u.email]
    return _company(interview, user, attendees=emails)


def appointments(
    *,
    user: User,
    starts: datetime.datetime,
    ends: datetime.datetime,
    recruiter: int | None = None,
) -> list[Appointment]:
    """The appointments of `user`'s role starting in [starts, ends), by time: programme
    interviews (of `recruiter` only, when given) and, without a recruiter chosen, company
    interviews. Two queries, three with the attendees' addresses."""
    interviews = (
        scope(user, Interview)
        .filter(scheduled_at__gte=starts, scheduled_at__lt=ends)
        .select_related("candidate", "recruiter")
    )
    if recruiter is not None:
        interviews = interviews.filter(recruiter_id=recruiter)
    found = [interview_appointment(interview) for interview in interviews]
    if recruiter is None:
        company = company_interviews(user).filter(starts_at__gte=starts, starts_at__lt=ends)
        found += [company_appointment(interview, user) for interview in company]
    found.sort(key=lambda a: (a.starts_at, a.kind, a.pk))
    return found


def recruiters() -> list[User]:
    """Whom the programme office's calendar may be narrowed to."""
    return list(
        User.objects.filter(role=User.Role.RECRUITER, is_active=True).order_by(
            "last_name", "first_name", "pk"
        )
    )


def mail_appointment(kind: str, pk: int) -> Appointment | None:
    """The appointment `kind` ("interview" or "company") number `pk` as an e-mail carries it,
    whoever reads it: titled as the feed titles it, naming nobody (e-mails leave the portal);
    None when there is none."""
    if kind == "interview":
        interview = Interview.objects.select_related("candidate", "recruiter").filter(pk=pk)
        found = interview.first()
        appointment = interview_appointment(found) if found is not None else None
    elif kind == "company":
        company = (
            CompanyInterview.objects.with_people().prefetch_related("attendees").filter(pk=pk)
        ).first()
        emails = [u.email for u in company.attendees.all() if u.email] if company else []
        appointment = _company(company, None, attendees=emails) if company is not None else None
    else:
        return None
    if appointment is None:
        return None
    return replace(appointment, title=appointment.feed_title)
