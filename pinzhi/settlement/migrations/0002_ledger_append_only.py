"""The ledger is append-only in the database too (rules §6): an UPDATE or DELETE of a
ledger line is refused by a trigger, on PostgreSQL and on SQLite alike. (TRUNCATE, which
only a test database's teardown uses on PostgreSQL, is not a row change.)"""

from django.db import migrations

TABLE = "settlement_ledgerline"
MESSAGE = "ledger lines are append-only"

POSTGRES = f"""
CREATE OR REPLACE FUNCTION pinzhi_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION pinzhi_ledger_append_only();
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION pinzhi_ledger_append_only();
"""
POSTGRES_REVERSE = f"""
DROP TRIGGER IF EXISTS ledger_no_update ON {TABLE};
DROP TRIGGER IF EXISTS ledger_no_delete ON {TABLE};
DROP FUNCTION IF EXISTS pinzhi_ledger_append_only();
"""
SQLITE = [
    f"CREATE TRIGGER ledger_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER ledger_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS ledger_no_update",
                  "DROP TRIGGER IF EXISTS ledger_no_delete"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        for sql in SQLITE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif vendor == "sqlite":
        for sql in SQLITE_REVERSE:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("settlement", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
