"""On PostgreSQL, refuse UPDATE and DELETE on the audit log in the database itself."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION awas_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit log is append-only: % refused on %', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS awas_audit_append_only ON core_auditentry;
CREATE TRIGGER awas_audit_append_only BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION awas_audit_append_only();
DROP TRIGGER IF EXISTS awas_audit_no_truncate ON core_auditentry;
CREATE TRIGGER awas_audit_no_truncate BEFORE TRUNCATE ON core_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION awas_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS awas_audit_append_only ON core_auditentry;
DROP TRIGGER IF EXISTS awas_audit_no_truncate ON core_auditentry;
DROP FUNCTION IF EXISTS awas_audit_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # the SQL has literal % signs


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]
