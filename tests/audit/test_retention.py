"""The trail is append-only (the model everywhere, the database itself on PostgreSQL) and
keeps its events AUDIT_RETENTION_MONTHS: the purge deletes older ones, and says so."""

import datetime
import importlib
import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_purge, audit_record, months_before
from tests.test_settings import _manage

pytestmark = pytest.mark.django_db

NOW = timezone.now()
ON_POSTGRESQL = connection.vendor == "postgresql"


def _event_aged(days: int) -> AuditEvent:
    return AuditEvent.objects.create(
        action="view",
        object_type="candidates.candidate",
        object_id="1",
        at=NOW - datetime.timedelta(days=days),
    )


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (
            datetime.datetime(2026, 12, 3, 10, 0, tzinfo=datetime.UTC),
            24,
            datetime.datetime(2024, 12, 3, 10, 0, tzinfo=datetime.UTC),
        ),
        (
            datetime.datetime(2026, 3, 31, 8, 30, tzinfo=datetime.UTC),
            1,
            datetime.datetime(2026, 2, 28, 8, 30, tzinfo=datetime.UTC),
        ),
        (
            datetime.datetime(2026, 1, 15, tzinfo=datetime.UTC),
            6,
            datetime.datetime(2025, 7, 15, tzinfo=datetime.UTC),
        ),
        (
            datetime.datetime(2024, 8, 31, tzinfo=datetime.UTC),
            6,
            datetime.datetime(2024, 2, 29, tzinfo=datetime.UTC),
        ),
    ],
)
def test_months_before_counts_calendar_months(moment, months, expected):
    assert months_before(moment, months) == expected


def test_the_purge_deletes_only_what_is_older_than_the_retention_and_records_it(
    settings, admin, events
):
    settings.AUDIT_RETENTION_MONTHS = 6
    old = [_event_aged(days) for days in (200, 400)]
    kept = _event_aged(150)

    assert audit_purge(actor=admin) == 2

    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    purge = AuditEvent.objects.filter(action="purge").get()
    assert (purge.count, purge.actor, purge.object_type) == (2, admin, "audit.auditevent")


def test_the_dry_run_deletes_nothing_and_records_nothing(settings):
    settings.AUDIT_RETENTION_MONTHS = 6
    old = _event_aged(400)
    out = io.StringIO()

    call_command("audit_purge", "--dry-run", stdout=out)

    assert "1 audit events are older than" in out.getvalue()
    assert AuditEvent.objects.filter(pk=old.pk).exists()
    assert not AuditEvent.objects.filter(action="purge").exists()


def test_the_command_purges_with_the_default_retention_of_24_months(settings):
    assert settings.AUDIT_RETENTION_MONTHS == 24
    _event_aged(800)
    young = _event_aged(600)
    out = io.StringIO()

    call_command("audit_purge", stdout=out)

    assert out.getvalue().startswith("Deleted 1 audit events older than")
    assert AuditEvent.objects.filter(pk=young.pk).exists()
    assert AuditEvent.objects.filter(action="purge", count=1).exists()


@pytest.mark.parametrize("months", ["5", "0", "-3"])
def test_a_retention_under_six_months_refuses_to_start(months):
    result = _manage("check", AUDIT_RETENTION_MONTHS=months)
    assert result.returncode != 0
    assert "AUDIT_RETENTION_MONTHS must be at least 6." in result.stderr


def test_six_months_of_retention_start():
    assert _manage("check", AUDIT_RETENTION_MONTHS="6").returncode == 0


def _append_only_installed() -> None:
    """The migration's trigger, on the test database (built from the models, not the
    migrations): the same function the migration runs."""
    migration = importlib.import_module("audit.migrations.0003_append_only_trigger")
    with connection.schema_editor() as editor:
        migration.forwards(None, editor)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the database's own rule is PostgreSQL's")
def test_postgresql_refuses_to_change_or_delete_a_recent_event_and_lets_an_old_one_go():
    _append_only_installed()
    recent = audit_record("view", object_type="candidates.candidate", object_id="1")
    old = _event_aged(200)

    with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
        AuditEvent.objects.filter(pk=recent.pk).update(action="delete")
    with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
        AuditEvent.objects.filter(pk=old.pk).update(ip="192.0.2.1")
    with pytest.raises(DatabaseError, match="never deleted"), transaction.atomic():
        AuditEvent.objects.filter(pk=recent.pk)._raw_delete(connection.alias)

    AuditEvent.objects.filter(pk=old.pk)._raw_delete(connection.alias)
    assert list(AuditEvent.objects.filter(pk__in=[recent.pk, old.pk])) == [recent]
