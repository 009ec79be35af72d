from django.apps import AppConfig


class Tier2Config(AppConfig):
    """Domain: the federal EPCRA section 312 (Tier II) exchange in the National Tier II data standard
    (XML and the .t2s package), exported from and imported into the Hazardous Materials Inventory."""

    name = "opencers.tier2"
    label = "tier2"
    verbose_name = "Federal Tier II"
