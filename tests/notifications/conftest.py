import pytest
from django.utils import timezone

from matching.models import Entry
from matching.services import entry_move, shortlist_add, shortlist_share
from tests.factories import CandidateFactory, NeedFactory


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what waits for the transaction's commit (the notifications,
    their e-mails), as a request's commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def shared(company, centre, caseworker, staff, committed):
    """`shared(**candidate)`: a candidate of the caseworker persona's centre, theirs, on a
    shortlist of the HR persona's company, shared; its notifications written."""

    def share(**candidate):
        values = {"caseworker": caseworker, "consent_share_profile": True, **candidate}
        person = CandidateFactory(centre=centre, **values)
        entry = shortlist_add(need=NeedFactory(company=company), candidate=person, actor=staff)
        with committed():
            shortlist_share(shortlist=entry.shortlist, actor=staff, portal_url="")
        entry.refresh_from_db()
        return entry

    return share


@pytest.fixture
def step(staff, company_hr, committed):
    """`step(entry, to)`: the move recorded (by the side whose step it is) and committed."""

    def move(entry: Entry, to: str, actor=None, **values):
        if actor is None:
            actor = company_hr if to == Entry.Status.INTERVIEW_REQUESTED else staff
        if to == Entry.Status.HIRED:
            values = {"contract": "fixed_term", "start_date": timezone.localdate(), **values}
        if to == Entry.Status.NOT_HIRED:
            values = {"reason": Entry.Reason.OTHER, **values}
        with committed():
            return entry_move(entry=entry, to=to, actor=actor, **values)

    return move
