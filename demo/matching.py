"""Demo shortlists: the need each demo company answered in the current campaign ranked, its
best candidates shared with the company, and a few steps of the pipeline taken, so the
dashboard's funnel and the company's cards show something from the start: the first company
hired one candidate three months ago, the second one some ten weeks ago (demo.training follows
both hires up). The hire takes the need's contract. Everything goes through the matching
services, as the pages do."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from companies.models import Company, Need
from matching import services
from matching.models import Entry
from matching.ranking import Filters, rank
from training.services import months_after

PORTAL_URL = "http://127.0.0.1:8000"
MIN_SCORE = 45  # below it, staff would not propose a candidate to a company


def _shortlist(need: Need, staff: User, size: int) -> list[Entry]:
    """The best candidates for `need` the recruiters assessed, class A first, then B, who
    score at least MIN_SCORE and consented to share their profile (the ranking page says
    who did not), shortlisted and shared."""
    rows = [
        row
        for cls in ("A", "B")
        for row in rank(need, top=size * 4, filters=Filters(employability=cls)).rows
        if row.score >= MIN_SCORE
    ]
    free = [
        row.candidate
        for row in rows
        if row.candidate.consent_share_profile
        and not Entry.objects.filter(candidate=row.candidate).exists()  # one company at a time
    ]
    entries = [
        services.shortlist_add(
            need=need, candidate=candidate, actor=staff, note="Proposta dalla graduatoria"
        )
        for candidate in free[:size]
    ]
    if entries:
        services.shortlist_share(shortlist=entries[0].shortlist, actor=staff, portal_url=PORTAL_URL)
    return entries


def _still_proposed(entries: list[Entry]) -> list[Entry]:
    """The entries still proposed, read afresh: the sharing withdrew those who did not
    consent to share their profile."""
    return list(
        Entry.objects.filter(
            pk__in=[entry.pk for entry in entries], status=Entry.Status.PROPOSED
        ).order_by("pk")
    )


def _hire(entry: Entry, company_hr: User, start_date: datetime.date) -> None:
    """The company hires the candidate of `entry`, on the need's contract."""
    services.entry_move(
        entry=entry,
        to=Entry.Status.HIRED,
        actor=company_hr,
        contract=entry.shortlist.need.contract,
        start_date=start_date,
    )


def _next_working_day(day: datetime.date) -> datetime.date:
    day += datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _arrange(entry: Entry, staff: User, company_hr: User, day: datetime.date):
    """The company interview of `entry` on `day`, at the first hour from ten that the
    candidate has free, at the company's site with its HR."""
    for hour in range(10, 17):
        starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        try:
            return services.company_interview_schedule(
                entry=entry,
                starts_at=starts_at,
                duration=60,
                mode="in_person",
                place=f"{entry.shortlist.need.company.name}, ufficio del personale",
                attendees=[company_hr],
                other_attendees="Responsabile di produzione",
                actor=staff,
                portal_url=PORTAL_URL,
            )
        except ValidationError:
            continue
    raise ValidationError("No free hour for the demo's company interview.")


def _pipeline(entries: list[Entry], staff: User, company_hr: User) -> None:
    """Interviews requested for three, agreed for two, one hire; one card turned down."""
    proposed = _still_proposed(entries)
    if len(proposed) < 4:
        return
    hired, agreed, requested, refused = proposed[:4]
    for entry in (hired, agreed, requested):
        services.entry_move(entry=entry, to=Entry.Status.INTERVIEW_REQUESTED, actor=company_hr)
    # The interviews agreed are arranged: the hire's a week before the job started, done;
    # the other one on the next working day, in the company's calendar.
    start = months_after(timezone.localdate(), -3)
    done = _arrange(hired, staff, company_hr, start - datetime.timedelta(days=7))
    services.company_interview_set_status(interview=done, status="done", actor=staff)
    _arrange(agreed, staff, company_hr, _next_working_day(timezone.localdate()))
    # Started three months ago: the check at one month is behind, the one at three is due.
    _hire(hired, company_hr, start)
    services.entry_move(
        entry=refused,
        to=Entry.Status.NOT_INTERESTED,
        actor=company_hr,
        reason=Entry.Reason.EXPERIENCE,
    )


def _earlier_hire(entries: list[Entry], staff: User, company_hr: User) -> None:
    """The first candidate still proposed who can get to the workplace for the shifts (some
    commute score), else the first one, interviewed and hired ten weeks ago."""
    proposed = _still_proposed(entries)
    reach = [entry for entry in proposed if entry.breakdown.get("commute", 0) > 0]
    entry = next(iter(reach or proposed), None)
    if entry is None:
        return
    services.entry_move(entry=entry, to=Entry.Status.INTERVIEW_REQUESTED, actor=company_hr)
    services.entry_move(entry=entry, to=Entry.Status.INTERVIEW_AGREED, actor=staff)
    _hire(entry, company_hr, timezone.localdate() - datetime.timedelta(weeks=10))


def seed_shortlists(*, staff: User, companies: list[Company]) -> None:
    """A shortlist for the open need of each of the two demo HR companies (demo.demand's
    DEMO_NEEDS): the first taken some steps along the pipeline, the second to a hire."""
    for order, company in enumerate(companies[:2]):
        need = Need.objects.filter(company=company, status=Need.Status.OPEN).order_by("pk").first()
        if need is None:
            continue
        entries = _shortlist(need, staff, 6 if order == 0 else 3)
        company_hr = User.objects.get(organisation=company.organisation)
        if order == 0:
            _pipeline(entries, staff, company_hr)
        else:
            _earlier_hire(entries, staff, company_hr)
