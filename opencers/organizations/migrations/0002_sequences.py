"""CERS IDs and organization codes come from PostgreSQL sequences: unique under concurrency, never reused."""

from django.db import migrations

CREATE = """
CREATE SEQUENCE IF NOT EXISTS organizations_facility_cers_id_seq
    AS bigint START WITH 10000001 MINVALUE 10000001 MAXVALUE 29999999 NO CYCLE;
CREATE SEQUENCE IF NOT EXISTS organizations_organization_code_seq
    AS bigint START WITH 100000001 MINVALUE 100000001 MAXVALUE 999999999 NO CYCLE;
"""
DROP = """
DROP SEQUENCE IF EXISTS organizations_facility_cers_id_seq;
DROP SEQUENCE IF EXISTS organizations_organization_code_seq;
"""


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [migrations.RunSQL(CREATE, DROP)]
