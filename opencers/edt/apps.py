from django.apps import AppConfig


class EdtConfig(AppConfig):
    """Domain: the state's EDT XML formats (reading and writing them) and the exchange transaction log."""

    name = "opencers.edt"
    label = "edt"
    verbose_name = "Data exchange (EDT)"
