"""A submitted audit is kept on every path: on PostgreSQL, database triggers refuse any
DELETE of a submitted audit and of a rating that belongs to one, raw queries and bulk
deletes included. The way to delete one is an admin reopening it (recorded in history),
then deleting the draft.

`manage.py flush` (TRUNCATE on PostgreSQL, which fires no DELETE trigger) still empties
the database, as a restore from a backup needs (docs/deployment.md).

SQLite gets no delete trigger: its flush is a plain `DELETE FROM` each table, in no set
order, which a row trigger cannot tell from any other delete, so a trigger would make
flush (a restore, the test suite's transactional tests) fail whenever a submitted audit
exists. There the admin refuses the delete (AuditAdmin), as it does on PostgreSQL.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION audits_refuse_delete_of_submitted_audit() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'submitted' THEN
        RAISE EXCEPTION 'A submitted audit cannot be deleted; an admin must reopen it first.'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audits_audit_submitted_is_kept
    BEFORE DELETE ON audits_audit
    FOR EACH ROW EXECUTE FUNCTION audits_refuse_delete_of_submitted_audit();

CREATE OR REPLACE FUNCTION audits_refuse_delete_of_submitted_rating() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM audits_audit WHERE id = OLD.audit_id AND status = 'submitted') THEN
        RAISE EXCEPTION
            'A rating of a submitted audit cannot be deleted; an admin must reopen the audit first.'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audits_rating_submitted_is_kept
    BEFORE DELETE ON audits_rating
    FOR EACH ROW EXECUTE FUNCTION audits_refuse_delete_of_submitted_rating();
"""

POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS audits_rating_submitted_is_kept ON audits_rating;
DROP FUNCTION IF EXISTS audits_refuse_delete_of_submitted_rating();
DROP TRIGGER IF EXISTS audits_audit_submitted_is_kept ON audits_audit;
DROP FUNCTION IF EXISTS audits_refuse_delete_of_submitted_audit();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audits", "0002_submitted_audits_are_final")]

    operations = [migrations.RunPython(forward, backward)]
