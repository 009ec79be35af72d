from django.apps import AppConfig


class BusinessConfig(AppConfig):
    """INTERFACE: the business portal (organizations, facilities, people, and later submittals)."""

    name = "opencers.business"
    label = "business"
    verbose_name = "Business portal"
