"""Two bookings of the same candidate at the same moment: the second waits for the first's
lock, then sees it and is refused. PostgreSQL only (row locks; SQLite locks the database)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from interviews.models import Interview
from interviews.services import tranche_assign
from tests.appointments.conftest import at
from tests.factories import CandidateFactory, TrancheFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL"),
]


def _together(*bookings) -> list[str]:
    barrier = threading.Barrier(len(bookings))
    outcomes = []

    def run(book):
        try:
            barrier.wait()
            book()
            outcomes.append("booked")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(book,)) for book in bookings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_two_recruiters_booking_one_candidate_at_once_cannot_both_succeed(agency):
    candidate = CandidateFactory()
    first, second = (UserFactory(role="recruiter", organisation=agency) for _ in range(2))
    tranches = [TrancheFactory(), TrancheFactory()]

    def book(recruiter, tranche, minute):
        return lambda: tranche_assign(
            tranche=tranche,
            candidates=[candidate],
            recruiter=recruiter,
            first_at=at(3, 9, minute),
        )

    outcomes = _together(book(first, tranches[0], 0), book(second, tranches[1], 15))
    assert outcomes == ["booked", "refused"]
    assert Interview.objects.filter(candidate=candidate).count() == 1


def test_one_recruiter_booked_twice_at_once_gets_one_interview(recruiter, tranche):
    people = [CandidateFactory(), CandidateFactory()]

    def book(person):
        return lambda: tranche_assign(
            tranche=tranche, candidates=[person], recruiter=recruiter, first_at=at(3, 9)
        )

    assert _together(book(people[0]), book(people[1])) == ["booked", "refused"]
    assert Interview.objects.filter(recruiter=recruiter).count() == 1
