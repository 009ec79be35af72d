"""Rows of a submitted element cannot change (the guard function is defined in submittals 0002)."""

from django.db import migrations

TABLES = [
    "facility_info_businessactivities",
    "facility_info_owneroperator",
]


def _sql(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_guard BEFORE INSERT OR UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION submittals_guard_element_rows();"
    )


class Migration(migrations.Migration):
    dependencies = [("facility_info", "0002_initial"), ("submittals", "0002_immutability")]

    operations = [
        migrations.RunSQL(_sql(table), f"DROP TRIGGER IF EXISTS {table}_guard ON {table};")
        for table in TABLES
    ]
