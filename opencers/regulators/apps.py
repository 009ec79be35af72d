from django.apps import AppConfig


class RegulatorsConfig(AppConfig):
    name = "opencers.regulators"
    label = "regulators"
    verbose_name = "Regulators"
