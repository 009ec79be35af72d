from django.apps import AppConfig


class WebConfig(AppConfig):
    """INTERFACE: public pages, accounts, messages and operations endpoints shared by both portals."""

    name = "opencers.web"
    label = "web"
    verbose_name = "Public and account pages"
