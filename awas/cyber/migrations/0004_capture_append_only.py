"""On PostgreSQL, refuse UPDATE and DELETE of captures in the database itself: a capture is evidence
of what was seen, never edited (a correction is a new version). The model refuses too; this also
stops raw SQL and bulk updates."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION awas_capture_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'captures are never edited: % refused on %', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS awas_capture_append_only ON cyber_capture;
CREATE TRIGGER awas_capture_append_only BEFORE UPDATE OR DELETE ON cyber_capture
    FOR EACH ROW EXECUTE FUNCTION awas_capture_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS awas_capture_append_only ON cyber_capture;
DROP FUNCTION IF EXISTS awas_capture_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # the SQL has literal % signs


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("cyber", "0003_post_and_source_once")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]
