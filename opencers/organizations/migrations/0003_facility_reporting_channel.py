import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_clients"),
        ("organizations", "0002_sequences"),
    ]

    operations = [
        migrations.AddField(
            model_name="facility",
            name="reporting_channel",
            field=models.CharField(
                choices=[("business_portal", "Business portal"), ("local_portal", "Local portal")],
                default="business_portal",
                max_length=20,
                verbose_name="reporting channel",
            ),
        ),
        migrations.AddField(
            model_name="facility",
            name="reporting_client",
            field=models.ForeignKey(
                blank=True,
                help_text="The local portal's data exchange client, when it forwards the facility's submittals.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="reporting_facilities",
                to="accounts.apiclient",
            ),
        ),
        migrations.AddField(
            model_name="facility",
            name="reporting_portal_name",
            field=models.CharField(blank=True, max_length=100, verbose_name="local portal"),
        ),
        migrations.AlterField(
            model_name="facility",
            name="regulator_facility_id",
            field=models.CharField(blank=True, max_length=13, verbose_name="regulator's facility ID"),
        ),
    ]
