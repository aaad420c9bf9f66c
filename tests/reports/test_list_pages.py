"""The export log as the administrator pages, sorts and searches it (its query pin at two
sizes is in test_export_views.py)."""

import pytest
from django.urls import reverse

from reports.models import ExportRecord
from tests.factories import UserFactory

LOG = reverse("reports:export_log")

pytestmark = pytest.mark.django_db


def _record(user, kind="pseudonymised", reason=""):
    return ExportRecord.objects.create(user=user, kind=kind, reason=reason, source="web")


def test_the_log_sorts_by_who_exported_and_by_version(login, admin):
    bonetti = UserFactory(last_name="Bonetti", first_name="Irene")
    arnoldi = UserFactory(last_name="Arnoldi", first_name="Pietro")
    first = _record(bonetti, "full", "Convocazioni di gennaio")
    second = _record(arnoldi)
    client = login(admin)
    assert list(client.get(LOG).context["page"]) == [second, first]  # the latest first
    assert list(client.get(LOG, {"sort": "by"}).context["page"]) == [second, first]
    assert list(client.get(LOG, {"sort": "-by"}).context["page"]) == [first, second]
    assert list(client.get(LOG, {"sort": "version"}).context["page"]) == [second, first]


def test_the_search_finds_the_reason_or_who_exported_and_pages_are_numbered(login, admin):
    rossi = UserFactory(last_name="Rossi")
    for n in range(26):
        _record(rossi, "full", f"Convocazioni, lotto {n}")
    other = _record(UserFactory(last_name="Zanga"), "full", "Verifica del finanziatore")
    client = login(admin)
    assert list(client.get(LOG, {"q": "finanziatore"}).context["page"]) == [other]
    assert list(client.get(LOG, {"q": "zanga"}).context["page"]) == [other]
    second = client.get(LOG, {"q": "convocazioni", "page": "2"})
    assert [record.reason for record in second.context["page"]] == ["Convocazioni, lotto 0"]
    assert "Righe 26\N{EN DASH}26 di 26" in second.text


def test_only_the_administrator_reads_the_log(login, staff):
    assert login(staff).get(LOG).status_code == 403
