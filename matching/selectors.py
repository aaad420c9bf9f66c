"""Reads of the matching workflow shared by views.

The company's view of a shortlist is built here as plain dataclasses rather than handed to
templates as model instances: a card carries only what company HR may read, so a template
cannot reach a candidate's name, contacts or confidential fields by accident.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import scope
from accounts.models import User
from candidates.models import (
    Candidate,
    CandidateCertification,
    CandidateSkill,
    Experience,
    age_on,
)
from catalog.models import Comune
from matching.disclosure import OUTCOMES, contacts_disclosed, profile_disclosed
from matching.models import Entry, PipelineEvent, Shortlist
from matching.ranking import road_km
from matching.services import TRANSITIONS

# Upper bounds (exclusive) of the age bands shown instead of a birth date.
DASH = "\N{EN DASH}"
AGE_BANDS = tuple(
    (upper, f"{upper - 10 if upper > 25 else 18}{DASH}{upper - 1}") for upper in (25, 35, 45, 55)
)
COMPANY_SIDES = {"company", "either"}


def shortlist_list(*, actor: User) -> QuerySet:
    """The shortlists `actor` may see, newest first, each with its entries counted by
    status (`n_<status>`, and `n_shown` for all but the withdrawn) in the same query."""
    counts = {
        f"n_{status}": Count("entries", filter=Q(entries__status=status))
        for status in Entry.Status.values
    }
    return (
        scope(actor, Shortlist)
        .select_related("need__company__organisation", "need__profile", "need__workplace")
        .annotate(
            n_shown=Count("entries", filter=~Q(entries__status=Entry.Status.WITHDRAWN)), **counts
        )
        .order_by("-shared_at", "-created_at", "pk")
    )


def age_band(birth_date: datetime.date | None, today: datetime.date) -> str:
    if birth_date is None:
        return "—"
    age = age_on(birth_date, today)
    for upper, label in AGE_BANDS:
        if age < upper:
            return label
    return "55+"


@dataclass(frozen=True)
class Qualification:
    name: str
    verified: bool


@dataclass(frozen=True)
class Job:
    title: str
    years: Decimal


@dataclass(frozen=True)
class Move:
    to: str
    label: str
    needs_reason: bool = False
    needs_contract: bool = False


@dataclass(frozen=True)
class Contacts:
    name: str
    phone: str
    email: str


@dataclass(frozen=True)
class Card:
    """What company HR read about one shortlisted candidate: no identity, no contacts (but
    for an agreed interview with consent), no confidential field, no caseworker or centre."""

    entry_id: int
    code: str
    status: str
    status_label: str
    reason_label: str
    score: Decimal
    age_band: str
    home: str
    distance_km: float | None
    italian_level: str
    italian_verified: bool
    other_languages: str
    jobs: list[Job]
    skills: list[Qualification]
    certifications: list[Qualification]
    available_from: datetime.date | None
    hours: str
    shifts: str
    nights: bool
    weekends: bool
    own_car: bool
    driving_licence: bool
    strengths: str
    moves: list[Move] = field(default_factory=list)
    contacts: Contacts | None = None


@dataclass(frozen=True)
class Unavailable:
    """What company HR read of a candidate who withdrew the consent their card needed (or
    was erased): the entry's code, and that the application is no longer available."""

    entry_id: int
    code: str
    unavailable: bool = True


def _move_labels() -> dict[str, str]:
    return {
        Entry.Status.INTERESTED: _("Interested"),
        Entry.Status.NOT_INTERESTED: _("Not interested"),
        Entry.Status.INTERVIEW_REQUESTED: _("Request an interview"),
        Entry.Status.HIRED: _("Hired"),
        Entry.Status.NOT_HIRED: _("Not hired"),
        Entry.Status.WITHDRAWN: _("The candidate withdrew"),
    }


def company_moves(status: str) -> list[Move]:
    """The moves TRANSITIONS lets the company make from `status`, in the table's order."""
    labels = _move_labels()
    return [
        Move(
            to=str(to),
            label=labels[to],
            needs_reason=to in {Entry.Status.NOT_INTERESTED, Entry.Status.NOT_HIRED},
            needs_contract=to == Entry.Status.HIRED,
        )
        for to, side in TRANSITIONS.get(status, {}).items()
        if side in COMPANY_SIDES
    ]


def _shift_strength(candidate: Candidate) -> str:
    return {
        Candidate.Shifts.THREE: _("Available on three shifts"),
        Candidate.Shifts.TWO: _("Available on two shifts"),
    }.get(candidate.shifts, "")


