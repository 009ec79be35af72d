from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "opencers.core"
    label = "core"
    verbose_name = "Core"
