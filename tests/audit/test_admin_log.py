"""The admin site's own log (django_admin_log) names records by type and number, never by
their name; and what the admin site writes is in the audit trail like any other write."""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.urls import reverse

from accounts.admin_site import neutral_repr
from catalog.models import Certification
from interviews.models import Tranche
from tests.factories import CandidateFactory
from tests.posted import admin_change_url, admin_posted

pytestmark = pytest.mark.django_db


def _log_text() -> str:
    return repr(list(LogEntry.objects.values_list()))


def test_a_change_in_the_admin_site_is_logged_by_type_and_number_only(login, admin, centre, events):
    candidate = CandidateFactory(centre=centre, first_name="Zzplanted", last_name="Zzsurname")
    certification = Certification.objects.order_by("pk").first()
    client = login(admin)
    url = admin_change_url(candidate)
    data = admin_posted(client.get(url))
    data.update(
        {
            "notes": "Zznote",
            "certification_links-TOTAL_FORMS": "1",
            "certification_links-0-certification": str(certification.pk),
        }
    )
    start = len(events())

    response = client.post(url, data, REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 302
    entry = LogEntry.objects.get(action_flag=CHANGE)
    assert entry.object_repr == f"candidates.candidate #{candidate.pk}"
    assert "candidates.candidatecertification #" in entry.change_message
    for value in ("Zzplanted", "Zzsurname", "Zznote", str(certification)):
        assert value not in _log_text()
    written = events()[start:]
    assert {(e.object_type, e.action) for e in written} == {
        ("candidates.candidate", "change"),
        ("candidates.candidatecertification", "create"),
    }
    assert all((e.actor, e.ip) == (admin, "203.0.113.5") for e in written)


def test_deletions_in_the_admin_site_are_logged_neutrally_one_or_many(login, admin, centre):
    first, second, third = (
        CandidateFactory(centre=centre, last_name=f"Zzplanted{n}") for n in range(3)
    )
    client = login(admin)
    client.post(reverse("admin:candidates_candidate_delete", args=[first.pk]), {"post": "yes"})
    client.post(
        reverse("admin:candidates_candidate_changelist"),
        {"action": "delete_selected", "_selected_action": [second.pk, third.pk], "post": "yes"},
    )
    reprs = set(LogEntry.objects.filter(action_flag=DELETION).values_list("object_repr", flat=True))
    assert reprs == {f"candidates.candidate #{c.pk}" for c in (first, second, third)}
    assert "Zzplanted" not in _log_text()


def test_an_addition_is_logged_neutrally(login, admin):
    client = login(admin)
    response = client.post(
        reverse("admin:interviews_tranche_add"),
        {"name": "Zzplanted", "starts_on": "2026-01-10", "ends_on": "2026-02-10", "target": "5"},
    )
    assert response.status_code == 302
    tranche = Tranche.objects.get(name="Zzplanted")
    entry = LogEntry.objects.get(action_flag=ADDITION)
    assert entry.object_repr == neutral_repr(tranche) == f"interviews.tranche #{tranche.pk}"
