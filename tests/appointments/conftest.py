import datetime

import pytest
from django.utils import timezone

from matching.models import Entry
from matching.services import entry_move, shortlist_add, shortlist_share
from tests.factories import CandidateFactory, NeedFactory, TrancheFactory


def at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A local time `days` from today."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def tranche(db):
    return TrancheFactory()


@pytest.fixture
def requested(staff, company_hr, company, centre, caseworker):
    """A candidate of the caseworker persona's centre, who consents to share their profile,
    on the HR persona's company's shared shortlist, an interview asked for by the company."""
    candidate = CandidateFactory(
        centre=centre, caseworker=caseworker, consent_share_profile=True, last_name="Quaranta"
    )
    entry = shortlist_add(need=NeedFactory(company=company), candidate=candidate, actor=staff)
    shortlist_share(shortlist=entry.shortlist, actor=staff, portal_url="http://testserver")
    return entry_move(entry=entry, to=Entry.Status.INTERVIEW_REQUESTED, actor=company_hr)
