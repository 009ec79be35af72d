from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """INTERFACE: the EDT XML services and the JSON REST API."""

    name = "opencers.exchange"
    label = "exchange"
    verbose_name = "Data exchange"
