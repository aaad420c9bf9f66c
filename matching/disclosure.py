"""What a company may see of a candidate, decided in one place: the cards of the companies'
pages are built here (`company_card`), and so must be anything else that ever shows a
candidate to a company (an e-mail, an export, an API).

- Company HR read a shortlisted candidate's pseudonymised profile only while the candidate
  consents to the programme, to matching and to sharing a profile, and has not been erased:
  a withdrawal takes effect on every company page at once, as the pages ask here each time.
- Name and contacts are released for an agreed interview, with the consent to share
  contacts, and only until HR_CONTACTS_DAYS after the outcome (hired or not) was recorded.
- Nothing typed as free text reaches a company: languages are a language of the list and a
  level, a job is a profile of the catalogue or a sector (ATECO division) and the years,
  never the description. Nor anything that narrows a person down: an age band, not a birth
  date; the comune of residence only where at least SMALL_GROUP of the programme's people
  live (as the programme's workbook does), else "another comune" of its province; the
  distance to the workplace in bands.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.models import Candidate, age_band
from catalog.licences import LICENCES
from focus.durations import years_text
from matching.ranking import road_km

# The entry's statuses (matching.models.Entry.Status) at which contacts may be released.
CONTACT_STATUSES = frozenset({"interview_agreed", "hired", "not_hired"})
OUTCOMES = ("hired", "not_hired")
# Fewer of the programme's people living in a comune than this: its province instead.
SMALL_GROUP = 5
DASH = "\N{EN DASH}"
# Upper bounds of the distance bands (road km) shown instead of the distance.
DISTANCE_BANDS = (5, 10, 20, 30)


def profile_disclosed(candidate) -> bool:
    """Whether companies may see the candidate's pseudonymised profile now."""
    return bool(
        candidate.consent_programme
        and candidate.consent_matching
        and candidate.consent_share_profile
        and candidate.erased_at is None
    )


def outcome_at(entry) -> datetime.datetime | None:
    """When the entry's outcome (hired or not) was recorded: the `outcome_at` the company's
    queries annotate (`matching.selectors.with_outcome_at`), else read from its events
    (prefetched by the staff's page, so that a list asks nothing more of each entry)."""
    if hasattr(entry, "outcome_at"):
        return entry.outcome_at
    return max((e.at for e in entry.events.all() if e.to_status in OUTCOMES), default=None)


def contacts_disclosed(entry, now: datetime.datetime | None = None) -> bool:
    """Whether the company reads the candidate's name and contacts on this entry now."""
    candidate = entry.candidate
    if entry.status not in CONTACT_STATUSES or not candidate.consent_share_contacts:
        return False
    if not profile_disclosed(candidate):
        return False
    if entry.status in OUTCOMES:
        at = outcome_at(entry)
        now = now or timezone.now()
        if at is not None and at < now - datetime.timedelta(days=settings.HR_CONTACTS_DAYS):
            return False
    return True


def distance_band(km: float | None) -> str:
    if km is None:
        return ""
    lower = 0
    for upper in DISTANCE_BANDS:
        if km < upper:
            if not lower:
                return _("under %(upper)s km") % {"upper": upper}
            return f"{lower}{DASH}{upper} km"
        lower = upper
    return _("over %(lower)s km") % {"lower": lower}


def comune_areas(comuni: Iterable) -> dict[int, str]:
    """How the companies read each of `comuni` as a place of residence: its name where at
    least SMALL_GROUP of the programme's people live, else another comune of its province.
    One aggregate query."""
    comuni = {comune.pk: comune for comune in comuni if comune is not None}
    people = dict(
        Candidate.objects.filter(residence_comune__in=comuni, erased_at__isnull=True)
        .order_by()
        .values_list("residence_comune")
        .annotate(n=Count("pk"))
    )
    return {
        pk: comune.name
        if people.get(pk, 0) >= SMALL_GROUP
        else _("another comune (%(province)s)") % {"province": comune.province}
        for pk, comune in comuni.items()
    }


@dataclass(frozen=True)
class Qualification:
    name: str
    verified: bool


@dataclass(frozen=True)
class Job:
    title: str
    years: Decimal


@dataclass(frozen=True)
class Contacts:
    name: str
    phone: str
    email: str


@dataclass(frozen=True)
class Card:
    """What company HR read about one shortlisted candidate: no identity, no contacts (but
    for an agreed interview with consent), no confidential field, no free text, no caseworker
    or centre."""

    entry_id: int
    code: str
    status: str
    status_label: str
    reason_label: str
    score: Decimal
    age_band: str
    home: str
    distance: str
    italian_level: str
    italian_verified: bool
    languages: list[str]
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
    moves: list = field(default_factory=list)
    contacts: Contacts | None = None


