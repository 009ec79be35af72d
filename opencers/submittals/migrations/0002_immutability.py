"""A submitted element can never change: PostgreSQL triggers enforce it, whatever the code (or raw SQL) does.

* ``submittals_guard_element_rows()``: for any table whose rows belong to an element through
  ``element_id``: no insert, update or delete of rows of an element that is no longer a draft. Element
  apps attach it to their tables in their own migrations.
* On ``submittals_submittalelement``: once submitted, only the regulator's action columns and the status
  (never back to draft) may change, and the row cannot be deleted.
* ``submittals_facilitysubmittal`` (the certification record) never changes and is never deleted.
"""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION submittals_guard_element_rows() RETURNS trigger AS $$
DECLARE
    element_status text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT status INTO element_status FROM submittals_submittalelement WHERE id = OLD.element_id;
        IF element_status IS NOT NULL AND element_status <> 'draft' THEN
            RAISE EXCEPTION 'submitted element % cannot change: % on % refused', OLD.element_id, TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT status INTO element_status FROM submittals_submittalelement WHERE id = NEW.element_id;
        IF element_status IS NOT NULL AND element_status <> 'draft' THEN
            RAISE EXCEPTION 'submitted element % cannot change: % on % refused', NEW.element_id, TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION submittals_guard_submitted_element() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'submitted element % cannot be deleted', OLD.id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status <> 'draft' THEN
        IF NEW.status = 'draft' THEN
            RAISE EXCEPTION 'submitted element % cannot become a draft again', OLD.id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF (NEW.public_id, NEW.facility_id, NEW.element, NEW.based_on_id, NEW.not_applicable, NEW.not_applicable_reason,
            NEW.facility_submittal_id, NEW.version, NEW.regulator_id, NEW.submitted_at, NEW.submitted_by_id,
            NEW.submitter_comments, NEW.digest, NEW.created_at)
           IS DISTINCT FROM
           (OLD.public_id, OLD.facility_id, OLD.element, OLD.based_on_id, OLD.not_applicable, OLD.not_applicable_reason,
            OLD.facility_submittal_id, OLD.version, OLD.regulator_id, OLD.submitted_at, OLD.submitted_by_id,
            OLD.submitter_comments, OLD.digest, OLD.created_at) THEN
            RAISE EXCEPTION 'submitted element % cannot change: only the regulator''s action may', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER submittals_element_guard
    BEFORE UPDATE OR DELETE ON submittals_submittalelement
    FOR EACH ROW EXECUTE FUNCTION submittals_guard_submitted_element();

CREATE OR REPLACE FUNCTION submittals_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% of % is not allowed: the record is permanent', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER submittals_facilitysubmittal_permanent
    BEFORE UPDATE OR DELETE ON submittals_facilitysubmittal
    FOR EACH ROW EXECUTE FUNCTION submittals_refuse_change();

CREATE TRIGGER submittals_guidancerecord_guard
    BEFORE INSERT OR UPDATE OR DELETE ON submittals_guidancerecord
    FOR EACH ROW EXECUTE FUNCTION submittals_guard_element_rows();
"""

REVERSE = """
DROP TRIGGER IF EXISTS submittals_guidancerecord_guard ON submittals_guidancerecord;
DROP TRIGGER IF EXISTS submittals_facilitysubmittal_permanent ON submittals_facilitysubmittal;
DROP TRIGGER IF EXISTS submittals_element_guard ON submittals_submittalelement;
DROP FUNCTION IF EXISTS submittals_refuse_change();
DROP FUNCTION IF EXISTS submittals_guard_submitted_element();
DROP FUNCTION IF EXISTS submittals_guard_element_rows();
"""


class Migration(migrations.Migration):
    dependencies = [("submittals", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