def _strengths(candidate: Candidate, jobs: list[Job], skills, certifications) -> str:
    """A one-line summary from the data, the strongest facts first."""
    parts = []
    if jobs:
        parts.append(
            _("Experience as %(job)s (%(years)s years)")
            % {"job": jobs[0].title, "years": f"{jobs[0].years.normalize():f}"}
        )
    verified = [q.name for q in (*certifications, *skills) if q.verified]
    if verified:
        parts.append(_("Verified: %(names)s") % {"names": ", ".join(verified[:2])})
    licences = candidate.licence_list
    if licences and candidate.own_car:
        parts.append(_("Licence %(categories)s and car") % {"categories": "/".join(licences)})
    elif licences:
        parts.append(_("Licence %(categories)s") % {"categories": "/".join(licences)})
    shift = _shift_strength(candidate)
    if shift:
        parts.append(shift)
    if candidate.nights or candidate.weekends:
        parts.append(_("Available at night or at weekends"))
    return " · ".join(parts)


def _card(entry: Entry, workplace: Comune, today: datetime.date) -> Card:
    candidate = entry.candidate
    jobs = [
        Job(title=str(e.profile) if e.profile else e.description, years=e.years)
        for e in candidate.experiences.all()
    ]
    skills = sorted(
        (Qualification(str(link.skill), link.verified) for link in candidate.skill_links.all()),
        key=lambda q: (not q.verified, q.name),
    )
    certifications = sorted(
        (
            Qualification(str(link.certification), link.verified)
            for link in candidate.certification_links.all()
        ),
        key=lambda q: (not q.verified, q.name),
    )
    verified_level = candidate.italian_level_verified
    contacts = None
    if contacts_disclosed(entry):
        contacts = Contacts(name=str(candidate), phone=candidate.phone, email=candidate.email)
    return Card(
        entry_id=entry.pk,
        code=entry.code,
        status=entry.status,
        status_label=entry.get_status_display(),
        reason_label=entry.get_reason_display() if entry.reason else "",
        score=entry.score,
        age_band=age_band(candidate.birth_date, today),
        home=candidate.residence_comune.name if candidate.residence_comune else "",
        distance_km=road_km(candidate.residence_comune, workplace),
        italian_level=verified_level or candidate.italian_level,
        italian_verified=bool(verified_level),
        other_languages=candidate.other_languages,
        jobs=jobs,
        skills=skills,
        certifications=certifications,
        available_from=candidate.available_from,
        hours=candidate.get_hours_display(),
        shifts=candidate.get_shifts_display(),
        nights=candidate.nights,
        weekends=candidate.weekends,
        own_car=candidate.own_car,
        driving_licence=bool(candidate.licence_list),
        strengths=_strengths(candidate, jobs, skills, certifications),
        moves=company_moves(entry.status),
        contacts=contacts,
    )


def with_outcome_at(entries: QuerySet) -> QuerySet:
    """`entries` with `outcome_at`, when their outcome (hired or not) was recorded, in the
    same query: the release of contacts ends a set time after it."""
    return entries.annotate(
        outcome_at=Subquery(
            PipelineEvent.objects.filter(entry=OuterRef("pk"), to_status__in=OUTCOMES)
            .order_by("-at")
            .values("at")[:1]
        )
    )


def shortlist_cards(*, shortlist: Shortlist, status: str = "") -> list[Card | Unavailable]:
    """The pseudonymised cards of a shortlist's entries, best score first; with `status` only
    the entries at that step are kept. The entries staff withdrew are left out; those of a
    candidate who withdrew their consent (or was erased) show as no longer available, and
    nothing more. Four queries whatever the number of entries: the entries with their
    candidates and comuni, then experience, skills and valid certifications."""
    today = timezone.localdate()
    entries = shortlist.entries.exclude(
        Q(status=Entry.Status.WITHDRAWN) & ~Q(reason=Entry.Reason.CONSENT)
    )
    if status:
        entries = entries.filter(status=status)
    entries = (
        with_outcome_at(entries)
        .select_related("candidate__residence_comune")
        .prefetch_related(
            Prefetch(
                "candidate__experiences", queryset=Experience.objects.select_related("profile")
            ),
            Prefetch(
                "candidate__skill_links", queryset=CandidateSkill.objects.select_related("skill")
            ),
            Prefetch(
                "candidate__certification_links",
                queryset=CandidateCertification.objects.select_related("certification").filter(
                    Q(expires_on__isnull=True) | Q(expires_on__gte=today)
                ),
            ),
        )
        .order_by("-score", "pk")
    )
    workplace = shortlist.need.workplace
    return [
        _card(entry, workplace, today)
        if profile_disclosed(entry.candidate) and entry.status != Entry.Status.WITHDRAWN
        else Unavailable(entry_id=entry.pk, code=entry.code)
        for entry in entries
    ]
