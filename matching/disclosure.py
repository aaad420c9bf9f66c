"""What a company may see of a candidate, decided in one place.

Company HR read a shortlisted candidate's pseudonymised profile only while the candidate
consents to the programme, to matching and to sharing a profile, and has not been erased: a
withdrawal takes effect on every company page at once, as the pages ask here each time.
Name and contacts are released for an agreed interview, with the consent to share contacts,
and only until HR_CONTACTS_DAYS after the outcome (hired or not) was recorded.

This module reads the models it is handed and imports none of them, so that the models
themselves can ask it.
"""

import datetime

from django.conf import settings
from django.utils import timezone

# The entry's statuses (matching.models.Entry.Status) at which contacts may be released.
CONTACT_STATUSES = frozenset({"interview_agreed", "hired", "not_hired"})
OUTCOMES = ("hired", "not_hired")


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
    queries annotate (`matching.selectors.with_outcome_at`), else read from its events."""
    if hasattr(entry, "outcome_at"):
        return entry.outcome_at
    event = entry.events.filter(to_status__in=OUTCOMES).order_by("-at").first()
    return event.at if event else None


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
