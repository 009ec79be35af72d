"""Documents and files of a submitted element cannot change (guard function in submittals 0002)."""

from django.db import migrations

SQL = """
CREATE TRIGGER documents_document_guard BEFORE INSERT OR UPDATE OR DELETE ON documents_document
    FOR EACH ROW EXECUTE FUNCTION submittals_guard_element_rows();

CREATE OR REPLACE FUNCTION documents_guard_files() RETURNS trigger AS $$
DECLARE
    element_status text;
BEGIN
    SELECT e.status INTO element_status
      FROM documents_document d JOIN submittals_submittalelement e ON e.id = d.element_id
     WHERE d.id = COALESCE(NEW.document_id, OLD.document_id);
    IF element_status IS NOT NULL AND element_status <> 'draft' THEN
        RAISE EXCEPTION 'files of a submitted element cannot change: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.document_id <> NEW.document_id THEN
        SELECT e.status INTO element_status
          FROM documents_document d JOIN submittals_submittalelement e ON e.id = d.element_id WHERE d.id = OLD.document_id;
        IF element_status IS NOT NULL AND element_status <> 'draft' THEN
            RAISE EXCEPTION 'files of a submitted element cannot change' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER documents_documentfile_guard BEFORE INSERT OR UPDATE OR DELETE ON documents_documentfile
    FOR EACH ROW EXECUTE FUNCTION documents_guard_files();
"""

REVERSE = """
DROP TRIGGER IF EXISTS documents_documentfile_guard ON documents_documentfile;
DROP FUNCTION IF EXISTS documents_guard_files();
DROP TRIGGER IF EXISTS documents_document_guard ON documents_document;
"""


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_initial"), ("submittals", "0002_immutability")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
