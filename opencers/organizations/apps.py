from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "opencers.organizations"
    label = "organizations"
    verbose_name = "Organizations and facilities"
