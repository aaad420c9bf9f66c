"""Who records which step of a shortlisted candidate's path is the policy's answer
(matching.models.entry_steps, its table in tests/test_policy.py), asked by the pipeline's
service whoever calls it: a page, the demo, another service."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matching.models import Entry
from matching.services import entry_move, shortlist_add, shortlist_share
from tests.factories import CandidateFactory, NeedFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def entry(company, staff, centre, caseworker):
    """A candidate proposed for a need of the HR persona's company, not shared yet."""
    candidate = CandidateFactory(centre=centre, caseworker=caseworker, consent_share_profile=True)
    return shortlist_add(need=NeedFactory(company=company), candidate=candidate, actor=staff)


def _recorded(entry):
    return list(entry.events.order_by("pk").values_list("to_status", "by"))


def test_staff_withdraw_a_candidate_from_a_shortlist_not_shared_yet(entry, staff):
    entry_move(entry=entry, to=Entry.Status.WITHDRAWN, actor=staff, note="Ha trovato lavoro")

    entry.refresh_from_db()
    assert entry.status == Entry.Status.WITHDRAWN
    assert _recorded(entry) == [("proposed", staff.pk), ("withdrawn", staff.pk)]


def test_company_hr_cannot_answer_before_the_shortlist_is_shared_with_them(entry, company_hr):
    with pytest.raises(PermissionDenied):
        entry_move(entry=entry, to=Entry.Status.INTERVIEW_REQUESTED, actor=company_hr)

    entry.refresh_from_db()
    assert entry.status == Entry.Status.PROPOSED
    assert len(_recorded(entry)) == 1


def test_staff_and_company_hr_each_record_their_own_steps_and_either_the_outcome(
    entry, staff, company_hr
):
    shortlist_share(shortlist=entry.shortlist, actor=staff, portal_url="")
    with pytest.raises(ValidationError, match="not possible now"):
        entry_move(entry=entry, to=Entry.Status.INTERESTED, actor=staff)  # the company's answer
    entry_move(entry=entry, to=Entry.Status.INTERVIEW_REQUESTED, actor=company_hr)
    with pytest.raises(ValidationError, match="not possible now"):
        entry_move(entry=entry, to=Entry.Status.INTERVIEW_AGREED, actor=company_hr)  # staff's
    entry_move(entry=entry, to=Entry.Status.INTERVIEW_AGREED, actor=staff)
    entry_move(entry=entry, to=Entry.Status.NOT_HIRED, actor=company_hr, reason="experience")

    entry.refresh_from_db()
    assert entry.status == Entry.Status.NOT_HIRED
    assert _recorded(entry) == [
        ("proposed", staff.pk),
        ("interview_requested", company_hr.pk),
        ("interview_agreed", staff.pk),
        ("not_hired", company_hr.pk),
    ]


@pytest.mark.parametrize("role", ["recruiter", "caseworker"])
def test_recruiters_and_caseworkers_record_no_step(entry, staff, personas, role):
    shortlist_share(shortlist=entry.shortlist, actor=staff, portal_url="")
    with pytest.raises(PermissionDenied):
        entry_move(entry=entry, to=Entry.Status.WITHDRAWN, actor=personas[role])

    entry.refresh_from_db()
    assert entry.status == Entry.Status.PROPOSED
