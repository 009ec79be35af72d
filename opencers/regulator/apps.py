from django.apps import AppConfig


class RegulatorPortalConfig(AppConfig):
    """INTERFACE: the regulator portal (jurisdiction, facilities, staff, and later review and CME)."""

    name = "opencers.regulator"
    label = "regulator_portal"
    verbose_name = "Regulator portal"
