"""The audit trail is append-only in the database itself, on PostgreSQL: a trigger refuses
every UPDATE of an event, and the DELETE of an event younger than six months (the shortest
retention AUDIT_RETENTION_MONTHS allows), whoever connects. TRUNCATE, which the test
suite's flush uses, fires no row trigger. SQLite, the development default, has the model's
own refusals only."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'An audit event is never changed.';
    END IF;
    IF OLD.at > now() - interval '6 months' THEN
        RAISE EXCEPTION 'An audit event younger than six months is never deleted.';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_auditevent_count")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
