"""A submitted audit is final on every path, raw queries and bulk updates included.

Database triggers refuse any UPDATE of a submitted audit that leaves it submitted, and
any UPDATE or INSERT of a rating that belongs to a submitted audit. The one way back is
an admin reopening the audit (submitted -> draft), which the admin records in history.
Inserts are not refused, so that a restore (loaddata of a submitted audit, then its
ratings) works; adding a rating to a submitted audit through the model is refused by
Rating.save.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION audits_refuse_change_to_submitted_audit() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'submitted' AND NEW.status = 'submitted' THEN
        RAISE EXCEPTION 'A submitted audit cannot be changed; an admin must reopen it first.'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audits_audit_submitted_is_final
    BEFORE UPDATE ON audits_audit
    FOR EACH ROW EXECUTE FUNCTION audits_refuse_change_to_submitted_audit();

CREATE OR REPLACE FUNCTION audits_refuse_change_to_submitted_rating() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM audits_audit WHERE id = NEW.audit_id AND status = 'submitted')
       OR EXISTS (SELECT 1 FROM audits_audit WHERE id = OLD.audit_id AND status = 'submitted')
    THEN
        RAISE EXCEPTION 'A rating of a submitted audit cannot be changed.'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audits_rating_submitted_is_final
    BEFORE UPDATE ON audits_rating
    FOR EACH ROW EXECUTE FUNCTION audits_refuse_change_to_submitted_rating();
"""

POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS audits_rating_submitted_is_final ON audits_rating;
DROP FUNCTION IF EXISTS audits_refuse_change_to_submitted_rating();
DROP TRIGGER IF EXISTS audits_audit_submitted_is_final ON audits_audit;
DROP FUNCTION IF EXISTS audits_refuse_change_to_submitted_audit();
"""

SQLITE_FORWARD = [
    """
    CREATE TRIGGER audits_audit_submitted_is_final
    BEFORE UPDATE ON audits_audit
    WHEN OLD.status = 'submitted' AND NEW.status = 'submitted'
    BEGIN
        SELECT RAISE(ABORT, 'A submitted audit cannot be changed; an admin must reopen it first.');
    END;
    """,
    """
    CREATE TRIGGER audits_rating_submitted_is_final
    BEFORE UPDATE ON audits_rating
    WHEN EXISTS (SELECT 1 FROM audits_audit WHERE id = OLD.audit_id AND status = 'submitted')
      OR EXISTS (SELECT 1 FROM audits_audit WHERE id = NEW.audit_id AND status = 'submitted')
    BEGIN
        SELECT RAISE(ABORT, 'A rating of a submitted audit cannot be changed.');
    END;
    """,
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audits_rating_submitted_is_final;",
    "DROP TRIGGER IF EXISTS audits_audit_submitted_is_final;",
]


def forward(apps, schema_editor):
    run(schema_editor, POSTGRES_FORWARD, SQLITE_FORWARD)


def backward(apps, schema_editor):
    run(schema_editor, POSTGRES_BACKWARD, SQLITE_BACKWARD)


def run(schema_editor, postgres_sql, sqlite_statements):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgres_sql)
    elif vendor == "sqlite":
        for statement in sqlite_statements:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audits", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
