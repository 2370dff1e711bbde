"""The event log is the audit trail (issue 9): its rows are added, never changed, and kept
at least 6 months. On PostgreSQL a trigger refuses every UPDATE, and a DELETE of a row
younger than 183 days (the purge of older rows stays possible); on SQLite an UPDATE is
refused (a test database there is emptied row by row, so deletes stay open). TRUNCATE,
which only a test database's teardown uses, is not a row change."""

from django.db import migrations

TABLE = "core_event"

POSTGRES = f"""
CREATE OR REPLACE FUNCTION pinzhi_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit events are append-only';
    END IF;
    IF OLD.at > now() - interval '183 days' THEN
        RAISE EXCEPTION 'audit events are kept at least 6 months';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER event_no_update BEFORE UPDATE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION pinzhi_event_append_only();
CREATE TRIGGER event_kept BEFORE DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION pinzhi_event_append_only();
"""
POSTGRES_REVERSE = f"""
DROP TRIGGER IF EXISTS event_no_update ON {TABLE};
DROP TRIGGER IF EXISTS event_kept ON {TABLE};
DROP FUNCTION IF EXISTS pinzhi_event_append_only();
"""
SQLITE = (f"CREATE TRIGGER event_no_update BEFORE UPDATE ON {TABLE} "
          f"BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END")
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS event_no_update"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_calendar_and_parameters")]
    operations = [migrations.RunPython(forwards, backwards)]