@dataclass(frozen=True)
class Unavailable:
    """What company HR read of a candidate who withdrew the consent their card needed (or
    was erased): the entry's code, and that the application is no longer available."""

    entry_id: int
    code: str
    unavailable: bool = True


def _job(experience) -> Job | None:
    """A job as a company reads it: the catalogue's profile, else the sector; a job known
    only by its description is no job of the card."""
    if experience.profile_id:
        return Job(title=str(experience.profile), years=experience.years)
    if experience.sector_id:
        return Job(title=experience.sector.title, years=experience.years)
    return None


def _licences(candidate) -> list[str]:
    """The candidate's licence categories, only those of the list (the field is text)."""
    return [category for category in candidate.licence_list if category in LICENCES]


def _shift_strength(candidate) -> str:
    return {
        Candidate.Shifts.THREE: _("Available on three shifts"),
        Candidate.Shifts.TWO: _("Available on two shifts"),
    }.get(candidate.shifts, "")


def _strengths(candidate, jobs: list[Job], skills, certifications) -> str:
    """A one-line summary from the data, the strongest facts first."""
    parts = []
    if jobs:
        parts.append(
            _("Experience as %(job)s (%(years)s)")
            % {"job": jobs[0].title, "years": years_text(jobs[0].years)}
        )
    verified = [q.name for q in (*certifications, *skills) if q.verified]
    if verified:
        parts.append(_("Verified: %(names)s") % {"names": ", ".join(verified[:2])})
    licences = _licences(candidate)
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


def company_card(
    entry,
    *,
    workplace,
    today: datetime.date,
    homes: Mapping[int, str],
    moves: list = (),
) -> Card | Unavailable:
    """What a company reads of `entry`'s candidate now. `entry` comes with its candidate, the
    candidate's comune, languages, experiences (with profile and sector), skills and valid
    certifications (`matching.selectors.shortlist_cards` reads them); `homes` is
    `comune_areas` of the comuni at hand."""
    candidate = entry.candidate
    if entry.status == "withdrawn" or not profile_disclosed(candidate):
        return Unavailable(entry_id=entry.pk, code=entry.code)
    jobs = [job for job in map(_job, candidate.experiences.all()) if job is not None]
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
        age_band=age_band(candidate.birth_date, today) or "—",
        home=homes.get(candidate.residence_comune_id, ""),
        distance=distance_band(road_km(candidate.residence_comune, workplace)),
        italian_level=verified_level or candidate.italian_level,
        italian_verified=bool(verified_level),
        languages=[
            f"{language.get_language_display()} {language.get_level_display()}"
            for language in candidate.languages.all()
        ],
        jobs=jobs,
        skills=skills,
        certifications=certifications,
        available_from=candidate.available_from,
        hours=candidate.get_hours_display(),
        shifts=candidate.get_shifts_display(),
        nights=candidate.nights,
        weekends=candidate.weekends,
        own_car=candidate.own_car,
        driving_licence=bool(_licences(candidate)),
        strengths=_strengths(candidate, jobs, skills, certifications),
        moves=list(moves),
        contacts=contacts,
    )


@dataclass(frozen=True)
class EntryLine:
    """One shortlisted candidate on a list across shortlists (the shortlisted candidates'
    list, the homes' panels): for company HR the entry's code, and the name only where the
    contacts are released (`contacts_disclosed`); for the matching officers the name too."""

    entry_id: int
    code: str
    name: str
    status: str
    status_label: str
    profile: str
    workplace: str
    company: str
    moved_at: datetime.datetime | None
    url: str


def entry_line(entry, *, company_view: bool) -> EntryLine:
    """`entry` as a list shows it: to its company (`company_view`) or to the matching officers.
    `entry` comes with its candidate and its need's company, profile and workplace, and with
    `outcome_at` and `moved_at` (`matching.selectors.entry_list` reads them)."""
    need = entry.shortlist.need
    if company_view:
        name = str(entry.candidate) if contacts_disclosed(entry) else ""
        url = reverse("matching:shortlist_cards", args=[entry.shortlist_id])
        url = f"{url}#card-{entry.pk}"
    else:
        name = str(entry.candidate)
        url = reverse("matching:shortlist_detail", args=[entry.shortlist_id])
    return EntryLine(
        entry_id=entry.pk,
        code=entry.code,
        name=name,
        status=entry.status,
        status_label=entry.get_status_display(),
        profile=str(need.profile),
        workplace=need.workplace.name,
        company=need.company.name,
        moved_at=getattr(entry, "moved_at", None),
        url=url,
    )
