"""What the portal tells people of the shortlists' events (notifications.services.notify),
called by matching.services inside their transactions, and the reminder of residence
permits expiring for shortlisted candidates (the `reminders_due` hook).

Caseworkers hear of their own centre's candidates only (notifications.selectors.
caseworkers_of); company HR of their own company's shortlists, with candidates by their
codes; the matching officers of the companies' moves and of the permits."""

import datetime
from collections.abc import Iterator

from django.urls import reverse

from accounts.models import User
from matching.models import CompanyInterview, Entry, Shortlist
from notifications.kinds import Person
from notifications.models import Notification
from notifications.reminders import Due
from notifications.selectors import caseworkers_of, company_hr_of, matching_officers
from notifications.services import notify

Kind = Notification.Kind
# How long before a shortlisted candidate's residence permit expires the office is told.
PERMIT_NOTICE_DAYS = 60
# The steps of the pipeline while a candidate is still on offer to the company.
OPEN = (
    Entry.Status.PROPOSED,
    Entry.Status.INTERESTED,
    Entry.Status.INTERVIEW_REQUESTED,
    Entry.Status.INTERVIEW_AGREED,
)


def _person(entry: Entry) -> Person:
    return Person(name=str(entry.candidate), number=entry.candidate_id, code=entry.code)


def _about(entry: Entry) -> dict:
    need = entry.shortlist.need
    return {"who": _person(entry), "need": need.profile, "company": need.company}


def _cards(shortlist: Shortlist) -> str:
    return reverse("matching:shortlist_cards", args=[shortlist.pk])


def shortlist_shared(*, shortlist: Shortlist, actor: User, portal_url: str = "") -> None:
    """The shortlist is shared: its company's HR are told once, and the caseworkers of each
    candidate on it once for that candidate."""
    need = shortlist.need
    notify(
        kind=Kind.SHORTLIST_SHARED,
        recipients=company_hr_of(need.company.organisation_id),
        key=f"shortlist_shared:{shortlist.pk}",
        link=_cards(shortlist),
        params={"need": need.profile, "company": need.company},
        actor=actor,
        portal_url=portal_url,
    )
    shared = shortlist.entries.exclude(status=Entry.Status.WITHDRAWN).select_related("candidate")
    for entry in shared:
        notify(
            kind=Kind.SHORTLISTED,
            recipients=caseworkers_of(entry.candidate),
            key=f"shortlisted:{entry.pk}",
            link=entry.candidate.get_absolute_url(),
            params=_about(entry),
            candidate=entry.candidate,
            actor=actor,
            portal_url=portal_url,
        )


def entry_moved(*, entry: Entry, actor: User, portal_url: str = "") -> None:
    """A shortlisted candidate moved to `entry.status`: an interview asked for tells the
    matching officers; an interview agreed tells the candidate's caseworkers and the
    company's HR (by the candidate's code); a hire tells the caseworkers; an outcome (hired
    or not) tells the matching officers. Each once per entry."""
    status = entry.status
    about = _about(entry)
    common = {"candidate": entry.candidate, "actor": actor, "portal_url": portal_url}
    if status == Entry.Status.INTERVIEW_REQUESTED:
        notify(
            kind=Kind.INTERVIEW_REQUESTED,
            recipients=matching_officers(),
            key=f"interview_requested:{entry.pk}",
            link=entry.shortlist.get_absolute_url(),
            params=about,
            **common,
        )
    elif status == Entry.Status.INTERVIEW_AGREED:
        notify(
            kind=Kind.INTERVIEW_AGREED,
            recipients=caseworkers_of(entry.candidate),
            key=f"interview_agreed:{entry.pk}",
            link=entry.candidate.get_absolute_url(),
            params=about,
            **common,
        )
        notify(
            kind=Kind.INTERVIEW_CONFIRMED,
            recipients=company_hr_of(entry.shortlist.need.company.organisation_id),
            key=f"interview_confirmed:{entry.pk}",
            link=_cards(entry.shortlist),
            params={"who": entry.code, "need": entry.shortlist.need.profile},
            **common,
        )
    if status == Entry.Status.HIRED:
        notify(
            kind=Kind.HIRED,
            recipients=caseworkers_of(entry.candidate),
            key=f"hired:{entry.pk}",
            link=entry.candidate.get_absolute_url(),
            params={**about, "date": entry.start_date},
            **common,
        )
    if status in {Entry.Status.HIRED, Entry.Status.NOT_HIRED}:
        notify(
            kind=Kind.OUTCOME_RECORDED,
            recipients=matching_officers(),
            key=f"outcome:{entry.pk}",
            link=entry.shortlist.get_absolute_url(),
            params={**about, "outcome": Entry.Status(entry.status).label},
            **common,
        )


def permits_expiring(*, today: datetime.date) -> Iterator[Due]:
    """The candidates on a shortlist, still on offer, whose residence permit expires within
    PERMIT_NOTICE_DAYS and who have not asked for its renewal (the receipt lets them keep
    working): one reminder per candidate and expiry date, to the matching officers."""
    entries = (
        Entry.objects.filter(
            status__in=OPEN,
            candidate__erased_at__isnull=True,
            candidate__permit_expiry__gte=today,
            candidate__permit_expiry__lte=today + datetime.timedelta(days=PERMIT_NOTICE_DAYS),
            candidate__permit_renewal_requested_on__isnull=True,
        )
        .select_related("candidate", "shortlist__need__profile")
        .order_by("candidate_id", "-added_at", "-pk")
    )
    seen = set()
    for entry in entries:
        candidate = entry.candidate
        if candidate.pk in seen:
            continue
        seen.add(candidate.pk)
        yield Due(
            kind=Kind.PERMIT_EXPIRING,
            on=candidate.permit_expiry,
            key=f"permit_expiring:{candidate.pk}:{candidate.permit_expiry.isoformat()}",
            link=candidate.get_absolute_url(),
            params={
                "who": _person(entry),
                "need": entry.shortlist.need.profile,
                "date": candidate.permit_expiry,
            },
            recipients=matching_officers,
            candidate=candidate,
        )


def company_interview_set(
    *, interview: CompanyInterview, actor: User | None = None, portal_url: str = ""
) -> None:
    """A company interview was arranged or moved: the company's HR and the matching officers
    are told of its day, time and place, once for each time; the candidate by their code."""
    entry = interview.entry
    need = entry.shortlist.need
    notify(
        kind=Kind.COMPANY_INTERVIEW_SET,
        recipients=[*company_hr_of(need.company.organisation_id), *matching_officers()],
        key=f"company_interview_set:{interview.pk}:{interview.starts_at.isoformat()}",
        link=interview.get_absolute_url(),
        params={
            "who": entry.code,
            "need": need.profile,
            "when": interview.starts_at,
            "place": interview.place or interview.get_mode_display(),
        },
        actor=actor,
        portal_url=portal_url,
        invitation=("company", interview.pk),
    )
