import uuid

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("core", "0002_database_rules"),  # the pg_trgm extension
    ]

    operations = [
        # CCL ids come from a sequence of their own: a new substance gets the next id, and ids are never reused.
        migrations.RunSQL(
            "CREATE SEQUENCE library_chemical_ccl_id_seq",
            "DROP SEQUENCE IF EXISTS library_chemical_ccl_id_seq",
        ),
        migrations.CreateModel(
            name="Chemical",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "ccl_id",
                    models.PositiveIntegerField(
                        db_default=models.Func(
                            models.Value("library_chemical_ccl_id_seq"),
                            function="nextval",
                            output_field=models.IntegerField(),
                        ),
                        unique=True,
                        verbose_name="chemical library id",
                    ),
                ),
                ("cas", models.CharField(blank=True, max_length=15, verbose_name="CAS number")),
                ("name", models.CharField(max_length=500, verbose_name="name")),
                ("formula", models.CharField(blank=True, max_length=100, verbose_name="formula")),
                (
                    "synonyms",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.TextField(), blank=True, default=list
                    ),
                ),
                (
                    "pubchem_cid",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="PubChem CID"),
                ),
                ("ehs", models.BooleanField(default=False, verbose_name="Extremely Hazardous Substance")),
                (
                    "tpq_lbs",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=10,
                        null=True,
                        verbose_name="threshold planning quantity (lb)",
                    ),
                ),
                (
                    "tpq_alt_lbs",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=10,
                        null=True,
                        verbose_name="alternate threshold planning quantity (lb)",
                    ),
                ),
                (
                    "rq_lbs",
                    models.DecimalField(
                        decimal_places=2, max_digits=10, null=True, verbose_name="reportable quantity (lb)"
                    ),
                ),
                (
                    "physical_state",
                    models.CharField(
                        blank=True,
                        choices=[("a", "Solid"), ("b", "Liquid"), ("c", "Gas")],
                        max_length=1,
                        verbose_name="physical state at 20 °C",
                    ),
                ),
                (
                    "melting_point_f",
                    models.DecimalField(
                        decimal_places=1, max_digits=7, null=True, verbose_name="melting point (°F)"
                    ),
                ),
                (
                    "boiling_point_f",
                    models.DecimalField(
                        decimal_places=1, max_digits=7, null=True, verbose_name="boiling point (°F)"
                    ),
                ),
                (
                    "flash_point_f",
                    models.DecimalField(
                        decimal_places=1, max_digits=7, null=True, verbose_name="flash point (°F)"
                    ),
                ),
                (
                    "density_lb_per_gal",
                    models.DecimalField(
                        decimal_places=3,
                        max_digits=8,
                        null=True,
                        verbose_name="liquid density at 25 °C (lb/gal)",
                    ),
                ),
                (
                    "molecular_weight",
                    models.DecimalField(
                        decimal_places=4, max_digits=12, null=True, verbose_name="molecular weight (g/mol)"
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("chemicals", "chemicals package"),
                            ("ehs", "EPA EHS list"),
                            ("manual", "entered from a Safety Data Sheet"),
                        ],
                        max_length=20,
                        verbose_name="source",
                    ),
                ),
            ],
            options={
                "ordering": ["name"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("cas", ""), _negated=True),
                        fields=("cas",),
                        name="library_chemical_cas_unique",
                    ),
                    models.UniqueConstraint(
                        django.db.models.functions.text.Lower("name"),
                        condition=models.Q(("cas", "")),
                        name="library_chemical_name_unique_without_cas",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ChemicalName",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=500)),
                (
                    "kind",
                    models.CharField(
                        choices=[("primary", "primary name"), ("synonym", "synonym"), ("cas", "CAS number")],
                        max_length=10,
                    ),
                ),
                (
                    "chemical",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="names",
                        to="library.chemical",
                    ),
                ),
            ],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        fields=["name"], name="library_name_trgm", opclasses=["gin_trgm_ops"]
                    )
                ],
            },
        ),
        migrations.RunSQL(
            "ALTER SEQUENCE library_chemical_ccl_id_seq OWNED BY library_chemical.ccl_id",
            migrations.RunSQL.noop,
        ),
    ]
